import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DurationError, formatDuration, parseDuration } from '../../src/scenario/duration.js';

describe('parseDuration', () => {
  test.each([
    ['250us', 250],
    ['1.5ms', 1_500],
    ['2s', 2_000_000],
    ['0.3s', 300_000],
    ['1min', 60_000_000],
    ['1h', 3_600_000_000],
    ['1.25 s', 1_250_000],
    ['0', 0],
    ['0ms', 0],
    [0, 0],
  ])('%s is %i µs', (text, us) => {
    expect(parseDuration(text)).toBe(us);
  });

  test.each([
    [5, 'duration 5 needs a unit: us, ms, s, min or h'],
    ['5', 'duration 5 needs a unit: us, ms, s, min or h'],
    [1.5, 'duration 1.5 needs a unit: us, ms, s, min or h'],
    ['-1s', 'duration -1s is negative'],
    [-3, 'duration -3 is negative'],
    ['1.5us', 'duration 1.5us is not a whole number of microseconds'],
    ['0.0000001s', 'duration 0.0000001s is not a whole number of microseconds'],
    ['2 days', "'2 days' is not a duration; write it like 250us, 1.5ms, 2s, 1min or 1h"],
    ['s', "'s' is not a duration; write it like 250us, 1.5ms, 2s, 1min or 1h"],
    ['99999999999h', 'duration 99999999999h is too long'],
  ])('%s is refused', (text, message) => {
    expect(() => parseDuration(text)).toThrow(new DurationError(message));
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0s'],
    [250, '250us'],
    [250_000, '250ms'],
    [1_500_000, '1.5s'],
    [1_234_567, '1234.567ms'],
    [61_000_000, '61s'],
    [90 * 60_000_000, '90min'],
    [7_200_000_000, '2h'],
  ])('%i µs is %s', (us, text) => {
    expect(formatDuration(us)).toBe(text);
  });

  test('refuses negative and fractional microseconds', () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
    expect(() => formatDuration(0.5)).toThrow(RangeError);
  });
});

describe('round trip', () => {
  test('parseDuration(formatDuration(us)) is us', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (us) => {
        expect(parseDuration(formatDuration(us))).toBe(us);
      }),
    );
  });

  test('small durations round-trip too (the common case)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), (us) => {
        expect(parseDuration(formatDuration(us))).toBe(us);
      }),
    );
  });

  test('a written duration keeps its value through format and parse', () => {
    const units = { us: 1, ms: 1_000, s: 1_000_000 } as const;
    fc.assert(
      fc.property(
        fc.nat({ max: 100_000 }),
        fc.nat({ max: 999 }),
        fc.constantFrom('ms', 's'),
        (whole, thousandths, unit: keyof typeof units) => {
          const text = `${whole}.${String(thousandths).padStart(3, '0')}${unit}`;
          const us = whole * units[unit] + (thousandths * units[unit]) / 1000;
          expect(parseDuration(text)).toBe(us);
          expect(parseDuration(formatDuration(us))).toBe(us);
        },
      ),
    );
  });
});
