/**
 * BFCP on the wire (RFC 4582 5): a 12-octet common header (version 1, primitive, payload length
 * in 32-bit words, conference ID, transaction ID, user ID) and TLV attributes (7-bit type, the
 * M bit, length in octets without padding, padded to 32 bits), grouped attributes nesting others.
 */
import { Buffer } from 'node:buffer';
import { BFCP_PRIMITIVES, REQUEST_STATUSES, type BfcpMessage } from './message.js';

const VERSION = 1;
/** RFC 4582 5.2: attribute types. */
const FLOOR_ID = 2;
const FLOOR_REQUEST_ID = 3;
const REQUEST_STATUS = 5;
const FLOOR_REQUEST_INFORMATION = 15;
const FLOOR_REQUEST_STATUS = 16;
const OVERALL_REQUEST_STATUS = 17;

/** An attribute: its header with the M bit set (every attribute here is one the receiver must understand), contents, padding. */
function attribute(type: number, contents: Buffer): Buffer {
  const length = 2 + contents.length;
  const out = Buffer.alloc(length + ((4 - (length % 4)) % 4));
  out[0] = (type << 1) | 1;
  out[1] = length;
  contents.copy(out, 2);
  return out;
}

const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n & 0xffff, 0);
  return b;
};

export function encodeBfcp(m: BfcpMessage): Uint8Array {
  const attributes: Buffer[] = [];
  if (m.primitive === 'FloorRequest') attributes.push(attribute(FLOOR_ID, u16(m.floorId)));
  if (m.primitive === 'FloorRelease') attributes.push(attribute(FLOOR_REQUEST_ID, u16(m.floorRequestId ?? 0)));
  if (m.primitive === 'FloorRequestStatus') {
    const status = attribute(REQUEST_STATUS, Buffer.from([REQUEST_STATUSES[m.status ?? 'Pending'], m.queuePosition ?? 0]));
    // RFC 4582 5.3.4: FLOOR-REQUEST-INFORMATION holds the overall status and the floor's.
    const overall = attribute(OVERALL_REQUEST_STATUS, Buffer.concat([u16(m.floorRequestId ?? 0), status]));
    const floor = attribute(FLOOR_REQUEST_STATUS, u16(m.floorId));
    attributes.push(attribute(FLOOR_REQUEST_INFORMATION, Buffer.concat([u16(m.floorRequestId ?? 0), overall, floor])));
  }
  const payload = Buffer.concat(attributes);
  const header = Buffer.alloc(12);
  header[0] = VERSION << 5;
  header[1] = BFCP_PRIMITIVES[m.primitive];
  header.writeUInt16BE(payload.length / 4, 2);
  header.writeUInt32BE(m.conferenceId >>> 0, 4);
  header.writeUInt16BE(m.transactionId & 0xffff, 8);
  header.writeUInt16BE(m.userId & 0xffff, 10);
  return Buffer.concat([header, payload]);
}
