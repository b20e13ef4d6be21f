import { Buffer } from 'node:buffer';

/** What a protocol makes of the octets at the start of its stream. */
export type Cut<F> =
  /** A whole message, `octets` long. */
  | { frame: F; octets: number }
  /** Not yet a whole message: wait for more octets. */
  | { wait: true }
  /** The last frame: the octets after it have no known start, so nothing more is read. */
  | { stop: F };

/**
 * Cuts a byte stream (TCP) into the messages of one protocol, `cut` saying where each ends. CRLFs
 * between messages carry nothing and are skipped (SIP keep-alives, RFC 5626 3.5.1; MSRP likewise).
 * After a stop the framer yields nothing more.
 */
export abstract class ByteFramer<F> {
  private pending: Buffer = Buffer.alloc(0);
  private broken = false;

  constructor(protected readonly maxOctets: number) {}

  push(chunk: Buffer): F[] {
    if (this.broken) return [];
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: F[] = [];
    for (;;) {
      let start = 0;
      while (start + 1 < this.pending.length && this.pending[start] === 0x0d && this.pending[start + 1] === 0x0a) start += 2;
      if (start > 0) this.pending = this.pending.subarray(start);
      if (this.pending.length === 0) return frames;
      const cut = this.cut(this.pending);
      if ('wait' in cut) return frames;
      if ('stop' in cut) {
        this.broken = true;
        this.pending = Buffer.alloc(0);
        frames.push(cut.stop);
        return frames;
      }
      frames.push(cut.frame);
      this.pending = this.pending.subarray(cut.octets);
    }
  }

  /** Where the message at the start of `pending` (no leading CRLF, never empty) ends. */
  protected abstract cut(pending: Buffer): Cut<F>;
}
