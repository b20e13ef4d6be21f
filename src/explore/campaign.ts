/**
 * A campaign: one scenario explored under many seeds. Run `k` of a campaign uses seed `base + k`
 * and belongs to shard `k mod n`, so shards and worker threads split the same set of named runs and
 * their results merge into exactly what one serial run gives.
 */
import type { ScenarioSpec } from '../scenario/spec.js';
import type { Violation } from '../trace/monitors/monitor.js';
import { exploreRun } from './explore-run.js';
import type { FaultOptions } from './faults.js';
import type { Perturbation } from './perturbation.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** What a run reports back (from a worker thread too): plain data. */
export interface RunOutcome {
  seed: number;
  perturbations: Perturbation[];
  violations: Violation[];
}

/** The seeds of a campaign this shard runs, in order. */
export function campaignSeeds(base: number, runs: number, shard: Shard): number[] {
  const seeds: number[] = [];
  for (let k = shard.index - 1; k < runs; k += shard.count) seeds.push(base + k);
  return seeds;
}

export function runSeed(spec: ScenarioSpec, seed: number, faults: FaultOptions): RunOutcome {
  const { perturbations, violations } = exploreRun(spec, seed, { kind: 'generate', faults });
  return { seed, perturbations, violations };
}
