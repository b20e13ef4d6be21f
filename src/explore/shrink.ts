/**
 * Shrinks a failing run to a minimal counterexample: first the fewest perturbations (ddmin, Zeller
 * and Hildebrandt 2002), then the shortest timeline (each user action that the violation does not
 * need is dropped), then the least delay each remaining delay needs. A candidate counts only if the
 * same invariant is still broken, and what is returned is the last candidate that broke it, so its
 * replay command gives that run again (replays are deterministic).
 *
 * Under jitter nearly every packet is delayed, and a packet named by its event id is renamed by any
 * change before it: take one delay away and the ids of everything sent later shift, so each
 * remaining entry lands on some other packet and ddmin wanders. The failing list is therefore first
 * renamed by each packet's place on its link (`FROM>TO#N`, faults.ts), which a change elsewhere
 * leaves alone.
 */
import type { ScenarioSpec } from '../scenario/spec.js';
import { exploreRun, type ExploredRun } from './explore-run.js';
import type { Perturbation } from './perturbation.js';

export interface Counterexample {
  seed: number;
  monitor: string;
  perturbations: Perturbation[];
  /** Indexes of the scenario's timeline entries the counterexample keeps. */
  timeline: number[];
  run: ExploredRun;
  /** How many runs shrinking took. */
  tries: number;
}

/** Runs shrinking may take (a run of a bundled scenario takes milliseconds); it stops with what it has when spent. */
const MAX_TRIES = 2000;

export function withTimeline(spec: ScenarioSpec, keep: readonly number[]): ScenarioSpec {
  return { ...spec, timeline: keep.map((i) => spec.timeline[i]!) };
}

export function shrink(spec: ScenarioSpec, failing: ExploredRun, monitor: string): Counterexample {
  let tries = 0;
  let timeline = spec.timeline.map((_, i) => i);
  let best = { list: failing.perturbations, timeline, run: failing };
  const fails = (list: Perturbation[], keep: number[]): boolean => {
    if (tries >= MAX_TRIES) return false;
    tries++;
    const run = exploreRun(withTimeline(spec, keep), failing.seed, { kind: 'replay', perturbations: list });
    if (!run.violations.some((v) => v.monitor === monitor)) return false;
    best = { list, timeline: keep, run };
    return true;
  };
  // The same run, its packets named by link (the renamed list is what the replay applied).
  const named = exploreRun(spec, failing.seed, { kind: 'replay', perturbations: failing.perturbations });
  let list = named.violations.some((v) => v.monitor === monitor) ? named.perturbations : failing.perturbations;
  list = ddmin(list, (candidate) => fails(candidate, timeline));
  for (let i = timeline.length - 1; i >= 0; i--) {
    const without = timeline.filter((_, j) => j !== i);
    if (fails(list, without)) timeline = without;
  }
  // Fewer actions can make perturbations unnecessary that were needed before.
  if (timeline.length < spec.timeline.length) list = ddmin(list, (candidate) => fails(candidate, timeline));
  leastDelays(list, (candidate) => fails(candidate, timeline));
  return { seed: failing.seed, monitor, perturbations: best.list, timeline: best.timeline, run: best.run, tries };
}

/**
 * Each delay cut to about the least that still breaks the invariant (a bisection to 1 ms, or to the
 * microsecond for a delay under 2 ms): the counterexample then says how late a packet must be, not
 * how late the jitter happened to make it. `fails` keeps the last list that failed.
 */
function leastDelays(list: Perturbation[], fails: (candidate: Perturbation[]) => boolean): void {
  let current = list;
  for (let i = 0; i < current.length; i++) {
    const p = current[i]!;
    if (p.kind !== 'delay') continue;
    let low = 0;
    let high = p.us;
    const step = p.us > 2000 ? 1000 : 1;
    while (high - low > step) {
      const mid = Math.floor((low + high) / 2);
      const candidate = current.map((q, j) => (j === i ? { ...p, us: mid } : q));
      if (fails(candidate)) {
        high = mid;
        current = candidate;
      } else low = mid;
    }
  }
}

/**
 * The classic ddmin: a 1-minimal sublist for which `fails` holds (it holds for `items`). A race
 * usually needs one perturbation, so each one alone is tried first: a direct hit is then cheaper
 * than the halvings, which under jitter rarely keep the one delay that matters.
 */
function ddmin<T>(items: T[], fails: (candidate: T[]) => boolean): T[] {
  if (items.length > 0 && fails([])) return [];
  for (const item of items) if (items.length > 1 && fails([item])) return [item];
  let current = items;
  let n = 2;
  while (current.length >= 2) {
    const size = Math.ceil(current.length / n);
    const chunks: T[][] = [];
    for (let i = 0; i < current.length; i += size) chunks.push(current.slice(i, i + size));
    let reduced = false;
    for (const chunk of chunks) {
      if (fails(chunk)) {
        current = chunk;
        n = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      for (let i = 0; i < chunks.length && !reduced; i++) {
        const complement = chunks.filter((_, j) => j !== i).flat();
        if (complement.length < current.length && fails(complement)) {
          current = complement;
          n = Math.max(n - 1, 2);
          reduced = true;
        }
      }
    }
    if (!reduced) {
      if (n >= current.length) break;
      n = Math.min(current.length, n * 2);
    }
  }
  return current;
}
