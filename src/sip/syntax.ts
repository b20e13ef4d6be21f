import { SipParseError } from './errors.js';

// RFC 3261 25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

const isLws = (c: number): boolean => c === 0x20 || c === 0x09;

/**
 * Strips SP and HTAB only: String.prototype.trim would also eat U+FEFF and NBSP, which are data.
 * A scan from each end, because a `[ \t]+$` pattern retries every run of blanks inside the text
 * and is quadratic on a long one.
 */
export function trimLws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isLws(text.charCodeAt(start))) start++;
  while (end > start && isLws(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * Index just past the closing quote of the quoted-string opening at `start` (RFC 3261 25.1:
 * quoted-pair is "\" plus any octet but CR and LF; raw control characters other than HTAB are not
 * qdtext).
 */
export function endOfQuoted(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      const next = text.charCodeAt(i + 1);
      if (Number.isNaN(next) || next === 0x0d || next === 0x0a) break;
      i++;
    } else if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
      throw new SipParseError('header', `control character 0x${c.toString(16)} inside quoted string ${text.slice(start)}`);
    }
  }
  throw new SipParseError('header', `unterminated quoted string ${text.slice(start)}`);
}

export function isQuotedString(text: string): boolean {
  return text.startsWith('"') && endOfQuoted(text, 0) === text.length;
}

/** The content of a quoted-string with its quoted-pairs resolved. */
export function unquote(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(.)/gs, '$1');
}

/** A quoted-string for any text without CR/LF: `"` and `\` and control characters become quoted-pairs. */
export function quote(text: string): string {
  if (/[\r\n]/.test(text)) throw new RangeError(`cannot quote text containing CR or LF: ${JSON.stringify(text)}`);
  return `"${text.replace(/["\\\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '\\$&')}"`;
}

/**
 * Splits on `sep` where it is outside quoted strings and outside `<...>` (RFC 3261 7.3.1: a comma in
 * a quoted display name or in a bracketed URI does not separate list elements). Elements are
 * LWS-trimmed; empty elements are kept so callers can reject `a,,b` where the grammar forbids it.
 */
export function splitOutside(text: string, sep: string): string[] {
  const parts: string[] = [];
  let from = 0;
  let inAngle = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && !inAngle) {
      i = endOfQuoted(text, i) - 1;
    } else if (c === '<') {
      inAngle = true;
    } else if (c === '>') {
      inAngle = false;
    } else if (c === sep && !inAngle) {
      parts.push(trimLws(text.slice(from, i)));
      from = i + 1;
    }
  }
  parts.push(trimLws(text.slice(from)));
  return parts;
}
