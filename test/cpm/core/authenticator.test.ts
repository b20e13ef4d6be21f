import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DigestAuthenticator, NONCE_LIFETIME } from '../../../src/cpm/core/authenticator.js';
import { RandomStreams } from '../../../src/kernel/random.js';
import type { SipRequest } from '../../../src/sip/message.js';
import { parseUri } from '../../../src/sip/uri.js';

const ALICE = 'sip:alice@a.example';

const register = (authorization?: string): SipRequest => ({
  type: 'request',
  method: 'REGISTER',
  uri: parseUri('sip:a.example'),
  headers: authorization === undefined ? [] : [{ name: 'Authorization', value: authorization }],
});

describe('DigestAuthenticator (RFC 3261 22.4, RFC 2617)', () => {
  const authenticator = () => new DigestAuthenticator('a.example', new RandomStreams(1).stream('nonces'), () => 'pw', () => 0);

  it('challenges a request without credentials', () => {
    expect(authenticator().check(register(), ALICE).kind).toBe('challenge');
  });

  it('refuses credentials that do not parse as Digest, rather than challenging again', () => {
    expect(authenticator().check(register('Basic YWxpY2U6cHc='), ALICE)).toEqual({ kind: 'refused', reason: 'Malformed Credentials' });
    expect(authenticator().check(register('Digest user name="alice"'), ALICE)).toEqual({ kind: 'refused', reason: 'Malformed Credentials' });
  });
});

describe('DigestAuthenticator answering credentials (RFC 2617 3.2.2, RFC 3261 22.4)', () => {
  const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
  /** The request-digest of RFC 2617 3.2.2.1 for qop=auth, computed here rather than by src/sip/digest.ts. */
  const credentials = (nonce: string, o: { username?: string; password?: string; realm?: string; uri?: string } = {}): string => {
    const username = o.username ?? 'alice@a.example';
    const realm = o.realm ?? 'a.example';
    const ha1 = md5(`${username}:${realm}:${o.password ?? 'pw'}`);
    const uri = o.uri ?? 'sip:a.example';
    const ha2 = md5(`REGISTER:${uri}`);
    const response = md5(`${ha1}:${nonce}:00000001:c0ffee:auth:${ha2}`);
    return `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, cnonce="c0ffee", qop=auth, nc=00000001`;
  };
  const nonceOf = (challenge: string): string => /nonce="([^"]+)"/.exec(challenge)![1]!;
  const setup = (passwordOf: (aor: string) => string | undefined = () => 'pw') => {
    let now = 0;
    const auth = new DigestAuthenticator('a.example', new RandomStreams(1).stream('nonces'), passwordOf, () => now);
    const first = auth.check(register(), ALICE);
    if (first.kind !== 'challenge') throw new Error('expected a challenge');
    return { auth, nonce: nonceOf(first.wwwAuthenticate), at: (t: number) => (now = t) };
  };

  it('accepts the right response to its own nonce', () => {
    const { auth, nonce } = setup();
    expect(auth.check(register(credentials(nonce)), ALICE)).toEqual({ kind: 'ok' });
  });

  it('challenges again with stale=TRUE when the realm is not its own (RFC 3261 22.4: credentials for another realm)', () => {
    const { auth, nonce } = setup();
    const outcome = auth.check(register(credentials(nonce, { realm: 'b.example' })), ALICE);
    expect(outcome.kind).toBe('challenge');
    expect(outcome.kind === 'challenge' && outcome.wwwAuthenticate).toMatch(/stale=TRUE/);
  });

  it('refuses a username other than the AoR without scheme, even with a response computed for the AoR', () => {
    const { auth, nonce } = setup();
    const forAlice = credentials(nonce).replace('username="alice@a.example"', 'username="mallory@a.example"');
    expect(auth.check(register(forAlice), ALICE)).toEqual({ kind: 'refused', reason: 'Bad Credentials' });
  });

  it('refuses every response for an AoR that has no password', () => {
    const { auth, nonce } = setup(() => undefined);
    expect(auth.check(register(credentials(nonce, { password: 'undefined' })), ALICE)).toEqual({ kind: 'refused', reason: 'Bad Credentials' });
  });

  it('treats a nonce as stale once NONCE_LIFETIME has passed since it was issued (RFC 2617 3.2.1)', () => {
    const { auth, nonce, at } = setup();
    at(NONCE_LIFETIME);
    const outcome = auth.check(register(credentials(nonce)), ALICE);
    expect(outcome.kind === 'challenge' && outcome.wwwAuthenticate).toMatch(/stale=TRUE/);
  });

  it('answers 400 to credentials computed for another URI than the Request-URI (RFC 2617 3.2.2.5), though their response is right', () => {
    const { auth, nonce } = setup();
    expect(auth.check(register(credentials(nonce, { uri: 'sip:b.example' })), ALICE)).toEqual({ kind: 'refused', reason: 'Credentials For Another URI', status: 400 });
  });
});
