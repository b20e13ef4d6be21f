/**
 * The "did you mean" hints of src/scenario/suggest.ts: the closest name within two edits
 * (insertion, deletion, substitution, or a swap of neighbours, each counting one), else the list.
 */
import { describe, expect, test } from 'vitest';
import { hint } from '../../src/scenario/suggest.js';

describe('hint', () => {
  test.each([
    ['notfy', 'one insertion'],
    ['notifyy', 'one deletion'],
    ['notifi', 'one substitution'],
    ['ntoify', 'a swap of neighbours'],
    ['nottfi', 'a substitution and another'],
    ['ontiyf', 'two swaps'],
    ['noti', 'two insertions'],
    ['xnotifyx', 'two deletions'],
  ])('suggests the name %s is within two edits of (%s)', (name) => {
    expect(hint(name, ['send', 'notify', 'text'])).toBe("; did you mean 'notify'?");
  });

  test('three edits away is too far: the candidates are listed instead', () => {
    expect(hint('nxxxfy', ['notify', 'text'])).toBe('; expected one of: notify, text');
    expect(hint('ofiynt', ['notify'])).toBe('; expected one of: notify');
  });

  test('a swap needs both pairs to cross: one letter matching across is no swap', () => {
    // 'ba' -> 'xb' and 'xa' -> 'ay' are two edits, so these are three.
    expect(hint('bay', ['xbz'])).toBe('; expected one of: xbz');
    expect(hint('xaq', ['ayr'])).toBe('; expected one of: ayr');
  });

  test('a swap counts one edit, not two substitutions', () => {
    // 'ab' -> 'ba' is one swap; with the swap counted as two, 'baxx' would be three from 'abyy'.
    expect(hint('baxx', ['abyx'])).toBe("; did you mean 'abyx'?");
  });

  test('a name that is a candidate is suggested as itself (distance 0)', () => {
    expect(hint('text', ['send', 'text'])).toBe("; did you mean 'text'?");
  });

  test('the closest wins, and the first of two equally close', () => {
    expect(hint('sed', ['sent', 'send'])).toBe("; did you mean 'send'?");
    expect(hint('sendd', ['sxnd', 'send'])).toBe("; did you mean 'send'?");
    expect(hint('abcd', ['xbcx', 'abcx'])).toBe("; did you mean 'abcx'?");
  });

  test('empty names and candidates', () => {
    expect(hint('', ['ab'])).toBe("; did you mean 'ab'?");
    expect(hint('', ['abc'])).toBe('; expected one of: abc');
    expect(hint('ab', [''])).toBe("; did you mean ''?");
    expect(hint('x', [])).toBe('');
  });

  test('the list is named by the noun the caller gives', () => {
    expect(hint('zzzzzz', ['A', 'B'], 'lifelines are')).toBe('; lifelines are: A, B');
  });

  test('letters count case-sensitively', () => {
    expect(hint('NOTIFY', ['notify'])).toBe('; expected one of: notify');
  });
});
