import { Chalk } from 'chalk';
import { formatTime } from '../kernel/time.js';
import type { ScenarioRun } from '../scenario/runner.js';
import { wrap } from '../trace/cells.js';
import { describeMessage } from '../trace/wire-format.js';
import { renderLadder } from '../trace/ladder.js';
import { describeStep, ladderRows } from '../trace/ladder-rows.js';
import { figureHeading } from '../trace/view.js';

export interface ReportOptions {
  color: boolean;
  width: number;
  wire: boolean;
  ladder: boolean;
}

function heading(run: ScenarioRun): string {
  return figureHeading(run.spec.title, run.spec.spec);
}

/** `text` wrapped to the width, the lines after the first indented under it. */
function fit(text: string, width: number): string {
  const lead = (/^ */.exec(text)?.[0] ?? '').length;
  const [first = '', ...rest] = wrap(text, Math.max(20, width - lead));
  const tail = rest.length === 0 ? [] : wrap(rest.join(' '), Math.max(20, width - lead - 4)).map((l) => ' '.repeat(lead + 4) + l);
  return [' '.repeat(lead) + first, ...tail].join('\n');
}

/** The ladder of one run and its verdict, with one line per step that did not go as the figure says. */
export function reportRun(run: ScenarioRun, options: ReportOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const names = run.lifelines.map((l) => l.name);
  const out: string[] = [];
  if (options.ladder) {
    const rows = ladderRows(run.alignment, run.projection, names, options.wire, run.actions);
    out.push(renderLadder(names, rows, { width: options.width, color: options.color, wire: options.wire, title: `${heading(run)}  (${run.spec.file}, seed ${run.seed})` }), '');
  }
  const skipped = run.alignment.filter((a) => a.kind === 'missing' && a.step.optional === true).length;
  const steps = run.spec.expect.steps.length + run.spec.expect.actions.length - skipped;
  if (run.passed) {
    out.push(fit(`✓ ${heading(run)}: ${steps} steps as ${run.spec.spec?.figure === undefined ? 'expected' : 'in the figure'}`, options.width).replace('✓', c.green('✓')));
    return out.join('\n');
  }
  out.push(fit(`✗ ${heading(run)} (${run.spec.file})`, options.width).replace('✗', c.red('✗')));
  const details: string[] = [];
  if (run.error !== undefined) details.push(`    ${run.error}`);
  for (const rule of run.broken) details.push(`    ${rule}`);
  for (const a of run.actions) {
    if (a.found === undefined) details.push(`    missing step ${a.step.n}: ${names[a.step.lifeline]} ${a.step.action} (no such note from that entity between the steps around it)`);
  }
  for (const a of run.alignment) {
    if (a.kind === 'ok' || a.kind === 'ignored' || (a.kind === 'missing' && a.step.optional === true)) continue;
    if (a.kind === 'missing') details.push(`    missing ${describeStep(a.step, names)}`);
    else {
      const got = `${names[a.actual.from]} -> ${names[a.actual.to]} ${describeMessage(a.actual.message)} at ${formatTime(a.actual.at)}`;
      if (a.kind === 'mismatch') details.push(`    expected ${describeStep(a.step, names)}`, `         got ${got}`);
      else details.push(`    unexpected ${got}`);
    }
  }
  return [...out, ...details.map((d) => fit(d, options.width))].join('\n');
}
