import { Buffer } from 'node:buffer';
import { encodeBody } from '../bodies/codec.js';
import { formatUri } from './uri.js';
import type { SipMessage } from './message.js';

/**
 * Wire text of a message (RFC 3261 7): start line, headers in stored order, then Content-Type (with
 * a body) and Content-Length, which is always written and counts UTF-8 octets (20.14).
 */
export function serializeMessage(msg: SipMessage): string {
  if (msg.wire !== undefined) return msg.wire;
  const start = msg.type === 'request' ? `${msg.method} ${formatUri(msg.uri)} SIP/2.0` : `SIP/2.0 ${msg.status} ${msg.reason}`;
  const body = msg.body === undefined ? '' : encodeBody(msg.body);
  const lines = [start, ...msg.headers.map((h) => `${h.name}: ${h.value}`)];
  if (msg.body !== undefined) lines.push(`Content-Type: ${msg.body.contentType}`);
  lines.push(`Content-Length: ${Buffer.byteLength(body, 'utf8')}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
