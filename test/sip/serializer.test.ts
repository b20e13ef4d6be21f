import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../src/sip/message.js';
import { parseMessage } from '../../src/sip/parser.js';
import { serializeMessage, serializeMessageOctets } from '../../src/sip/serializer.js';
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

// Octets that are not UTF-8 (0xFF never occurs in it, 0x80 cannot start a sequence; RFC 3629 3),
// with a NUL and a CR LF inside: a body is octets counted by Content-Length (RFC 3261 20.14), not text.
const OPAQUE = Uint8Array.from([0xff, 0x00, 0x0d, 0x0a, 0x80, 0x41]);
const signed: SipRequest = { ...req, body: { kind: 'binary', contentType: 'application/pkcs7-signature', octets: OPAQUE } };
const HEAD =
  'MESSAGE sip:bob@example.com SIP/2.0\r\n' +
  'Via: SIP/2.0/UDP pc.example.com;branch=z9hG4bK1\r\n' +
  'To: <sip:bob@example.com>\r\n' +
  'From: <sip:alice@example.com>;tag=1\r\n' +
  'Call-ID: c1\r\n' +
  'CSeq: 1 MESSAGE\r\n';

describe('serializeMessageOctets (RFC 3261 7, 20.14)', () => {
  it('writes a message without a body as its head with Content-Length 0', () => {
    expect(serializeMessageOctets(req).toString('latin1')).toBe(`${HEAD}Content-Length: 0\r\n\r\n`);
  });

  it('writes opaque body octets as they are after the empty line, Content-Length counting them', () => {
    const octets = serializeMessageOctets(signed);
    const head = `${HEAD}Content-Type: application/pkcs7-signature\r\nContent-Length: 6\r\n\r\n`;
    expect(octets.subarray(0, head.length).toString('latin1')).toBe(head);
    expect([...octets.subarray(head.length)]).toEqual([...OPAQUE]);
    expect(octets.length).toBe(head.length + 6);
  });

  it('writes a text body as its UTF-8 octets', () => {
    const octets = serializeMessageOctets({ ...req, body: { kind: 'text', contentType: 'text/plain', text: 'é' } });
    expect([...octets.subarray(octets.length - 2)]).toEqual([0xc3, 0xa9]);
    expect(octets.toString('latin1')).toContain('Content-Length: 2\r\n\r\n');
  });

  it('sends an injected message as exactly its wire text, whatever its fields say (compact forms kept)', () => {
    const wire = 'MESSAGE sip:bob@example.com SIP/2.0\r\nv: SIP/2.0/UDP pc.example.com;branch=z9hG4bK1\r\nl: 0\r\n\r\n';
    const injected: SipRequest = { ...signed, wire };
    expect(serializeMessageOctets(injected).toString('utf8')).toBe(wire);
    expect(serializeMessage(injected)).toBe(wire);
    expect(serializeMessage({ ...req, wire })).toBe(wire);
  });
});

describe('serializeMessage of opaque octets', () => {
  it('shows octets that are not UTF-8 as U+FFFD, the head and Content-Length as written', () => {
    const text = serializeMessage(signed);
    expect(text).toBe(`${HEAD}Content-Type: application/pkcs7-signature\r\nContent-Length: 6\r\n\r\n\ufffd\u0000\r\n\ufffdA`);
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
