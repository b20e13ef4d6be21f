import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/kernel/random.js';
import { Simulator } from '../../src/kernel/simulator.js';
import { SECOND } from '../../src/kernel/time.js';
import { exponentialGap, poissonUsers } from '../../src/load/poisson.js';

describe('exponentialGap', () => {
  it('has the mean it is given and the spread of an exponential (sd = mean), with a fixed seed', () => {
    const rng = new RandomStreams(7).stream('gaps');
    const n = 20_000;
    const gaps = Array.from({ length: n }, () => exponentialGap(rng, 1_000_000));
    const mean = gaps.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / n);
    // Standard error of the mean is 1e6 / sqrt(20000) ~ 7,071: allow four of them.
    expect(Math.abs(mean - 1_000_000)).toBeLessThan(4 * 7_071);
    expect(Math.abs(sd - 1_000_000)).toBeLessThan(50_000);
    // Memorylessness: P(gap > mean) = e^-1.
    const above = gaps.filter((g) => g > 1_000_000).length / n;
    expect(Math.abs(above - Math.exp(-1))).toBeLessThan(0.015);
    expect(gaps.every((g) => Number.isInteger(g) && g >= 0)).toBe(true);
  });
});

describe('poissonUsers', () => {
  const run = (seed: number, users: number, everyUs: number, startUs: number, endUs: number): { at: number; user: number }[] => {
    const sim = new Simulator();
    const acts: { at: number; user: number }[] = [];
    poissonUsers(sim, new RandomStreams(seed).stream('pager'), users, everyUs, startUs, endUs, (user) => acts.push({ at: sim.now, user }));
    sim.run();
    return acts;
  };

  it('acts N x duration / every times, within the Poisson spread, and only inside the window', () => {
    // 500 users, once every 10 min each, for 2 h: 6,000 acts expected, sd sqrt(6000) ~ 77.
    const acts = run(3, 500, 600 * SECOND, 60 * SECOND, 7260 * SECOND);
    expect(Math.abs(acts.length - 6000)).toBeLessThan(4 * 77);
    expect(acts.every((a) => a.at >= 60 * SECOND && a.at < 7260 * SECOND)).toBe(true);
  });

  it('spreads the acts evenly over the users (each user acts at its own rate)', () => {
    const users = 20;
    const acts = run(5, users, 60 * SECOND, 0, 3000 * SECOND);
    // Each user: 50 acts expected; a chi-square over 20 cells stays below its 99.9% point (43.8 for 19 df).
    const counts = new Array<number>(users).fill(0);
    for (const a of acts) counts[a.user]!++;
    const expected = acts.length / users;
    const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(43.8);
  });

  it('draws the same acts from the same seed, other acts from another', () => {
    expect(run(9, 100, 60 * SECOND, 0, 600 * SECOND)).toEqual(run(9, 100, 60 * SECOND, 0, 600 * SECOND));
    expect(run(9, 100, 60 * SECOND, 0, 600 * SECOND)).not.toEqual(run(10, 100, 60 * SECOND, 0, 600 * SECOND));
  });
});
