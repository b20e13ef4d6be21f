import type { Body } from '../bodies/body.js';
import type { Uri } from './uri.js';

/**
 * One header line. Names are stored in their canonical long form (compact forms are expanded by the
 * parser); values are the raw text after the colon, trimmed. Content-Type and Content-Length are
 * never stored here: they are derived from `body` when serializing.
 */
export interface Header {
  name: string;
  value: string;
}

/**
 * Set only on a message a scenario injects on purpose (fault injection): the exact bytes sent,
 * which the receiver parses and may reject. The other fields are a lenient reading of those bytes,
 * for display; for every other message the wire text is the serialization of the fields.
 */
interface Injected {
  wire?: string;
}

export interface SipRequest extends Injected {
  type: 'request';
  method: string;
  uri: Uri;
  headers: Header[];
  body?: Body;
}

export interface SipResponse extends Injected {
  type: 'response';
  status: number;
  reason: string;
  headers: Header[];
  body?: Body;
}

export type SipMessage = SipRequest | SipResponse;

const lower = (s: string): string => s.toLowerCase();

/** First value of a header, or undefined. Names compare case-insensitively (RFC 3261 7.3.5). */
export function header(msg: SipMessage, name: string): string | undefined {
  const n = lower(name);
  return msg.headers.find((h) => lower(h.name) === n)?.value;
}

/** All values of a header in order (each header line as one entry). */
export function headers(msg: SipMessage, name: string): string[] {
  const n = lower(name);
  return msg.headers.filter((h) => lower(h.name) === n).map((h) => h.value);
}

/** Replaces every line of `name` with one line, at the place of the first (or at the end). */
export function setHeader(msg: SipMessage, name: string, value: string): void {
  const n = lower(name);
  const at = msg.headers.findIndex((h) => lower(h.name) === n);
  msg.headers = msg.headers.filter((h) => lower(h.name) !== n);
  msg.headers.splice(at < 0 ? msg.headers.length : at, 0, { name, value });
}

/**
 * Inserts a header line above the existing lines of that name, as proxies push Via and Route. The
 * first line of a name goes right after the Via lines (a first Via goes on top), where readers look.
 */
export function pushHeader(msg: SipMessage, name: string, value: string): void {
  const n = lower(name);
  let at = msg.headers.findIndex((h) => lower(h.name) === n);
  if (at < 0) {
    at = 0;
    if (n !== 'via') while (at < msg.headers.length && lower(msg.headers[at]!.name) === 'via') at++;
  }
  msg.headers.splice(at, 0, { name, value });
}

export function removeHeaders(msg: SipMessage, name: string): void {
  const n = lower(name);
  msg.headers = msg.headers.filter((h) => lower(h.name) !== n);
}

/**
 * A copy for the next hop: proxies forward a modified copy, never the object they received, and
 * the network hands each receiver its own. What elements change as a message travels (header
 * lines, the Request-URI) is copied; the body is a value no element changes in place (they build
 * new bodies), so copies share it, which keeps a long run's memory to one body per message.
 */
export function cloneMessage<M extends SipMessage>(msg: M): M {
  const copy = { ...msg, headers: msg.headers.map((h) => ({ name: h.name, value: h.value })) };
  if (copy.type === 'request') copy.uri = cloneUri(copy.uri);
  return copy;
}

function cloneUri(uri: Uri): Uri {
  if (!('params' in uri)) return { ...uri };
  const params = uri.params.map((p) => ({ ...p }));
  return 'headers' in uri ? { ...uri, params, headers: uri.headers.map((h) => ({ ...h })) } : { ...uri, params };
}
