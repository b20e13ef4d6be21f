import { relative } from 'node:path';
import type { ScenarioSpec } from '../scenario/spec.js';
import type { CliIo } from './io.js';

/** Figure scenarios by figure number first, then the others by section, then by file. */
function order(a: ScenarioSpec, b: ScenarioSpec): number {
  const fa = a.spec?.figure ?? Infinity;
  const fb = b.spec?.figure ?? Infinity;
  if (fa !== fb) return fa - fb;
  return (a.spec?.section ?? '').localeCompare(b.spec?.section ?? '', 'en', { numeric: true }) || a.file.localeCompare(b.file);
}

/**
 * `cpmsim list`: one line per scenario, what it reproduces (figure and section of the spec) and
 * its title, so a reader finds the flow for a figure without opening the files.
 */
export function listCommand(specs: ScenarioSpec[], io: CliIo): void {
  const rows = [...specs].sort(order).map((s) => [s.spec?.figure === undefined ? '' : `Figure ${s.spec.figure}`, s.spec?.section ?? '', s.title, relative(io.cwd, s.file)]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) io.stdout(`${r.slice(0, 3).map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}  ${r[3]}\n`.replace(/ +\n$/, '\n'));
  io.stdout(`${specs.length} scenario(s), ${specs.filter((s) => s.spec?.figure !== undefined).length} of them figures of Appendix C\n`);
}
