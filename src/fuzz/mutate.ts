import { Buffer } from 'node:buffer';
import seedrandom from 'seedrandom';

/** A seeded source of choices for one input, so any input can be made again from its seed alone. */
export class Choices {
  private readonly prng: seedrandom.PRNG;

  constructor(seed: string) {
    this.prng = seedrandom(seed);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** A size spread over orders of magnitude, 1 to `max`, small ones most often. */
  size(max: number): number {
    return Math.max(1, Math.floor(Math.exp(this.prng() * Math.log(max))));
  }
}

/** The fuzzer's largest input: above the codecs' line limits, so that they are exercised too. */
export const MAX_INPUT_OCTETS = 256 * 1024;

/**
 * Octet strings the wire formats give meaning to: line ends alone and folded, separators of SIP,
 * CPIM, MSRP and HTTP headers, quoting, XML markup (a processing instruction, a DOCTYPE, names the
 * XML library refuses), multipart delimiters, and numbers at the edges of what JavaScript holds.
 */
const TOKENS = [
  '\r', '\n', '\r\n', '\r\n\r\n', '\r\n ', '\r\n\t', ' ', '\t', ':', ';', ',', '=', '"', '\\', '<', '>', '@', '+', '/', '%', '%00', '\0',
  'sip:', 'tel:+', 'msrp://', ';tag=', ';branch=z9hG4bK', 'Content-Length: ', 'Content-Type: message/cpim', 'Content-Type: multipart/mixed;boundary=fuzz-boundary',
  '--fuzz-boundary\r\n', '--fuzz-boundary--', '<?xml version="1.0"?>', '<?pi data?>', '<!DOCTYPE x [<!ENTITY e "ee">]>', '&e;', '&#0;', '<![CDATA[', ']]>', '<!--', '-->',
  '<__proto__>', '<constructor/>', 'xmlns="x"', '-------', '$\r\n', '9007199254740993', '18446744073709551616', '-1', '4294967296', '0x', '\u00ff', '\u2028', '\ud800', '😀', 'HTTP/1.1 ',
];

/** Runs that make a super-linear path show: blanks, digits, separators, folds. */
const RUNS = [' ', '\t', '0', '9', '+', '-', ';', ',', 'a', '\r\n ', ' \t', '<a>', '"', '\\"', ';a', '.', ':', '%41'];

/** Wrapping a body in itself, as an attacker nests CPIM or multipart to exhaust the stack. */
function nest(octets: Buffer, choices: Choices): Buffer {
  const depth = choices.size(4000);
  const text = octets.toString('latin1');
  const kind = choices.int(3);
  if (kind === 0) {
    const head = 'From: <sip:a@b.example>\r\n\r\nContent-Type: message/cpim\r\n\r\n';
    return Buffer.from(head.repeat(depth) + text, 'latin1');
  }
  if (kind === 1) {
    const open = '--fuzz-boundary\r\nContent-Type: multipart/mixed;boundary=fuzz-boundary\r\n\r\n';
    return Buffer.from(open.repeat(depth) + text + '\r\n--fuzz-boundary--\r\n'.repeat(depth), 'latin1');
  }
  const at = text.indexOf('>') + 1;
  return Buffer.from(text.slice(0, at) + '<a>'.repeat(depth) + '</a>'.repeat(depth) + text.slice(at), 'latin1');
}

function randomOctets(choices: Choices, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = choices.int(256);
  return out;
}

/** One mutation of `octets`; `other` is another corpus entry, for splicing. */
function mutateOnce(octets: Buffer, other: Buffer, choices: Choices): Buffer {
  const at = choices.int(octets.length + 1);
  const cut = (a: number, b: number): [Buffer, Buffer] => [octets.subarray(0, a), octets.subarray(b)];
  switch (choices.int(9)) {
    case 0: {
      const copy = Buffer.from(octets);
      for (let k = choices.size(8); k > 0 && copy.length > 0; k--) copy[choices.int(copy.length)] = choices.int(256);
      return copy;
    }
    case 1:
      return Buffer.concat([octets.subarray(0, at), Buffer.from(choices.pick(TOKENS), 'utf8'), octets.subarray(at)]);
    case 2:
      return Buffer.concat([octets.subarray(0, at), randomOctets(choices, choices.size(64)), octets.subarray(at)]);
    case 3: {
      const [head, tail] = cut(at, Math.min(octets.length, at + choices.size(256)));
      return Buffer.concat([head, tail]);
    }
    case 4: {
      const end = Math.min(octets.length, at + choices.size(64));
      const piece = octets.subarray(at, end);
      return Buffer.concat([octets.subarray(0, end), ...Array<Buffer>(choices.size(512)).fill(piece), octets.subarray(end)]);
    }
    case 5: {
      const run = choices.pick(RUNS).repeat(choices.size(40_000));
      return Buffer.concat([octets.subarray(0, at), Buffer.from(run, 'utf8'), octets.subarray(at)]);
    }
    case 6: {
      const from = choices.int(other.length + 1);
      const piece = other.subarray(from, from + choices.size(512));
      return Buffer.concat([octets.subarray(0, at), piece, octets.subarray(at)]);
    }
    case 7:
      return octets.subarray(0, at);
    default:
      return nest(octets, choices);
  }
}

/** One to four mutations of a corpus entry, cut to {@link MAX_INPUT_OCTETS}. */
export function mutate(octets: Buffer, other: Buffer, choices: Choices): Buffer {
  let out = octets;
  for (let n = 1 + choices.int(4); n > 0; n--) {
    out = mutateOnce(out, other, choices);
    if (out.length > MAX_INPUT_OCTETS) out = out.subarray(0, MAX_INPUT_OCTETS);
  }
  return out;
}
