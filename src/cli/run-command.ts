import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findScenarioFiles } from '../scenario/discover.js';
import { loadScenarioFile } from '../scenario/loader.js';
import { runScenario } from '../scenario/runner.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { outputPaths, renderRun, type Format } from './diagram-command.js';
import { shownPath, writeOutput } from './output-files.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { reportRun } from './report.js';

export interface RunOptions {
  seed?: number;
  wire: boolean;
  ladder: boolean;
  width?: number;
  /** Default `ladder`. */
  format?: Format;
  /** A file for one scenario, a folder for any number (one document each, named after the file). */
  output?: string;
}

/** The scenarios shipped with the package, for `cpmsim run` outside a checkout. */
const BUNDLED = fileURLToPath(new URL('../../scenarios', import.meta.url));

/** Where `run` looks when given no path: ./scenarios if there is one, else the bundled set. */
export function defaultScenarioPaths(cwd: string): string[] {
  const local = resolve(cwd, 'scenarios');
  return [existsSync(local) ? local : BUNDLED];
}

/** Loads every file first, so a bad file stops the run before any output (exit 2). */
export function loadAll(paths: string[], io: CliIo): ScenarioSpec[] {
  const given = paths.length > 0 ? paths.map((p) => resolve(io.cwd, p)) : defaultScenarioPaths(io.cwd);
  let files: string[];
  try {
    files = findScenarioFiles(given);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (files.length === 0) throw new UsageError(`no scenario files (*.yaml) under ${given.join(', ')}`);
  const specs = files.map((f) => loadScenarioFile(f, relativeTo(io.cwd, f)));
  for (const warning of specs.flatMap((spec) => spec.warnings ?? [])) io.stderr(`cpmsim: warning: ${warning.message}\n`);
  return specs;
}

export function runCommand(paths: string[], options: RunOptions, io: CliIo): number {
  const specs = loadAll(paths, io);
  const format = options.format ?? 'ladder';
  if (format === 'ladder' && options.output === undefined) return runToTerminal(specs, options, io);
  if (!options.ladder) throw new UsageError('--no-ladder prints only the verdicts; it cannot be combined with --format or -o');
  const targets = outputPaths(specs, format, options.output, io.cwd);
  // The verdicts stay off the stream that carries the documents, so stdout can be piped as data.
  const report = options.output === undefined ? io.stderr : io.stdout;
  let failed = 0;
  specs.forEach((spec, i) => {
    const run = runScenario(spec, options.seed === undefined ? {} : { seed: options.seed });
    if (!run.passed) failed++;
    const path = targets[i];
    const text = renderRun(run, format, { color: io.color && path === undefined, width: options.width ?? (path === undefined ? io.columns : 100), wire: options.wire });
    if (path === undefined) io.stdout(text);
    else writeOutput(path, text);
    const written = path === undefined ? '' : `\n    wrote ${shownPath(io.cwd, path)}`;
    report(`${reportRun(run, { color: io.color && path !== undefined, width: io.columns, wire: false, ladder: false })}${written}\n`);
  });
  report(`${specs.length - failed} passed, ${failed} failed\n`);
  return failed === 0 ? EXIT.ok : EXIT.failed;
}

function runToTerminal(specs: ScenarioSpec[], options: RunOptions, io: CliIo): number {
  let failed = 0;
  for (const spec of specs) {
    const run = runScenario(spec, options.seed === undefined ? {} : { seed: options.seed });
    if (!run.passed) failed++;
    io.stdout(`${reportRun(run, { color: io.color, width: options.width ?? io.columns, wire: options.wire, ladder: options.ladder })}\n\n`);
  }
  io.stdout(`${specs.length - failed} passed, ${failed} failed\n`);
  return failed === 0 ? EXIT.ok : EXIT.failed;
}

function relativeTo(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
