/**
 * The typed, located reads of src/scenario/yaml-reader.ts: what each read accepts, and the
 * `file:line:col: path: reason` line it throws for anything else.
 */
import { describe, expect, test } from 'vitest';
import { Source, formatPath, type Value } from '../../src/scenario/yaml-reader.js';
import { messageOf as failure } from './located-errors.js';

const FILE = 'r.yaml';

/** The value at `key` of a one-mapping document. */
function field(text: string, key: string): Value {
  const value = Source.parse(text, FILE).root().map().get(key);
  expect(value, key).toBeDefined();
  return value!;
}

describe('formatPath', () => {
  test('joins plain keys with dots, indexes in brackets, and quotes keys that are not identifiers', () => {
    expect(formatPath([])).toBe('');
    expect(formatPath(['timeline', 1, 'send', 'to'])).toBe('timeline[1].send.to');
    expect(formatPath(['network', 'users', 'alice@a.example', 'devices'])).toBe('network.users["alice@a.example"].devices');
    // A key may start with a letter or `_` and go on with letters, digits, `_` and `-`.
    expect(formatPath(['_x', 'max-events', 'a1'])).toBe('_x.max-events.a1');
    expect(formatPath(['1a'])).toBe('["1a"]');
    expect(formatPath(['a b'])).toBe('["a b"]');
    expect(formatPath(['x', 'a.b'])).toBe('x["a.b"]');
    expect(formatPath([0, 'a'])).toBe('[0].a');
  });
});

describe('a syntax error', () => {
  test('is located at its first error, in the words of the YAML parser', () => {
    expect(failure(() => Source.parse('a: 1\nb: [1, 2\n', FILE))).toMatch(/^r\.yaml:\d+:\d+: /);
    expect(failure(() => Source.parse('a: 1\na: 2\n', FILE))).toBe('r.yaml:2:1: Map keys must be unique');
  });

  test('a second document is pointed at its separator', () => {
    expect(failure(() => Source.parse('a: 1\n---\nb: 2\n', FILE))).toBe("r.yaml:2:1: a scenario file holds one YAML document; remove this '---'");
  });
});

describe('what a value is said to be', () => {
  test.each([
    ['x: ~', 'nothing'],
    ['x:', 'nothing'],
    ['x: { a: 1 }', 'a mapping'],
    ['x: [1]', 'a list'],
    ['x: hello', "the text 'hello'"],
    ['x: 0x1F', 'the number 0x1F'],
    ['x: 1.50', 'the number 1.50'],
    ['x: true', 'the value true'],
  ])('%s is %s', (text, words) => {
    expect(field(text, 'x').describe()).toBe(words);
  });
});

describe('scalar reads', () => {
  test('string takes quoted and plain text, and refuses numbers and booleans with what was written', () => {
    expect(field('x: "42"', 'x').string()).toBe('42');
    expect(failure(() => field('x: 42', 'x').string())).toBe('r.yaml:1:4: x: expected a string, got the number 42');
    expect(failure(() => field('x: yes\ny: false', 'y').string())).toBe('r.yaml:2:4: y: expected a string, got the value false');
  });

  test('text keeps a number as it was written, and refuses nothing and collections', () => {
    expect(field('x: 5.10', 'x').text()).toBe('5.10');
    expect(field('x: true', 'x').text()).toBe('true');
    expect(failure(() => field('x: ~', 'x').text())).toBe('r.yaml:1:4: x: expected a string, got nothing');
    expect(failure(() => field('x: [a]', 'x').text())).toBe('r.yaml:1:4: x: expected a string, got a list');
    expect(field('x: { a: 1 }', 'x').scalarText()).toBeUndefined();
  });

  test('integer takes whole numbers only', () => {
    expect(field('x: -3', 'x').integer()).toBe(-3);
    expect(failure(() => field('x: 1.5', 'x').integer())).toBe('r.yaml:1:4: x: expected a whole number, got the number 1.5');
    // 2^53 + 1 is not exactly a JavaScript number.
    expect(failure(() => field('x: 9007199254740993', 'x').integer())).toBe('r.yaml:1:4: x: expected a whole number, got the number 9007199254740993');
    expect(failure(() => field('x: "3"', 'x').integer())).toBe("r.yaml:1:4: x: expected a whole number, got the text '3'");
  });

  test('boolean takes true and false only', () => {
    expect(field('x: false', 'x').boolean()).toBe(false);
    expect(failure(() => field('x: "true"', 'x').boolean())).toBe("r.yaml:1:4: x: expected true or false, got the text 'true'");
  });

  test('duration reads the text, the number 0, and locates what is not one', () => {
    expect(field('x: 1.5ms', 'x').duration()).toBe(1500);
    expect(field('x: 0', 'x').duration()).toBe(0);
    expect(failure(() => field('x: soon', 'x').duration())).toBe("r.yaml:1:4: x: 'soon' is not a duration; write it like 250us, 1.5ms, 2s, 1min or 1h");
    expect(failure(() => field('x: ~', 'x').duration())).toBe('r.yaml:1:4: x: expected a duration like 1.5s, got nothing');
    expect(failure(() => field('x: true', 'x').duration())).toBe('r.yaml:1:4: x: expected a duration like 1.5s, got the value true');
  });
});

describe('collections', () => {
  test('a list gives its items with their index in the path and their own position', () => {
    const items = field('x:\n  - a\n  - b\n', 'x').list();
    expect(items.map((item) => [item.string(), item.path])).toEqual([
      ['a', ['x', 0]],
      ['b', ['x', 1]],
    ]);
    expect(failure(() => items[1]!.fail('no'))).toBe('r.yaml:3:5: x[1]: no');
    expect(failure(() => field('x: a', 'x').list())).toBe("r.yaml:1:4: x: expected a list, got the text 'a'");
  });

  test('one or many: a single value is a list of itself', () => {
    expect(field('x: a', 'x').oneOrMany().map((v) => v.string())).toEqual(['a']);
    expect(field('x: [a, b]', 'x').oneOrMany().map((v) => v.string())).toEqual(['a', 'b']);
  });

  test('a mapping refuses keys it does not know, at the key, with a hint', () => {
    const root = Source.parse('a: 1\ncolor: 2\n', FILE).root();
    expect(failure(() => root.map(['a', 'colour']))).toBe("r.yaml:2:1: unknown field 'color'; did you mean 'colour'?");
    expect(root.map().entries.map((e) => e.name)).toEqual(['a', 'color']);
    expect(failure(() => field('x: 1', 'x').map())).toBe('r.yaml:1:4: x: expected a mapping, got the number 1');
  });

  test('keys must be plain text', () => {
    expect(failure(() => Source.parse('x:\n  [a]: 1\n', FILE).root().map().get('x')!.map())).toBe('r.yaml:2:3: x: keys must be plain text');
    expect(failure(() => Source.parse('x:\n  ~: 1\n', FILE).root().map().get('x')!.map())).toBe('r.yaml:2:3: x: keys must be plain text');
  });

  test('a number as a key keeps its spelling', () => {
    expect(Source.parse('x:\n  5.10: a\n', FILE).root().map().get('x')!.map().entries[0]!.name).toBe('5.10');
  });

  test('a key with no value is pointed at by its key', () => {
    const x = Source.parse('x:\n  ? lonely\n', FILE).root().map().get('x')!.map().get('lonely')!;
    expect(x.isNull).toBe(true);
    expect(failure(() => x.string())).toBe('r.yaml:2:11: x.lonely: expected a string, got nothing');
  });

  test('a missing required field is reported at the mapping; a present one at its key', () => {
    const m = Source.parse('top: 1\nx:\n  a: 1\n  c: 2\n', FILE).root().map().get('x')!.map();
    expect(failure(() => m.require('b'))).toBe("r.yaml:3:3: x: missing required field 'b'");
    expect(m.require('a').integer()).toBe(1);
    expect(failure(() => m.failAtKey('c', 'bad key'))).toBe('r.yaml:4:3: x: bad key');
    expect(failure(() => m.failAtKey('b', 'not there'))).toBe('r.yaml:3:3: x: not there');
  });
});

describe('aliases', () => {
  test('are followed to their anchor', () => {
    expect(field('a: &v hello\nb: *v\n', 'b').string()).toBe('hello');
  });

  test('one without an anchor before it is pointed at', () => {
    expect(failure(() => Source.parse('a: *v\nb: &v 1\n', FILE).root().map())).toBe('r.yaml:1:4: a: alias *v has no anchor &v before it');
  });

  test('locate follows an alias into what it points to', () => {
    const source = Source.parse('a: &v\n  k: 1\nb: *v\n', FILE);
    expect(source.locate(['b', 'k'])).toEqual({ file: FILE, line: 2, col: 6 });
    expect(source.locate(['a', 'missing'])).toEqual({ file: FILE, line: 2, col: 3 });
    expect(source.locate(['b', 0])).toEqual({ file: FILE, line: 3, col: 4 });
  });

  test('locate walks lists by index', () => {
    const source = Source.parse('a:\n  - x\n  - y\n', FILE);
    expect(source.locate(['a', 1])).toEqual({ file: FILE, line: 3, col: 5 });
    expect(source.locate(['a', 'k'])).toEqual({ file: FILE, line: 2, col: 3 });
  });
});

describe('an empty document', () => {
  test('is nothing at 1:1', () => {
    const root = Source.parse('', FILE).root();
    expect(root.isNull).toBe(true);
    expect(failure(() => root.map())).toBe('r.yaml:1:1: expected a mapping, got nothing');
  });
});
