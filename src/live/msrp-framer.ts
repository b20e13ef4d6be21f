import { Buffer } from 'node:buffer';
import { ByteFramer, type Cut } from './byte-framer.js';

/** What the framer makes of the octets of an MSRP connection so far. */
export type MsrpFrame =
  /** One whole MSRP message (a chunk): its start line to its end-line, CRLF included. */
  | { kind: 'message'; text: string }
  /** A start line that is not MSRP's: where the next message starts is unknown, the connection is lost. */
  | { kind: 'unframeable'; reason: string; head: string }
  /** A chunk longer than the bound: its head, to answer 413, before the connection is closed. */
  | { kind: 'oversize'; octets: number; head: string };

const CRLF = Buffer.from('\r\n');
/** RFC 4975 9: `MSRP SP transact-id SP ...`, the transaction id an ident of 4 to 32 characters. */
const START = /^MSRP ([A-Za-z0-9][A-Za-z0-9.\-+%=]{3,31}) /;
/** RFC 4975 9: the longest start line (a transaction id, a method or a status with its comment) worth waiting for. */
const MAX_START_LINE = 1024;

/**
 * Cuts an MSRP byte stream (TCP, RFC 4975 6) into messages. MSRP has no length field: a message
 * ends at the first CRLF "-------" transaction id and continuation flag after its start line
 * (RFC 4975 7.1), so the framer reads the id from the start line and looks for that end-line.
 * After an unframeable or oversize message the framer yields nothing more.
 */
export class MsrpFramer extends ByteFramer<MsrpFrame> {
  protected cut(pending: Buffer): Cut<MsrpFrame> {
    const lineEnd = pending.indexOf(CRLF);
    if (lineEnd < 0) return pending.length > MAX_START_LINE ? { stop: { kind: 'unframeable', reason: `no start line in the first ${MAX_START_LINE} octets`, head: headOf(pending) } } : { wait: true };
    const id = START.exec(pending.toString('latin1', 0, lineEnd))?.[1];
    if (id === undefined) return { stop: { kind: 'unframeable', reason: 'the stream does not start with an MSRP start line (RFC 4975 9)', head: headOf(pending) } };
    const endLine = Buffer.from(`\r\n-------${id}`, 'latin1');
    const at = pending.indexOf(endLine, lineEnd);
    // The end-line is the CRLF, seven dashes, the id, one flag ($ + #) and CRLF.
    const total = at < 0 ? -1 : at + endLine.length + 3;
    if (at < 0 || pending.length < total) return pending.length > this.maxOctets ? { stop: { kind: 'oversize', octets: pending.length, head: headOf(pending) } } : { wait: true };
    if (total > this.maxOctets) return { stop: { kind: 'oversize', octets: total, head: headOf(pending) } };
    return { frame: { kind: 'message', text: pending.toString('utf8', 0, total) }, octets: total };
  }
}

/** The start line and headers of the message at the start, up to 2,048 octets, for the answer to it. */
function headOf(pending: Buffer): string {
  const text = pending.toString('latin1', 0, Math.min(pending.length, 2048));
  const blank = text.indexOf('\r\n\r\n');
  return blank < 0 ? text : text.slice(0, blank + 2);
}
