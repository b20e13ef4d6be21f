/**
 * IPv4, UDP and TCP packets as on the wire (src/trace/pcap-packets.ts), checked against the RFCs:
 * the Internet checksum of RFC 1071 (with its own worked example), the IPv4 header of RFC 791 3.1,
 * the UDP datagram of RFC 768, the TCP segment and SYN options of RFC 9293 3.1 and RFC 7323 2.2.
 */
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { formatIpv4, internetChecksum, ipv4Packet, PROTOCOL_TCP, PROTOCOL_UDP, synOptions, TCP_FLAGS, tcpSegment, udpDatagram, type Ipv4 } from '../../src/trace/pcap-packets.js';
import { onesSum } from './fixtures.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const A: Ipv4 = [10, 1, 0, 1];
const B: Ipv4 = [10, 2, 0, 7];

/** The 12-octet pseudo-header of RFC 768 and RFC 9293 3.1, written out from the RFCs. */
function pseudo(src: Ipv4, dst: Ipv4, protocol: number, length: number): Buffer {
  return Buffer.from([...src, ...dst, 0, protocol, length >> 8, length & 0xff]);
}

describe('internetChecksum (RFC 1071)', () => {
  it('gives the RFC\'s worked example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2, checksum 220d (RFC 1071 3)', () => {
    expect(internetChecksum(Buffer.from('0001f203f4f5f6f7', 'hex'))).toBe(0x220d);
  });

  it('pads an odd trailing octet with zero on the right', () => {
    expect(internetChecksum(Buffer.from([0x01]))).toBe(0xfeff);
    expect(internetChecksum(Buffer.from('0001f203f4f5f6f7ab', 'hex'))).toBe(~(0xddf2 + 0xab00 - 0xffff) & 0xffff);
    expect(internetChecksum(Buffer.from('ab', 'hex'))).toBe(internetChecksum(Buffer.from('ab00', 'hex')));
  });

  it('folds every carry back in, and complements the sum', () => {
    expect(internetChecksum(new Uint8Array(0))).toBe(0xffff);
    expect(internetChecksum(Buffer.from('ffff', 'hex'))).toBe(0);
    // ffff + 0001 = 1 0000, folded 0001: checksum fffe.
    expect(internetChecksum(Buffer.from('ffff0001', 'hex'))).toBe(0xfffe);
    // 3 × ffff = 2 fffd, folded fffd + 2 = ffff: checksum 0.
    expect(internetChecksum(Buffer.from('ffffffffffff', 'hex'))).toBe(0);
    // 600 words of 8000: 12c 0000, a carry of several bits, folded 012c.
    expect(internetChecksum(Buffer.alloc(1200, 0).fill(Buffer.from('8000', 'hex')))).toBe(~0x12c & 0xffff);
    // ffff + ffff + 0001 = 1 ffff, folded 1 0000, which needs a second fold: 0001.
    expect(internetChecksum(Buffer.from('ffffffff0001', 'hex'))).toBe(0xfffe);
  });

  it('makes a buffer holding its own checksum sum to ffff, which is how a receiver checks it', () => {
    const data = Buffer.from('4500007300004000401100000a0100010a020007', 'hex');
    data.writeUInt16BE(internetChecksum(data), 10);
    expect(onesSum(data)).toBe(0xffff);
  });
});

describe('ipv4Packet (RFC 791 3.1)', () => {
  it('writes the well-known example header byte for byte, checksum b861', () => {
    // 192.168.0.1 -> 192.168.0.199, UDP, total length 0x73, identification 0, DF, TTL 64.
    const packet = ipv4Packet([192, 168, 0, 1], [192, 168, 0, 199], PROTOCOL_UDP, 0, new Uint8Array(0x73 - 20));
    expect(hex(packet.subarray(0, 20))).toBe('45000073000040004011b861c0a80001c0a800c7');
    expect(packet.length).toBe(0x73);
  });

  it('carries the payload after the header, the identification mod 2^16 and the protocol number', () => {
    const packet = ipv4Packet(A, B, PROTOCOL_TCP, 0x1_abcd, Buffer.from('abc'));
    expect(packet.subarray(20).toString()).toBe('abc');
    expect([packet.readUInt16BE(2), packet.readUInt16BE(4), packet[9]]).toEqual([23, 0xabcd, 6]);
    expect(onesSum(packet.subarray(0, 20))).toBe(0xffff);
    expect([...packet.subarray(12, 20)]).toEqual([...A, ...B]);
  });
});

describe('udpDatagram (RFC 768)', () => {
  it('writes ports, length and a checksum over the pseudo-header', () => {
    const d = udpDatagram(A, B, 5060, 5061, Buffer.from('hello'));
    expect([d.readUInt16BE(0), d.readUInt16BE(2), d.readUInt16BE(4)]).toEqual([5060, 5061, 13]);
    expect(d.subarray(8).toString()).toBe('hello');
    expect(onesSum(pseudo(A, B, 17, 13), d)).toBe(0xffff);
  });

  it('sends a computed checksum of zero as ffff, since zero means none', () => {
    // With a zero payload word the checksum is c; a payload word of c then makes the sum ffff, the checksum 0.
    const c = udpDatagram(A, B, 1, 2, Buffer.alloc(2)).readUInt16BE(6);
    const d = udpDatagram(A, B, 1, 2, Buffer.from([c >> 8, c & 0xff]));
    expect(d.readUInt16BE(6)).toBe(0xffff);
    expect(onesSum(pseudo(A, B, 17, 10), d)).toBe(0xffff);
  });
});

describe('tcpSegment (RFC 9293 3.1)', () => {
  it('writes ports, sequence and acknowledgment numbers, data offset, flags, window and checksum', () => {
    const s = tcpSegment(A, B, { srcPort: 49152, dstPort: 2855, seq: 0xfffffffe, ack: 7, flags: TCP_FLAGS.PSH | TCP_FLAGS.ACK, window: 0xffff }, Buffer.from('MSRP'));
    expect(s.length).toBe(24);
    expect([s.readUInt16BE(0), s.readUInt16BE(2), s.readUInt32BE(4), s.readUInt32BE(8), s[12], s[13], s.readUInt16BE(14), s.readUInt16BE(18)]).toEqual([49152, 2855, 0xfffffffe, 7, 5 << 4, 0x18, 0xffff, 0]);
    expect(s.subarray(20).toString()).toBe('MSRP');
    expect(onesSum(pseudo(A, B, 6, 24), s)).toBe(0xffff);
  });

  it('leaves the acknowledgment field zero without ACK, and takes sequence numbers mod 2^32', () => {
    const s = tcpSegment(A, B, { srcPort: 1, dstPort: 2, seq: 2 ** 32 + 3, ack: 99, flags: TCP_FLAGS.SYN, window: 1 }, new Uint8Array(0));
    expect([s.readUInt32BE(4), s.readUInt32BE(8), s[13]]).toEqual([3, 0, 0x02]);
  });

  it('counts options in the data offset, and refuses options not padded to 32 bits', () => {
    const s = tcpSegment(A, B, { srcPort: 1, dstPort: 2, seq: 0, ack: 0, flags: TCP_FLAGS.SYN, window: 1, options: synOptions(1460, 7) }, Buffer.from('x'));
    expect(s[12]).toBe(7 << 4);
    expect(s.length).toBe(29);
    expect(hex(s.subarray(20, 28))).toBe('020405b401030307');
    expect(s.subarray(28).toString()).toBe('x');
    expect(onesSum(pseudo(A, B, 6, 29), s)).toBe(0xffff);
    expect(() => tcpSegment(A, B, { srcPort: 1, dstPort: 2, seq: 0, ack: 0, flags: 0, window: 1, options: new Uint8Array(3) }, new Uint8Array(0))).toThrow('TCP options must be padded to a multiple of 4 octets');
    expect(() => tcpSegment(A, B, { srcPort: 1, dstPort: 2, seq: 0, ack: 0, flags: 0, window: 1, options: new Uint8Array(2) }, new Uint8Array(0))).toThrow('multiple of 4');
  });

  it('has the flag bits of RFC 9293 3.1', () => {
    expect(TCP_FLAGS).toEqual({ FIN: 0x01, SYN: 0x02, PSH: 0x08, ACK: 0x10 });
    expect([PROTOCOL_TCP, PROTOCOL_UDP]).toEqual([6, 17]);
  });
});

describe('synOptions', () => {
  it('encodes MSS (kind 2, length 4), a NOP, and the window scale (kind 3, length 3)', () => {
    expect(hex(synOptions(1460, 7))).toBe('020405b401030307');
    expect(hex(synOptions(536, 0))).toBe('0204021801030300');
  });
});

describe('formatIpv4', () => {
  it('writes the dotted quad', () => {
    expect(formatIpv4([192, 0, 2, 255])).toBe('192.0.2.255');
  });
});
