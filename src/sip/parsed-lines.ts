import { formatVia, parseCSeq, parseVia, splitHeaderList, type CSeq, type Via } from './header-values.js';
import { headerLine, type Header, type SipMessage } from './message.js';
import { parseNameAddr, type NameAddr } from './name-addr.js';
import { parsedByText } from '../bodies/parsed-text.js';

/**
 * Parsed values of header lines, kept with the line. A line is an immutable value shared by every
 * hop that forwards it (see `cloneMessage`), so it is parsed once however many elements read it:
 * the top Via is read by each receiver and again on the way back. A line that does not parse
 * throws each time and is never cached. Callers must treat the results as read-only.
 */
interface Memo<T> {
  (line: Header): T;
  /**
   * `line` with its parse already known (the caller built its value by formatting `parsed`), so
   * the next element reads it without parsing: the stack writes a Via on every hop, and each
   * receiver reads it. `parsed` must be what parsing the line's value gives.
   */
  seed(line: Header, parsed: T): Header;
}

function memo<T>(parse: (value: string) => T): Memo<T> {
  // A symbol-keyed slot on the line itself: a WeakMap per kind cost an ephemeron table entry per
  // line, which the collector must trace to a fixed point, on every hop's fresh lines.
  const slot = Symbol(parse.name);
  // Not enumerable: the line still equals a line of the same name and value.
  const seed = (line: Header, parsed: T): Header => Object.defineProperty(line, slot, { value: parsed });
  const read = (line: Header): T => {
    const cached = (line as unknown as Record<symbol, T | undefined>)[slot];
    if (cached !== undefined) return cached;
    const parsed = parse(line.value);
    seed(line, parsed);
    return parsed;
  };
  return Object.assign(read, { seed });
}

/** The via-parms of one Via line, topmost first. */
export const viasOf: Memo<readonly Readonly<Via>[]> = memo(parseVia);

/** The comma-separated elements of one line (Route, Record-Route, Path). */
export const elementsOf: Memo<readonly string[]> = memo(splitHeaderList);

/**
 * parseNameAddr for a value read, not changed, by its caller: Route values
 * (`<sip:core.a.example;lr;odi=term>`) and a served user recur on message after message, each in
 * a line of its own, so they are parsed once per distinct text and the result is shared.
 */
export const readNameAddr: (value: string) => Readonly<NameAddr> = parsedByText(parseNameAddr, 4096);

/** The name-addr of a single-valued line (From, To): its tag makes it recur only within its dialog. */
export const nameAddrOf: (line: Header) => Readonly<NameAddr> = memo(parseNameAddr);

/** The name-addr of a line whose value recurs from message to message (Route, P-Served-User). */
export const recurringNameAddrOf: (line: Header) => Readonly<NameAddr> = memo(readNameAddr);

/** The sequence number and method of a CSeq line. */
export const cseqOf: (line: Header) => Readonly<CSeq> = memo(parseCSeq);

/** The name-addr of a message's From or To line, parsed once per line. */
export function nameAddrIn(msg: SipMessage, name: 'From' | 'To'): Readonly<NameAddr> | undefined {
  const line = headerLine(msg, name);
  return line === undefined ? undefined : nameAddrOf(line);
}

/** A Via line of these via-parms, its parse known (RFC 3261 20.42: several may share a line). */
export function viaLine(name: string, vias: readonly Readonly<Via>[]): Header {
  return viasOf.seed({ name, value: vias.map(formatVia).join(', ') }, vias);
}

/** A line of these list elements (Route, Record-Route), its split known. */
export function listLine(name: string, elements: readonly string[]): Header {
  return elementsOf.seed({ name, value: elements.join(', ') }, elements);
}
