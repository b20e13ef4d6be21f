import seedrandom from 'seedrandom';
import { intern } from './intern.js';

export interface RandomStream {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** `len` lowercase hex digits, after `prefix` if given (one flat string, no concatenation). */
  hex(len: number, prefix?: string): string;
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
      // Interned: the name is often a rope of the caller's concatenations, kept for the whole run.
      this.streams.set(intern(name), s);
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
    return new SeededStream(`${this.seed}/${name}`, false);
  }
}

/** Streams whose ARC4 states share one slab: 256 states of 256 bytes. */
const SLAB_STATES = 256;

/**
 * Where the ARC4 states of kept streams live: a small typed array of its own costs about 450 bytes
 * of heap and allocator overhead besides its 256 bytes, and a population keeps a stream per device.
 * Kept streams live as long as the run's `RandomStreams`, so a slot is never given back.
 */
let slab = new Uint8Array(0);
let slabUsed = SLAB_STATES;

function slabSlot(): number {
  if (slabUsed === SLAB_STATES) {
    slab = new Uint8Array(SLAB_STATES * 256);
    slabUsed = 0;
  }
  return 256 * slabUsed++;
}

/**
 * Character codes of the hex digits: identifiers are made with one String.fromCharCode, a flat
 * string, where appending digit by digit left a rope of one node per digit in every stored tag.
 */
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const HYPHEN = 45;
/** Identifiers up to this long are built in `scratch`, one reused array per length. */
const SHORT = 64;
const scratch: number[][] = [];
/** RFC 4122 3: the UUID's hex digits in groups of 8-4-4-4-12. */
const UUID_GROUPS = [8, 4, 4, 4, 12];

/** 2^48, 2^52 and 2^53: seedrandom's first denominator, its significance and its overflow bound. */
const START_DENOM = 2 ** 48;
const SIGNIFICANCE = 2 ** 52;
const OVERFLOW = 2 ** 53;

/**
 * One stream: seedrandom derives the ARC4 state from the stream's key (its key schedule and
 * RC4-drop[256]), then the stream draws from that state itself, byte for byte as seedrandom's
 * generator would, so every draw equals seedrandom's. Why not seedrandom's generator: it keeps
 * its state as a 2.5 KB array of doubles in a closure that cannot be put aside, so a million
 * devices' streams took gigabytes or a costly park and wake; here the state is 258 bytes, made at
 * the first draw, and drawing is about twice as fast.
 */
class SeededStream implements RandomStream {
  /** The ARC4 state is `s[base]` to `s[base + 255]`. */
  private s: Uint8Array | undefined;
  private base = 0;
  private i = 0;
  private j = 0;

  /** `kept`: the stream lives with the run, and its state goes in a shared slab. */
  constructor(
    private key: string,
    private readonly kept = true,
  ) {}

  next(): number {
    // seedrandom's prng(): six bytes, then one more byte at a time until 52 bits are significant.
    let n = this.bytes6();
    let d = START_DENOM;
    let x = 0;
    while (n < SIGNIFICANCE) {
      n = (n + x) * 256;
      d *= 256;
      x = this.byte();
    }
    while (n >= OVERFLOW) {
      n /= 2;
      d /= 2;
      x >>>= 1;
    }
    return (n + x) / d;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  hex(len: number, prefix = ''): string {
    const total = prefix.length + len;
    if (total <= SHORT) {
      // An identifier of a hop (a branch, a tag, a Call-ID): made in a reused array, one string.
      const codes = (scratch[total] ??= new Array<number>(total).fill(0));
      for (let k = 0; k < prefix.length; k++) codes[k] = prefix.charCodeAt(k);
      this.digits(codes, prefix.length, len);
      return String.fromCharCode(...codes);
    }
    // In pieces, so a long string does not pass more arguments than the call stack holds.
    let out = prefix;
    for (let done = 0; done < len; done += 1024) {
      const codes = new Array<number>(Math.min(1024, len - done));
      this.digits(codes, 0, codes.length);
      out += String.fromCharCode(...codes);
    }
    return out;
  }

  uuid(): string {
    const codes = new Array<number>(36);
    let at = 0;
    for (const group of UUID_GROUPS) {
      if (at > 0) codes[at++] = HYPHEN;
      this.digits(codes, at, group);
      at += group;
    }
    // RFC 4122 4.4: version 4 in the 13th digit, the variant 10xx in the 17th, drawn after the 32 digits.
    codes[14] = HEX_CODES[4]!;
    codes[19] = HEX_CODES[8 + this.int(4)]!;
    return String.fromCharCode(...codes);
  }

  /**
   * `count` hex digits' character codes into `codes` from `at`, each `int(16)` without the
   * division: the digit is the top four bits of the first byte, and the bytes consumed are those
   * `next()` consumes. next() takes six bytes (V6), then one more byte at a time while the bytes
   * before the last one, V(k), are below 2^44 (its n = V(k) * 256 < 2^52). The ARC4 step of `byte`
   * is written out on locals: a branch, a tag and a Call-ID take 36 digits, 250 steps, a message.
   */
  private digits(codes: number[], at: number, count: number): void {
    const s = this.s ?? this.start();
    const base = this.base;
    let i = this.i;
    let j = this.j;
    for (let d = 0; d < count; d++) {
      let v = 0;
      let last = 0;
      // Bytes 1 to 6 make V6; the 7th is `last`; each further one is drawn while V(k) < 2^44.
      for (let k = 0; ; k++) {
        i = (i + 1) & 255;
        const t = s[base + i]!;
        j = (j + t) & 255;
        const u = s[base + j]!;
        s[base + i] = u;
        s[base + j] = t;
        const b = s[base + ((u + t) & 255)]!;
        if (k < 6) {
          v = v * 256 + b;
          continue;
        }
        if (k === 6) codes[at + d] = HEX_CODES[Math.floor(v / 2 ** 44)]!;
        else v = v * 256 + last;
        last = b;
        if (v >= 2 ** 44) break;
      }
    }
    this.i = i;
    this.j = j;
  }

  private bytes6(): number {
    let r = 0;
    for (let k = 0; k < 6; k++) r = r * 256 + this.byte();
    return r;
  }

  /** The next ARC4 output byte (the PRGA step of seedrandom's ARC4.g). */
  private byte(): number {
    const s = this.s ?? this.start();
    const base = this.base;
    const i = (this.i + 1) & 255;
    const t = s[base + i]!;
    const j = (this.j + t) & 255;
    const u = s[base + j]!;
    s[base + i] = u;
    s[base + j] = t;
    this.i = i;
    this.j = j;
    return s[base + ((u + t) & 255)]!;
  }

  private start(): Uint8Array {
    const state = seedrandom(this.key, { state: true }).state();
    // The key is needed no more: a kept stream lives as long as the run, its key need not.
    this.key = '';
    if (this.kept) {
      this.base = slabSlot();
      this.s = slab;
      slab.set(state.S, this.base);
    } else {
      this.s = Uint8Array.from(state.S);
    }
    this.i = state.i;
    this.j = state.j;
    return this.s;
  }
}
