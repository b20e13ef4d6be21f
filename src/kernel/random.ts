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
 * How many generators stay awake at once, about 40 MB of them: an ARC4 state is 256 bytes of
 * permutation, about 2.5 KB as seedrandom keeps it, and 258 bytes parked. A million devices that
 * each drew once at registration would otherwise hold 2.5 GB of generator state; waking a parked
 * one costs a few microseconds, so the awake set is large enough for a busy network's hot streams.
 */
const AWAKE = 16_384;

/**
 * Independent named streams derived from one run seed (the ns-3 RngStream idea): each consumer
 * draws from its own stream, so adding an actor or a link does not shift what the others draw.
 */
export class RandomStreams {
  private readonly streams = new Map<string, RandomStream>();
  private readonly usedOnce = new Set<string>();
  /** The awake generators, oldest first, as a ring: the oldest parks when a new one wakes. */
  private readonly awake: (SeededStream | undefined)[];
  private oldest = 0;

  /** `awake`: how many generators may be awake at once (tests park them sooner). */
  constructor(
    readonly seed: number,
    awake = AWAKE,
  ) {
    this.awake = new Array<SeededStream | undefined>(awake);
  }

  stream(name: string): RandomStream {
    let s = this.streams.get(name);
    if (s === undefined) {
      if (this.usedOnce.has(name)) throw new Error(`random stream ${name} was taken for one use`);
      s = new SeededStream(`${this.seed}/${name}`, this);
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
    return new SeededStream(`${this.seed}/${name}`, undefined);
  }

  /** `stream` woke its generator: it takes the oldest awake one's place, which parks. */
  woke(stream: SeededStream): void {
    this.awake[this.oldest]?.park();
    this.awake[this.oldest] = stream;
    this.oldest = (this.oldest + 1) % this.awake.length;
  }
}

const HEX = '0123456789abcdef';

/**
 * A seedrandom ARC4 generator created at the first draw, and parked (its state saved compactly
 * with seedrandom's own `state()`, restored with its `state` option) while others are in use:
 * parking never changes what the stream draws next, only where its state lives.
 */
class SeededStream implements RandomStream {
  private prng: seedrandom.StatefulPRNG<seedrandom.State.Arc4> | undefined;
  /** The ARC4 permutation then its i and j, while parked. */
  private parked: Uint8Array | undefined;

  constructor(
    private readonly key: string,
    private readonly owner: RandomStreams | undefined,
  ) {}

  next(): number {
    return (this.prng ?? this.wake())();
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  hex(len: number): string {
    let out = '';
    for (let i = 0; i < len; i++) out += HEX[this.int(16)];
    return out;
  }

  uuid(): string {
    const h = this.hex(32).split('');
    h[12] = '4';
    h[16] = (8 + this.int(4)).toString(16);
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }

  park(): void {
    const state = this.prng?.state();
    if (state === undefined) return;
    const bytes = new Uint8Array(258);
    bytes.set(state.S);
    bytes[256] = state.i;
    bytes[257] = state.j;
    this.parked = bytes;
    this.prng = undefined;
  }

  private wake(): seedrandom.StatefulPRNG<seedrandom.State.Arc4> {
    const bytes = this.parked;
    const prng =
      bytes === undefined
        ? seedrandom(this.key, { state: true })
        : seedrandom('', { state: { S: Array.from(bytes.subarray(0, 256)), i: bytes[256]!, j: bytes[257]! } });
    this.prng = prng;
    this.parked = undefined;
    this.owner?.woke(this);
    return prng;
  }
}
