/**
 * One scenario under `cpmsim test`: run it, check its expectations, and compare its trace with the
 * golden file beside it (or write that file with `--update`). The result is plain data, so a
 * worker thread can hand it back and every reporter reads the same thing.
 */
import { readFileSync } from 'node:fs';
import { structuredPatch } from 'diff';
import { loadScenarioFile } from '../scenario/loader.js';
import { flowRunOf, runScenario } from '../scenario/runner.js';
import { fingerprint, goldenFingerprint, goldenText } from '../trace/golden.js';
import { figureHeading, flowView } from '../trace/view.js';
import { writeOutput } from './output-files.js';
import { reportRun } from './report.js';

export type GoldenOutcome = 'match' | 'differs' | 'missing' | 'written';

export interface TestResult {
  /** The scenario file as the user named it. */
  file: string;
  golden: string;
  title: string;
  seed: number;
  /** The expectations (steps, run guards) held. */
  expectationsPassed: boolean;
  /** The verdict line of the expectations. */
  verdict: string;
  /** Lines saying which steps went wrong, when they did. */
  failures: string[];
  goldenOutcome: GoldenOutcome;
  fingerprint: string;
  /** The fingerprint the golden file records, when it differs. */
  goldenFingerprint?: string;
  /** Where the trace first departs from the golden file, and that part of it as a unified diff. */
  divergence?: { event: number; summary: string; diff: string };
  passed: boolean;
  /** Wall-clock milliseconds the run took (reports only; never compared). */
  ms: number;
}

export interface TestOptions {
  update: boolean;
}

/** `scenarios/x.yaml` -> `scenarios/x.golden`. */
export function goldenPath(file: string): string {
  return file.replace(/\.ya?ml$/, '') + '.golden';
}

function readGolden(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Lines of context around the first difference. */
const CONTEXT = 3;

/**
 * The first event whose block differs, and the first hunk of a unified diff of the event blocks
 * (the header, which carries the fingerprint, is reported apart).
 */
export function divergence(expected: string, actual: string): { event: number; summary: string; diff: string } | undefined {
  const events = (text: string): string[] => text.replace(/\n+$/, '').split('\n\n').slice(1);
  const was = events(expected);
  const now = events(actual);
  const index = [...Array(Math.max(was.length, now.length)).keys()].find((i) => was[i] !== now[i]);
  if (index === undefined) return undefined;
  const patch = structuredPatch('golden', 'run', was.join('\n\n'), now.join('\n\n'), '', '', { context: CONTEXT });
  const hunk = patch.hunks[0];
  const diff = hunk === undefined ? '' : [`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines].join('\n');
  const block = now[index] ?? was[index] ?? '';
  const what = now[index] === undefined ? 'the run ends before' : was[index] === undefined ? 'the run goes on past the golden file with' : 'at';
  return { event: index + 1, summary: `${what} event ${index + 1}: ${block.split('\n', 1)[0] ?? ''}`, diff };
}

export function testScenario(path: string, shown: string, options: TestOptions): TestResult {
  const started = performance.now();
  const spec = loadScenarioFile(path, shown);
  const run = runScenario(spec);
  const view = flowView(flowRunOf(run));
  const failures = run.passed ? [] : reportRun(run, { color: false, width: 100, wire: false, ladder: false }).split('\n').slice(1);
  const text = goldenText({ title: view.heading, seed: run.seed, result: view.verdict, events: run.events });
  const print = fingerprint(run.events);
  const goldenFile = goldenPath(path);
  const recorded = options.update ? undefined : readGolden(goldenFile);
  let goldenOutcome: GoldenOutcome;
  let found: TestResult['divergence'];
  if (options.update) {
    writeOutput(goldenFile, text);
    goldenOutcome = 'written';
  } else if (recorded === undefined) {
    goldenOutcome = 'missing';
  } else {
    found = recorded === text ? undefined : (divergence(recorded, text) ?? { event: 0, summary: 'the header differs', diff: '' });
    goldenOutcome = found === undefined ? 'match' : 'differs';
  }
  const recordedPrint = recorded === undefined ? undefined : goldenFingerprint(recorded);
  return {
    file: shown,
    golden: goldenPath(shown),
    title: figureHeading(spec.title, spec.spec),
    seed: run.seed,
    expectationsPassed: run.passed,
    verdict: view.verdict,
    failures,
    goldenOutcome,
    fingerprint: print,
    ...(recordedPrint !== undefined && recordedPrint !== print && { goldenFingerprint: recordedPrint }),
    ...(found !== undefined && { divergence: found }),
    passed: run.passed && (goldenOutcome === 'match' || goldenOutcome === 'written'),
    ms: Math.round(performance.now() - started),
  };
}
