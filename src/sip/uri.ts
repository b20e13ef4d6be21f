import { SipParseError } from './errors.js';
import { formatParams } from './params.js';

/** A `name` or `name=value` parameter, kept in wire order so messages round-trip exactly. */
export interface Param {
  name: string;
  value?: string;
}

/** The parameters or headers of a URI that has none: one shared value, as URIs are never changed in place. */
const NONE: readonly Param[] = Object.freeze([]);

/** RFC 3261 19.1 SIP/SIPS URI. */
export interface SipUri {
  scheme: 'sip' | 'sips';
  user?: string;
  password?: string;
  host: string;
  port?: number;
  params: readonly Param[];
  headers: readonly Param[];
}

/** RFC 3966 tel URI: the number (global `+...` or local) and its parameters. */
export interface TelUri {
  scheme: 'tel';
  number: string;
  params: readonly Param[];
}

/** Any other absolute URI (RFC 3986), e.g. `mailto:` (RFC 6068) or `wv:` (OMA IMPS): scheme and opaque rest. */
export interface OpaqueUri {
  scheme: string;
  value: string;
}

export type Uri = SipUri | TelUri | OpaqueUri;

// RFC 3261 25.1 character classes (escaped = "%" HEXDIG HEXDIG is allowed in each).
const ESC = '%[0-9A-Fa-f]{2}';
const UNRESERVED = "A-Za-z0-9\\-_.!~*'()";
const USER = new RegExp(`^(?:[${UNRESERVED}&=+$,;?/]|${ESC})+$`);
const PASSWORD = new RegExp(`^(?:[${UNRESERVED}&=+$,]|${ESC})*$`);
const PARAM_CHARS = new RegExp(`^(?:[${UNRESERVED}\\[\\]/:&+$]|${ESC})+$`);
const HEADER_NAME = new RegExp(`^(?:[${UNRESERVED}\\[\\]/?:+$]|${ESC})+$`);
const HEADER_VALUE = new RegExp(`^(?:[${UNRESERVED}\\[\\]/?:+$]|${ESC})*$`);
// RFC 3966 5.1: global numbers start with "+" and hold at least one digit among visual separators;
// local ones may hold hex digits, "*" and "#". Character set and "at least one" are tested apart:
// one pattern with a required digit between two starred classes backtracks quadratically.
const GLOBAL_NUMBER = /^\+[0-9\-.()]+$/;
const LOCAL_NUMBER = /^[0-9A-Fa-f*#\-.()]+$/;

function isTelNumber(text: string): boolean {
  if (text.startsWith('+')) return GLOBAL_NUMBER.test(text) && /[0-9]/.test(text);
  return LOCAL_NUMBER.test(text) && /[0-9A-Fa-f*#]/.test(text);
}
// RFC 3986 3.1 scheme, and the characters an absolute URI may contain (2.2, 2.3) plus escapes.
const SCHEME = /^[A-Za-z][A-Za-z0-9+\-.]*$/;
const URI_CHARS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/;
const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;

function fail(text: string, why: string): never {
  throw new SipParseError('uri', `malformed URI '${text}': ${why}`);
}

function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/**
 * RFC 4291 2.2 text forms. RFC 5118 4.10 asks parsers to tolerate the ":::" before an embedded IPv4
 * address that RFC 3261's original IPv6reference ABNF allowed, so that one extra colon is accepted.
 */
export function isIPv6(text: string): boolean {
  // Stryker disable next-line Regex: without '$' the tail after ':::' must still be one IPv4 address below, so the same texts pass
  let groups = text.replace(/:::(?=\d+(?:\.\d+){3}$)/, '::');
  // An embedded IPv4 address stands for two 16-bit groups: keep one placeholder, count one extra.
  let extra = 0;
  const lastColon = groups.lastIndexOf(':');
  const tail = groups.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return false;
    groups = `${groups.slice(0, lastColon + 1)}0`;
    extra = 1;
  }
  const halves = groups.split('::');
  if (halves.length > 2) return false;
  const hex = (h: string): string[] | undefined => {
    if (h === '') return [];
    const g = h.split(':');
    return g.every((x) => /^[0-9A-Fa-f]{1,4}$/.test(x)) ? g : undefined;
  };
  const [head = '', rest] = halves;
  const a = hex(head);
  const b = rest === undefined ? [] : hex(rest);
  if (a === undefined || b === undefined) return false;
  const count = a.length + b.length + extra;
  return rest === undefined ? count === 8 : count <= 7;
}

/** RFC 3261 25.1 host: hostname, IPv4address or IPv6reference (the brackets are kept). */
export function isHost(text: string): boolean {
  if (text.startsWith('[')) return text.endsWith(']') && isIPv6(text.slice(1, -1));
  if (/^[0-9.]+$/.test(text)) return isIPv4(text);
  return HOSTNAME.test(text);
}

export function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}

/** `;name[=value]` list of a SIP or tel URI, in order. */
function parseUriParams(uri: string, text: string): Param[] {
  return text.split(';').map((raw) => {
    const eq = raw.indexOf('=');
    const name = eq < 0 ? raw : raw.slice(0, eq);
    if (!PARAM_CHARS.test(name)) fail(uri, `bad parameter name '${name}'`);
    // Stryker disable next-line EqualityOperator: at eq 0 the name is empty and was rejected just above
    if (eq < 0) return { name };
    const value = raw.slice(eq + 1);
    if (!PARAM_CHARS.test(value)) fail(uri, `bad value '${value}' of parameter '${name}'`);
    return { name, value };
  });
}

/** RFC 3261 19.1.1: `?hname=hvalue&...`; every header needs its "=" though the value may be empty. */
function parseUriHeaders(uri: string, text: string): Param[] {
  return text.split('&').map((raw) => {
    const eq = raw.indexOf('=');
    if (eq < 0) return fail(uri, `URI header '${raw}' has no '='`);
    const name = raw.slice(0, eq);
    const value = raw.slice(eq + 1);
    if (!HEADER_NAME.test(name) || !HEADER_VALUE.test(value)) fail(uri, `bad URI header '${raw}'`);
    return { name, value };
  });
}

function parseUserinfo(text: string, userinfo: string): { user: string; password?: string } {
  const colon = userinfo.indexOf(':');
  const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
  if (!USER.test(user)) fail(text, `bad user part '${user}'`);
  // Stryker disable next-line EqualityOperator: at colon 0 the empty user was rejected just above
  if (colon < 0) return { user };
  const password = userinfo.slice(colon + 1);
  if (!PASSWORD.test(password)) fail(text, `bad password '${password}'`);
  return { user, password };
}

function parseSipUri(text: string, scheme: 'sip' | 'sips', rest: string): SipUri {
  // RFC 3261 19.1.1: "@" cannot occur unescaped after the userinfo, so the first one ends it.
  const at = rest.indexOf('@');
  const userinfo = at < 0 ? {} : parseUserinfo(text, rest.slice(0, at));
  // Params cannot hold "?" and the host part cannot hold ";", so each split is unambiguous.
  const [withParams = '', headerText] = splitOnce(rest.slice(at + 1), '?');
  const [hostport = '', paramText] = splitOnce(withParams, ';');
  // Stryker disable next-line StringLiteral: without '[' indexOf(']') is -1, so both branches find the first ':'
  const portColon = hostport.startsWith('[') ? hostport.indexOf(':', hostport.indexOf(']')) : hostport.indexOf(':');
  const host = portColon < 0 ? hostport : hostport.slice(0, portColon);
  if (!isHost(host)) fail(text, `bad host '${host}'`);
  let port: number | undefined;
  // Stryker disable next-line EqualityOperator: at portColon 0 the empty host was rejected just above
  if (portColon >= 0) {
    const portText = hostport.slice(portColon + 1);
    port = parsePort(portText);
    if (port === undefined) fail(text, `bad port '${portText}'`);
  }
  return {
    scheme,
    ...userinfo,
    host,
    ...(port !== undefined && { port }),
    params: paramText === undefined ? NONE : parseUriParams(text, paramText),
    headers: headerText === undefined ? NONE : parseUriHeaders(text, headerText),
  };
}

/** Text before and after the first `sep`; the second part is undefined when there is none. */
function splitOnce(text: string, sep: string): [string, string | undefined] {
  const at = text.indexOf(sep);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function parseTelUri(text: string, rest: string): TelUri {
  const [number, paramText] = splitOnce(rest, ';');
  if (!isTelNumber(number)) fail(text, `bad telephone number '${number}'`);
  return { scheme: 'tel', number, params: paramText === undefined ? NONE : parseUriParams(text, paramText) };
}

/**
 * Parses a SIP/SIPS (RFC 3261 19.1), tel (RFC 3966) or any other absolute URI (RFC 3986, kept
 * opaque). Escapes are kept as written so formatting gives back the same text.
 */
export function parseUri(text: string): Uri {
  const colon = text.indexOf(':');
  const scheme = text.slice(0, Math.max(colon, 0));
  // Stryker disable next-line ConditionalExpression,EqualityOperator: with no ':' or one first the scheme is empty, which SCHEME rejects
  if (colon < 0 || !SCHEME.test(scheme)) fail(text, 'no scheme');
  const rest = text.slice(colon + 1);
  if (!URI_CHARS.test(rest)) fail(text, 'empty or containing characters a URI cannot hold');
  const lower = scheme.toLowerCase();
  // The literal, not `lower`: every URI of a run then shares one scheme string.
  if (lower === 'sip' || lower === 'sips') return parseSipUri(text, lower === 'sip' ? 'sip' : 'sips', rest);
  if (lower === 'tel') return parseTelUri(text, rest);
  return { scheme, value: rest };
}

export function isSipUri(uri: Uri): uri is SipUri {
  return uri.scheme === 'sip' || uri.scheme === 'sips';
}

export function isTelUri(uri: Uri): uri is TelUri {
  return uri.scheme === 'tel';
}

export function formatUri(uri: Uri): string {
  if (isSipUri(uri)) {
    const password = uri.password === undefined ? '' : `:${uri.password}`;
    const userinfo = uri.user === undefined ? '' : `${uri.user}${password}@`;
    const port = uri.port === undefined ? '' : `:${uri.port}`;
    const headers = uri.headers.length === 0 ? '' : `?${uri.headers.map((h) => `${h.name}=${h.value ?? ''}`).join('&')}`;
    return `${uri.scheme}:${userinfo}${uri.host}${port}${formatParams(uri.params)}${headers}`;
  }
  if (isTelUri(uri)) return `tel:${uri.number}${formatParams(uri.params)}`;
  return `${uri.scheme}:${(uri as OpaqueUri).value}`;
}

export function sipUri(user: string | undefined, host: string, params: readonly Param[] = NONE): SipUri {
  return { scheme: 'sip', ...(user !== undefined && { user }), host, params, headers: NONE };
}

/**
 * The address-of-record key under which registrations and subscriptions are filed (RFC 3261 10.3
 * compares AORs without port, parameters or headers). Host names are case-insensitive (19.1.4), the
 * user part is not; sips and sip name the same resource; tel visual separators carry no meaning
 * (RFC 3966 5.1.1).
 */
export function aorOf(uri: Uri): string {
  if (isSipUri(uri)) {
    const host = uri.host.toLowerCase();
    return uri.user === undefined ? `sip:${host}` : `sip:${uri.user}@${host}`;
  }
  if (isTelUri(uri)) return `tel:${uri.number.replace(/[-.()]/g, '')}`;
  return `${uri.scheme.toLowerCase()}:${(uri as OpaqueUri).value}`;
}

/** A parameter's value, `true` for a flag parameter, undefined if absent. Names are case-insensitive. */
export function getParam(params: readonly Param[], name: string): string | true | undefined {
  const n = name.toLowerCase();
  const found = params.find((p) => p.name.toLowerCase() === n);
  if (found === undefined) return undefined;
  return found.value ?? true;
}

/** A copy with `name` set: replaces the first parameter of that name in place, drops later ones. */
export function withParam(params: readonly Param[], name: string, value?: string): Param[] {
  const n = name.toLowerCase();
  const param: Param = value === undefined ? { name } : { name, value };
  const at = params.findIndex((p) => p.name.toLowerCase() === n);
  if (at < 0) return [...params, param];
  return params.flatMap((p, i) => (i === at ? [param] : p.name.toLowerCase() === n ? [] : [p]));
}
