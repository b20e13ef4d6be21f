/**
 * One end's RTP session (RFC 3550) for the streams of a CPM Session: sends packets at each
 * stream's interval while its user talks, keeps reception statistics of every source it hears,
 * and sends compound RTCP reports (SR when it sent since the last report, else RR, with SDES CNAME)
 * at the interval of RFC 3550 6.2, randomised by 6.3.1 over [0.5, 1.5] of it, and a BYE when the
 * session ends (6.3.7).
 */
import type { RandomStream } from '../kernel/random.js';
import type { Simulator, Timer } from '../kernel/simulator.js';
import type { Micros } from '../kernel/time.js';
import { MAX_REPORTS, type MediaPacket, type RtcpPacket, type RtpPacket } from '../rtp/packet.js';
import { SourceStatistics } from '../rtp/statistics.js';
import type { NegotiatedStream } from './rtp-streams.js';

/** RFC 3550 6.2: the minimum interval between reports (the 5 s of the fixed minimum). */
export const RTCP_INTERVAL: Micros = 5_000_000;
/** RFC 3550 4: NTP time starts in 1900, 2,208,988,800 s before the Unix epoch. */
const NTP_UNIX_OFFSET = 2_208_988_800;

export interface RtpSessionPorts {
  sim: Simulator;
  /** The stream for SSRCs, initial sequence numbers and timestamps, and the RTCP interval. */
  rng(): RandomStream;
  send(toHost: string, packet: MediaPacket): void;
  /** Told when a stream first receives media (a client's user starts hearing it); a mixer has nobody to tell. */
  note?(text: string): void;
  cname: string;
  /** Wall-clock milliseconds of virtual time zero, for the NTP time of SRs. */
  epochMs: number;
}

interface Sender {
  ssrc: number;
  sequence: number;
  timestampBase: number;
  packets: number;
  octets: number;
  /** Sent since the last report: RFC 3550 6.4 says SR, else RR. */
  sentSinceReport: boolean;
  talkUntil: Micros;
  timer?: Timer;
}

interface Stream {
  spec: NegotiatedStream;
  sender: Sender;
  sources: Map<number, SourceStatistics>;
  /** The CSRCs of the mixed packets received (RFC 3550 7.1): who was mixed into them. */
  contributors: Set<number>;
  rtcp?: Timer;
}

export class RtpSession {
  private streams: Stream[] = [];
  private closed = false;

  constructor(private readonly ports: RtpSessionPorts) {}

  /** The streams as negotiated now (a modification keeps a stream that stays on its port). */
  setStreams(specs: readonly NegotiatedStream[]): void {
    const kept: Stream[] = [];
    for (const spec of specs) {
      const old = this.streams.find((s) => s.spec.localPort === spec.localPort && s.spec.type === spec.type);
      if (old !== undefined) {
        old.spec = spec;
        kept.push(old);
      } else kept.push(this.newStream(spec));
    }
    for (const s of this.streams) if (!kept.includes(s)) this.stop(s);
    this.streams = kept;
  }

  get localPorts(): readonly number[] {
    return this.streams.map((s) => s.spec.localPort);
  }

  /** Whether a packet to `port` (RTP or its RTCP port) is for one of these streams. */
  owns(port: number): boolean {
    return this.streams.some((s) => s.spec.localPort === port || s.spec.localPort + 1 === port);
  }

  /** The user talks for `duration`: every stream it may send on carries packets at its interval. */
  talk(duration: Micros, types?: readonly string[]): number {
    let started = 0;
    for (const s of this.streams) {
      if (s.spec.direction === 'recvonly' || s.spec.direction === 'inactive' || (types !== undefined && !types.includes(s.spec.type))) continue;
      started++;
      const until = this.ports.sim.now + duration;
      s.sender.talkUntil = Math.max(s.sender.talkUntil, until);
      if (s.sender.timer === undefined) this.tick(s, true);
    }
    return started;
  }

  /** The user stops talking at once (its floor was revoked, say). */
  silence(): void {
    for (const s of this.streams) {
      s.sender.talkUntil = this.ports.sim.now;
      s.sender.timer?.cancel();
      delete s.sender.timer;
    }
  }

  /** An RTP or RTCP packet to one of these streams' ports. */
  receive(packet: MediaPacket): void {
    const s = this.streams.find((x) => x.spec.localPort === packet.dstPort || x.spec.localPort + 1 === packet.dstPort);
    if (s === undefined || this.closed) return;
    const now = this.ports.sim.now;
    if (packet.type === 'rtp') {
      let source = s.sources.get(packet.ssrc);
      if (source === undefined) {
        if (s.sources.size === 0) {
          const mixed = packet.csrc.length === 0 ? '' : `, mixed from ${packet.csrc.length} contributing source${packet.csrc.length === 1 ? '' : 's'}`;
          this.ports.note?.(`receiving ${s.spec.type}: RTP payload type ${packet.payloadType}${mixed}`);
        }
        source = new SourceStatistics(packet.ssrc, packet.sequence, s.spec.clockRate);
        s.sources.set(packet.ssrc, source);
      }
      source.packet(packet.sequence, packet.timestamp, now);
      for (const c of packet.csrc) s.contributors.add(c);
      this.startReports(s);
      return;
    }
    if (packet.sender !== undefined) s.sources.get(packet.ssrc)?.senderReport(packet.sender.ntpSeconds, packet.sender.ntpFraction, now);
  }

  /** Packets received from every source on the stream of `type`, for the trace's notes. */
  received(type: string): number {
    let n = 0;
    for (const s of this.streams) if (s.spec.type === type) for (const src of s.sources.values()) n += src.packetsReceived;
    return n;
  }

  /** What each stream received, for the trace: packets, sources and the contributors mixed into them. */
  summary(): string[] {
    return this.streams.flatMap((s) => {
      let packets = 0;
      for (const src of s.sources.values()) packets += src.packetsReceived;
      if (packets === 0) return [];
      const mixed = s.contributors.size === 0 ? '' : `, mixed from ${s.contributors.size} contributing source${s.contributors.size === 1 ? '' : 's'} (CSRC)`;
      return [`${s.spec.type}: ${packets} RTP packet${packets === 1 ? '' : 's'} received from ${s.sources.size} source${s.sources.size === 1 ? '' : 's'}${mixed}`];
    });
  }

  /**
   * The streams of `types` end while the others go on (CPM 5.2.3.8.2: the focus stops forwarding
   * them after a failed modification): each that reported sends its last report with BYE (RFC 3550
   * 6.3.7), and what still arrives on their ports is no longer theirs.
   */
  withdraw(types: readonly string[]): void {
    const gone = this.streams.filter((s) => types.includes(s.spec.type));
    this.streams = this.streams.filter((s) => !gone.includes(s));
    for (const s of gone) {
      const reported = s.rtcp !== undefined;
      this.stop(s);
      if (reported && !this.closed) this.report(s, true);
    }
  }

  /** RFC 3550 6.3.7: the session ends: a last report with BYE on each stream that reported. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams) {
      const reported = s.rtcp !== undefined;
      this.stop(s);
      if (reported) this.report(s, true);
    }
  }

  private newStream(spec: NegotiatedStream): Stream {
    const rng = this.ports.rng();
    // RFC 3550 5.1 and 8.1: SSRC, first sequence number and timestamp are random.
    const ssrc = rng.int(0x10000) * 0x10000 + rng.int(0x10000);
    const sender: Sender = { ssrc, sequence: rng.int(0x10000), timestampBase: rng.int(0x10000) * 0x10000, packets: 0, octets: 0, sentSinceReport: false, talkUntil: 0 };
    return { spec, sender, sources: new Map(), contributors: new Set() };
  }

  /**
   * One packet now on the stream of `type`, naming `csrc` as its contributors: what a mixer sends
   * (RFC 3550 7.1). False when there is no such stream to send on.
   */
  send(type: string, csrc: readonly number[], marker: boolean): boolean {
    const s = this.streams.find((x) => x.spec.type === type && x.spec.direction !== 'recvonly' && x.spec.direction !== 'inactive');
    if (s === undefined || this.closed) return false;
    this.emit(s, marker, csrc);
    return true;
  }

  /** The SSRC this end sends with on the stream of `type`. */
  ssrcOf(type: string): number | undefined {
    return this.streams.find((x) => x.spec.type === type)?.sender.ssrc;
  }

  /** The stream of `type` as negotiated, if there is one. */
  stream(type: string): NegotiatedStream | undefined {
    return this.streams.find((x) => x.spec.type === type)?.spec;
  }

  private tick(s: Stream, first: boolean): void {
    const { sim } = this.ports;
    const sender = s.sender;
    delete sender.timer;
    if (this.closed || sim.now >= sender.talkUntil) return;
    this.emit(s, first, []);
    sender.timer = sim.schedule(s.spec.intervalMs * 1000, () => this.tick(s, false));
  }

  private emit(s: Stream, marker: boolean, csrc: readonly number[]): void {
    const { sim } = this.ports;
    const sender = s.sender;
    const packet: RtpPacket = {
      protocol: 'rtp',
      type: 'rtp',
      srcPort: s.spec.localPort,
      dstPort: s.spec.remotePort,
      payloadType: s.spec.payloadType,
      // RFC 3551 4.1: the first packet of a talkspurt.
      marker,
      sequence: sender.sequence,
      timestamp: this.timestampAt(s, sim.now),
      ssrc: sender.ssrc,
      csrc,
      payloadOctets: s.spec.payloadOctets,
    };
    sender.sequence = (sender.sequence + 1) & 0xffff;
    sender.packets++;
    sender.octets += s.spec.payloadOctets;
    sender.sentSinceReport = true;
    this.ports.send(s.spec.remoteHost, packet);
    this.startReports(s);
  }

  /** RFC 3550 5.1: the sampling instant in the stream's clock, advancing with virtual time. */
  private timestampAt(s: Stream, at: Micros): number {
    return (s.sender.timestampBase + Math.floor((at * s.spec.clockRate) / 1_000_000)) >>> 0;
  }

  private startReports(s: Stream): void {
    if (s.rtcp !== undefined || this.closed) return;
    s.rtcp = this.ports.sim.schedule(this.nextInterval(), () => this.periodic(s));
  }

  private periodic(s: Stream): void {
    this.report(s, false);
    s.rtcp = this.ports.sim.schedule(this.nextInterval(), () => this.periodic(s));
  }

  /** RFC 3550 6.3.1: the interval times a random factor in [0.5, 1.5]. */
  private nextInterval(): Micros {
    return Math.floor(RTCP_INTERVAL * (0.5 + this.ports.rng().next()));
  }

  private report(s: Stream, bye: boolean): void {
    const now = this.ports.sim.now;
    const sender = s.sender;
    const reports = [...s.sources.values()].slice(0, MAX_REPORTS).map((src) => src.report(now));
    const wallUs = this.ports.epochMs * 1000 + now;
    const packet: RtcpPacket = {
      protocol: 'rtp',
      type: 'rtcp',
      srcPort: s.spec.localPort + 1,
      dstPort: s.spec.remotePort + 1,
      ssrc: sender.ssrc,
      ...(sender.sentSinceReport
        ? {
            sender: {
              ntpSeconds: Math.floor(wallUs / 1_000_000) + NTP_UNIX_OFFSET,
              ntpFraction: Math.floor(((wallUs % 1_000_000) * 2 ** 32) / 1_000_000),
              rtpTimestamp: this.timestampAt(s, now),
              packets: sender.packets,
              octets: sender.octets,
            },
          }
        : {}),
      reports,
      cname: this.ports.cname,
      ...(bye ? { bye: true } : {}),
    };
    sender.sentSinceReport = false;
    this.ports.send(s.spec.remoteHost, packet);
  }

  private stop(s: Stream): void {
    s.sender.timer?.cancel();
    delete s.sender.timer;
    s.rtcp?.cancel();
    delete s.rtcp;
  }
}
