/**
 * RTP and RTCP on the wire (RFC 3550 5.1, 6.4, 6.5, 6.6): the 12-octet RTP header with its CSRC
 * list, and compound RTCP packets of 32-bit words. The payload of an RTP packet is written as
 * octets of silence, since only its size is modelled; RFC 3551 gives PCMU's silence as 0xFF.
 */
import { Buffer } from 'node:buffer';
import { MAX_CSRC, MAX_REPORTS, type RtcpPacket, type ReportBlock, type RtpPacket } from './packet.js';

const VERSION = 2;
/** RFC 3550 12.1: RTCP packet types. */
export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
const SDES_CNAME = 1;
/** RFC 3551 6: payload type 0 is PCMU, whose zero level is encoded as 0xFF. */
const PCMU = 0;

export class RtpCodecError extends Error {}

export function encodeRtp(p: RtpPacket): Uint8Array {
  if (p.csrc.length > MAX_CSRC) throw new RtpCodecError(`an RTP packet names at most ${MAX_CSRC} contributing sources`);
  const header = 12 + 4 * p.csrc.length;
  const out = Buffer.alloc(header + p.payloadOctets, p.payloadType === PCMU ? 0xff : 0);
  out[0] = (VERSION << 6) | p.csrc.length;
  out[1] = (p.marker ? 0x80 : 0) | (p.payloadType & 0x7f);
  out.writeUInt16BE(p.sequence & 0xffff, 2);
  out.writeUInt32BE(p.timestamp >>> 0, 4);
  out.writeUInt32BE(p.ssrc >>> 0, 8);
  p.csrc.forEach((c, i) => out.writeUInt32BE(c >>> 0, 12 + 4 * i));
  return out;
}

export function decodeRtp(octets: Uint8Array, ports: { srcPort: number; dstPort: number }): RtpPacket {
  const b = Buffer.from(octets.buffer, octets.byteOffset, octets.byteLength);
  if (b.length < 12 || b[0]! >> 6 !== VERSION) throw new RtpCodecError('not an RTP version 2 packet');
  const count = b[0]! & 0x0f;
  if (b.length < 12 + 4 * count) throw new RtpCodecError('RTP header shorter than its CSRC count');
  return {
    protocol: 'rtp',
    type: 'rtp',
    ...ports,
    marker: (b[1]! & 0x80) !== 0,
    payloadType: b[1]! & 0x7f,
    sequence: b.readUInt16BE(2),
    timestamp: b.readUInt32BE(4),
    ssrc: b.readUInt32BE(8),
    csrc: Array.from({ length: count }, (_, i) => b.readUInt32BE(12 + 4 * i)),
    payloadOctets: b.length - 12 - 4 * count,
  };
}

/** RFC 3550 6.1: SR or RR, SDES with the CNAME, and BYE when leaving, in one datagram. */
export function encodeRtcp(p: RtcpPacket): Uint8Array {
  if (p.reports.length > MAX_REPORTS) throw new RtcpCodecLimit();
  const parts: Buffer[] = [];
  const blocks = Buffer.concat(p.reports.map(reportBlock));
  if (p.sender !== undefined) {
    const body = Buffer.alloc(24);
    body.writeUInt32BE(p.ssrc >>> 0, 0);
    body.writeUInt32BE(p.sender.ntpSeconds >>> 0, 4);
    body.writeUInt32BE(p.sender.ntpFraction >>> 0, 8);
    body.writeUInt32BE(p.sender.rtpTimestamp >>> 0, 12);
    body.writeUInt32BE(p.sender.packets >>> 0, 16);
    body.writeUInt32BE(p.sender.octets >>> 0, 20);
    parts.push(rtcpHeader(p.reports.length, RTCP_SR, Buffer.concat([body, blocks])));
  } else {
    const ssrc = Buffer.alloc(4);
    ssrc.writeUInt32BE(p.ssrc >>> 0, 0);
    parts.push(rtcpHeader(p.reports.length, RTCP_RR, Buffer.concat([ssrc, blocks])));
  }
  parts.push(rtcpHeader(1, RTCP_SDES, sdesChunk(p.ssrc, p.cname)));
  if (p.bye === true) {
    const ssrc = Buffer.alloc(4);
    ssrc.writeUInt32BE(p.ssrc >>> 0, 0);
    parts.push(rtcpHeader(1, RTCP_BYE, ssrc));
  }
  return Buffer.concat(parts);
}

class RtcpCodecLimit extends RtpCodecError {
  constructor() {
    super(`an RTCP report names at most ${MAX_REPORTS} sources`);
  }
}

/** RFC 3550 6.4.1: V=2, no padding, the count, the type, and the length in words minus one. */
function rtcpHeader(count: number, type: number, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head[0] = (VERSION << 6) | count;
  head[1] = type;
  head.writeUInt16BE(body.length / 4, 2);
  return Buffer.concat([head, body]);
}

function reportBlock(r: ReportBlock): Buffer {
  const out = Buffer.alloc(24);
  out.writeUInt32BE(r.ssrc >>> 0, 0);
  out[4] = r.fractionLost & 0xff;
  out.writeIntBE(Math.max(-0x800000, Math.min(0x7fffff, r.cumulativeLost)), 5, 3);
  out.writeUInt32BE(r.highestSequence >>> 0, 8);
  out.writeUInt32BE(r.jitter >>> 0, 12);
  out.writeUInt32BE(r.lastSr >>> 0, 16);
  out.writeUInt32BE(r.delaySinceLastSr >>> 0, 20);
  return out;
}

/** RFC 3550 6.5: SSRC, the CNAME item, then at least one null octet up to a 32-bit boundary. */
function sdesChunk(ssrc: number, cname: string): Buffer {
  const text = Buffer.from(cname, 'utf8').subarray(0, 255);
  const size = 4 + 2 + text.length;
  const out = Buffer.alloc(size + (4 - (size % 4)));
  out.writeUInt32BE(ssrc >>> 0, 0);
  out[4] = SDES_CNAME;
  out[5] = text.length;
  text.copy(out, 6);
  return out;
}

/** The packets of a compound RTCP datagram by type, with their report blocks (for tests and readers). */
export function decodeRtcp(octets: Uint8Array): { type: number; count: number; ssrc: number; sender?: { packets: number; octets: number }; reports: ReportBlock[] }[] {
  const b = Buffer.from(octets.buffer, octets.byteOffset, octets.byteLength);
  const out: ReturnType<typeof decodeRtcp> = [];
  for (let at = 0; at < b.length; ) {
    if (b.length - at < 8 || b[at]! >> 6 !== VERSION) throw new RtpCodecError(`not an RTCP packet at octet ${at}`);
    const count = b[at]! & 0x1f;
    const type = b[at + 1]!;
    const end = at + 4 + 4 * b.readUInt16BE(at + 2);
    if (end > b.length) throw new RtpCodecError(`RTCP packet at octet ${at} runs past the datagram`);
    const ssrc = b.readUInt32BE(at + 4);
    const reporting = type === RTCP_SR || type === RTCP_RR;
    const blocksAt = type === RTCP_SR ? at + 28 : at + 8;
    // Checked before reading, so a short packet is this codec's error, never a RangeError.
    if (reporting && blocksAt + 24 * count > end) throw new RtpCodecError('RTCP sender info or report blocks run past their packet');
    const reports = reporting ? Array.from({ length: count }, (_, i) => readBlock(b, blocksAt + 24 * i)) : [];
    out.push({ type, count, ssrc, ...(type === RTCP_SR ? { sender: { packets: b.readUInt32BE(at + 20), octets: b.readUInt32BE(at + 24) } } : {}), reports });
    at = end;
  }
  return out;
}

function readBlock(b: Buffer, at: number): ReportBlock {
  return {
    ssrc: b.readUInt32BE(at),
    fractionLost: b[at + 4]!,
    cumulativeLost: b.readIntBE(at + 5, 3),
    highestSequence: b.readUInt32BE(at + 8),
    jitter: b.readUInt32BE(at + 12),
    lastSr: b.readUInt32BE(at + 16),
    delaySinceLastSr: b.readUInt32BE(at + 20),
  };
}

/**
 * A compound RTCP datagram (RFC 3550 6.1) read back into the packet the network carries: the SR
 * or RR that starts it (its sender information and report blocks), the CNAME of its SDES (6.5.1)
 * and whether it holds a BYE. What the model has no field for (other SDES items, APP) is left out.
 * @throws RtpCodecError when the datagram is not a compound packet that starts with an SR or RR.
 */
export function decodeRtcpPacket(octets: Uint8Array, ports: { srcPort: number; dstPort: number }): RtcpPacket {
  const b = Buffer.from(octets.buffer, octets.byteOffset, octets.byteLength);
  const parts = decodeRtcp(b);
  const first = parts[0];
  if (first === undefined || (first.type !== RTCP_SR && first.type !== RTCP_RR)) throw new RtpCodecError('a compound RTCP packet starts with an SR or RR (RFC 3550 6.1)');
  let cname = '';
  let bye = false;
  for (let at = 0; at < b.length; at += 4 + 4 * b.readUInt16BE(at + 2)) {
    const type = b[at + 1]!;
    if (type === RTCP_BYE) bye = true;
    // The first item of the first chunk: an SDES that carries the CNAME writes it first (6.5).
    if (type === RTCP_SDES && cname === '' && b[at + 8] === SDES_CNAME && at + 10 + b[at + 9]! <= b.length) cname = b.toString('utf8', at + 10, at + 10 + b[at + 9]!);
  }
  const sender = first.type === RTCP_SR ? { ntpSeconds: b.readUInt32BE(8), ntpFraction: b.readUInt32BE(12), rtpTimestamp: b.readUInt32BE(16), packets: b.readUInt32BE(20), octets: b.readUInt32BE(24) } : undefined;
  return { protocol: 'rtp', type: 'rtcp', ...ports, ssrc: first.ssrc, ...(sender !== undefined && { sender }), reports: first.reports, cname, ...(bye && { bye }) };
}
