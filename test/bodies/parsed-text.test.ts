import { describe, expect, it } from 'vitest';
import { parsedByText } from '../../src/bodies/parsed-text.js';

describe('parsedByText', () => {
  it('parses each distinct text once and shares the result, parsing again after a failure', () => {
    const seen: string[] = [];
    const parse = parsedByText((text: string) => {
      seen.push(text);
      if (text === 'bad') throw new Error('bad');
      return { text };
    }, 8);
    expect(parse('a')).toBe(parse('a'));
    expect(() => parse('bad')).toThrow('bad');
    expect(() => parse('bad')).toThrow('bad');
    expect(seen).toEqual(['a', 'bad', 'bad']);
  });

  it('starts again past its bound, so distinct texts cannot grow it', () => {
    let calls = 0;
    const parse = parsedByText((text: string) => ({ text, n: ++calls }), 2);
    const first = parse('a');
    parse('b');
    parse('c');
    expect(parse('a')).not.toBe(first);
    expect(parse('a')).toEqual({ text: 'a', n: 4 });
  });
});
