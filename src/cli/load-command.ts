import { resolve } from 'node:path';
import { loadLoadFile } from '../load/loader.js';
import { formatReport, reportCsv, reportJson } from '../load/report.js';
import { runLoad, type TraceChoice } from '../load/run.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { writeOutput } from './output-files.js';
import { progressBar } from './progress.js';

export interface LoadOptions {
  seed?: number;
  trace: string;
  csv?: string;
  json?: string;
}

/** `--trace off|count|jsonl=FILE|pcap=FILE` */
export function parseTrace(text: string, cwd: string): TraceChoice {
  if (text === 'off' || text === 'count') return { kind: text };
  const match = /^(jsonl|pcap)=(.+)$/.exec(text);
  if (match === null) throw new UsageError(`--trace ${text}: expected off, count, jsonl=FILE or pcap=FILE`);
  return { kind: match[1] as 'jsonl' | 'pcap', path: resolve(cwd, match[2]!) };
}

/** Runs a load file and prints its metrics; `--csv` and `--json` write them to files too. */
export function loadCommand(file: string, options: LoadOptions, io: CliIo): number {
  const trace = parseTrace(options.trace, io.cwd);
  const spec = loadLoadFile(resolve(io.cwd, file));
  const shown = { ...spec, file };
  // Every output is created before the run, so a path that cannot be written fails in a moment, not after an hour.
  const outputs = [trace.kind === 'jsonl' || trace.kind === 'pcap' ? trace.path : undefined, options.csv, options.json];
  for (const path of outputs) if (path !== undefined) writeOutput(resolve(io.cwd, path), '');
  const bar = io.progress === undefined ? undefined : progressBar(io.progress);
  let report;
  try {
    report = runLoad(shown, { ...(options.seed !== undefined && { seed: options.seed }), trace, ...(bar && { progress: (p) => bar.update(p) }) });
  } finally {
    bar?.stop();
  }
  io.stdout(formatReport(report));
  if (options.csv !== undefined) writeOutput(resolve(io.cwd, options.csv), reportCsv(report));
  if (options.json !== undefined) writeOutput(resolve(io.cwd, options.json), reportJson(report));
  return EXIT.ok;
}
