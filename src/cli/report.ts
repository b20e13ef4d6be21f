import { Chalk } from 'chalk';
import { formatTime } from '../kernel/time.js';
import type { ScenarioRun } from '../scenario/runner.js';
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
    out.push(`${c.green('✓')} ${heading(run)}: ${steps} steps as ${run.spec.spec?.figure === undefined ? 'expected' : 'in the figure'}`);
    return out.join('\n');
  }
  out.push(`${c.red('✗')} ${heading(run)} (${run.spec.file})`);
  if (run.error !== undefined) out.push(`    ${run.error}`);
  for (const rule of run.broken) out.push(`    ${rule}`);
  for (const a of run.actions) {
    if (a.found === undefined) out.push(`    missing step ${a.step.n}: ${names[a.step.lifeline]} ${a.step.action} (no such note from that entity between the steps around it)`);
  }
  for (const a of run.alignment) {
    if (a.kind === 'ok' || a.kind === 'ignored' || (a.kind === 'missing' && a.step.optional === true)) continue;
    if (a.kind === 'missing') out.push(`    missing ${describeStep(a.step, names)}`);
    else {
      const got = `${names[a.actual.from]} -> ${names[a.actual.to]} ${describeMessage(a.actual.message)} at ${formatTime(a.actual.at)}`;
      if (a.kind === 'mismatch') out.push(`    expected ${describeStep(a.step, names)}\n         got ${got}`);
      else out.push(`    unexpected ${got}`);
    }
  }
  return out.join('\n');
}
