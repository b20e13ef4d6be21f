/**
 * `cpmsim test`: runs scenarios, checks their expectations and compares each trace with its golden
 * file; reports for a terminal, as JSON or as JUnit XML. Exit 0 when all pass, 1 when an
 * expectation fails or a trace differs from (or has no) golden file, 2 for bad input.
 */
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EXIT, UsageError, type CliIo } from './io.js';
import { writeOutput } from './output-files.js';
import { loadAll } from './run-command.js';
import { inShard, parseShard } from './shard.js';
import { jsonReport, junitReport, terminalReport, type Reporter, type TestSummary } from './test-reporters.js';
import { testScenario, type TestOptions, type TestResult } from './test-run.js';
import type { TestTask } from './test-worker.js';

export interface TestCommandOptions {
  update: boolean;
  reporter: Reporter;
  output?: string;
  shard?: string;
  jobs: number;
}

/** The compiled worker: worker threads run JavaScript, so from sources (tests) this is dist's copy. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../../dist/cli/test-worker.js', here) : new URL('./test-worker.js', here);
}

type Job = TestTask['files'][number];

/** Deals the scenarios to `jobs` threads (scenario k to thread k mod jobs) and puts the results back in serial order. */
async function inWorkers(files: Job[], options: TestOptions, jobs: number): Promise<TestResult[]> {
  const results: TestResult[] = new Array<TestResult>(files.length);
  const lanes = Array.from({ length: Math.min(jobs, files.length) }, (_, w) => files.filter((_, k) => k % jobs === w));
  await Promise.all(
    lanes.map(
      (lane) =>
        new Promise<void>((done, fail) => {
          const task: TestTask = { files: lane, options };
          const worker = new Worker(workerUrl(), { workerData: task });
          worker.on('message', ({ index, result }: { index: number; result: TestResult }) => {
            results[files.findIndex((f) => f.index === index)] = result;
          });
          worker.on('error', fail);
          worker.on('exit', (code) => (code === 0 ? done() : fail(new Error(`test worker exited with code ${code}`))));
        }),
    ),
  );
  return results;
}

export async function testCommand(paths: string[], options: TestCommandOptions, io: CliIo): Promise<number> {
  if (!Number.isSafeInteger(options.jobs) || options.jobs < 1) throw new UsageError('--jobs: expected a whole number of at least 1');
  const shard = parseShard(options.shard);
  const specs = inShard(loadAll(paths, io), shard);
  const files = specs.map((spec, index) => ({ path: resolve(io.cwd, spec.file), shown: spec.file, index }));
  const testOptions: TestOptions = { update: options.update };
  const results = options.jobs > 1 && files.length > 1 ? await inWorkers(files, testOptions, options.jobs) : files.map((f) => testScenario(f.path, f.shown, testOptions));
  const summary: TestSummary = { results, shard, update: options.update };
  const document = options.reporter === 'json' ? jsonReport(summary) : options.reporter === 'junit' ? junitReport(summary) : undefined;
  if (document === undefined) {
    if (options.output !== undefined) writeOutput(resolve(io.cwd, options.output), terminalReport(summary, false));
    io.stdout(terminalReport(summary, io.color));
  } else if (options.output === undefined) {
    io.stdout(document);
  } else {
    writeOutput(resolve(io.cwd, options.output), document);
    io.stdout(terminalReport(summary, io.color));
  }
  return results.every((r) => r.passed) ? EXIT.ok : EXIT.failed;
}
