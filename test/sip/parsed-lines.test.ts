import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseVia, splitHeaderList } from '../../src/sip/header-values.js';
import { elementsOf, listLine, viaLine, viasOf } from '../../src/sip/parsed-lines.js';
import { popRoute, popVia } from '../../src/sip/routing.js';
import { nameAddr, via } from './arbitraries.js';
import { formatNameAddr } from '../../src/sip/name-addr.js';

// A line made with its parse seeded is read without parsing: the seed must be exactly what
// parsing its text gives, or elements would act on values their wire text does not say.
describe('lines made with their parse known', () => {
  it('viaLine: the via-parms read back are those its text parses to', () => {
    fc.assert(
      fc.property(fc.array(via, { minLength: 1, maxLength: 3 }), (vias) => {
        const line = viaLine('Via', vias);
        expect(viasOf(line)).toEqual(parseVia(line.value));
        expect(viasOf(line)).toBe(vias);
      }),
    );
  });

  it('listLine: the elements read back are those its text splits into', () => {
    fc.assert(
      fc.property(fc.array(nameAddr, { minLength: 1, maxLength: 3 }), (addrs) => {
        const line = listLine('Route', addrs.map(formatNameAddr));
        expect(elementsOf(line)).toEqual(splitHeaderList(line.value));
      }),
    );
  });

  it('the seed is invisible: a seeded line equals an unseeded line of the same text', () => {
    const line = viaLine('Via', [{ protocol: 'SIP/2.0', transport: 'UDP', host: 'core.a.example', params: [{ name: 'branch', value: 'z9hG4bKx' }] }]);
    expect(line).toEqual({ name: 'Via', value: 'SIP/2.0/UDP core.a.example;branch=z9hG4bKx' });
    expect(Object.keys(line)).toEqual(['name', 'value']);
  });

  it('popVia and popRoute leave lines whose seeded parse equals their text', () => {
    const msg = {
      type: 'response' as const,
      status: 200,
      reason: 'OK',
      headers: [
        { name: 'Via', value: 'SIP/2.0/UDP a.example;branch=z9hG4bK1, SIP/2.0/UDP b.example:5070;branch=z9hG4bK2;received=c.example' },
        { name: 'Route', value: '<sip:a.example;lr>, <sip:b.example;lr>,<sip:c.example;lr;odi=term>' },
      ],
    };
    popVia(msg);
    popRoute(msg);
    expect(msg.headers.map((h) => h.value)).toEqual(['SIP/2.0/UDP b.example:5070;branch=z9hG4bK2;received=c.example', '<sip:b.example;lr>, <sip:c.example;lr;odi=term>']);
    expect(viasOf(msg.headers[0]!)).toEqual(parseVia(msg.headers[0]!.value));
    expect(elementsOf(msg.headers[1]!)).toEqual(splitHeaderList(msg.headers[1]!.value));
  });
});
