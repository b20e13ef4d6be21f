import { Buffer } from 'node:buffer';
import { ByteFramer, type Cut } from './byte-framer.js';

/** What the framer makes of the octets of a stream so far. */
export type Frame =
  /** One whole message: its head and as many body octets as its Content-Length says. */
  | { kind: 'message'; octets: Buffer }
  /** RFC 3261 18.3: a message on a stream without Content-Length cannot be framed; the stream is lost. */
  | { kind: 'unframeable'; reason: string; head: string }
  /** A message longer than the bound: its head, to answer 513, before the connection is closed. */
  | { kind: 'oversize'; octets: number; head: string };

const HEAD_END = Buffer.from('\r\n\r\n');
/** Compact form `l` (RFC 3261 7.3.3) or the full name, at the start of a header line. */
const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(\S*)[ \t]*$/im;

/**
 * Cuts a SIP byte stream (TCP) into messages by the Content-Length of each (RFC 3261 18.3). CRLFs
 * between messages are keep-alives (RFC 5626 3.5.1) and are skipped. After an unframeable or
 * oversize message the framer yields nothing more: the octets after it have no known start.
 */
export class StreamFramer extends ByteFramer<Frame> {
  protected cut(pending: Buffer): Cut<Frame> {
    const end = pending.indexOf(HEAD_END);
    if (end < 0) return pending.length > this.maxOctets ? { stop: { kind: 'oversize', octets: pending.length, head: pending.toString('latin1', 0, 2048) } } : { wait: true };
    const head = pending.toString('latin1', 0, end);
    const length = CONTENT_LENGTH.exec(head)?.[1];
    if (length === undefined) return { stop: { kind: 'unframeable', reason: 'no Content-Length on a stream (RFC 3261 18.3)', head } };
    if (!/^\d{1,9}$/.test(length)) return { stop: { kind: 'unframeable', reason: `Content-Length ${length} is not a number of octets`, head } };
    const total = end + HEAD_END.length + Number(length);
    if (total > this.maxOctets) return { stop: { kind: 'oversize', octets: total, head } };
    if (pending.length < total) return { wait: true };
    return { frame: { kind: 'message', octets: Buffer.from(pending.subarray(0, total)) }, octets: total };
  }
}
