import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { RandomStreams, type RandomStream } from '../../src/kernel/random.js';

const draw = (s: RandomStream, n: number): number[] => Array.from({ length: n }, () => s.next());

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('RandomStreams', () => {
  it('gives the same sequence for the same seed and name', () => {
    const a = new RandomStreams(42).stream('alice');
    const b = new RandomStreams(42).stream('alice');
    expect(draw(a, 50)).toEqual(draw(b, 50));
    expect(a.hex(20)).toBe(b.hex(20));
    expect(a.uuid()).toBe(b.uuid());
    expect(a.int(1000)).toBe(b.int(1000));
  });

  it('gives different sequences for different names and for different seeds', () => {
    const rs = new RandomStreams(42);
    const alice = draw(rs.stream('alice'), 20);
    const bob = draw(rs.stream('bob'), 20);
    const otherSeed = draw(new RandomStreams(43).stream('alice'), 20);
    expect(alice).not.toEqual(bob);
    expect(alice).not.toEqual(otherSeed);
  });

  it('returns the same stream object for a name, so draws continue instead of restarting', () => {
    const rs = new RandomStreams(7);
    const first = rs.stream('x');
    expect(rs.stream('x')).toBe(first);
    const a = first.next();
    const b = rs.stream('x').next();
    const fresh = draw(new RandomStreams(7).stream('x'), 2);
    expect([a, b]).toEqual(fresh);
  });

  it('keeps a stream independent of streams created and drawn from in between', () => {
    const alone = draw(new RandomStreams(99).stream('core'), 30);
    const rs = new RandomStreams(99);
    const core = rs.stream('core');
    const mixed: number[] = [];
    mixed.push(...draw(core, 10));
    draw(rs.stream('client-1'), 17);
    rs.stream('client-2').uuid();
    mixed.push(...draw(core, 10));
    rs.stream('link').hex(40);
    mixed.push(...draw(core, 10));
    expect(mixed).toEqual(alone);
  });

  it('property: any interleaving of draws over several streams leaves each stream sequence unchanged', () => {
    const names = ['a', 'b', 'c', 'd'] as const;
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.constantFrom(...names), { maxLength: 200 }), (seed, picks) => {
        const rs = new RandomStreams(seed);
        const got = new Map<string, number[]>();
        for (const n of picks) {
          const list = got.get(n) ?? [];
          list.push(rs.stream(n).next());
          got.set(n, list);
        }
        for (const [n, values] of got) {
          expect(values).toEqual(draw(new RandomStreams(seed).stream(n), values.length));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('next() lies in [0, 1), int(n) in [0, n), hex(len) has len lowercase hex digits', () => {
    const s = new RandomStreams(1).stream('ranges');
    for (let i = 0; i < 2_000; i++) {
      const x = s.next();
      expect(x >= 0 && x < 1).toBe(true);
      const k = s.int(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
    expect(s.hex(0)).toBe('');
    for (const len of [1, 8, 12, 33]) expect(s.hex(len)).toMatch(new RegExp(`^[0-9a-f]{${len}}$`));
    // int covers its whole range.
    const seen = new Set(Array.from({ length: 500 }, () => s.int(5)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('uuid() is an RFC 4122 version-4 UUID (version nibble 4, variant 10xx)', () => {
    const s = new RandomStreams(2024).stream('ids');
    const ids = Array.from({ length: 400 }, () => s.uuid());
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
    // All four variant digits occur: the variant nibble is drawn, not fixed.
    expect(new Set(ids.map((id) => id[19])).size).toBe(4);
  });
});

describe('RandomStreams.once', () => {
  it('draws what stream() would have drawn for the name', () => {
    expect(new RandomStreams(5).once('dev/instance').uuid()).toBe(new RandomStreams(5).stream('dev/instance').uuid());
  });

  it('starts anew at each call (a restarted element draws the same identity); stream() of that name is refused', () => {
    const rs = new RandomStreams(5);
    const first = rs.once('dev/instance').uuid();
    expect(rs.once('dev/instance').uuid()).toBe(first);
    expect(() => rs.stream('dev/instance')).toThrow(/one use/);
    rs.stream('other');
    expect(() => rs.once('other')).toThrow(/already in use/);
  });
});

describe('RandomStreams draws as seedrandom draws', () => {
  // The streams run seedrandom's ARC4 themselves: every draw must equal seedrandom's own, or
  // every trace of every scenario would change.
  it('next(), int(n) and hex(len) equal seedrandom for any seed and name', () => {
    fc.assert(
      fc.property(fc.integer(), fc.string({ maxLength: 30 }), fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 300 }), (seed, name, plan) => {
        const ours = new RandomStreams(seed).stream(name);
        const theirs = seedrandom(`${seed}/${name}`);
        for (const kind of plan) {
          if (kind === 0) expect(ours.next()).toBe(theirs());
          else if (kind === 1) expect(ours.int(1000)).toBe(Math.floor(theirs() * 1000));
          else expect(ours.hex(1)).toBe('0123456789abcdef'[Math.floor(theirs() * 16)]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps each stream its own state when more streams than one slab holds draw in turn', () => {
    // Kept streams share slabs of 256 states: a stream reading or writing its neighbour's bytes,
    // or one slab's streams the next slab's, would break the equality with seedrandom.
    const rs = new RandomStreams(9);
    const names = Array.from({ length: 700 }, (_, i) => `device-${i}`);
    const ours = names.map((name) => rs.stream(name));
    const theirs = names.map((name) => seedrandom(`9/${name}`));
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < names.length; i++) expect(ours[i]!.next()).toBe(theirs[i]!());
    }
  });

  it('agrees over a long run, where the ARC4 indices wrap many times', () => {
    const ours = new RandomStreams(1).stream('long');
    const theirs = seedrandom('1/long');
    for (let k = 0; k < 100_000; k++) expect(ours.next()).toBe(theirs());
  });

  it('hex digits equal seedrandom over runs long enough for first bytes below 16 and zero', () => {
    // A digit consumes one byte more when the first byte is below 16, two more when it is zero
    // and the second below 16 (one draw in 4,096): 200,000 digits meet each case many times.
    const ours = new RandomStreams(3).stream('digits');
    const theirs = seedrandom('3/digits');
    const expected = Array.from({ length: 200_000 }, () => '0123456789abcdef'[Math.floor(theirs() * 16)]).join('');
    expect(ours.hex(200_000)).toBe(expected);
    expect(ours.next()).toBe(theirs());
  });

  it('short identifiers (made in a reused array) and prefixed ones draw the digits seedrandom draws', () => {
    const ours = new RandomStreams(5).stream('ids');
    const theirs = seedrandom('5/ids');
    const digits = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(theirs() * 16)]).join('');
    // The same length twice (the array is reused), a prefix filling the array's start, then the
    // lengths around the short limit, and an empty prefix.
    for (const [len, prefix] of [[12, ''], [12, ''], [12, 'z9hG4bK'], [8, 'z9hG4bK'], [57, 'z9hG4bK'], [58, 'z9hG4bK'], [64, ''], [65, ''], [0, 'p'], [3, '']] as const) {
      expect(ours.hex(len, prefix)).toBe(prefix + digits(len));
    }
    expect(ours.next()).toBe(theirs());
  });
});
