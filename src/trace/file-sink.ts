/** A file written in large chunks as a run goes, so a long trace never sits whole in memory. */
import { Buffer } from 'node:buffer';
import { closeSync, openSync, writeSync } from 'node:fs';

/** Writes go out once this many octets are waiting: few system calls, a fixed amount of memory. */
const CHUNK = 1 << 20;

export class FileSink {
  private readonly fd: number;
  private parts: (string | Uint8Array)[] = [];
  private waiting = 0;
  private written = 0;

  /** Creates (or truncates) the file at once, so a path that cannot be written fails before the run. */
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  /** Octets written so far, including those still waiting. */
  get size(): number {
    return this.written + this.waiting;
  }

  write(data: string | Uint8Array): void {
    this.parts.push(data);
    this.waiting += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (this.waiting >= CHUNK) this.flush();
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const chunk = Buffer.concat(this.parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
    let offset = 0;
    while (offset < chunk.length) offset += writeSync(this.fd, chunk, offset);
    this.written += chunk.length;
    this.parts = [];
    this.waiting = 0;
  }
}
