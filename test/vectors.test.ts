import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

// The torture corpora must stay byte-exact (CRLF, one binary body): .gitattributes marks them -text.
const DIR = new URL('./vectors/', import.meta.url);

it('every vector file has the SHA-256 its PROVENANCE.txt records', () => {
  const pairs = readFileSync(new URL('PROVENANCE.txt', DIR), 'utf8')
    .split('\n')
    .flatMap((line) => {
      const m = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
      return m === null ? [] : [[m[1]!, m[2]!] as const];
    });
  expect(pairs.length).toBe(62);
  for (const [hash, name] of pairs) {
    expect([name, createHash('sha256').update(readFileSync(new URL(name, DIR))).digest('hex')]).toEqual([name, hash]);
  }
});
