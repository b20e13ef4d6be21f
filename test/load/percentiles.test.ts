import { describe, expect, it } from 'vitest';
import { percentile, summarize } from '../../src/load/percentiles.js';

describe('percentile (nearest rank)', () => {
  // The worked example of the nearest-rank method: 15, 20, 35, 40, 50.
  const sample = [15, 20, 35, 40, 50];
  it.each([
    [5, 15],
    [30, 20],
    [40, 20],
    [50, 35],
    [100, 50],
  ])('p%d of 15, 20, 35, 40, 50 is %d', (p, want) => {
    expect(percentile(sample, p)).toBe(want);
  });

  it('is a value of the sample, never an interpolation', () => {
    expect(percentile([1, 2], 50)).toBe(1);
    expect(percentile([1, 2], 51)).toBe(2);
  });

  it('has none for an empty sample and refuses a percentile outside (0, 100]', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('sorts numerically and gives count, mean, p50 to p99.9 and max', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    expect(summarize(values)).toEqual({ count: 1000, mean: 500.5, p50: 500, p90: 900, p99: 990, p999: 999, max: 1000 });
    // Numbers, not their text: 10 is above 9.
    expect(summarize([9, 10, 100])?.max).toBe(100);
    expect(summarize([9, 10, 100])?.p50).toBe(10);
  });

  it('has nothing to summarize in an empty sample', () => {
    expect(summarize([])).toBeUndefined();
  });
});
