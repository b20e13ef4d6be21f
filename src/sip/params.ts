import { SipParseError } from './errors.js';
import { isQuotedString, isToken, splitOutside, trimLws } from './syntax.js';
import type { Param } from './uri.js';

// RFC 3261 25.1 gen-value = token / host / quoted-string. Hosts add ":" and "[]" to the token
// characters; a bare IPv6 address is allowed too, as RFC 5118 4.5 shows for Via received.
const GEN_VALUE = /^[A-Za-z0-9\-.!%*_+`'~:[\]]+$/;

function parseParam(raw: string): Param {
  const eq = raw.indexOf('=');
  const name = trimLws(eq < 0 ? raw : raw.slice(0, eq));
  if (name === '') throw new SipParseError('header', 'empty parameter between semicolons');
  if (!isToken(name)) throw new SipParseError('header', `parameter name '${name}' is not a token`);
  if (eq < 0) return { name };
  const value = trimLws(raw.slice(eq + 1));
  if (!isQuotedString(value) && !GEN_VALUE.test(value)) {
    throw new SipParseError('header', `parameter ${name} has malformed value '${value}'`);
  }
  return { name, value };
}

/**
 * The `;name[=value]` parameters that follow a header's main element (RFC 3261 25.1 generic-param,
 * with SEMI and EQUAL allowing whitespace). Quoted values are kept with their quotes, as written,
 * so that formatting reproduces them (e.g. `+sip.instance="<urn:uuid:...>"`, RFC 5626 4.1).
 */
export function parseHeaderParams(text: string): Param[] {
  const rest = trimLws(text);
  if (rest === '') return [];
  if (!rest.startsWith(';')) throw new SipParseError('header', `unexpected '${rest}' where ';' parameters may follow`);
  return splitOutside(rest.slice(1), ';').map(parseParam);
}

export function formatParams(params: readonly Param[]): string {
  return params.map((p) => (p.value === undefined ? `;${p.name}` : `;${p.name}=${p.value}`)).join('');
}
