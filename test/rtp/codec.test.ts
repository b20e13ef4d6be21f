import { describe, expect, it } from 'vitest';
import { decodeRtcp, decodeRtcpPacket, decodeRtp, encodeRtcp, encodeRtp, RTCP_BYE, RTCP_RR, RTCP_SDES, RTCP_SR } from '../../src/rtp/codec.js';
import type { RtcpPacket, RtpPacket } from '../../src/rtp/packet.js';

const packet: RtpPacket = { protocol: 'rtp', type: 'rtp', srcPort: 49170, dstPort: 49174, payloadType: 0, marker: true, sequence: 65535, timestamp: 0xfffffff0, ssrc: 0xdeadbeef, csrc: [1, 2], payloadOctets: 160 };

describe('RTP header (RFC 3550 5.1)', () => {
  it('writes version 2, CC, M and PT, sequence, timestamp, SSRC and the CSRC list in network order', () => {
    const octets = encodeRtp(packet);
    expect(octets.length).toBe(12 + 8 + 160);
    expect(octets[0]).toBe(0x82); // V=2, P=0, X=0, CC=2
    expect(octets[1]).toBe(0x80); // M=1, PT=0
    expect([...octets.subarray(2, 12)]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xf0, 0xde, 0xad, 0xbe, 0xef]);
    expect([...octets.subarray(12, 20)]).toEqual([0, 0, 0, 1, 0, 0, 0, 2]);
    // RFC 3551: PCMU silence.
    expect(octets[20]).toBe(0xff);
    expect(decodeRtp(octets, { srcPort: 49170, dstPort: 49174 })).toEqual(packet);
  });

  it('refuses more than 15 contributing sources', () => {
    expect(() => encodeRtp({ ...packet, csrc: Array.from({ length: 16 }, (_, i) => i) })).toThrow(/at most 15/);
  });
});

describe('compound RTCP (RFC 3550 6.1, 6.4, 6.5, 6.6)', () => {
  const block = { ssrc: 7, fractionLost: 51, cumulativeLost: -1, highestSequence: 70000, jitter: 12, lastSr: 0x12345678, delaySinceLastSr: 65536 };
  const report: RtcpPacket = { protocol: 'rtp', type: 'rtcp', srcPort: 49171, dstPort: 49175, ssrc: 9, sender: { ntpSeconds: 3_421_000_000, ntpFraction: 1 << 31, rtpTimestamp: 5, packets: 3, octets: 480 }, reports: [block], cname: 'alice@phone.alice.a.example', bye: true };

  it('is an SR with its block, an SDES with the CNAME padded to a word, and a BYE', () => {
    const octets = encodeRtcp(report);
    expect(octets.length % 4).toBe(0);
    const parts = decodeRtcp(octets);
    expect(parts.map((p) => p.type)).toEqual([RTCP_SR, RTCP_SDES, RTCP_BYE]);
    expect(parts[0]).toMatchObject({ count: 1, ssrc: 9, sender: { packets: 3, octets: 480 }, reports: [block] });
    // SR: 4 header + 24 sender info + 24 block = 52 octets, length 12 words.
    expect(octets[2]! * 256 + octets[3]!).toBe(12);
  });

  it('is an RR when the source sent nothing since its last report', () => {
    const { sender: _sender, bye: _bye, ...rr } = report;
    expect(decodeRtcp(encodeRtcp(rr)).map((p) => p.type)).toEqual([RTCP_RR, RTCP_SDES]);
  });
});

describe('decoding refuses what is not RTP or RTCP with its own error', () => {
  it('a truncated header or report', () => {
    expect(() => decodeRtp(new Uint8Array([0x80, 0, 0]), { srcPort: 1, dstPort: 2 })).toThrow(/not an RTP version 2 packet/);
    // An RR that claims one report block but has none.
    expect(() => decodeRtcp(new Uint8Array([0x81, 201, 0, 1, 0, 0, 0, 1]))).toThrow(/run past/);
  });
});

describe('a compound RTCP datagram read back into the network\'s packet (RFC 3550 6.1)', () => {
  const ports = { srcPort: 30001, dstPort: 49171 };
  it('an SR with report blocks, SDES CNAME and BYE reads back as it was written', () => {
    const sr: RtcpPacket = { protocol: 'rtp', type: 'rtcp', ...ports, ssrc: 7, sender: { ntpSeconds: 3_900_000_000, ntpFraction: 123, rtpTimestamp: 160, packets: 5, octets: 800 }, reports: [{ ssrc: 9, fractionLost: 1, cumulativeLost: -2, highestSequence: 70000, jitter: 12, lastSr: 3, delaySinceLastSr: 4 }], cname: 'alice@127.0.0.1', bye: true };
    expect(decodeRtcpPacket(encodeRtcp(sr), ports)).toEqual(sr);
  });

  it('an RR without BYE too; a datagram that does not start with SR or RR (an APP keep-alive) is refused', () => {
    const rr: RtcpPacket = { protocol: 'rtp', type: 'rtcp', ...ports, ssrc: 7, reports: [], cname: 'bob@b.example' };
    expect(decodeRtcpPacket(encodeRtcp(rr), ports)).toEqual(rr);
    const app = new Uint8Array([0x80, 204, 0, 3, 0, 0, 0, 7, 0x50, 0x49, 0x4e, 0x47, 0x50, 0x4f, 0x4e, 0x47]);
    expect(() => decodeRtcpPacket(app, ports)).toThrow(/starts with an SR or RR/);
  });
});
