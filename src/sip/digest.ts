import { createHash } from 'node:crypto';
import { SipParseError } from './errors.js';
import { isToken, quote, splitOutside, trimLws, unquote } from './syntax.js';

/** The auth-params of a Digest challenge or credentials (RFC 3261 22.4, RFC 2617 3.2). */
export type DigestParams = Map<string, string>;

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/** Parses `Digest realm="a", nonce="b", qop=auth` (names lowercased, values unquoted). */
export function parseDigest(value: string): DigestParams {
  const m = /^\s*Digest\s+(.*)$/is.exec(value);
  if (m === null) throw new SipParseError('header', `not a Digest challenge or credentials: '${value}'`);
  const params: DigestParams = new Map();
  for (const part of splitOutside(m[1]!, ',')) {
    const eq = part.indexOf('=');
    const name = trimLws(eq < 0 ? part : part.slice(0, eq)).toLowerCase();
    const raw = eq < 0 ? '' : trimLws(part.slice(eq + 1));
    if (!isToken(name)) throw new SipParseError('header', `malformed Digest parameter '${part}'`);
    params.set(name, raw.startsWith('"') ? unquote(raw) : raw);
  }
  return params;
}

/** Writes Digest parameters; these ones are tokens in RFC 2617's grammar, all others quoted. */
export function formatDigest(params: [string, string][]): string {
  const bare = new Set(['algorithm', 'nc', 'stale']);
  return `Digest ${params.map(([k, v]) => `${k}=${bare.has(k) ? v : quote(v)}`).join(', ')}`;
}

export interface DigestInput {
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  nc: string;
  cnonce: string;
  qop: string;
}

/** RFC 2617 3.2.2.1 request-digest with qop=auth and algorithm MD5. */
export function digestResponse(d: DigestInput): string {
  const ha1 = md5(`${d.username}:${d.realm}:${d.password}`);
  const ha2 = md5(`${d.method}:${d.uri}`);
  return md5(`${ha1}:${d.nonce}:${d.nc}:${d.cnonce}:${d.qop}:${ha2}`);
}

/** RFC 2617 3.2.2 credentials (Authorization or Proxy-Authorization value) for a challenge, qop=auth, MD5. */
export function digestCredentials(d: DigestInput): string {
  return formatDigest([
    ['username', d.username],
    ['realm', d.realm],
    ['nonce', d.nonce],
    ['uri', d.uri],
    ['response', digestResponse(d)],
    ['algorithm', 'MD5'],
    ['cnonce', d.cnonce],
    ['qop', d.qop],
    ['nc', d.nc],
  ]);
}
