import { describe, expect, it } from 'vitest';
import { buildCpim } from '../../src/bodies/cpim-codec.js';
import { contentOctets, parseByteRange, parseMsrp, serializeMsrp } from '../../src/msrp/codec.js';
import { MsrpParseError } from '../../src/msrp/errors.js';
import { formatByteRange, msrpHeader, type MsrpMessage } from '../../src/msrp/message.js';
import { parseMsrpUri } from '../../src/msrp/uri.js';

/** RFC 4975 7.1 example: a SEND and its 200 (the URIs as the RFC writes them). */
const SEND = [
  'MSRP a786hjs2 SEND',
  'To-Path: msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp',
  'From-Path: msrp://atlanta.example.com:7654/jshA7weztas;tcp',
  'Message-ID: 87652491',
  'Byte-Range: 1-25/25',
  'Content-Type: text/plain',
  '',
  'Hey Bob, are you there?',
  '-------a786hjs2$',
  '',
].join('\r\n');

const OK = ['MSRP a786hjs2 200 OK', 'To-Path: msrp://atlanta.example.com:7654/jshA7weztas;tcp', 'From-Path: msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp', '-------a786hjs2$', ''].join('\r\n');

const error = (text: string): MsrpParseError => {
  try {
    parseMsrp(text);
  } catch (e) {
    if (e instanceof MsrpParseError) return e;
    throw e;
  }
  throw new Error('accepted');
};

describe('MSRP wire format (RFC 4975 9)', () => {
  it('reads the RFC 4975 7.1 SEND and writes it back byte for byte', () => {
    const send = parseMsrp(SEND);
    expect(send).toEqual({
      type: 'msrp-request',
      protocol: 'msrp',
      transactionId: 'a786hjs2',
      method: 'SEND',
      toPath: [parseMsrpUri('msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp')],
      fromPath: [parseMsrpUri('msrp://atlanta.example.com:7654/jshA7weztas;tcp')],
      headers: [
        { name: 'Message-ID', value: '87652491' },
        { name: 'Byte-Range', value: '1-25/25' },
      ],
      body: { kind: 'text', contentType: 'text/plain', text: 'Hey Bob, are you there?' },
      continuation: '$',
    } satisfies MsrpMessage);
    expect(serializeMsrp(send)).toBe(SEND);
    expect(msrpHeader(send, 'message-id')).toBe('87652491');
    // The RFC's example declares 25 octets for a 23-octet text; the parser keeps what it says.
    expect(contentOctets(send)).toBe(23);
  });

  it('reads and writes a response without a body', () => {
    const ok = parseMsrp(OK);
    expect(ok).toMatchObject({ type: 'msrp-response', transactionId: 'a786hjs2', status: 200, comment: 'OK', headers: [] });
    expect(serializeMsrp(ok)).toBe(OK);
  });

  it('carries a CPIM message with its IMDN headers, decoded through the body codec', () => {
    const cpim = buildCpim({ from: '<sip:alice@a.example>', to: '<sip:bob@b.example>', dateTime: '2008-06-01T00:00:01.000Z', messageId: 'm1', dispositionNotification: ['positive-delivery'], content: { kind: 'text', contentType: 'text/plain', text: 'Hi\r\n\r\nthere' } });
    const send: MsrpMessage = {
      type: 'msrp-request',
      protocol: 'msrp',
      transactionId: 'tx0001',
      method: 'SEND',
      toPath: [parseMsrpUri('msrp://phone.bob.b.example:2855/s2;tcp')],
      fromPath: [parseMsrpUri('msrp://phone.alice.a.example:2855/s1;tcp')],
      headers: [{ name: 'Message-ID', value: 'm1' }, { name: 'Success-Report', value: 'yes' }, { name: 'Failure-Report', value: 'yes' }, { name: 'Byte-Range', value: '1-*/*' }],
      body: { kind: 'cpim', contentType: 'message/cpim', cpim },
      continuation: '+',
    };
    expect(parseMsrp(serializeMsrp(send))).toEqual(send);
  });

  it('reads a REPORT without content (RFC 4975 7.1.2)', () => {
    const report = ['MSRP dkei38sd REPORT', 'To-Path: msrp://a.example:7777/iau39soe2843z;tcp', 'From-Path: msrp://b.example:8888/9di4eae923wzd;tcp', 'Message-ID: 12339sdqwer', 'Byte-Range: 1-106/106', 'Status: 000 200 OK', '-------dkei38sd$', ''].join('\r\n');
    expect(parseMsrp(report)).toMatchObject({ type: 'msrp-request', method: 'REPORT', headers: [{ name: 'Message-ID' }, { name: 'Byte-Range' }, { name: 'Status', value: '000 200 OK' }] });
    expect(serializeMsrp(parseMsrp(report))).toBe(report);
  });

  it('refuses malformed messages, naming what is wrong', () => {
    expect(error(SEND.replace('-------a786hjs2$', '-------a786hjs3$'))).toMatchObject({ what: 'end-line' });
    expect(error(SEND.replace('MSRP a786hjs2 SEND', 'MSRP a7 SEND'))).toMatchObject({ what: 'start-line' });
    expect(error(SEND.replace('To-Path', 'X-Path'))).toMatchObject({ what: 'header', message: 'To-Path and From-Path must be the first two headers (RFC 4975 7.1)' });
    expect(error(SEND.replace('msrp://biloxi', 'http://biloxi'))).toMatchObject({ what: 'uri' });
    expect(error(SEND.replace('Content-Type: text/plain\r\n', ''))).toMatchObject({ what: 'body' });
    expect(error(SEND.replace('1-25/25', '0-25/25'))).toMatchObject({ what: 'header', message: "malformed Byte-Range '0-25/25'" });
    expect(error(OK.replace('-------', '\r\nbody\r\n-------'))).toMatchObject({ what: 'body' });
  });

  it('refuses to write content that contains its own end-line', () => {
    const send = parseMsrp(SEND);
    if (send.type !== 'msrp-request') throw new Error('not a request');
    expect(() => serializeMsrp({ ...send, body: { kind: 'text', contentType: 'text/plain', text: 'x\r\n-------a786hjs2$' } })).toThrow(RangeError);
  });
});

describe('Byte-Range', () => {
  it('reads known and unknown ends and totals', () => {
    expect(parseByteRange('1-25/25')).toEqual({ start: 1, end: 25, total: 25 });
    expect(parseByteRange('2049-*/*')).toEqual({ start: 2049 });
    expect(formatByteRange({ start: 1, end: 10, total: 30 })).toBe('1-10/30');
    expect(formatByteRange({ start: 11 })).toBe('11-*/*');
  });
});
