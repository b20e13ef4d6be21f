import type { Micros } from '../kernel/time.js';

/** How a link's one-way delay is drawn for each packet. */
export type DelayDistribution =
  | { kind: 'constant'; value: Micros }
  | { kind: 'uniform'; min: Micros; max: Micros }
  | { kind: 'normal'; mean: Micros; sd: Micros }
  | { kind: 'exponential'; mean: Micros }
  /** Measured delays, each equally likely (a trace of real round trips halved, say). */
  | { kind: 'empirical'; values: readonly Micros[] };

/**
 * One delay in whole microseconds, never negative (a normal tail below zero is cut at zero).
 * `next` gives uniform numbers in [0, 1) and is called only by a random distribution.
 */
export function drawDelay(d: DelayDistribution, next: () => number): Micros {
  switch (d.kind) {
    case 'constant':
      return d.value;
    case 'uniform':
      return Math.round(d.min + next() * (d.max - d.min));
    case 'normal': {
      // Box-Muller; 1 - u keeps the logarithm finite.
      const u = 1 - next();
      const v = next();
      return Math.max(0, Math.round(d.mean + d.sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)));
    }
    case 'exponential':
      return Math.round(-d.mean * Math.log(1 - next()));
    case 'empirical':
      return d.values.length === 1 ? d.values[0]! : d.values[Math.floor(next() * d.values.length)]!;
  }
}
