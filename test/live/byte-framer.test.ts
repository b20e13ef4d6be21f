import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { ByteFramer, type Cut } from '../../src/live/byte-framer.js';

/** A toy protocol: a message is three octets; one starting with `!` cannot be framed. */
class Triples extends ByteFramer<string> {
  protected cut(pending: Buffer): Cut<string> {
    if (pending[0] === 0x21) return { stop: `stop at ${pending.toString('latin1')}` };
    return pending.length < 3 ? { wait: true } : { frame: pending.toString('latin1', 0, 3), octets: 3 };
  }
}

describe('a byte framer', () => {
  it('cuts messages across chunks, skipping CRLFs between them', () => {
    const f = new Triples(100);
    expect(f.push(Buffer.from('ab'))).toEqual([]);
    expect(f.push(Buffer.from('c\r\n\r\nde'))).toEqual(['abc']);
    expect(f.push(Buffer.from('fghi\r\n'))).toEqual(['def', 'ghi']);
  });

  it('yields nothing more after a stop, whatever follows', () => {
    const f = new Triples(100);
    expect(f.push(Buffer.from('abc!xy'))).toEqual(['abc', 'stop at !xy']);
    expect(f.push(Buffer.from('def'))).toEqual([]);
  });

  it('a lone CR is not skipped: it starts a message', () => {
    expect(new Triples(100).push(Buffer.from('\rab'))).toEqual(['\rab']);
  });
});
