import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/kernel/random.js';
import { drawDelay, type DelayDistribution } from '../../src/net/delay-distribution.js';

const mean = (d: DelayDistribution, n = 20_000): number => {
  const rng = new RandomStreams(9).stream('d');
  let sum = 0;
  for (let i = 0; i < n; i++) sum += drawDelay(d, () => rng.next());
  return sum / n;
};

describe('drawDelay', () => {
  it('draws nothing for a constant or a one-value empirical distribution', () => {
    const next = (): number => {
      throw new Error('drew');
    };
    expect(drawDelay({ kind: 'constant', value: 5 }, next)).toBe(5);
    expect(drawDelay({ kind: 'empirical', values: [7] }, next)).toBe(7);
  });

  it('has the mean each distribution is given', () => {
    expect(mean({ kind: 'uniform', min: 1000, max: 3000 })).toBeCloseTo(2000, -2);
    expect(mean({ kind: 'normal', mean: 10_000, sd: 1000 })).toBeCloseTo(10_000, -2);
    expect(mean({ kind: 'exponential', mean: 5000 })).toBeCloseTo(5000, -2);
    expect(mean({ kind: 'empirical', values: [1000, 2000, 6000] })).toBeCloseTo(3000, -2);
  });

  it('never gives a negative or fractional delay', () => {
    const rng = new RandomStreams(1).stream('d');
    for (let i = 0; i < 1000; i++) {
      const d = drawDelay({ kind: 'normal', mean: 100, sd: 1000 }, () => rng.next());
      expect(Number.isInteger(d) && d >= 0).toBe(true);
    }
  });
});
