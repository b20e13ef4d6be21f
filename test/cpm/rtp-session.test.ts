import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/kernel/simulator.js';
import { RandomStreams } from '../../src/kernel/random.js';
import { RtpSession } from '../../src/cpm/rtp-session.js';
import type { NegotiatedStream } from '../../src/cpm/rtp-streams.js';
import type { MediaPacket, RtcpPacket } from '../../src/rtp/packet.js';

const audio = (localPort: number, remotePort: number, remoteHost: string): NegotiatedStream => ({
  type: 'audio',
  localPort,
  remoteHost,
  remotePort,
  payloadType: 0,
  clockRate: 8000,
  intervalMs: 20,
  payloadOctets: 160,
  direction: 'sendrecv',
});

/** Alice talks to Bob over a path that loses every tenth packet and delays every other one by 5 ms more. */
function pair(): { sim: Simulator; alice: RtpSession; bob: RtpSession; toAlice: RtcpPacket[]; sent: MediaPacket[] } {
  const sim = new Simulator();
  const streams = new RandomStreams(1);
  const toAlice: RtcpPacket[] = [];
  const sent: MediaPacket[] = [];
  let n = 0;
  const bob = new RtpSession({ sim, rng: () => streams.stream('bob/rtp'), cname: 'bob@b', epochMs: 0, send: (_to, p) => (p.type === 'rtcp' ? toAlice.push(p) : undefined) });
  const alice = new RtpSession({
    sim,
    rng: () => streams.stream('alice/rtp'),
    cname: 'alice@a',
    epochMs: 0,
    send: (_to, p) => {
      sent.push(p);
      if (p.type === 'rtp' && ++n % 10 === 0) return;
      const delay = p.type === 'rtp' && n % 2 === 0 ? 6_000 : 1_000;
      sim.schedule(delay, () => bob.receive(p));
    },
  });
  alice.setStreams([audio(49170, 49174, 'b')]);
  bob.setStreams([audio(49174, 49170, 'a')]);
  return { sim, alice, bob, toAlice, sent };
}

describe('an RTP session (RFC 3550)', () => {
  it('sends one packet per interval while talking, the first marked, with consecutive sequence numbers and timestamps 160 apart', () => {
    const { sim, alice, sent } = pair();
    sim.at(0, () => alice.talk(100_000));
    sim.run({ until: 1_000_000 });
    const rtp = sent.filter((p) => p.type === 'rtp');
    expect(rtp).toHaveLength(5);
    expect(rtp.map((p) => p.marker)).toEqual([true, false, false, false, false]);
    expect(rtp.map((p) => (p.sequence - rtp[0]!.sequence) & 0xffff)).toEqual([0, 1, 2, 3, 4]);
    expect(rtp.map((p) => (p.timestamp - rtp[0]!.timestamp) >>> 0)).toEqual([0, 160, 320, 480, 640]);
  });

  it("reports the path's loss and jitter in the receiver's reports, and the sender's counts in its SR", () => {
    const { sim, alice, bob, toAlice, sent } = pair();
    sim.at(0, () => alice.talk(20_000_000));
    sim.at(20_500_000, () => {
      alice.close();
      bob.close();
    });
    sim.run({ until: 30_000_000 });
    const reports = toAlice.flatMap((p) => p.reports);
    const last = reports.at(-1)!;
    // 1,000 packets sent, every tenth lost; the last one is among them, and a receiver counts only
    // up to the highest sequence number it saw (A.3): 99 of 999.
    expect(last.cumulativeLost).toBe(99);
    // Each interval lost about a tenth: 256/10, give or take a packet at the interval's edges.
    expect(reports.every((r) => r.fractionLost >= 20 && r.fractionLost <= 32)).toBe(true);
    // Every other packet 5 ms (40 units) later than its neighbours: J tends to 40.
    expect(last.jitter).toBeGreaterThan(30);
    expect(last.jitter).toBeLessThanOrEqual(40);
    const sr = sent.filter((p): p is RtcpPacket => p.type === 'rtcp' && p.sender !== undefined).at(-1)!;
    expect(sr.sender).toMatchObject({ packets: 1000, octets: 160_000 });
    // RFC 3550 6.2 and 6.3.1: reports 2.5 to 7.5 s apart.
    expect(toAlice.length).toBeGreaterThanOrEqual(3);
  });
});
