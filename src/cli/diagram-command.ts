import { flowRunOf, runScenario, type ScenarioRun } from '../scenario/runner.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { renderHtml } from '../trace/html.js';
import { renderJsonl } from '../trace/jsonl.js';
import { renderMermaid } from '../trace/mermaid.js';
import { renderPlantUml } from '../trace/plantuml.js';
import { flowView } from '../trace/view.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { outputTargets, shownPath, writeOutput } from './output-files.js';
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

/** One run as a document in `format`, ending in a newline. */
export function renderRun(run: ScenarioRun, format: Format, options: DrawOptions): string {
  if (format === 'ladder') return `${reportRun(run, { ...options, ladder: true })}\n`;
  const view = flowView(flowRunOf(run));
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

/** Where each scenario's document goes: `undefined` for stdout, else as `-o` says. */
export function outputPaths(specs: ScenarioSpec[], format: Format, output: string | undefined, cwd: string): (string | undefined)[] {
  if (output !== undefined) return outputTargets(specs, FILES[format].ext, output, cwd);
  if (specs.length > 1 && !FILES[format].stream) throw new UsageError(`--format ${format} holds one scenario per document: give a folder with -o for ${specs.length} scenarios`);
  return specs.map(() => undefined);
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
    writeOutput(path, text);
    io.stdout(`wrote ${shownPath(io.cwd, path)}\n`);
  }
  // The ladder carries its verdict; other formats keep stdout for the document alone.
  if (!run.passed && options.format !== 'ladder') io.stderr(`${reportRun(run, { color: false, width: io.columns, wire: false, ladder: false })}\n`);
  return run.passed ? EXIT.ok : EXIT.failed;
}
