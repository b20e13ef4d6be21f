import { Buffer } from 'node:buffer';
import { decodeBody, decodeBodyOctets, utf8Text } from '../bodies/codec.js';
import { BodyParseError } from '../bodies/errors.js';
import type { Body } from '../bodies/body.js';
import { locatedAt, SipParseError } from './errors.js';
import { canonicalHeaderName, parseContacts, parseCSeq, parseVia } from './header-values.js';
import type { Header, SipMessage, SipRequest, SipResponse } from './message.js';
import { parseNameAddr } from './name-addr.js';
import { isToken, trimLws } from './syntax.js';
import { getParam, isSipUri, parseUri } from './uri.js';
import { MAX_HEADER_LINES, MAX_LINE_OCTETS, MAX_MESSAGE_OCTETS } from './limits.js';

interface Sections {
  startLine: string;
  /** 1-based line of the start line in the input (CRLFs before it are skipped, RFC 3261 7.5). */
  firstLine: number;
  headerLines: string[];
  rest: Buffer;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Cuts the octets at the empty line ending the header section. Lines end in CRLF (RFC 3261 7) but a
 * bare LF is accepted too; CRLFs before the start line are skipped (7.5). Header lines are UTF-8.
 */
function splitSections(octets: Buffer): Sections {
  if (octets.length > MAX_MESSAGE_OCTETS) throw new SipParseError('header', `message of ${octets.length} octets exceeds the limit of ${MAX_MESSAGE_OCTETS}`);
  const lines: string[] = [];
  let pos = 0;
  let firstLine = 1;
  while (octets[pos] === LF || (octets[pos] === CR && octets[pos + 1] === LF)) {
    pos += octets[pos] === LF ? 1 : 2;
    firstLine++;
  }
  for (;;) {
    const at = { line: firstLine + lines.length, column: 1 };
    const nl = octets.indexOf(LF, pos);
    if (nl < 0) throw new SipParseError('header', 'header section is not terminated by an empty line', at);
    if (nl - pos > MAX_LINE_OCTETS) throw new SipParseError('header', `line longer than ${MAX_LINE_OCTETS} octets`, at);
    const line = octets.toString('utf8', pos, octets[nl - 1] === CR ? nl - 1 : nl);
    pos = nl + 1;
    if (line === '') break;
    if (lines.length > MAX_HEADER_LINES) throw new SipParseError('header', `more than ${MAX_HEADER_LINES} header lines`, at);
    lines.push(line);
  }
  const [startLine = '', ...headerLines] = lines;
  return { startLine, firstLine, headerLines, rest: octets.subarray(pos) };
}

const VERSION = /^SIP\/2\.0$/i; // RFC 3261 7.1: the version string is case-insensitive

function checkVersion(version: string, line: string): void {
  if (VERSION.test(version)) return;
  if (/^SIP\/\d+\.\d+$/i.test(version)) throw new SipParseError('version', `unsupported SIP version ${version}`);
  throw new SipParseError('start-line', `malformed start line '${line}'`);
}

/** RFC 3261 7.2 Status-Line: `SIP-Version SP Status-Code SP Reason-Phrase`, reason possibly empty. */
function parseStatusLine(line: string): Pick<SipResponse, 'status' | 'reason'> {
  const [version = '', code = '', ...reason] = line.split(' ');
  checkVersion(version, line);
  if (!/^[1-6]\d\d$/.test(code)) throw new SipParseError('start-line', `status code '${code}' is not a number in 100..699`);
  if (reason.length === 0) throw new SipParseError('start-line', `status line '${line}' lacks the SP before the reason phrase`);
  return { status: Number(code), reason: reason.join(' ') };
}

/** RFC 3261 7.1 Request-Line: `Method SP Request-URI SP SIP-Version`, single spaces, no other LWS. */
function parseRequestLine(line: string): Pick<SipRequest, 'method' | 'uri'> {
  const parts = line.split(' ');
  const [method = '', uriText = '', version = ''] = parts;
  if (parts.length !== 3 || !isToken(method) || uriText === '') {
    throw new SipParseError('start-line', `request line '${line}' is not "Method SP Request-URI SP SIP-Version"`);
  }
  checkVersion(version, line);
  const uri = parseUri(uriText);
  // RFC 3261 19.1.1 table: headers and the method parameter are not allowed in a Request-URI.
  if (isSipUri(uri) && (uri.headers.length > 0 || getParam(uri.params, 'method') !== undefined)) {
    throw new SipParseError('uri', `Request-URI '${uriText}' carries headers or a method parameter (RFC 3261 19.1.1)`);
  }
  return { method, uri };
}

/** A header with the place of its value in the input, for located errors. */
interface Located extends Header {
  line: number;
  column: number;
}

/**
 * Unfolds continuation lines (RFC 3261 7.3.1: leading SP/HTAB continues the previous line, and the
 * fold with its surrounding LWS reads as one SP). The pieces of a header are joined once at the end:
 * appending each piece to the header text so far would copy it again per line, quadratic in length.
 */
function readHeaders(lines: string[], firstLine: number): Located[] {
  const logical: { pieces: string[]; line: number }[] = [];
  lines.forEach((line, i) => {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      const last = logical[logical.length - 1];
      if (last === undefined) throw new SipParseError('header', `continuation line '${line}' precedes the first header`, { line: firstLine + i, column: 1 });
      const piece = trimLws(line);
      if (piece !== '') last.pieces.push(piece);
    } else {
      logical.push({ pieces: [line], line: firstLine + i });
    }
  });
  return logical.map(({ pieces, line: at }) => {
    const raw = pieces[0]!;
    const line = pieces.length === 1 ? raw : pieces.map((p, i) => (i === 0 ? trimLws(p) : p)).join(' ');
    const colon = line.indexOf(':');
    if (colon < 0) throw new SipParseError('header', `header line '${line}' has no colon`, { line: at, column: 1 });
    const name = trimLws(line.slice(0, colon));
    if (!isToken(name)) throw new SipParseError('header', `invalid header name '${name}'`, { line: at, column: 1 });
    let column = raw.indexOf(':') + 2;
    while (raw[column - 1] === ' ' || raw[column - 1] === '\t') column++;
    return { name: canonicalHeaderName(name), value: trimLws(line.slice(colon + 1)), line: at, column };
  });
}

// RFC 3261 25.1 callid = word [ "@" word ]
const CALL_ID = /^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+(?:@[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+)?$/;

function checkNumber(value: string, max: number, what: string): void {
  if (!/^\d+$/.test(value) || Number(value) > max) throw new SipParseError('header', `${what} '${value}' is not an integer in 0..${max}`);
}

/** Syntax checks for the headers every SIP entity reads; other headers are kept unexamined. */
const CHECKS: Record<string, (value: string) => void> = {
  To: (v) => void parseNameAddr(v),
  From: (v) => void parseNameAddr(v),
  Contact: (v) => {
    if (v === '') throw new SipParseError('header', 'empty Contact header');
    parseContacts(v);
  },
  Via: (v) => void parseVia(v),
  CSeq: (v) => void parseCSeq(v),
  'Call-ID': (v) => {
    if (!CALL_ID.test(v)) throw new SipParseError('header', `Call-ID '${v}' is not word[@word]`);
  },
  'Max-Forwards': (v) => checkNumber(v, 255, 'Max-Forwards'), // RFC 3261 20.22
  Expires: (v) => checkNumber(v, 2 ** 32 - 1, 'Expires'), // RFC 3261 20.19
};

// RFC 3261 7.3.1: only headers whose value is a comma-separated list may appear more than once.
const SINGLE = ['To', 'From', 'Call-ID', 'CSeq', 'Max-Forwards', 'Expires', 'Content-Type', 'Content-Length'];
// RFC 3261 8.1.1: the minimum header set of a request; responses copy it (8.2.6.2).
const MANDATORY = ['To', 'From', 'Call-ID', 'CSeq', 'Via'];

function checkHeaders(headers: Located[], endLine: number): void {
  for (const name of SINGLE) {
    const named = headers.filter((h) => h.name === name);
    const second = named[1];
    if (second !== undefined) {
      throw new SipParseError(name === 'Content-Length' ? 'content-length' : 'header', `${named.length} ${name} headers where one is allowed`, { line: second.line, column: 1 });
    }
  }
  const missing = MANDATORY.filter((name) => !headers.some((h) => h.name === name));
  if (missing.length > 0) throw new SipParseError('missing-header', `missing mandatory header(s) ${missing.join(', ')}`, { line: endLine, column: 1 });
  for (const h of headers) {
    try {
      CHECKS[h.name]?.(h.value);
    } catch (e) {
      if (!(e instanceof SipParseError)) throw e;
      throw new SipParseError('header', `${h.name} header: ${e.message}`, { cause: e, line: h.line, column: h.column });
    }
  }
}

/**
 * The body is `rest` cut to Content-Length octets (RFC 3261 20.14); extra octets are discarded
 * (18.3) and a shortfall is an error. Without Content-Length the rest is the body, as for a datagram.
 */
function checkLength(rest: Buffer, contentLength: string): void {
  if (!/^\d+$/.test(contentLength)) throw new SipParseError('content-length', `Content-Length '${contentLength}' is not a non-negative integer`);
  const declared = Number(contentLength);
  if (declared > rest.length) throw new SipParseError('content-length', `Content-Length ${declared} exceeds body length ${rest.length}`);
  if (utf8Text(rest) !== undefined && utf8Text(rest.subarray(0, declared)) === undefined) {
    throw new SipParseError('content-length', `Content-Length ${declared} ends inside a multi-byte UTF-8 character`);
  }
}

/** The body: the rest cut to a Content-Length that {@link checkLength} accepted. */
function readBody(rest: Buffer, contentLength: string | undefined, contentType: string | undefined, bodies: BodyReading): Body | undefined {
  const octets = contentLength === undefined ? rest : rest.subarray(0, Number(contentLength));
  if (octets.length === 0) return undefined;
  if (contentType === undefined) throw new SipParseError('body', `message has a ${octets.length}-byte body but no Content-Type`);
  if (bodies === 'opaque') return opaqueBody(contentType, octets);
  try {
    return decodeBodyOctets(contentType, octets);
  } catch (e) {
    if (!(e instanceof BodyParseError)) throw e;
    throw new SipParseError('body', e.message, { cause: e });
  }
}

/** The payload as received, for an element that does not read bodies: text, or opaque octets. */
function opaqueBody(contentType: string, octets: Buffer): Body {
  const text = utf8Text(octets);
  return text === undefined ? { kind: 'binary', contentType, octets } : { kind: 'text', contentType, text };
}

/**
 * Decodes a body that an element which does not read bodies (a proxy) passed on as it received it,
 * for the element that reads it; typed bodies are returned as they are.
 * @throws SipParseError when the body is not valid for its media type.
 */
export function decodeReceivedBody(body: Body): Body {
  if (body.kind !== 'text') return body;
  try {
    return decodeBody(body.contentType, body.text);
  } catch (e) {
    if (!(e instanceof BodyParseError)) throw e;
    throw new SipParseError('body', e.message, { cause: e });
  }
}

/**
 * How a parser treats bodies: `decode` them by media type (an endpoint, a B2BUA), or keep them
 * `opaque` as received, as a proxy does (RFC 3261 16: a proxy does not read the body it forwards).
 */
export type BodyReading = 'decode' | 'opaque';

/**
 * Parses one SIP message (RFC 3261 7) from wire text or from octets, which may carry a binary body.
 * Header names come out canonical, values trimmed and unfolded; Content-Type and Content-Length
 * are consumed into `body`.
 * @throws SipParseError naming what is malformed.
 */
export function parseMessage(input: string | Uint8Array, bodies: BodyReading = 'decode'): SipMessage {
  const octets = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const { startLine, firstLine, headerLines, rest } = splitSections(octets);
  const isResponse = /^SIP\//i.test(startLine);
  const start = locatedAt(firstLine, 1, () => (isResponse ? parseStatusLine(startLine) : parseRequestLine(startLine)));
  const all = readHeaders(headerLines, firstLine + 1);
  const endLine = firstLine + 1 + headerLines.length;
  checkHeaders(all, endLine);
  const headers = all.map((h) => ({ name: h.name, value: h.value })).filter((h) => h.name !== 'Content-Type' && h.name !== 'Content-Length');
  const find = (name: string): Located | undefined => all.find((h) => h.name === name);
  if ('method' in start) {
    const cseqHeader = find('CSeq')!;
    const cseq = parseCSeq(cseqHeader.value);
    if (cseq.method !== start.method) {
      throw new SipParseError('method-mismatch', `CSeq method ${cseq.method} does not match request method ${start.method}`, { line: cseqHeader.line, column: cseqHeader.column });
    }
  }
  const length = find('Content-Length');
  if (length !== undefined) locatedAt(length.line, length.column, () => checkLength(rest, length.value));
  const body = locatedAt(endLine + 1, 1, () => readBody(rest, length?.value, find('Content-Type')?.value, bodies));
  const withBody = body === undefined ? {} : { body };
  if ('method' in start) return { type: 'request', method: start.method, uri: start.uri, headers, ...withBody };
  return { type: 'response', status: start.status, reason: start.reason, headers, ...withBody };
}
