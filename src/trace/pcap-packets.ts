/** IPv4, UDP and TCP packets as they appear on the wire, checksums included. */
import { Buffer } from 'node:buffer';

export const PROTOCOL_TCP = 6;
export const PROTOCOL_UDP = 17;

/** The control bits of a TCP header (RFC 9293 3.1) that these captures use. */
export const TCP_FLAGS = { FIN: 0x01, SYN: 0x02, PSH: 0x08, ACK: 0x10 } as const;

/** An IPv4 address as its four octets. */
export type Ipv4 = readonly [number, number, number, number];

export function formatIpv4(ip: Ipv4): string {
  return ip.join('.');
}

const IPV4_HEADER = 20;
const UDP_HEADER = 8;
const TCP_HEADER = 20;
/** Hosts are generic Linux-like stacks: a common default TTL. */
const TTL = 64;

/**
 * The Internet checksum (RFC 1071): one's complement of the one's complement sum of the 16-bit
 * words, an odd trailing octet padded with zero. Summing a header that holds its own correct
 * checksum gives 0, which is how a receiver (and our tests) verify it.
 */
export function internetChecksum(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < data.length; i += 2) sum += ((data[i] ?? 0) << 8) | (data[i + 1] ?? 0);
  if (data.length % 2 === 1) sum += (data[data.length - 1] ?? 0) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/**
 * RFC 791 3.1 header without options. Every datagram here fits the 1500-octet path MTU (UDP only
 * carries what RFC 3261 18.1.1 allows, TCP segments respect the MSS), so DF is set and the
 * identification is only a per-sender counter (RFC 6864 4.1: it has no meaning for atomic datagrams).
 */
export function ipv4Packet(src: Ipv4, dst: Ipv4, protocol: number, id: number, payload: Uint8Array): Buffer {
  const packet = Buffer.alloc(IPV4_HEADER + payload.length);
  packet.writeUInt8(0x45, 0); // version 4, IHL 5 words
  packet.writeUInt8(0, 1); // type of service: routine
  packet.writeUInt16BE(packet.length, 2);
  packet.writeUInt16BE(id & 0xffff, 4);
  packet.writeUInt16BE(0x4000, 6); // flags: DF; fragment offset 0
  packet.writeUInt8(TTL, 8);
  packet.writeUInt8(protocol, 9);
  packet.set(src, 12);
  packet.set(dst, 16);
  packet.writeUInt16BE(internetChecksum(packet.subarray(0, IPV4_HEADER)), 10);
  packet.set(payload, IPV4_HEADER);
  return packet;
}

/** The pseudo-header UDP and TCP checksums cover (RFC 768, RFC 9293 3.1), followed by the segment. */
function withPseudoHeader(src: Ipv4, dst: Ipv4, protocol: number, segment: Uint8Array): Buffer {
  const pseudo = Buffer.alloc(12);
  pseudo.set(src, 0);
  pseudo.set(dst, 4);
  pseudo.writeUInt8(protocol, 9);
  pseudo.writeUInt16BE(segment.length, 10);
  return Buffer.concat([pseudo, segment]);
}

/** RFC 768 datagram; a computed checksum of 0 is sent as all ones, since 0 means "none". */
export function udpDatagram(src: Ipv4, dst: Ipv4, srcPort: number, dstPort: number, payload: Uint8Array): Buffer {
  const datagram = Buffer.alloc(UDP_HEADER + payload.length);
  datagram.writeUInt16BE(srcPort, 0);
  datagram.writeUInt16BE(dstPort, 2);
  datagram.writeUInt16BE(datagram.length, 4);
  datagram.set(payload, UDP_HEADER);
  const sum = internetChecksum(withPseudoHeader(src, dst, PROTOCOL_UDP, datagram));
  datagram.writeUInt16BE(sum === 0 ? 0xffff : sum, 6);
  return datagram;
}

export interface TcpHeader {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** An OR of TCP_FLAGS. */
  flags: number;
  window: number;
  /** Encoded options, a multiple of 4 octets (RFC 9293 3.1: the data offset counts 32-bit words). */
  options?: Uint8Array;
}

/** RFC 9293 3.1 segment; the acknowledgment field is only meaningful, so only filled, with ACK set. */
export function tcpSegment(src: Ipv4, dst: Ipv4, header: TcpHeader, payload: Uint8Array): Buffer {
  const options = header.options ?? new Uint8Array(0);
  if (options.length % 4 !== 0) throw new Error('TCP options must be padded to a multiple of 4 octets');
  const headerLength = TCP_HEADER + options.length;
  const segment = Buffer.alloc(headerLength + payload.length);
  segment.writeUInt16BE(header.srcPort, 0);
  segment.writeUInt16BE(header.dstPort, 2);
  segment.writeUInt32BE(header.seq >>> 0, 4);
  segment.writeUInt32BE((header.flags & TCP_FLAGS.ACK) === 0 ? 0 : header.ack >>> 0, 8);
  segment.writeUInt8((headerLength / 4) << 4, 12);
  segment.writeUInt8(header.flags, 13);
  segment.writeUInt16BE(header.window, 14);
  segment.set(options, TCP_HEADER);
  segment.set(payload, headerLength);
  segment.writeUInt16BE(internetChecksum(withPseudoHeader(src, dst, PROTOCOL_TCP, segment)), 16);
  return segment;
}

/**
 * Options of a SYN: the MSS (RFC 9293 3.7.1) and a window scale (RFC 7323 2.2), a NOP before the
 * 3-octet window scale so the options end on a 32-bit boundary.
 */
export function synOptions(mss: number, windowShift: number): Uint8Array {
  const options = Buffer.alloc(8);
  options.writeUInt8(2, 0); // kind: maximum segment size
  options.writeUInt8(4, 1);
  options.writeUInt16BE(mss, 2);
  options.writeUInt8(1, 4); // NOP
  options.writeUInt8(3, 5); // kind: window scale
  options.writeUInt8(3, 6);
  options.writeUInt8(windowShift, 7);
  return options;
}
