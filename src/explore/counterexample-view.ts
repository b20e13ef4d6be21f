/** Draws an explored run as a ladder: every message as it happened, with lost packets and crashes as notes. */
import { renderLadder } from '../trace/ladder.js';
import { ladderRows } from '../trace/ladder-rows.js';
import type { Alignment } from '../trace/expectations.js';
import type { ProjectedNote, Projection } from '../trace/projection.js';
import { describeMessage } from '../trace/wire-format.js';
import type { ScenarioRun } from '../scenario/runner.js';
import type { Perturbation } from './perturbation.js';

export function counterexampleLadder(run: ScenarioRun, perturbations: readonly Perturbation[], options: { width: number; color: boolean; title: string }): string {
  const lifelineOf = (host: string): number | undefined => {
    const exact = run.lifelines.findIndex((l) => l.hosts.includes(host));
    if (exact >= 0) return exact;
    const byDomain = run.lifelines.findIndex((l) => l.domains.some((d) => host.endsWith(`.${d}`)));
    return byDomain >= 0 ? byDomain : undefined;
  };
  const extra: ProjectedNote[] = [];
  for (const e of run.events) {
    if (e.type !== 'undeliverable' || e.reason !== 'lost') continue;
    const lifeline = lifelineOf(e.from) ?? lifelineOf(e.to);
    if (lifeline !== undefined) extra.push({ eventId: e.id, at: e.at, lifeline, text: `✗ lost #${e.id}: ${describeMessage(e.payload)} to ${e.to}` });
  }
  for (const p of perturbations) {
    if (p.kind !== 'crash') continue;
    const lifeline = lifelineOf(p.host);
    if (lifeline === undefined) continue;
    for (const [at, text] of [[p.atUs, `${p.host} down`], [p.atUs + p.forUs, `${p.host} up`]] as const) {
      const next = run.events.find((e) => e.at >= at);
      extra.push({ eventId: (next?.id ?? Number.MAX_SAFE_INTEGER) - 0.5, at, lifeline, text });
    }
  }
  const projection: Projection = { messages: run.projection.messages, notes: [...run.projection.notes, ...extra].sort((a, b) => a.eventId - b.eventId) };
  // A counterexample is read as what happened, not against the figure: no step numbers or marks.
  const alignment: Alignment[] = run.projection.messages.map((actual) => ({ kind: 'ignored', actual }));
  const names = run.lifelines.map((l) => l.name);
  return renderLadder(names, ladderRows(alignment, projection, names, false), options);
}
