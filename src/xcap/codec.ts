import { Buffer } from 'node:buffer';
import type { XcapMessage, XcapRequest, XcapResponse } from './message.js';

const CRLF = '\r\n';

/** HTTP/1.1 wire text (RFC 9112): request or status line, header fields, blank line, body. */
export function serializeXcap(m: XcapMessage): string {
  if (m.type === 'xcap-request') {
    return [`${m.method} ${m.path} HTTP/1.1`, `Host: ${m.host}`, `X-XCAP-Asserted-Identity: "${m.assertedIdentity}"`, '', ''].join(CRLF);
  }
  const fields = [`HTTP/1.1 ${m.status} ${m.reason}`];
  if (m.etag !== undefined) fields.push(`ETag: "${m.etag}"`);
  if (m.body !== undefined) fields.push(`Content-Type: ${m.body.contentType}`);
  fields.push(`Content-Length: ${m.body === undefined ? 0 : Buffer.byteLength(m.body.text, 'utf8')}`);
  return `${fields.join(CRLF)}${CRLF}${CRLF}${m.body?.text ?? ''}`;
}

/** An XCAP message that does not follow the part of HTTP/1.1 cpmsim speaks. */
export class XcapParseError extends Error {
  override readonly name = 'XcapParseError';
}

/**
 * Reads back what `serializeXcap` writes: GET requests with Host and the asserted identity, and
 * responses with an optional ETag and body.
 * @throws XcapParseError naming what is malformed.
 */
export function parseXcap(text: string): XcapMessage {
  const end = text.indexOf(CRLF + CRLF);
  if (end < 0) throw new XcapParseError('the header section is not terminated by an empty line');
  const [start = '', ...lines] = text.slice(0, end).split(CRLF);
  const fields = new Map(
    lines.map((line) => {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new XcapParseError(`malformed header line '${line}'`);
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as const;
    }),
  );
  const unquote = (v: string | undefined): string | undefined => v?.replace(/^"(.*)"$/, '$1');
  const request = /^GET (\/\S*) HTTP\/1\.1$/.exec(start);
  if (request !== null) {
    const host = fields.get('host');
    const identity = unquote(fields.get('x-xcap-asserted-identity'));
    if (host === undefined || identity === undefined) throw new XcapParseError('a request needs Host and X-XCAP-Asserted-Identity');
    return { protocol: 'xcap', type: 'xcap-request', method: 'GET', host, path: request[1]!, assertedIdentity: identity } satisfies XcapRequest;
  }
  const status = /^HTTP\/1\.1 (\d{3}) (.*)$/.exec(start);
  if (status === null) throw new XcapParseError(`malformed start line '${start}'`);
  const response: XcapResponse = { protocol: 'xcap', type: 'xcap-response', status: Number(status[1]), reason: status[2]! };
  const etag = unquote(fields.get('etag'));
  if (etag !== undefined) response.etag = etag;
  const length = Number(fields.get('content-length') ?? '0');
  const contentType = fields.get('content-type');
  const body = Buffer.from(text.slice(end + 4), 'utf8');
  if (body.length !== length) throw new XcapParseError(`Content-Length ${length} does not match the ${body.length}-octet body`);
  if (length > 0) {
    if (contentType === undefined) throw new XcapParseError('a body needs a Content-Type');
    response.body = { contentType, text: body.toString('utf8') };
  }
  return response;
}
