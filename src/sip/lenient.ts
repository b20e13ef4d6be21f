import { canonicalHeaderName } from './header-values.js';
import type { Header, SipMessage } from './message.js';

/**
 * Reads whatever a start line, header lines and a body can be made of, validating nothing: how a
 * trace shows bytes that are not a valid SIP message, and how an element finds the Via, From, To,
 * Call-ID and CSeq it needs to answer one with 400 (RFC 3261 8.2, 16.3).
 */
export function readLeniently(text: string): SipMessage {
  const [head = '', ...bodyParts] = text.split(/\r?\n\r?\n/);
  const [start = '', ...lines] = head.split(/\r?\n/);
  const headers: Header[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = canonicalHeaderName(line.slice(0, colon).trim());
    if (name === 'Content-Type' || name === 'Content-Length') continue;
    headers.push({ name, value: line.slice(colon + 1).trim() });
  }
  const bodyText = bodyParts.join('\r\n\r\n');
  const contentType = /^content-type\s*:\s*(.*)$/im.exec(head)?.[1]?.trim() ?? 'application/octet-stream';
  const body = bodyText === '' ? {} : { body: { kind: 'text' as const, contentType, text: bodyText } };
  const status = /^SIP\/\S+\s+(\d{3})\s*(.*)$/.exec(start);
  if (status !== null) return { type: 'response', status: Number(status[1]), reason: status[2] ?? '', headers, ...body, wire: text };
  const [method = '', uri = ''] = start.split(/\s+/);
  return { type: 'request', method, uri: { scheme: 'unparsed', value: uri }, headers, ...body, wire: text };
}
