/** One explored run: a scenario under a seed and a fault plan, checked by every monitor. */
import type { Micros } from '../kernel/time.js';
import { TIMER_C, TIMER_F } from '../sip/transactions/timers.js';
import { runScenario, type ScenarioRun } from '../scenario/runner.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { BUILTIN_MONITORS } from '../trace/monitors/builtin.js';
import type { Violation } from '../trace/monitors/monitor.js';
import { installFaults, shufflesTies, type Plan } from './faults.js';
import type { Perturbation } from './perturbation.js';
import { scenarioViolations } from './scenario-monitors.js';

export interface ExploredRun {
  seed: number;
  perturbations: Perturbation[];
  violations: Violation[];
  /** Absent when the run died with an internal error (itself a violation, `no-internal-error`). */
  run?: ScenarioRun;
}

/**
 * How long an explored run goes on after the scenario's own end: long enough for a transaction the
 * last action started, and the proxies' Timer C behind it, to run out (RFC 3261 16.6, 17.1).
 */
export const SETTLE_US: Micros = TIMER_C + TIMER_F;

/** The scenario as explore runs it: for its own duration (by default Timer F after the last action), then SETTLE_US more. */
export function settled(spec: ScenarioSpec): ScenarioSpec {
  const lastAt = spec.timeline.reduce((max, e) => Math.max(max, e.atUs), 0);
  return { ...spec, durationUs: Math.min(spec.limits.untilUs, (spec.durationUs ?? lastAt + TIMER_F) + SETTLE_US) };
}

export function exploreRun(spec: ScenarioSpec, seed: number, plan: Plan): ExploredRun {
  let perturbations: Perturbation[] = [];
  let clients = new Map<string, string>();
  let endUs: Micros = 0;
  let run: ScenarioRun;
  try {
    run = runScenario(settled(spec), {
      seed,
      shuffleTies: shufflesTies(plan),
      prepare: (built, end) => {
        clients = built.clients;
        endUs = end;
        perturbations = installFaults(built, end, seed, plan);
      },
    });
  } catch (e) {
    // A perturbation must never crash an element: that is a finding, not a failed exploration.
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { seed, perturbations, violations: [{ monitor: 'no-internal-error', at: 0, eventId: 0, message }] };
  }
  const input = { events: run.events, clients, endUs };
  const violations = [...BUILTIN_MONITORS.flatMap((m) => m.check(input)), ...scenarioViolations(run)];
  return { seed, perturbations, violations, run };
}
