import { Buffer } from 'node:buffer';
import type { XcapMessage, XcapRequest, XcapResponse } from './message.js';

const CRLF = '\r\n';

/**
 * Bounds on what the parser reads (RFC 9112 2.3 lets a server refuse what it cannot handle, with
 * 431 or 413): far above the few short fields and the small documents an XDMS exchanges.
 */
const MAX_HEADER_OCTETS = 64 * 1024;
const MAX_BODY_OCTETS = 4 * 1024 * 1024;

/**
 * RFC 9110 5.6.4 quoted-string: `"` and `\` become quoted-pairs. CR, LF and the other controls but
 * HTAB cannot appear in a field value at all (RFC 9110 5.5), so no quoting can carry them.
 */
function quote(value: string, what: string): string {
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) throw new RangeError(`${what} ${JSON.stringify(value)} holds a control character`);
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** A field value with no control character but HTAB (RFC 9110 5.5). */
function plain(value: string, what: string): string {
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) throw new RangeError(`${what} ${JSON.stringify(value)} holds a control character`);
  return value;
}

/** HTTP/1.1 wire text (RFC 9112): request or status line, header fields, blank line, body. */
export function serializeXcap(m: XcapMessage): string {
  if (m.type === 'xcap-request') {
    if (!/^\/\S*$/.test(m.path)) throw new RangeError(`XCAP path ${JSON.stringify(m.path)} is not an absolute path without spaces`);
    return [`${m.method} ${m.path} HTTP/1.1`, `Host: ${plain(m.host, 'Host')}`, `X-XCAP-Asserted-Identity: ${quote(m.assertedIdentity, 'asserted identity')}`, '', ''].join(CRLF);
  }
  if (!Number.isInteger(m.status) || m.status < 100 || m.status > 999) throw new RangeError(`HTTP status ${m.status} is not three digits`);
  const fields = [`HTTP/1.1 ${m.status} ${plain(m.reason, 'reason phrase')}`];
  if (m.etag !== undefined) {
    if (!ETAGC.test(m.etag)) throw new RangeError(`ETag ${JSON.stringify(m.etag)} holds a character an entity-tag cannot`);
    fields.push(`ETag: "${m.etag}"`);
  }
  if (m.body !== undefined) fields.push(`Content-Type: ${plain(m.body.contentType, 'Content-Type')}`);
  fields.push(`Content-Length: ${m.body === undefined ? 0 : Buffer.byteLength(m.body.text, 'utf8')}`);
  return `${fields.join(CRLF)}${CRLF}${CRLF}${m.body?.text ?? ''}`;
}

/** RFC 9110 5.1 field-name = token. */
const FIELD_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

/** RFC 9110 8.8.3 etagc: the characters between an entity-tag's quotes, no escaping. */
const ETAGC = /^[\x21\x23-\x7e\x80-\uffff]*$/;

/** The content of an RFC 9110 5.6.4 quoted-string, its quoted-pairs resolved. */
function unquoted(value: string, what: string): string {
  const m = /^"((?:[^"\\]|\\[\s\S])*)"$/.exec(value);
  if (m === null) throw new XcapParseError(`${what} ${JSON.stringify(value)} is not a quoted string`);
  return m[1]!.replace(/\\([\s\S])/g, '$1');
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
  if (end > MAX_HEADER_OCTETS) throw new XcapParseError(`header section longer than ${MAX_HEADER_OCTETS} octets`);
  if (text.length - end > MAX_BODY_OCTETS) throw new XcapParseError(`body longer than ${MAX_BODY_OCTETS} octets`);
  const [start = '', ...lines] = text.slice(0, end).split(CRLF);
  // RFC 9112 3 and 4: a request-target or reason-phrase holds no control (HTAB aside, in the phrase).
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(start)) throw new XcapParseError(`start line ${JSON.stringify(start)} holds a control character`);
  const fields = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0 || !FIELD_NAME.test(line.slice(0, colon))) throw new XcapParseError(`malformed header line ${JSON.stringify(line)}`);
    // RFC 9112 2.2: a bare CR (or any other control but HTAB) is not allowed in a field.
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(line)) throw new XcapParseError(`header line ${JSON.stringify(line)} holds a control character`);
    const name = line.slice(0, colon).toLowerCase();
    // RFC 9110 5.3: these fields are singletons; two of them cannot be read as one value.
    if (fields.has(name)) throw new XcapParseError(`repeated header field ${line.slice(0, colon)}`);
    fields.set(name, line.slice(colon + 1).trim());
  }
  const request = /^GET (\/\S*) HTTP\/1\.1$/.exec(start);
  const unquote = (v: string | undefined, what: string): string | undefined => (v === undefined ? undefined : unquoted(v, what));
  if (request !== null) {
    const host = fields.get('host');
    const identity = unquote(fields.get('x-xcap-asserted-identity'), 'X-XCAP-Asserted-Identity');
    if (host === undefined || identity === undefined) throw new XcapParseError('a request needs Host and X-XCAP-Asserted-Identity');
    return { protocol: 'xcap', type: 'xcap-request', method: 'GET', host, path: request[1]!, assertedIdentity: identity } satisfies XcapRequest;
  }
  const status = /^HTTP\/1\.1 (\d{3}) ([^\r\n]*)$/.exec(start);
  if (status === null) throw new XcapParseError(`malformed start line '${start}'`);
  const response: XcapResponse = { protocol: 'xcap', type: 'xcap-response', status: Number(status[1]), reason: status[2]! };
  const etagField = fields.get('etag');
  if (etagField !== undefined) {
    // RFC 4825 7.11 uses strong entity tags; a weak one (W/"...") would lose its W/ here.
    const m = /^"(.*)"$/s.exec(etagField);
    if (m === null || !ETAGC.test(m[1]!)) throw new XcapParseError(`ETag ${JSON.stringify(etagField)} is not a strong entity-tag (RFC 9110 8.8.3)`);
    response.etag = m[1]!;
  }
  const lengthText = fields.get('content-length') ?? '0';
  if (!/^\d{1,10}$/.test(lengthText)) throw new XcapParseError(`Content-Length ${JSON.stringify(lengthText)} is not a number of octets`);
  const length = Number(lengthText);
  const contentType = fields.get('content-type');
  const body = Buffer.from(text.slice(end + 4), 'utf8');
  if (body.length !== length) throw new XcapParseError(`Content-Length ${length} does not match the ${body.length}-octet body`);
  if (length > 0) {
    if (contentType === undefined) throw new XcapParseError('a body needs a Content-Type');
    response.body = { contentType, text: body.toString('utf8') };
  }
  return response;
}
