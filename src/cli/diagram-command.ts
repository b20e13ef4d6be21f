import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { runScenario, type ScenarioRun } from '../scenario/runner.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { renderHtml } from '../trace/html.js';
import { renderJsonl } from '../trace/jsonl.js';
import { renderMermaid } from '../trace/mermaid.js';
import { renderPlantUml } from '../trace/plantuml.js';
import { flowView, type FlowRun } from '../trace/view.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { reportRun } from './report.js';

export const FORMATS = ['ladder', 'mermaid', 'plantuml', 'html', 'jsonl'] as const;
export type Format = (typeof FORMATS)[number];

/**
 * The file extension of each format, and whether several runs can follow one another in one
 * stream: a JSON-lines reader sees each run's header line, PlantUML renders each @startuml block;
 * a Mermaid or HTML document holds one diagram only.
 */
const FILES: Record<Format, { ext: string; stream: boolean }> = {
  ladder: { ext: '.txt', stream: true },
  mermaid: { ext: '.mmd', stream: false },
  plantuml: { ext: '.puml', stream: true },
  html: { ext: '.html', stream: false },
  jsonl: { ext: '.jsonl', stream: true },
};

export interface DrawOptions {
  color: boolean;
  width: number;
  /** The ladder's `--wire`; the other formats always carry the wire text where they can show it. */
  wire: boolean;
}

/** What the trace renderers read of a scenario run. */
export function flowRun(run: ScenarioRun): FlowRun {
  return {
    title: run.spec.title,
    ...(run.spec.spec === undefined ? {} : { figure: run.spec.spec }),
    source: run.spec.file,
    seed: run.seed,
    domains: run.spec.network.domains.map((d) => d.name),
    events: run.events,
    lifelines: run.lifelines,
    projection: run.projection,
    alignment: run.alignment,
    steps: run.spec.expect.steps.length,
    passed: run.passed,
    ...(run.error === undefined ? {} : { error: run.error }),
  };
}

/** One run as a document in `format`, ending in a newline. */
export function renderRun(run: ScenarioRun, format: Format, options: DrawOptions): string {
  if (format === 'ladder') return `${reportRun(run, { ...options, ladder: true })}\n`;
  const view = flowView(flowRun(run));
  switch (format) {
    case 'mermaid':
      return renderMermaid(view);
    case 'plantuml':
      return renderPlantUml(view);
    case 'html':
      return renderHtml(view);
    case 'jsonl':
      return renderJsonl(view);
  }
}

/**
 * Where each scenario's document goes, decided before anything runs: `undefined` for stdout, else
 * the file `-o` names, or, for several scenarios or a folder (existing or written with a trailing
 * `/`), `<folder>/<scenario file name><ext>`.
 */
export function outputPaths(specs: ScenarioSpec[], format: Format, output: string | undefined, cwd: string): (string | undefined)[] {
  if (output === undefined) {
    if (specs.length > 1 && !FILES[format].stream) throw new UsageError(`--format ${format} holds one scenario per document: give a folder with -o for ${specs.length} scenarios`);
    return specs.map(() => undefined);
  }
  const target = resolve(cwd, output);
  const toFolder = specs.length > 1 || /[/\\]$/.test(output) || isFolder(target);
  if (!toFolder) return [target];
  const paths = specs.map((spec) => join(target, `${basename(spec.file, extname(spec.file))}${FILES[format].ext}`));
  const writers = new Map<string, string>();
  specs.forEach((spec, i) => {
    const out = paths[i]!;
    const other = writers.get(out);
    if (other !== undefined) throw new UsageError(`${other} and ${spec.file} would both be written to ${out}; rename one`);
    writers.set(out, spec.file);
  });
  return paths;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    // Missing, or under a file: not a folder, and writing there reports why.
    return false;
  }
}

/** Writes a document, creating its folder; a refusal of the file system is the user's to fix. */
export function writeDocument(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) throw e;
    const reason = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way of a folder' : code === 'EISDIR' ? 'it is a folder' : code;
    throw new UsageError(`cannot write ${path}: ${reason}`);
  }
}

/** A path as the user would type it from where they are. */
export function shownPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') ? path : rel;
}

export interface DiagramOptions {
  format: Format;
  output?: string;
  seed?: number;
  wire: boolean;
  width?: number;
}

/**
 * Draws one scenario in one format, to stdout or to the file `-o` names. The diagram is written
 * even when the flow differs from its figure (it shows where); the exit code then is 1, as for run.
 */
export function diagramCommand(specs: ScenarioSpec[], options: DiagramOptions, io: CliIo): number {
  const [spec, ...others] = specs;
  if (spec === undefined || others.length > 0) {
    throw new UsageError(`diagram draws one scenario, and ${specs.length} were given: use \`cpmsim run --format ${options.format} -o FOLDER\` for several`);
  }
  const [path] = outputPaths(specs, options.format, options.output, io.cwd);
  const run = runScenario(spec, options.seed === undefined ? {} : { seed: options.seed });
  const text = renderRun(run, options.format, {
    color: io.color && path === undefined,
    width: options.width ?? (path === undefined ? io.columns : 100),
    wire: options.wire,
  });
  if (path === undefined) io.stdout(text);
  else {
    writeDocument(path, text);
    io.stdout(`wrote ${shownPath(io.cwd, path)}\n`);
  }
  // The ladder carries its verdict; other formats keep stdout for the document alone.
  if (!run.passed && options.format !== 'ladder') io.stderr(`${reportRun(run, { color: false, width: io.columns, wire: false, ladder: false })}\n`);
  return run.passed ? EXIT.ok : EXIT.failed;
}
