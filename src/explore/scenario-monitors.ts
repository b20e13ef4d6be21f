/** The invariants a scenario states itself: its figure's steps (when marked `under-faults`) and its `monitors:`. */
import { stepMatches, type MessagePattern } from '../trace/expectations.js';
import type { Violation } from '../trace/monitors/monitor.js';
import { wireFormat } from '../trace/wire-format.js';
import type { ScenarioRun } from '../scenario/runner.js';
import type { MatcherSpec, ScenarioSpec } from '../scenario/spec.js';

export function scenarioViolations(run: ScenarioRun): Violation[] {
  const out: Violation[] = [];
  const spec = run.spec;
  const lastEvent = run.events.at(-1);
  if (run.error !== undefined) out.push({ monitor: 'run-settles', at: lastEvent?.at ?? 0, eventId: lastEvent?.id ?? 0, message: run.error });
  if (spec.expect.underFaults && !run.passed && run.error === undefined) {
    const bad = run.alignment.find((a) => a.kind !== 'ok' && a.kind !== 'ignored');
    const where = bad === undefined || bad.kind === 'missing' ? undefined : bad.actual;
    out.push({
      monitor: 'scenario-expectations',
      at: where?.at ?? 0,
      eventId: where?.eventId ?? 0,
      message: bad === undefined ? 'a figure action step is missing' : bad.kind === 'missing' ? `step ${bad.step.n} is missing` : `${bad.kind} message where the figure has ${bad.kind === 'mismatch' ? `step ${bad.step.n}` : 'no step'}`,
    });
  }
  for (const m of spec.monitors ?? []) {
    const pattern = resolve(m.match, spec);
    const distinct = new Map<string, { at: number; eventId: number }>();
    for (const p of run.projection.messages) {
      if (!stepMatches(pattern, p)) continue;
      // A retransmission is the same message again: same hops, same identity (Call-ID, CSeq, method or status).
      const key = `${p.from}|${p.to}|${wireFormat(p.message).hopKey(p.message)}`;
      if (!distinct.has(key)) distinct.set(key, { at: p.at, eventId: p.eventId });
    }
    const seen = [...distinct.values()];
    if (m.atMost !== undefined && seen.length > m.atMost) {
      const extra = seen[m.atMost]!;
      out.push({ monitor: m.name, at: extra.at, eventId: extra.eventId, message: `${seen.length} matching messages, at most ${m.atMost} allowed` });
    }
    if (m.atLeast !== undefined && seen.length < m.atLeast) {
      out.push({ monitor: m.name, at: lastEvent?.at ?? 0, eventId: lastEvent?.id ?? 0, message: `${seen.length} matching messages, at least ${m.atLeast} required` });
    }
  }
  return out;
}

function resolve(p: MatcherSpec, spec: ScenarioSpec): MessagePattern {
  const column = (name: string): number => spec.lifelines.findIndex((l) => l.name === name);
  return {
    ...(p.from === undefined ? {} : { from: column(p.from) }),
    ...(p.to === undefined ? {} : { to: column(p.to) }),
    ...(p.request === undefined ? {} : { request: p.request }),
    ...(p.response === undefined ? {} : { response: p.response }),
    ...(p.body === undefined ? {} : { body: p.body }),
    ...(p.user === undefined ? {} : { user: `sip:${p.user}` }),
    ...(p.of === undefined ? {} : { of: p.of }),
  };
}
