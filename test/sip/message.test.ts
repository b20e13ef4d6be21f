import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloneMessage, header, headers, insertAt, pushHeader, removeHeaders, replaceAt, setHeader, type SipRequest } from '../../src/sip/message.js';
import { parseMessage } from '../../src/sip/parser.js';
import { serializeMessage } from '../../src/sip/serializer.js';
import { request, response } from './arbitraries.js';
import { parseUri } from '../../src/sip/uri.js';

describe('cloneMessage', () => {
  it('gives an equal message; changing the copy (header lines, a new Request-URI) leaves the original as it was', () => {
    fc.assert(
      fc.property(fc.oneof(request, response), (m) => {
        const before = serializeMessage(m);
        const copy = cloneMessage(m);
        expect(copy).toEqual(m);
        pushHeader(copy, 'Via', 'SIP/2.0/UDP proxy.example.com;branch=z9hG4bKcopy');
        setHeader(copy, 'Max-Forwards', '1');
        if (copy.type === 'request' && 'params' in copy.uri) copy.uri = { ...copy.uri, params: [...copy.uri.params, { name: 'lr' }] };
        expect(serializeMessage(m)).toBe(before);
      }),
    );
  });

  it('shares the body, a value no element changes in place', () => {
    const m = parseMessage('MESSAGE sip:b@b.example SIP/2.0\r\nVia: SIP/2.0/UDP a.example;branch=z9hG4bK1\r\nFrom: <sip:a@a.example>;tag=1\r\nTo: <sip:b@b.example>\r\nCall-ID: c\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi');
    const copy = cloneMessage(m);
    expect(copy.body).toBe(m.body);
    expect(header(copy, 'Call-ID')).toBe('c');
  });

  it('shares the header list until a change assigns the copy a new one', () => {
    const m = parseMessage('OPTIONS sip:b@b.example SIP/2.0\r\nVia: SIP/2.0/UDP a.example;branch=z9hG4bK1\r\nFrom: <sip:a@a.example>;tag=1\r\nTo: <sip:b@b.example>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n');
    const copy = cloneMessage(m);
    expect(copy.headers).toBe(m.headers);
    setHeader(copy, 'Call-ID', 'd');
    expect(copy.headers).not.toBe(m.headers);
    expect([header(m, 'Call-ID'), header(copy, 'Call-ID')]).toEqual(['c', 'd']);
  });
});

describe('insertAt and replaceAt', () => {
  const lines = ['A', 'B', 'C'].map((name) => ({ name, value: name.toLowerCase() }));
  const names = (list: readonly { name: string }[]): string => list.map((h) => h.name).join('');

  it('insert before an index, replace or remove the line at it, and leave the list they read unchanged', () => {
    const x = { name: 'X', value: 'x' };
    expect(names(insertAt(lines, 0, x))).toBe('XABC');
    expect(names(insertAt(lines, 3, x, x))).toBe('ABCXX');
    expect(names(replaceAt(lines, 1, x))).toBe('AXC');
    expect(names(replaceAt(lines, 2))).toBe('AB');
    expect(names(lines)).toBe('ABC');
  });

  it('insertAt reads its index as Array.slice does: a negative one from the end, one past the end as the end', () => {
    // Callers pass findIndex results, -1 included: the line then goes before the last one.
    const x = { name: 'X', value: 'x' };
    for (const at of [-4, -1, 0, 2, 3, 5]) expect(names(insertAt(lines, at, x))).toBe(names([...lines.slice(0, at), x, ...lines.slice(at)]));
  });
});

describe('reading and editing header lines by name (RFC 3261 7.3.5: names are case-insensitive)', () => {
  const msg = (...lines: [string, string][]): SipRequest => ({ type: 'request', method: 'MESSAGE', uri: parseUri('sip:bob@b.example'), headers: lines.map(([name, value]) => ({ name, value })) });
  const names = (m: SipRequest): string[] => m.headers.map((h) => `${h.name}: ${h.value}`);

  it('finds a line whatever the case of its name, but not a name that only shares a prefix or a length', () => {
    const m = msg(['subject', 'a'], ['SUBJECTS', 'b'], ['Subjekt', 'c']);
    expect(header(m, 'Subject')).toBe('a');
    expect(headers(m, 'SUBJECT')).toEqual(['a']);
    expect(header(m, 'Subjects')).toBe('b');
  });

  it('setHeader replaces a single line in place, and several lines by one at the place of the first', () => {
    const one = msg(['Via', 'v'], ['Max-Forwards', '70'], ['To', 't']);
    setHeader(one, 'Max-Forwards', '69');
    expect(names(one)).toEqual(['Via: v', 'Max-Forwards: 69', 'To: t']);
    const several = msg(['Via', 'v'], ['Route', 'r1'], ['To', 't'], ['route', 'r2']);
    setHeader(several, 'Route', 'r');
    expect(names(several)).toEqual(['Via: v', 'Route: r', 'To: t']);
    const first = msg(['Route', 'r1'], ['To', 't'], ['Route', 'r2']);
    setHeader(first, 'Route', 'r');
    expect(names(first)).toEqual(['Route: r', 'To: t']);
    const none = msg(['Via', 'v']);
    setHeader(none, 'Expires', '0');
    expect(names(none)).toEqual(['Via: v', 'Expires: 0']);
  });

  it('pushHeader puts a line above the others of its name; a first one after the Vias, a first Via on top', () => {
    const m = msg(['Via', 'v1'], ['Via', 'v2'], ['To', 't'], ['Route', 'r1']);
    pushHeader(m, 'Route', 'r0');
    expect(names(m)).toEqual(['Via: v1', 'Via: v2', 'To: t', 'Route: r0', 'Route: r1']);
    pushHeader(m, 'Record-Route', 'rr');
    expect(names(m)).toEqual(['Via: v1', 'Via: v2', 'Record-Route: rr', 'To: t', 'Route: r0', 'Route: r1']);
    pushHeader(m, 'Via', 'v0');
    expect(names(m)[0]).toBe('Via: v0');
    const noVia = msg(['To', 't']);
    pushHeader(noVia, 'Via', 'v');
    expect(names(noVia)).toEqual(['Via: v', 'To: t']);
    const lowerVias = msg(['via', 'v1'], ['To', 't']);
    pushHeader(lowerVias, 'Route', 'r');
    expect(names(lowerVias)).toEqual(['via: v1', 'Route: r', 'To: t']);
    const onlyVias = msg(['Via', 'v']);
    pushHeader(onlyVias, 'Route', 'r');
    expect(names(onlyVias)).toEqual(['Via: v', 'Route: r']);
  });

  it('removeHeaders removes every line of the name, in any case, and keeps the list when there is none', () => {
    const m = msg(['Route', 'r1'], ['To', 't'], ['ROUTE', 'r2']);
    removeHeaders(m, 'route');
    expect(names(m)).toEqual(['To: t']);
    const list = m.headers;
    removeHeaders(m, 'Route');
    expect(m.headers).toBe(list);
  });
});
