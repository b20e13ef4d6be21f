import { Buffer } from 'node:buffer';

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
export class MsrpFramer {
  private pending: Buffer = Buffer.alloc(0);
  private broken = false;

  constructor(private readonly maxOctets: number) {}

  push(chunk: Buffer): MsrpFrame[] {
    if (this.broken) return [];
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: MsrpFrame[] = [];
    for (;;) {
      // CRLFs between messages carry nothing (as on a SIP stream); they are skipped.
      let start = 0;
      while (start + 1 < this.pending.length && this.pending[start] === 0x0d && this.pending[start + 1] === 0x0a) start += 2;
      if (start > 0) this.pending = this.pending.subarray(start);
      if (this.pending.length === 0) return frames;
      const lineEnd = this.pending.indexOf(CRLF);
      if (lineEnd < 0) {
        if (this.pending.length > MAX_START_LINE) return this.stop(frames, { kind: 'unframeable', reason: `no start line in the first ${MAX_START_LINE} octets`, head: this.head() });
        return frames;
      }
      const id = START.exec(this.pending.toString('latin1', 0, lineEnd))?.[1];
      if (id === undefined) return this.stop(frames, { kind: 'unframeable', reason: 'the stream does not start with an MSRP start line (RFC 4975 9)', head: this.head() });
      const endLine = Buffer.from(`\r\n-------${id}`, 'latin1');
      const at = this.pending.indexOf(endLine, lineEnd);
      // The end-line is the CRLF, seven dashes, the id, one flag ($ + #) and CRLF.
      const total = at < 0 ? -1 : at + endLine.length + 3;
      if (at < 0 || this.pending.length < total) {
        if (this.pending.length > this.maxOctets) return this.stop(frames, { kind: 'oversize', octets: this.pending.length, head: this.head() });
        return frames;
      }
      if (total > this.maxOctets) return this.stop(frames, { kind: 'oversize', octets: total, head: this.head() });
      frames.push({ kind: 'message', text: this.pending.toString('utf8', 0, total) });
      this.pending = this.pending.subarray(total);
    }
  }

  private head(): string {
    const text = this.pending.toString('latin1', 0, Math.min(this.pending.length, 2048));
    const blank = text.indexOf('\r\n\r\n');
    return blank < 0 ? text : text.slice(0, blank + 2);
  }

  private stop(frames: MsrpFrame[], last: MsrpFrame): MsrpFrame[] {
    this.broken = true;
    this.pending = Buffer.alloc(0);
    return [...frames, last];
  }
}
