import { Buffer } from 'node:buffer';
import type { Corpus } from './corpus.js';
import { Choices, mutate } from './mutate.js';
import { exercise, type CodecTarget, type Outcome } from './targets.js';

/** The bound: no input may take a codec longer than this. */
export const SLOW_MS = 50;

export interface Finding {
  target: string;
  index: number;
  /** A crash (not the typed error), a slow input, or a round trip that loses information. */
  problem: 'crash' | 'slow' | 'lossy';
  detail: string;
  octets: Buffer;
}

export interface TargetTally {
  inputs: number;
  parsed: number;
  refused: number;
  lossy: number;
  crashed: number;
  slow: number;
  maxMs: number;
  /** The input that took longest, to replay it. */
  slowestIndex: number;
}

export interface CampaignReport {
  tallies: Map<string, TargetTally>;
  findings: Finding[];
}

/** The target of input `index` when several are fuzzed: round robin, so each gets its share. */
export function targetOf(targets: readonly CodecTarget[], index: number): CodecTarget {
  return targets[index % targets.length]!;
}

const flattened = new WeakMap<Corpus, Buffer[]>();

function everyEntry(corpus: Corpus): Buffer[] {
  let all = flattened.get(corpus);
  if (all === undefined) {
    all = [...corpus.values()].flat();
    flattened.set(corpus, all);
  }
  return all;
}

/** Input `index` of a campaign under `seed`: made from its own seeded choices, so it replays alone. */
export function inputOf(corpus: Corpus, target: CodecTarget, seed: number, index: number): Buffer {
  const choices = new Choices(`${seed}/${target.name}/${index}`);
  const own = corpus.get(target.name) ?? [];
  const all = everyEntry(corpus);
  const base = own.length > 0 ? choices.pick(own) : Buffer.alloc(0);
  const other = all.length > 0 ? choices.pick(all) : Buffer.alloc(0);
  return mutate(base, other, choices);
}

/**
 * Runs the codec on the input, its parse timed; a slow parse is timed twice more and the fastest
 * kept, so that one garbage collection or a busy machine is not taken for a super-linear path.
 */
export function timedExercise(target: CodecTarget, octets: Buffer): { outcome: Outcome; ms: number } {
  let best = Infinity;
  let outcome: Outcome = { kind: 'parsed' };
  for (let attempt = 0; attempt < 3 && best > SLOW_MS; attempt++) {
    const run = exercise(target, octets);
    outcome = run.outcome;
    best = Math.min(best, run.parseMs);
  }
  return { outcome, ms: best };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.slice(0, 200)}` : String(error);
}

/** Feeds `count` mutated inputs to the targets and tallies what each did. */
export function runCampaign(opts: { corpus: Corpus; targets: readonly CodecTarget[]; seed: number; count: number; onProgress?: (done: number) => void }): CampaignReport {
  const tallies = new Map<string, TargetTally>(opts.targets.map((t) => [t.name, { inputs: 0, parsed: 0, refused: 0, lossy: 0, crashed: 0, slow: 0, maxMs: 0, slowestIndex: -1 }]));
  const findings: Finding[] = [];
  for (let index = 0; index < opts.count; index++) {
    const target = targetOf(opts.targets, index);
    const octets = inputOf(opts.corpus, target, opts.seed, index);
    const { outcome, ms } = timedExercise(target, octets);
    const tally = tallies.get(target.name)!;
    tally.inputs++;
    if (ms > tally.maxMs) {
      tally.maxMs = ms;
      tally.slowestIndex = index;
    }
    if (outcome.kind === 'parsed') tally.parsed++;
    else if (outcome.kind === 'refused') tally.refused++;
    else if (outcome.kind === 'lossy') {
      tally.lossy++;
      findings.push({ target: target.name, index, problem: 'lossy', detail: outcome.detail, octets });
    } else {
      tally.crashed++;
      findings.push({ target: target.name, index, problem: 'crash', detail: describe(outcome.error), octets });
    }
    if (ms > SLOW_MS) {
      tally.slow++;
      findings.push({ target: target.name, index, problem: 'slow', detail: `${ms.toFixed(1)} ms for ${octets.length} octets`, octets });
    }
    if (opts.onProgress !== undefined && (index + 1) % 1000 === 0) opts.onProgress(index + 1);
  }
  return { tallies, findings };
}
