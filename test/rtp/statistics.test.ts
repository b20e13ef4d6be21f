import { describe, expect, it } from 'vitest';
import { SourceStatistics } from '../../src/rtp/statistics.js';

/** 8 kHz, 20 ms a packet: 160 timestamp units. */
const STEP = 160;

describe('reception statistics (RFC 3550 A.3, A.8)', () => {
  it('counts the packets lost, the fraction of the interval and wraps the sequence number', () => {
    const s = new SourceStatistics(1, 65530, 8000);
    const seqs = [65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3].filter((q) => q !== 65533 && q !== 1);
    for (const q of seqs) s.packet(q, 0, 0);
    const r = s.report(0);
    // 10 expected, 8 received; the extended highest sequence number counts one cycle.
    expect(r).toMatchObject({ cumulativeLost: 2, fractionLost: Math.floor((2 * 256) / 10), highestSequence: 65536 + 3 });
    // The next interval starts afresh: nothing lost since.
    s.packet(4, 0, 0);
    expect(s.report(0).fractionLost).toBe(0);
  });

  it('has no jitter on a constant delay and estimates J += (|D| - J) / 16 otherwise', () => {
    const steady = new SourceStatistics(1, 0, 8000);
    for (let i = 0; i < 50; i++) steady.packet(i, i * STEP, i * 20_000 + 5_000);
    expect(steady.report(0).jitter).toBe(0);
    // Every other packet 10 ms late: |D| = 80 units each time, so J tends to 80.
    const jittery = new SourceStatistics(1, 0, 8000);
    for (let i = 0; i < 400; i++) jittery.packet(i, i * STEP, i * 20_000 + (i % 2) * 10_000);
    expect(jittery.report(0).jitter).toBeGreaterThanOrEqual(78);
    expect(jittery.report(0).jitter).toBeLessThanOrEqual(80);
  });

  it('echoes the last SR and the delay since it in 1/65536 s (6.4.1)', () => {
    const s = new SourceStatistics(1, 0, 8000);
    s.packet(0, 0, 0);
    s.senderReport(0x0001_2345, 0x6789_0000, 1_000_000);
    expect(s.report(1_500_000)).toMatchObject({ lastSr: 0x2345_6789, delaySinceLastSr: 32768 });
  });
});
