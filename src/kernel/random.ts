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

  constructor(readonly seed: number) {}

  stream(name: string): RandomStream {
    let s = this.streams.get(name);
    if (s === undefined) {
      s = makeStream(seedrandom(`${this.seed}/${name}`));
      this.streams.set(name, s);
    }
    return s;
  }
}

function makeStream(prng: seedrandom.PRNG): RandomStream {
  const int = (n: number): number => Math.floor(prng() * n);
  const hex = (len: number): string => {
    let out = '';
    for (let i = 0; i < len; i++) out += int(16).toString(16);
    return out;
  };
  return {
    next: () => prng(),
    int,
    hex,
    uuid: () => {
      const h = hex(32).split('');
      h[12] = '4';
      h[16] = (8 + int(4)).toString(16);
      const s = h.join('');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
  };
}
