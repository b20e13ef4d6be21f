import { parseCSeq, parseVia, splitHeaderList, type CSeq, type Via } from './header-values.js';
import type { Header } from './message.js';
import { parseNameAddr, type NameAddr } from './name-addr.js';

/**
 * Parsed values of header lines, kept with the line. A line is an immutable value shared by every
 * hop that forwards it (see `cloneMessage`), so it is parsed once however many elements read it:
 * the top Via is read by each receiver and again on the way back. A line that does not parse
 * throws each time and is never cached. Callers must treat the results as read-only.
 */
function memo<T>(parse: (value: string) => T): (line: Header) => T {
  // A symbol-keyed slot on the line itself: a WeakMap per kind cost an ephemeron table entry per
  // line, which the collector must trace to a fixed point, on every hop's fresh lines.
  const slot = Symbol(parse.name);
  return (line) => {
    const cached = (line as unknown as Record<symbol, T | undefined>)[slot];
    if (cached !== undefined) return cached;
    const parsed = parse(line.value);
    // Not enumerable: the line still equals a line of the same name and value.
    Object.defineProperty(line, slot, { value: parsed });
    return parsed;
  };
}

/** The via-parms of one Via line, topmost first. */
export const viasOf: (line: Header) => readonly Readonly<Via>[] = memo(parseVia);

/** The comma-separated elements of one line (Route, Record-Route, Path). */
export const elementsOf: (line: Header) => readonly string[] = memo(splitHeaderList);

/** The name-addr of a single-valued line (From, To, P-Asserted-Identity). */
export const nameAddrOf: (line: Header) => Readonly<NameAddr> = memo(parseNameAddr);

/** The sequence number and method of a CSeq line. */
export const cseqOf: (line: Header) => Readonly<CSeq> = memo(parseCSeq);
