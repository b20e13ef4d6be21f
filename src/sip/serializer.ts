import { Buffer } from 'node:buffer';
import { encodeBody, encodeBodyOctets, holdsOctets } from '../bodies/codec.js';
import { formatUri } from './uri.js';
import type { SipMessage } from './message.js';

function headText(msg: SipMessage, contentLength: number): string {
  const start = msg.type === 'request' ? `${msg.method} ${formatUri(msg.uri)} SIP/2.0` : `SIP/2.0 ${msg.status} ${msg.reason}`;
  const lines = [start, ...msg.headers.map((h) => `${h.name}: ${h.value}`)];
  if (msg.body !== undefined) lines.push(`Content-Type: ${msg.body.contentType}`);
  lines.push(`Content-Length: ${contentLength}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * The octets of a message (RFC 3261 7): start line, headers in stored order, then Content-Type
 * (with a body) and Content-Length, which is always written and counts octets (20.14). A body
 * received as opaque octets is written back as those octets.
 */
export function serializeMessageOctets(msg: SipMessage): Buffer {
  if (msg.wire !== undefined) return Buffer.from(msg.wire, 'utf8');
  const body = msg.body === undefined ? Buffer.alloc(0) : encodeBodyOctets(msg.body);
  return Buffer.concat([Buffer.from(headText(msg, body.length), 'utf8'), body]);
}

/**
 * Wire text of a message, as {@link serializeMessageOctets} but as a string. Opaque octets that
 * are not UTF-8 have no exact text form: they are shown with U+FFFD in place of invalid sequences.
 */
export function serializeMessage(msg: SipMessage): string {
  if (msg.wire !== undefined) return msg.wire;
  if (msg.body !== undefined && holdsOctets(msg.body)) return serializeMessageOctets(msg).toString('utf8');
  const body = msg.body === undefined ? '' : encodeBody(msg.body);
  return headText(msg, Buffer.byteLength(body, 'utf8')) + body;
}
