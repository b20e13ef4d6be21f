import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../src/sip/message.js';
import { parseMessage } from '../../src/sip/parser.js';
import { serializeMessage } from '../../src/sip/serializer.js';
import { sipUri as makeSipUri } from '../../src/sip/uri.js';
import { request, response } from './arbitraries.js';

const req: SipRequest = {
  type: 'request',
  method: 'MESSAGE',
  uri: makeSipUri('bob', 'example.com'),
  headers: [
    { name: 'Via', value: 'SIP/2.0/UDP pc.example.com;branch=z9hG4bK1' },
    { name: 'To', value: '<sip:bob@example.com>' },
    { name: 'From', value: '<sip:alice@example.com>;tag=1' },
    { name: 'Call-ID', value: 'c1' },
    { name: 'CSeq', value: '1 MESSAGE' },
  ],
};

describe('serializeMessage', () => {
  it('writes the start line, headers in order, Content-Length 0 and the empty line', () => {
    expect(serializeMessage(req)).toBe(
      'MESSAGE sip:bob@example.com SIP/2.0\r\n' +
        'Via: SIP/2.0/UDP pc.example.com;branch=z9hG4bK1\r\n' +
        'To: <sip:bob@example.com>\r\n' +
        'From: <sip:alice@example.com>;tag=1\r\n' +
        'Call-ID: c1\r\n' +
        'CSeq: 1 MESSAGE\r\n' +
        'Content-Length: 0\r\n' +
        '\r\n',
    );
  });

  it('adds Content-Type from the body and counts Content-Length in UTF-8 octets', () => {
    const text = 'Grüße 😀';
    const wire = serializeMessage({ ...req, body: { kind: 'text', contentType: 'text/plain;charset=UTF-8', text } });
    expect(wire).toContain('CSeq: 1 MESSAGE\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: 12\r\n\r\nGrüße 😀');
    expect(text.length).toBe(8); // UTF-16 units: the header must not use these
  });

  it('writes an empty reason phrase after the SP (RFC 3261 7.2)', () => {
    const res: SipResponse = { type: 'response', status: 100, reason: '', headers: req.headers };
    expect(serializeMessage(res).startsWith('SIP/2.0 100 \r\n')).toBe(true);
  });
});

// fast-check builds records without a prototype; toStrictEqual would count that as a difference.
const plain = <T>(value: T): T => structuredClone(value);

describe('parseMessage(serializeMessage(m))', () => {
  it('gives back every request', () => {
    fc.assert(fc.property(request, (m) => {
      expect(parseMessage(serializeMessage(m))).toStrictEqual(plain(m));
    }), { numRuns: 300 });
  });

  it('gives back every response', () => {
    fc.assert(fc.property(response, (m) => {
      expect(parseMessage(serializeMessage(m))).toStrictEqual(plain(m));
    }), { numRuns: 300 });
  });
});
