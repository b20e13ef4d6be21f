import seedrandom from 'seedrandom';

export interface RandomStream {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** `len` lowercase hex digits. */
  hex(len: number): string;
  /** RFC 4122 version-4 UUID drawn from this stream. */
  uuid(): string;
}

/**
 * Independent named streams derived from one run seed (the ns-3 RngStream idea): each consumer
 * draws from its own stream, so adding an actor or a link does not shift what the others draw.
 */
export class RandomStreams {
  private readonly streams = new Map<string, RandomStream>();
  private readonly usedOnce = new Set<string>();

  constructor(readonly seed: number) {}

  stream(name: string): RandomStream {
    let s = this.streams.get(name);
    if (s === undefined) {
      if (this.usedOnce.has(name)) throw new Error(`random stream ${name} was taken for one use`);
      s = new SeededStream(`${this.seed}/${name}`);
      this.streams.set(name, s);
    }
    return s;
  }

  /**
   * A fresh stream for an identity an element draws once, at creation (a device's instance id):
   * not kept, so its generator's state is freed once the caller is done with it. Each call starts
   * the stream anew, so an element restarted after a crash draws the same identity again, as a
   * real device keeps its instance id across reboots (RFC 5626 4.1). A name used this way cannot
   * also be a running stream.
   */
  once(name: string): RandomStream {
    if (this.streams.has(name)) throw new Error(`random stream ${name} is already in use`);
    this.usedOnce.add(name);
    return new SeededStream(`${this.seed}/${name}`);
  }
}

/**
 * A seedrandom generator created at the first draw: a million idle devices hold a key string each,
 * not a million generator states (about 1.5 KB apiece) they may never draw from.
 */
class SeededStream implements RandomStream {
  private prng: seedrandom.PRNG | undefined;

  constructor(private readonly key: string) {}

  next(): number {
    return (this.prng ??= seedrandom(this.key))();
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  hex(len: number): string {
    let out = '';
    for (let i = 0; i < len; i++) out += this.int(16).toString(16);
    return out;
  }

  uuid(): string {
    const h = this.hex(32).split('');
    h[12] = '4';
    h[16] = (8 + this.int(4)).toString(16);
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}
