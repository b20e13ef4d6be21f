import { describe, expect, it } from 'vitest';
import { SipParseError } from '../../src/sip/errors.js';
import { endOfQuoted, isQuotedString, isToken, quote, splitOutside, trimLws, unquote } from '../../src/sip/syntax.js';

/** The message endOfQuoted refuses `text` with, reading from `start`; 'accepted' when it does not. */
function refused(text: string, start = 0): string {
  try {
    endOfQuoted(text, start);
  } catch (e) {
    if (e instanceof SipParseError) return e.message;
    throw e;
  }
  return 'accepted';
}

describe('SIP syntax (RFC 3261 25.1)', () => {
  it('a token is one or more of alphanum and -.!%*_+`\'~', () => {
    expect(["a-b.c!d%e*f_g+h`i'j~k", 'Z9'].every(isToken)).toBe(true);
    expect(['', 'a b', 'a@b', 'a"b', 'a:b', 'é'].some(isToken)).toBe(false);
  });

  it('trims SP and HTAB only, at both ends, and returns the same string when there is nothing to trim', () => {
    expect(trimLws(' \t a b \t ')).toBe('a b');
    expect(trimLws('\u00a0a\ufeff')).toBe('\u00a0a\ufeff');
    expect(trimLws(' \t ')).toBe('');
    expect(trimLws('x ')).toBe('x');
    expect(trimLws(' x')).toBe('x');
    const s = 'kept';
    expect(trimLws(s)).toBe(s);
  });

  it('finds the end of a quoted string, over quoted-pairs, from where it opens', () => {
    expect(endOfQuoted('"a\\"b" rest', 0)).toBe(6);
    expect(endOfQuoted('x "a\\\\" y', 2)).toBe(7);
    expect(endOfQuoted('"tab\there"', 0)).toBe(10);
  });

  it('refuses an unterminated quoted string, a quoted-pair of CR or LF or at the end, and raw control characters', () => {
    expect(refused('"abc')).toBe('unterminated quoted string "abc');
    expect(refused('"a\\')).toBe('unterminated quoted string "a\\');
    expect(refused('"a\\\r\n"')).toMatch(/^unterminated quoted string/);
    expect(refused('"a\\\n"')).toMatch(/^unterminated quoted string/);
    expect(refused('"a\u0001b"')).toBe('control character 0x1 inside quoted string "a\u0001b"');
    expect(refused('"a\u007fb"')).toMatch(/^control character 0x7f/);
    expect(refused('"a\\\u0001b"')).toBe('accepted');
  });

  it('quotes, in its refusal, the text from the opening quote on, not what stands before it', () => {
    expect(refused('x="abc', 2)).toBe('unterminated quoted string "abc');
    expect(refused('x="a\u0001b"', 2)).toBe('control character 0x1 inside quoted string "a\u0001b"');
  });

  it('a quoted string is one that opens with a quote and ends at its closing one', () => {
    expect(isQuotedString('"a b"')).toBe(true);
    expect(isQuotedString('"a" b')).toBe(false);
    expect(isQuotedString('a"')).toBe(false);
  });

  it('quotes and unquotes any text without CR or LF', () => {
    for (const text of ['plain', 'say "hi"', 'back\\slash', 'ctl\u0001\u007f', '']) expect(unquote(quote(text))).toBe(text);
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(() => quote('a\r\nb')).toThrow(RangeError);
    expect(() => quote('a\nb')).toThrow(/cannot quote text containing CR or LF: "a\\nb"/);
  });

  it('splits outside quoted strings and angle brackets, trimming each element and keeping empty ones', () => {
    expect(splitOutside('"a, b" <sip:x@y;p=1,2>, c ,, d', ',')).toEqual(['"a, b" <sip:x@y;p=1,2>', 'c', '', 'd']);
    expect(splitOutside('a;b', ',')).toEqual(['a;b']);
    expect(splitOutside('', ',')).toEqual(['']);
  });
});
