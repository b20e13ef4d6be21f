import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SipParseError } from '../../src/sip/errors.js';
import { formatNameAddr, parseNameAddr, tagOf } from '../../src/sip/name-addr.js';
import { sipUri } from '../../src/sip/uri.js';
import { nameAddr } from './arbitraries.js';

const alice = sipUri('alice', 'example.com');

describe('parseNameAddr', () => {
  it('reads a quoted display name, resolving quoted-pairs', () => {
    expect(parseNameAddr('"J Rosenberg \\\\\\"" <sip:alice@example.com>;tag=98asjd8')).toStrictEqual({
      displayName: 'J Rosenberg \\"',
      uri: alice,
      params: [{ name: 'tag', value: '98asjd8' }],
    });
  });

  it('reads token display names, with or without space before "<"', () => {
    expect(parseNameAddr('caller<sip:alice@example.com>;tag=323')).toMatchObject({ displayName: 'caller' });
    expect(parseNameAddr('A. Bell <sip:alice@example.com>')).toMatchObject({ displayName: 'A. Bell' });
    // RFC 3261 25.1 display-name = *(token LWS): LWS is one or more SP or HTAB.
    expect(parseNameAddr('A.  \t Bell <sip:alice@example.com>')).toMatchObject({ displayName: 'A.  \t Bell' });
    expect(parseNameAddr('<sip:alice@example.com>')).toStrictEqual({ uri: alice, params: [] });
    expect(parseNameAddr('"" <sip:alice@example.com>')).toStrictEqual({ displayName: '', uri: alice, params: [] });
  });

  it('gives parameters after an addr-spec to the header (RFC 3261 20.10), inside <> to the URI', () => {
    expect(parseNameAddr('sip:alice@example.com;tag=1')).toStrictEqual({ uri: alice, params: [{ name: 'tag', value: '1' }] });
    expect(parseNameAddr('<sip:alice@example.com;transport=tcp>;tag=1')).toStrictEqual({
      uri: { ...alice, params: [{ name: 'transport', value: 'tcp' }] },
      params: [{ name: 'tag', value: '1' }],
    });
  });

  it('allows whitespace around ";" and "=" and keeps quoted values with their quotes', () => {
    expect(parseNameAddr('sip:alice@example.com ;   tag    = 1918181833n')).toMatchObject({ params: [{ name: 'tag', value: '1918181833n' }] });
    expect(parseNameAddr('<sip:alice@example.com>;+sip.instance="<urn:uuid:1;2,3>";+g.oma.sip-im;expires=3600').params).toStrictEqual([
      { name: '+sip.instance', value: '"<urn:uuid:1;2,3>"' },
      { name: '+g.oma.sip-im' },
      { name: 'expires', value: '3600' },
    ]);
  });

  it('reads tel and other URIs', () => {
    expect(parseNameAddr('<tel:+1-201-555-0123>').uri).toStrictEqual({ scheme: 'tel', number: '+1-201-555-0123', params: [] });
    expect(parseNameAddr('"Bob" <im:bob@example.com>').uri).toStrictEqual({ scheme: 'im', value: 'bob@example.com' });
  });

  it.each([
    ['Bell, Alexander <sip:a@example.com>', 'header', "display name 'Bell, Alexander' contains characters that require quoting"],
    ['"Mr. J. User <sip:j.user@example.com>', 'header', 'unterminated quoted string'],
    ['"A" sip:a@example.com', 'header', 'is not followed by <URI>'],
    ['<sip:a@example.com', 'header', "has '<' without matching '>'"],
    ['< sip:a@example.com >', 'uri', "malformed URI ' sip:a@example.com '"],
    ['<sip:a@example.com> x', 'header', "unexpected 'x'"],
    ['<sip:a@example.com>;;tag=1', 'header', 'empty parameter'],
    ['<sip:a@example.com>;tag=', 'header', "parameter tag has malformed value ''"],
    ['<sip:a@example.com>;ta g=1', 'header', "parameter name 'ta g' is not a token"],
    ['<sip:a@example.com>;x="a', 'header', 'unterminated quoted string'],
    ['sip:a@example.com?Route=x', 'header', "must be enclosed in <>"],
    ['', 'uri', 'no scheme'],
    // RFC 3261 20.10: after an addr-spec the first ";" starts the header's parameters, so the URI is empty.
    [';tag=1', 'uri', "malformed URI '': no scheme"],
  ])('rejects %j', (text, what, message) => {
    let err: unknown;
    try {
      parseNameAddr(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SipParseError);
    expect((err as SipParseError).what).toBe(what);
    expect((err as SipParseError).message).toContain(message);
  });
});

describe('formatNameAddr', () => {
  it('always writes <...>, quoting the display name only when it is not a token list', () => {
    expect(formatNameAddr({ uri: alice, params: [{ name: 'tag', value: '1' }] })).toBe('<sip:alice@example.com>;tag=1');
    expect(formatNameAddr({ displayName: 'Alice Liddell', uri: alice, params: [] })).toBe('Alice Liddell <sip:alice@example.com>');
    expect(formatNameAddr({ displayName: 'Bell, Alexander', uri: alice, params: [] })).toBe('"Bell, Alexander" <sip:alice@example.com>');
    expect(formatNameAddr({ displayName: 'say "hi" \\ bye', uri: alice, params: [] })).toBe('"say \\"hi\\" \\\\ bye" <sip:alice@example.com>');
    expect(formatNameAddr({ displayName: '', uri: alice, params: [] })).toBe('"" <sip:alice@example.com>');
    expect(formatNameAddr({ displayName: 'Zoë', uri: alice, params: [] })).toBe('"Zoë" <sip:alice@example.com>');
  });

  it('cannot write CR or LF, which no quoted-pair can carry (RFC 3261 25.1)', () => {
    expect(() => formatNameAddr({ displayName: 'a\r\nb', uri: alice, params: [] })).toThrow(RangeError);
  });

  it('is inverted by parseNameAddr', () => {
    fc.assert(
      fc.property(nameAddr, (na) => {
        expect(parseNameAddr(formatNameAddr(na))).toStrictEqual(structuredClone(na));
      }),
    );
  });
});

describe('tagOf', () => {
  it('reads the tag of a From or To value, undefined without one or without a value', () => {
    expect(tagOf('"Bob" <sip:bob@example.com>;tag=8ac3;x=1')).toBe('8ac3');
    expect(tagOf('<sip:bob@example.com;tag=inuri>')).toBeUndefined();
    expect(tagOf('sip:bob@example.com')).toBeUndefined();
    // RFC 3261 25.1 tag-param = "tag" EQUAL token: a bare `;tag` is no tag.
    expect(tagOf('<sip:bob@example.com>;tag')).toBeUndefined();
    expect(tagOf(undefined)).toBeUndefined();
  });
});
