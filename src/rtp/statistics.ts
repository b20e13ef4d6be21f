/**
 * What a receiver keeps of each source it hears (RFC 3550 A.1, A.3, A.8), to fill its reception
 * report blocks: extended highest sequence number, packets expected and lost, the fraction lost
 * since the last report, and the interarrival jitter. Sources are taken as valid from their first
 * packet (no probation, A.1): the simulated network does not invent sources.
 */
import type { ReportBlock } from './packet.js';

const RTP_SEQ_MOD = 1 << 16;
/** RFC 3550 A.1: jumps larger than this are a restarted source, smaller ones reordering. */
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;

export class SourceStatistics {
  private maxSeq: number;
  private cycles = 0;
  private readonly baseSeq: number;
  private received = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private transit: number | undefined;
  private jitterQ4 = 0;
  /** The middle 32 bits of the last SR's NTP time, and when (µs) it arrived. */
  private lastSr: { ntp: number; at: number } | undefined;

  constructor(
    readonly ssrc: number,
    firstSequence: number,
    private readonly clockRate: number,
  ) {
    this.baseSeq = firstSequence;
    this.maxSeq = (firstSequence - 1 + RTP_SEQ_MOD) % RTP_SEQ_MOD;
  }

  /** A.1 and A.8: a packet with this sequence number and timestamp arrived at `at` (µs). */
  packet(sequence: number, timestamp: number, at: number): void {
    const delta = (sequence - this.maxSeq + RTP_SEQ_MOD) % RTP_SEQ_MOD;
    if (delta < MAX_DROPOUT) {
      if (sequence < this.maxSeq) this.cycles += RTP_SEQ_MOD;
      this.maxSeq = sequence;
    } else if (delta <= RTP_SEQ_MOD - MAX_MISORDER) {
      // A.1 would resynchronise after two such packets; a simulated source never jumps.
      return;
    }
    this.received++;
    const arrival = Math.floor((at * this.clockRate) / 1_000_000);
    const transit = arrival - timestamp;
    if (this.transit !== undefined) {
      const d = Math.abs(transit - this.transit);
      // A.8: J += (|D| - J) / 16, kept scaled by 16 in integers.
      this.jitterQ4 += d - ((this.jitterQ4 + 8) >> 4);
    }
    this.transit = transit;
  }

  /** A sender report from this source arrived at `at`: its NTP time is echoed in LSR (6.4.1). */
  senderReport(ntpSeconds: number, ntpFraction: number, at: number): void {
    this.lastSr = { ntp: (((ntpSeconds & 0xffff) << 16) | (ntpFraction >>> 16)) >>> 0, at };
  }

  get packetsReceived(): number {
    return this.received;
  }

  /** A.3: the report block at `at`, which starts the next reporting interval. */
  report(at: number): ReportBlock {
    const extendedMax = this.cycles + this.maxSeq;
    const expected = extendedMax - this.baseSeq + 1;
    const lost = expected - this.received;
    const expectedInterval = expected - this.expectedPrior;
    const lostInterval = expectedInterval - (this.received - this.receivedPrior);
    this.expectedPrior = expected;
    this.receivedPrior = this.received;
    return {
      ssrc: this.ssrc,
      fractionLost: expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval << 8) / expectedInterval),
      cumulativeLost: lost,
      highestSequence: extendedMax >>> 0,
      jitter: this.jitterQ4 >> 4,
      lastSr: this.lastSr?.ntp ?? 0,
      // 6.4.1: DLSR in units of 1/65536 s.
      delaySinceLastSr: this.lastSr === undefined ? 0 : Math.floor(((at - this.lastSr.at) * 65536) / 1_000_000),
    };
  }
}
