import { describe, expect, it } from 'vitest';
import { formatTime, MS, SECOND, US } from '../../src/kernel/time.js';

describe('time units', () => {
  it('counts integer microseconds', () => {
    expect(US).toBe(1);
    expect(MS).toBe(1_000);
    expect(SECOND).toBe(1_000_000);
  });
});

describe('formatTime', () => {
  it.each([
    [0, '0.000000s'],
    [1, '0.000001s'],
    [999_999, '0.999999s'],
    [SECOND, '1.000000s'],
    [1_500 * MS, '1.500000s'],
    [12_345_678, '12.345678s'],
    [3_600 * SECOND + 7, '3600.000007s'],
  ])('formats %i us as %s', (us, text) => {
    expect(formatTime(us)).toBe(text);
  });

  it('always writes six digits after the point', () => {
    for (const us of [5, 50, 500, 5_000, 50_000, 500_000, 7 * SECOND + 40]) {
      expect(formatTime(us)).toMatch(/^\d+\.\d{6}s$/);
    }
  });
});
