import { Buffer } from 'node:buffer';

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
export class StreamFramer {
  private pending: Buffer = Buffer.alloc(0);
  private broken = false;

  constructor(private readonly maxOctets: number) {}

  push(chunk: Buffer): Frame[] {
    if (this.broken) return [];
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      let start = 0;
      while (start + 1 < this.pending.length && this.pending[start] === 0x0d && this.pending[start + 1] === 0x0a) start += 2;
      if (start > 0) this.pending = this.pending.subarray(start);
      const end = this.pending.indexOf(HEAD_END);
      if (end < 0) {
        if (this.pending.length > this.maxOctets) return this.stop(frames, { kind: 'oversize', octets: this.pending.length, head: this.pending.toString('latin1', 0, 2048) });
        return frames;
      }
      const head = this.pending.toString('latin1', 0, end);
      const length = CONTENT_LENGTH.exec(head)?.[1];
      if (length === undefined) return this.stop(frames, { kind: 'unframeable', reason: 'no Content-Length on a stream (RFC 3261 18.3)', head });
      if (!/^\d{1,9}$/.test(length)) return this.stop(frames, { kind: 'unframeable', reason: `Content-Length ${length} is not a number of octets`, head });
      const total = end + HEAD_END.length + Number(length);
      if (total > this.maxOctets) return this.stop(frames, { kind: 'oversize', octets: total, head });
      if (this.pending.length < total) return frames;
      frames.push({ kind: 'message', octets: Buffer.from(this.pending.subarray(0, total)) });
      this.pending = this.pending.subarray(total);
    }
  }

  private stop(frames: Frame[], last: Frame): Frame[] {
    this.broken = true;
    this.pending = Buffer.alloc(0);
    return [...frames, last];
  }
}
