import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SipParseError } from '../../src/sip/errors.js';
import { aorOf, formatUri, getParam, isHost, isIPv6, parseUri, sipUri, withParam } from '../../src/sip/uri.js';
import { uri } from './arbitraries.js';

describe('parseUri', () => {
  it('reads every part of a SIP URI', () => {
    expect(parseUri('sips:alice:secret@[2001:db8::1]:5061;transport=tcp;lr?Subject=hi&Priority=')).toStrictEqual({
      scheme: 'sips',
      user: 'alice',
      password: 'secret',
      host: '[2001:db8::1]',
      port: 5061,
      params: [{ name: 'transport', value: 'tcp' }, { name: 'lr' }],
      headers: [{ name: 'Subject', value: 'hi' }, { name: 'Priority', value: '' }],
    });
  });

  it('leaves out absent parts and lower-cases the sip scheme', () => {
    expect(parseUri('SIP:example.com')).toStrictEqual({ scheme: 'sip', host: 'example.com', params: [], headers: [] });
    expect(parseUri('sip:[::1]:5060')).toStrictEqual({ scheme: 'sip', host: '[::1]', port: 5060, params: [], headers: [] });
  });

  it('gives URIs without parameters or headers one shared, frozen empty list (a URI is never changed in place)', () => {
    const a = parseUri('sip:alice@a.example') as unknown as { params: unknown[]; headers: unknown[] };
    const b = parseUri('tel:+15551234') as unknown as { params: unknown[] };
    expect(a.params).toBe(a.headers);
    expect(b.params).toBe(a.params);
    expect(sipUri('bob', 'b.example').headers).toBe(a.params);
    expect(() => a.params.push({ name: 'lr' })).toThrow(TypeError);
  });

  it('ends the user part at the "@", so ";" and "?" may occur in it (RFC 3261 19.1.1, RFC 4475 semiuri)', () => {
    expect(parseUri('sip:user;par=u%40example.net@example.com')).toMatchObject({ user: 'user;par=u%40example.net', host: 'example.com', params: [] });
  });

  it('keeps escapes as written', () => {
    const u = parseUri('sip:%61lice@example.com;n%61me=v%61lue%25%34%31');
    expect(u).toMatchObject({ user: '%61lice', params: [{ name: 'n%61me', value: 'v%61lue%25%34%31' }] });
    expect(formatUri(u)).toBe('sip:%61lice@example.com;n%61me=v%61lue%25%34%31');
  });

  it('reads tel URIs with parameters (RFC 3966)', () => {
    expect(parseUri('tel:+1-201-555-0123;phone-context=example.com;isub=12')).toStrictEqual({
      scheme: 'tel',
      number: '+1-201-555-0123',
      params: [{ name: 'phone-context', value: 'example.com' }, { name: 'isub', value: '12' }],
    });
    expect(parseUri('tel:7042;phone-context=+1-212')).toMatchObject({ number: '7042' });
  });

  it('keeps other schemes opaque', () => {
    expect(parseUri('mailto:alice@example.com?subject=hi')).toStrictEqual({ scheme: 'mailto', value: 'alice@example.com?subject=hi' });
    expect(parseUri('wv:alice@imps.example.com')).toStrictEqual({ scheme: 'wv', value: 'alice@imps.example.com' });
    expect(parseUri('im:alice@example.com')).toStrictEqual({ scheme: 'im', value: 'alice@example.com' });
    expect(parseUri('urn:service:sos')).toStrictEqual({ scheme: 'urn', value: 'service:sos' });
    expect(parseUri('soap.beep://192.0.2.103:3002')).toStrictEqual({ scheme: 'soap.beep', value: '//192.0.2.103:3002' });
  });

  it.each([
    ['', 'no scheme'],
    ['example.com', 'no scheme'],
    ['<sip:a@example.com>', 'no scheme'],
    ['1sip:a@b', 'no scheme'],
    ['sip:', 'empty or containing characters'],
    ['sip:a b@example.com', 'empty or containing characters'],
    ['sip:a@example.com>', 'empty or containing characters'],
    ['sip:a%zz@example.com', 'empty or containing characters'],
    ['sip:@example.com', "bad user part ''"],
    ['sip:a@', "bad host ''"],
    ['sip:a@exa_mple.com', "bad host 'exa_mple.com'"],
    ['sip:a@-example.com', "bad host '-example.com'"],
    ['sip:a@256.1.1.1', "bad host '256.1.1.1'"],
    ['sip:[::1', 'bad host'],
    ['sip:[1::2::3]', "bad host '[1::2::3]'"],
    ['sip:2001:db8::10', "bad host '2001'"],
    ['sip:a@example.com:', "bad port ''"],
    ['sip:a@example.com:65536', "bad port '65536'"],
    ['sip:a@example.com;=v', "bad parameter name ''"],
    ['sip:a@example.com;p=', "bad value '' of parameter 'p'"],
    ['sip:a@example.com;', "bad parameter name ''"],
    ['sip:a@example.com?Subject', "URI header 'Subject' has no '='"],
    ['tel:', 'empty or containing characters'],
    ['tel:+', "bad telephone number '+'"],
    ['tel:+1-x', "bad telephone number '+1-x'"],
    ['mailto:', 'empty or containing characters'],
  ])('rejects %j (%s)', (text, why) => {
    let err: unknown;
    try {
      parseUri(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SipParseError);
    expect((err as SipParseError).what).toBe('uri');
    expect((err as SipParseError).message).toContain(`malformed URI '${text}'`);
    expect((err as SipParseError).message).toContain(why);
  });
});

describe('formatUri', () => {
  it.each([
    'sip:example.com',
    'sips:alice:@example.com:5061;transport=tls;lr?Route=%3Csip:example.com%3E&x=',
    'sip:+19725552222@gw1.example.net;user=phone',
    'sip:[2001:db8::10]:5070;maddr=[2001:db8::1]',
    'tel:+1-201-555-0123;phone-context=example.com',
    'mailto:alice@example.com',
    'urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6',
    "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com",
  ])('gives back %s', (text) => {
    expect(formatUri(parseUri(text))).toBe(text);
  });

  it('is inverted by parseUri', () => {
    fc.assert(
      fc.property(uri, (u) => {
        expect(parseUri(formatUri(u))).toStrictEqual(structuredClone(u));
      }),
    );
  });
});

describe('isIPv6', () => {
  it.each(['::', '::1', '1::', '2001:db8::10', '1:2:3:4:5:6:7:8', '::ffff:192.0.2.1', '1:2:3:4:5:6:192.0.2.1'])('accepts %s', (a) => {
    expect(isIPv6(a)).toBe(true);
  });
  it('tolerates the ":::" before an IPv4 tail that RFC 3261 ABNF allowed (RFC 5118 4.10)', () => {
    expect(isIPv6('2001:db8:::192.0.2.1')).toBe(true);
  });
  it.each(['', '1', '1:2', '1:::2', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', '::g', '::1.2.3', '1:2:3:4:5:6:7:1.2.3.4'])('rejects %j', (a) => {
    expect(isIPv6(a)).toBe(false);
  });
});

describe('sipUri', () => {
  it('builds a sip URI without optional parts', () => {
    expect(sipUri('alice', 'example.com')).toStrictEqual({ scheme: 'sip', user: 'alice', host: 'example.com', params: [], headers: [] });
    expect(sipUri(undefined, 'example.com', [{ name: 'lr' }])).toStrictEqual({ scheme: 'sip', host: 'example.com', params: [{ name: 'lr' }], headers: [] });
  });
});

describe('aorOf', () => {
  it.each([
    ['sip:alice@Example.COM', 'sip:alice@example.com'],
    ['sips:Alice@EXAMPLE.com:5061;transport=tls?Subject=x', 'sip:Alice@example.com'],
    ['sip:Example.com;lr', 'sip:example.com'],
    ['tel:+1-(201)-555.0123;phone-context=x', 'tel:+12015550123'],
    ['MAILTO:alice@example.com', 'mailto:alice@example.com'],
    ['im:alice@example.com', 'im:alice@example.com'],
  ])('%s -> %s', (text, aor) => {
    expect(aorOf(parseUri(text))).toBe(aor);
  });
});

describe('getParam / withParam', () => {
  const params = [{ name: 'Transport', value: 'tcp' }, { name: 'lr' }, { name: 'transport', value: 'udp' }];

  it('finds names case-insensitively, the first match winning; flags are true', () => {
    expect(getParam(params, 'TRANSPORT')).toBe('tcp');
    expect(getParam(params, 'LR')).toBe(true);
    expect(getParam(params, 'maddr')).toBeUndefined();
  });

  it('replaces the first match in place, drops later ones, appends otherwise, never mutating', () => {
    const before = structuredClone(params);
    expect(withParam(params, 'transport', 'tls')).toStrictEqual([{ name: 'transport', value: 'tls' }, { name: 'lr' }]);
    expect(withParam(params, 'LR', 'x')).toStrictEqual([{ name: 'Transport', value: 'tcp' }, { name: 'LR', value: 'x' }, { name: 'transport', value: 'udp' }]);
    expect(withParam(params, 'ob')).toStrictEqual([...params, { name: 'ob' }]);
    expect(params).toStrictEqual(before);
  });
});

describe('URI edge cases found by mutation testing', () => {
  it('rejects tel numbers without a digit, or with characters outside their class (RFC 3966 5.1)', () => {
    expect(() => parseUri('tel:+--')).toThrow(SipParseError);
    expect(() => parseUri('tel:--')).toThrow(SipParseError);
    expect(() => parseUri('tel:12x')).toThrow(SipParseError);
  });

  it('rejects an IPv4 part of more than three digits even if its value is small', () => {
    expect(() => parseUri('sip:0001.2.3.4')).toThrow(/bad host/);
    expect(isIPv6('::0001.2.3.4')).toBe(false);
  });

  it('accepts ":::" before an IPv4 tail of several-digit parts (RFC 5118 4.10)', () => {
    expect(isIPv6(':::10.20.30.40')).toBe(true);
  });

  it('counts the groups around "::": at most seven besides it, eight without it (RFC 4291 2.2)', () => {
    expect(isIPv6('::1:2:3:4:5:6:7')).toBe(true);
    expect(isIPv6('1:2:3:4:5:6:7::')).toBe(true);
    expect(isIPv6('1::2:3:4:5:6:7:8')).toBe(false);
    expect(isIPv6('1:2:3:4::5:6:7:8')).toBe(false);
  });

  it('needs the closing bracket of an IPv6 reference', () => {
    expect(isHost('[::1')).toBe(false);
    expect(isHost('[::1]')).toBe(true);
  });

  it('reads ports up to 65535 and only as plain digits', () => {
    expect(parseUri('sip:h.example:65535')).toMatchObject({ port: 65535 });
    expect(() => parseUri('sip:h.example:65536')).toThrow(/bad port/);
    expect(() => parseUri('sip:h.example:5060.')).toThrow(/bad port/);
    expect(() => parseUri('sip:h.example:+5060')).toThrow(/bad port/);
  });

  it('rejects a URI header with an empty or bad name, and a password with a character it cannot hold', () => {
    expect(() => parseUri('sip:h.example?=v')).toThrow(/bad URI header '=v'/);
    expect(() => parseUri('sip:h.example?a,b=v')).toThrow(/bad URI header 'a,b=v'/);
    expect(() => parseUri('sip:a:p;w@h.example')).toThrow(/bad password 'p;w'/);
  });

  it('names the empty part when a URI part is missing before its separator', () => {
    expect(() => parseUri('sip:h.example;=v')).toThrow("bad parameter name ''");
    expect(() => parseUri('sip::pw@h.example')).toThrow("bad user part ''");
    expect(() => parseUri('sip::5060')).toThrow("bad host ''");
    expect(() => parseUri('sip:?x=y')).toThrow("bad host ''");
    expect(() => parseUri('tel:;x')).toThrow("bad telephone number ''");
  });

  it('formats a URI header given without a value as "name="', () => {
    expect(formatUri({ scheme: 'sip', host: 'h.example', params: [], headers: [{ name: 'Subject' }] })).toBe('sip:h.example?Subject=');
  });
});
