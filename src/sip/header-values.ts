import { SipParseError } from './errors.js';
import { parseNameAddr, type NameAddr } from './name-addr.js';
import { formatParams, parseHeaderParams } from './params.js';
import { isToken, splitOutside, trimLws } from './syntax.js';
import { isHost, parsePort, type Param } from './uri.js';

export { canonicalHeaderName } from './header-names.js';

/**
 * The elements of a comma-separated header value (RFC 3261 7.3.1), splitting only on commas outside
 * quoted strings and `<...>`. Elements are trimmed; empty ones are kept for the caller to judge.
 */
export function splitHeaderList(value: string): string[] {
  return trimLws(value) === '' ? [] : splitOutside(value, ',');
}

/** One via-parm (RFC 3261 20.42): `SIP/2.0/UDP host:port;branch=...`. */
export interface Via {
  /** protocol-name "/" protocol-version, e.g. 'SIP/2.0'. */
  protocol: string;
  transport: string;
  /** As written; an IPv6 reference keeps its brackets. */
  host: string;
  port?: number;
  params: Param[];
}

// RFC 3261 25.1 sent-protocol: the SLASHes may carry whitespace (SWS "/" SWS), then LWS sent-by.
const TOK = "[A-Za-z0-9\\-.!%*_+`'~]+";
const SENT_PROTOCOL = new RegExp(`^(${TOK})[ \\t]*/[ \\t]*(${TOK})[ \\t]*/[ \\t]*(${TOK})[ \\t]+(.*)$`, 's');

function splitHostPort(sentBy: string, what: string): { host: string; port?: number } {
  const close = sentBy.startsWith('[') ? sentBy.indexOf(']') + 1 : 0;
  const colon = sentBy.indexOf(':', close);
  const host = trimLws(colon < 0 ? sentBy : sentBy.slice(0, colon));
  if (!isHost(host)) throw new SipParseError('header', `${what} has malformed host '${host}'`);
  if (colon < 0) return { host };
  const portText = trimLws(sentBy.slice(colon + 1));
  const port = parsePort(portText);
  if (port === undefined) throw new SipParseError('header', `${what} has malformed port '${portText}'`);
  return { host, port };
}

function parseViaParm(text: string): Via {
  if (text === '') throw new SipParseError('header', 'empty element in Via list');
  const m = SENT_PROTOCOL.exec(text);
  if (m === null) throw new SipParseError('header', `Via '${text}' is not "protocol/version/transport host"`);
  const [, name = '', version = '', transport = '', rest = ''] = m;
  const semi = rest.indexOf(';');
  const { host, port } = splitHostPort(trimLws(semi < 0 ? rest : rest.slice(0, semi)), `Via '${text}'`);
  const params = parseHeaderParams(semi < 0 ? '' : rest.slice(semi));
  return { protocol: `${name}/${version}`, transport, host, ...(port !== undefined && { port }), params };
}

/** All via-parms of one Via header line, topmost first. */
export function parseVia(value: string): Via[] {
  const items = splitHeaderList(value);
  if (items.length === 0) throw new SipParseError('header', 'empty Via header');
  return items.map(parseViaParm);
}

export function formatVia(via: Via): string {
  const port = via.port === undefined ? '' : `:${via.port}`;
  return `${via.protocol}/${via.transport} ${via.host}${port}${formatParams(via.params)}`;
}

export interface CSeq {
  seq: number;
  method: string;
}

/** RFC 3261 20.16: `1*DIGIT LWS Method`, the number fitting 32 unsigned bits. */
export function parseCSeq(value: string): CSeq {
  const m = /^(\d+)[ \t]+(\S+)$/.exec(trimLws(value));
  const [, digits = '', method = ''] = m ?? [];
  if (m === null || !isToken(method)) throw new SipParseError('header', `CSeq '${value}' is not "number method"`);
  const seq = Number(digits);
  if (seq > 2 ** 32 - 1) throw new SipParseError('header', `CSeq number ${digits} exceeds 2**32-1`);
  return { seq, method };
}

export function formatCSeq(cseq: CSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}

/**
 * RFC 3261 20.10 Contact: `*` (only in a REGISTER removing all bindings) or a list of addresses.
 * An empty value yields no addresses, so a missing header can be passed as ''.
 */
export function parseContacts(value: string): NameAddr[] | '*' {
  if (trimLws(value) === '*') return '*';
  return splitHeaderList(value).map((item) => {
    if (item === '') throw new SipParseError('header', 'empty element in Contact list');
    return parseNameAddr(item);
  });
}
