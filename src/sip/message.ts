import type { Body } from '../bodies/body.js';
import type { Uri } from './uri.js';

/**
 * One header line, a value no one changes: messages share their header lines (and the lists of
 * them) between hops, and every change makes a new list (copy on write, see `cloneMessage`).
 * Names are stored in their canonical long form (compact forms are expanded by the parser);
 * values are the raw text after the colon, trimmed. Content-Type and Content-Length are
 * never stored here: they are derived from `body` when serializing.
 */
export interface Header {
  readonly name: string;
  readonly value: string;
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
  headers: readonly Header[];
  body?: Body;
}

export interface SipResponse extends Injected {
  type: 'response';
  status: number;
  reason: string;
  headers: readonly Header[];
  body?: Body;
}

export type SipMessage = SipRequest | SipResponse;

const lower = (s: string): string => s.toLowerCase();

/**
 * Whether a header line is named `name`, case-insensitively (RFC 3261 7.3.5). Stored names are
 * canonical, so the exact comparison settles nearly every line and only a name of the same length
 * is lowercased: lookups run on every hop.
 */
export function isNamed(line: Header, name: string, lowerName: string): boolean {
  const n = line.name;
  return n === name || (n.length === lowerName.length && lower(n) === lowerName);
}

/** The first line of a header, or undefined. */
export function headerLine(msg: SipMessage, name: string): Header | undefined {
  const n = lower(name);
  for (const h of msg.headers) if (isNamed(h, name, n)) return h;
  return undefined;
}

/** First value of a header, or undefined. */
export function header(msg: SipMessage, name: string): string | undefined {
  return headerLine(msg, name)?.value;
}

/** All lines of a header in order, the same line objects (a response shares its request's Vias). */
export function headerLines(msg: SipMessage, name: string): Header[] {
  const n = lower(name);
  return msg.headers.filter((h) => isNamed(h, name, n));
}

/** All values of a header in order (each header line as one entry). */
export function headers(msg: SipMessage, name: string): string[] {
  const n = lower(name);
  return msg.headers.filter((h) => isNamed(h, name, n)).map((h) => h.value);
}

/** Replaces every line of `name` with one line, at the place of the first (or at the end). */
export function setHeader(msg: SipMessage, name: string, value: string): void {
  const n = lower(name);
  const list = msg.headers;
  const at = list.findIndex((h) => isNamed(h, name, n));
  // The usual case, one line of the name (Max-Forwards at every proxy): replaced in place.
  if (at >= 0 && !list.some((h, i) => i > at && isNamed(h, name, n))) {
    msg.headers = replaceAt(list, at, { name, value });
    return;
  }
  const rest = at < 0 ? list : list.filter((h) => !isNamed(h, name, n));
  msg.headers = insertAt(rest, at < 0 ? rest.length : at, { name, value });
}

/**
 * Inserts a header line above the existing lines of that name, as proxies push Via and Route. The
 * first line of a name goes right after the Via lines (a first Via goes on top), where readers look.
 */
export function pushHeader(msg: SipMessage, name: string, value: string): void {
  pushLine(msg, { name, value });
}

/** `pushHeader` of a line already made (one whose parse is known, see parsed-lines.ts). */
export function pushLine(msg: SipMessage, line: Header): void {
  const name = line.name;
  const n = lower(name);
  let at = msg.headers.findIndex((h) => isNamed(h, name, n));
  if (at < 0) {
    at = 0;
    if (n !== 'via') while (at < msg.headers.length && isNamed(msg.headers[at]!, 'Via', 'via')) at++;
  }
  msg.headers = insertAt(msg.headers, at, line);
}

/** A new list of header lines with `lines` inserted before index `at`. */
export function insertAt(list: readonly Header[], at: number, ...lines: Header[]): Header[] {
  return splice(list, at, 0, lines);
}

/** A new list of header lines with the line at `at` replaced by `lines` (none: removed). */
export function replaceAt(list: readonly Header[], at: number, ...lines: Header[]): Header[] {
  return splice(list, at, 1, lines);
}

/** A new list: `list` with `removed` lines at `at` replaced by `lines`, built in one array (every hop makes a few). */
function splice(list: readonly Header[], index: number, count: number, lines: readonly Header[]): Header[] {
  // Indexes as Array.slice reads them: a negative one counts from the end.
  const at = index < 0 ? Math.max(0, list.length + index) : Math.min(index, list.length);
  const removed = Math.min(count, list.length - at);
  const out = new Array<Header>(list.length - removed + lines.length);
  let k = 0;
  for (let i = 0; i < at; i++) out[k++] = list[i]!;
  for (const line of lines) out[k++] = line;
  for (let i = at + removed; i < list.length; i++) out[k++] = list[i]!;
  return out;
}

export function removeHeaders(msg: SipMessage, name: string): void {
  const n = lower(name);
  if (msg.headers.some((h) => isNamed(h, name, n))) msg.headers = msg.headers.filter((h) => !isNamed(h, name, n));
}

/**
 * A copy for the next hop: proxies forward a modified copy, never the object they received, and
 * the network hands each receiver its own. The copy is shallow: the header lines, the Request-URI
 * and the body are values no element changes in place (a change assigns a new list, URI or body to
 * its own copy), so copies share them, and a hop costs one small object instead of a deep copy.
 */
export function cloneMessage<M extends SipMessage>(msg: M): M {
  return { ...msg };
}
