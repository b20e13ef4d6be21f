import { Buffer } from 'node:buffer';
import { decodeBody, encodeBody } from '../bodies/codec.js';
import { BodyParseError } from '../bodies/errors.js';
import type { Field } from '../bodies/field.js';
import { MsrpParseError } from './errors.js';
import type { ByteRange, Continuation, MsrpMessage } from './message.js';
import { formatMsrpUri, parseMsrpUri, type MsrpUri } from './uri.js';

const CRLF = '\r\n';
/** RFC 4975 9: transact-id = ident, an alphanumeric then 3 to 31 more characters from this set. */
const TRANSACTION_ID = /^[A-Za-z0-9][A-Za-z0-9.\-+%=]{3,31}$/;
const METHOD = /^[A-Z]+$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

/**
 * Wire text of an MSRP message (RFC 4975 9): start line, To-Path, From-Path, the other headers,
 * then for a request with content the MIME headers, Content-Type, a blank line, the content and
 * the CRLF before the end-line `-------<transaction id><flag>`.
 * @throws RangeError when the transaction id is invalid or the content contains the end-line.
 */
export function serializeMsrp(msg: MsrpMessage): string {
  if (!TRANSACTION_ID.test(msg.transactionId)) throw new RangeError(`invalid MSRP transaction id '${msg.transactionId}'`);
  const start = msg.type === 'msrp-request' ? `MSRP ${msg.transactionId} ${msg.method}` : `MSRP ${msg.transactionId} ${msg.status}${msg.comment === undefined ? '' : ` ${msg.comment}`}`;
  const lines = [start, `To-Path: ${msg.toPath.map(formatMsrpUri).join(' ')}`, `From-Path: ${msg.fromPath.map(formatMsrpUri).join(' ')}`, ...msg.headers.map((h) => `${h.name}: ${h.value}`)];
  const endLine = `-------${msg.transactionId}${msg.type === 'msrp-request' ? msg.continuation : '$'}`;
  if (msg.type === 'msrp-response' || msg.body === undefined) return `${lines.join(CRLF)}${CRLF}${endLine}${CRLF}`;
  const content = encodeBody(msg.body);
  // RFC 4975 7.1: the sender must pick a transaction id that does not occur in the content.
  if (content.includes(`${CRLF}-------${msg.transactionId}`)) throw new RangeError(`the content of ${msg.transactionId} contains its end-line`);
  lines.push(`Content-Type: ${msg.body.contentType}`);
  return `${lines.join(CRLF)}${CRLF}${CRLF}${content}${CRLF}${endLine}${CRLF}`;
}

function parsePath(name: string, value: string): MsrpUri[] {
  const uris = value.split(/\s+/).filter((u) => u !== '');
  if (uris.length === 0) throw new MsrpParseError('header', `empty ${name}`);
  return uris.map(parseMsrpUri);
}

/**
 * Parses one MSRP message (RFC 4975 9). Header names are matched case-insensitively; To-Path and
 * From-Path must come first, in that order (7.1); the content is decoded by its Content-Type.
 * @throws MsrpParseError naming what is malformed.
 */
export function parseMsrp(text: string): MsrpMessage {
  const firstBreak = text.indexOf(CRLF);
  if (firstBreak < 0) throw new MsrpParseError('start-line', 'no CRLF after the start line');
  const startLine = text.slice(0, firstBreak);
  const start = /^MSRP ([^ ]+) (?:([A-Z]+)|(\d{3})(?: (.*))?)$/.exec(startLine);
  if (start === null || !TRANSACTION_ID.test(start[1]!)) throw new MsrpParseError('start-line', `malformed MSRP start line '${startLine}'`);
  const transactionId = start[1]!;
  const endLine = new RegExp(`\\r\\n-------${transactionId.replace(/[.+]/g, '\\$&')}([$+#])\\r\\n$`);
  const end = endLine.exec(text.slice(firstBreak));
  if (end === null) throw new MsrpParseError('end-line', `missing end-line -------${transactionId} with a continuation flag`);
  const middle = text.slice(firstBreak + CRLF.length, text.length - end[0].length + CRLF.length);
  // RFC 4975 7.1: the end-line is the first occurrence of CRLF "-------" transaction id in the
  // message; content holding one would end the message there, and could not be written back.
  if (middle.includes(`${CRLF}-------${transactionId}`)) throw new MsrpParseError('end-line', `the message holds its end-line -------${transactionId} before its end`);
  const blank = middle.indexOf(CRLF + CRLF);
  const headerText = blank < 0 ? middle.replace(/\r\n$/, '') : middle.slice(0, blank);
  const fields: Field[] = headerText.split(CRLF).map((line) => {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    if (colon <= 0 || !HEADER_NAME.test(name)) throw new MsrpParseError('header', `malformed header line '${line}'`);
    return { name, value: line.slice(colon + 1).trim() };
  });
  const [to, from, ...rest] = fields;
  if (to?.name.toLowerCase() !== 'to-path' || from?.name.toLowerCase() !== 'from-path') {
    throw new MsrpParseError('header', 'To-Path and From-Path must be the first two headers (RFC 4975 7.1)');
  }
  const common = { protocol: 'msrp' as const, transactionId, toPath: parsePath('To-Path', to.value), fromPath: parsePath('From-Path', from.value) };
  const contentType = rest.find((f) => f.name.toLowerCase() === 'content-type')?.value;
  const headers = rest.filter((f) => f.name.toLowerCase() !== 'content-type');
  for (const h of headers) if (h.name.toLowerCase() === 'byte-range') parseByteRange(h.value);
  if (start[2] === undefined) {
    if (blank >= 0) throw new MsrpParseError('body', 'an MSRP response carries no body (RFC 4975 7.2)');
    const response = { type: 'msrp-response' as const, ...common, status: Number(start[3]), headers };
    return start[4] === undefined ? response : { ...response, comment: start[4] };
  }
  if (!METHOD.test(start[2])) throw new MsrpParseError('start-line', `malformed method '${start[2]}'`);
  const continuation = end[1] as Continuation;
  if (blank < 0) {
    if (contentType !== undefined) throw new MsrpParseError('body', 'Content-Type without content');
    return { type: 'msrp-request', ...common, method: start[2], headers, continuation };
  }
  if (contentType === undefined) throw new MsrpParseError('body', 'content without a Content-Type (RFC 4975 7.1)');
  const content = middle.slice(blank + 2 * CRLF.length, middle.length - CRLF.length);
  try {
    return { type: 'msrp-request', ...common, method: start[2], headers, body: decodeBody(contentType, content), continuation };
  } catch (e) {
    if (!(e instanceof BodyParseError)) throw e;
    throw new MsrpParseError('body', e.message, { cause: e });
  }
}

/** RFC 4975 9: `Byte-Range: range-start "-" range-end "/" total`, the last two possibly `*`. */
export function parseByteRange(value: string): ByteRange {
  const m = /^(\d+)-(\d+|\*)\/(\d+|\*)$/.exec(value.trim());
  if (m === null || Number(m[1]) < 1) throw new MsrpParseError('header', `malformed Byte-Range '${value}'`);
  const range: ByteRange = { start: Number(m[1]) };
  if (m[2] !== '*') range.end = Number(m[2]);
  if (m[3] !== '*') range.total = Number(m[3]);
  return range;
}

/** Octets of the message's content, as Byte-Range counts them. */
export function contentOctets(msg: MsrpMessage): number {
  return msg.type === 'msrp-request' && msg.body !== undefined ? Buffer.byteLength(encodeBody(msg.body), 'utf8') : 0;
}
