import { describe, expect, it } from 'vitest';
import { internNameAddr, internOptional, internParam, internParams, internUri } from '../../src/sip/interned.js';
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

  it('a kept parameter is one frozen object for its text, but a +sip.instance, which names one device', () => {
    const tag = internParam({ name: '+g.oma.sip-im' });
    expect(internParam({ name: '+g.oma.sip-im' })).toBe(tag);
    expect(Object.isFrozen(tag)).toBe(true);
    expect(internParam({ name: 'expires', value: '3600' })).toBe(internParam({ name: 'expires', value: '3600' }));
    expect(internParam({ name: 'expires', value: '60' })).not.toBe(internParam({ name: 'expires', value: '3600' }));
    const instance = { name: '+sip.instance', value: '"<urn:uuid:1>"' };
    expect(internParam(instance)).toEqual(instance);
    expect(internParam(instance)).not.toBe(internParam(instance));
    expect(Object.isFrozen(internParam(instance))).toBe(false);
  });

  it('shares at most 4096 different parameters: text from the network cannot grow the table without end', () => {
    for (let i = 0; i < 5000; i++) internParam({ name: 'x', value: String(i) });
    expect(internParam({ name: 'x', value: '10' })).toBe(internParam({ name: 'x', value: '10' }));
    const late = { name: 'x', value: '4999' };
    expect(internParam(late)).not.toBe(internParam(late));
    expect(internParam(late)).toEqual(late);
  });

  it('an element\'s own address (no user part) is one frozen object for its text; a user\'s is its own copy', () => {
    const cs = internUri(parseUri('sip:cs.a.example'));
    expect(internUri(parseUri('sip:cs.a.example'))).toBe(cs);
    expect(Object.isFrozen(cs)).toBe(true);
    expect(internUri(parseUri('sip:cs.a.example;lr'))).not.toBe(cs);
    const alice = internUri(parseUri('sip:alice@a.example'));
    expect(internUri(parseUri('sip:alice@a.example'))).not.toBe(alice);
    expect(internUri(parseUri('sip:alice@a.example'))).toEqual(alice);
  });
});
