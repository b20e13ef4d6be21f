import { describe, expect, it } from 'vitest';
import { digestCredentials, digestResponse, formatDigest, parseDigest } from '../../src/sip/digest.js';
import { SipParseError } from '../../src/sip/errors.js';

/** RFC 2617 3.5: the worked example of a Digest exchange with qop=auth. */
const MUFASA = {
  username: 'Mufasa',
  realm: 'testrealm@host.com',
  password: 'Circle Of Life',
  method: 'GET',
  uri: '/dir/index.html',
  nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
  nc: '00000001',
  cnonce: '0a4f113b',
  qop: 'auth',
};

describe('Digest authentication (RFC 2617, RFC 3261 22.4)', () => {
  it("computes RFC 2617 3.5's request-digest", () => {
    expect(digestResponse(MUFASA)).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('changes the response with any input (the password, the method, the nonce count)', () => {
    const base = digestResponse(MUFASA);
    expect(digestResponse({ ...MUFASA, password: 'circle of life' })).not.toBe(base);
    expect(digestResponse({ ...MUFASA, method: 'REGISTER' })).not.toBe(base);
    expect(digestResponse({ ...MUFASA, nc: '00000002' })).not.toBe(base);
  });

  it('writes credentials with algorithm, nc and stale as tokens and every other value quoted', () => {
    expect(digestCredentials(MUFASA)).toBe(
      'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", ' +
        'response="6629fae49393a05397450978507c4ef1", algorithm=MD5, cnonce="0a4f113b", qop="auth", nc=00000001',
    );
    expect(formatDigest([['stale', 'true'], ['opaque', 'a"b']])).toBe('Digest stale=true, opaque="a\\"b"');
  });

  it('reads a challenge: names lowercased, quoted values unquoted, commas inside quotes kept', () => {
    const p = parseDigest(' digest Realm="a.example", nonce="n,1", qop="auth,auth-int", algorithm=MD5, stale=FALSE');
    expect([...p]).toEqual([
      ['realm', 'a.example'],
      ['nonce', 'n,1'],
      ['qop', 'auth,auth-int'],
      ['algorithm', 'MD5'],
      ['stale', 'FALSE'],
    ]);
  });

  it('reads back the credentials it writes', () => {
    const p = parseDigest(digestCredentials(MUFASA));
    expect(p.get('response')).toBe('6629fae49393a05397450978507c4ef1');
    expect(p.get('nc')).toBe('00000001');
    expect(p.get('uri')).toBe('/dir/index.html');
  });

  it('unquotes only a quoted-string, which opens with DQUOTE (RFC 3261 25.1): a value ending in one is kept as written', () => {
    expect(parseDigest('Digest nc=00000001"x", qop=auth').get('nc')).toBe('00000001"x"');
  });

  it('takes a parameter without a value as empty', () => {
    expect(parseDigest('Digest realm="r", domain').get('domain')).toBe('');
  });

  it('refuses what is not Digest, and a parameter name that is not a token, with its typed error', () => {
    expect(() => parseDigest('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==')).toThrow(SipParseError);
    expect(() => parseDigest('Digest')).toThrow(/not a Digest challenge/);
    expect(() => parseDigest('Digest re alm="x"')).toThrow(/malformed Digest parameter 're alm="x"'/);
    expect(() => parseDigest('XDigest realm="x"')).toThrow(/not a Digest challenge/);
    const thrown = (value: string): unknown => {
      try {
        parseDigest(value);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    for (const bad of ['Basic x', 'Digest a b']) expect(thrown(bad)).toMatchObject({ name: 'SipParseError', what: 'header' });
  });
});
