/** Durations in scenario files (`250us`, `1.5ms`, `2s`, `1min`, `1h`, `0`) as integer microseconds. */

/** A duration text that cannot be read; the loader adds the location. */
export class DurationError extends Error {
  override readonly name = 'DurationError';
}

const UNIT_US = { us: 1n, 'µs': 1n, ms: 1_000n, s: 1_000_000n, min: 60_000_000n, h: 3_600_000_000n } as const;
type Unit = keyof typeof UNIT_US;

const DURATION = /^(\d+)(?:\.(\d+))?\s*(us|µs|ms|s|min|h)$/;

export function parseDuration(text: string | number): number {
  const written = String(text).trim();
  if (typeof text === 'number' && !Number.isFinite(text)) throw new DurationError(`${written} is not a duration`);
  if (written.startsWith('-')) throw new DurationError(`duration ${written} is negative`);
  if (/^\d+(\.\d+)?$/.test(written)) {
    if (Number(written) === 0) return 0;
    throw new DurationError(`duration ${written} needs a unit: us, ms, s, min or h`);
  }
  const match = DURATION.exec(written);
  if (!match) throw new DurationError(`'${written}' is not a duration; write it like 250us, 1.5ms, 2s, 1min or 1h`);
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  // Exact decimal arithmetic: float maths would turn 0.3s into 299999.99... µs.
  const perUnit = UNIT_US[match[3] as Unit];
  const scale = 10n ** BigInt(fraction.length);
  const scaled = BigInt(whole + fraction) * perUnit;
  if (scaled % scale !== 0n) throw new DurationError(`duration ${written} is not a whole number of microseconds`);
  const us = scaled / scale;
  if (us > BigInt(Number.MAX_SAFE_INTEGER)) throw new DurationError(`duration ${written} is too long`);
  return Number(us);
}

/** Shortest exact text for a duration: whole hours or minutes, else seconds, ms or µs with up to 3 decimals. */
export function formatDuration(us: number): string {
  if (!Number.isSafeInteger(us) || us < 0) throw new RangeError(`not a duration in microseconds: ${us}`);
  if (us === 0) return '0s';
  for (const unit of ['h', 'min'] as const) {
    const per = Number(UNIT_US[unit]);
    if (us % per === 0) return `${us / per}${unit}`;
  }
  for (const unit of ['s', 'ms'] as const) {
    const per = Number(UNIT_US[unit]);
    const thousandths = ((us % per) * 1000) / per;
    if (us >= per && Number.isInteger(thousandths)) {
      const decimals = String(thousandths).padStart(3, '0').replace(/0+$/, '');
      return `${Math.floor(us / per)}${decimals ? `.${decimals}` : ''}${unit}`;
    }
  }
  return `${us}us`;
}
