import { describe, expect, it } from 'vitest';
import { internNameAddr, internOptional, internParams, internUri } from '../../src/sip/interned.js';
import { formatNameAddr, parseNameAddr } from '../../src/sip/name-addr.js';
import { formatUri, parseUri } from '../../src/sip/uri.js';

describe('interned SIP values', () => {
  it('an interned URI is equal to the original, field for field, for every scheme', () => {
    for (const text of ['sip:alice:pw@a.example:5070;transport=tcp;lr?subject=hi', 'sips:b.example', 'tel:+1-555-0100;phone-context=x', 'mailto:bob@b.example', 'wv:carol@c.example']) {
      const uri = parseUri(text);
      const copy = internUri(uri);
      expect(copy).toEqual(uri);
      expect(copy).not.toBe(uri);
      expect(formatUri(copy)).toBe(text);
    }
  });

  it('a URI without parameters or headers keeps the one shared empty list', () => {
    const uri = parseUri('sip:alice@a.example') as { params: unknown; headers: unknown };
    const copy = internUri(uri as never) as { params: unknown; headers: unknown };
    expect(copy.params).toBe(uri.params);
    expect(copy.headers).toBe(uri.headers);
    expect(internParams([])).toHaveLength(0);
  });

  it('an interned name-addr is equal to the original, display name and parameters (with and without value) included', () => {
    for (const text of ['"Alice A." <sip:alice@phone.a.example>;+sip.instance="<urn:uuid:1>";+g.oma.sip-im;expires=60', '<sip:bob@b.example>']) {
      const address = parseNameAddr(text);
      const copy = internNameAddr(address);
      expect(copy).toEqual(address);
      expect(formatNameAddr(copy)).toBe(formatNameAddr(address));
    }
  });

  it('internOptional keeps undefined', () => {
    expect(internOptional(undefined)).toBeUndefined();
    expect(internOptional('x')).toBe('x');
  });
});
