import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloneMessage, header, insertAt, pushHeader, replaceAt, setHeader } from '../../src/sip/message.js';
import { parseMessage } from '../../src/sip/parser.js';
import { serializeMessage } from '../../src/sip/serializer.js';
import { request, response } from './arbitraries.js';

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
