import { describe, expect, it } from 'vitest';
import type { Body } from '../../src/bodies/body.js';
import { Buffer } from 'node:buffer';
import { decodeBody, decodeBodyOctets, encodeBody } from '../../src/bodies/codec.js';
import { buildImdnBody } from '../../src/bodies/imdn-codec.js';
import { boundaryOf, buildMultipart, decodeMultipart, encodeMultipart } from '../../src/bodies/multipart-codec.js';
import { parseError } from './body-errors.js';

const text = (t: string): Body => ({ kind: 'text', contentType: 'text/plain', text: t });
const delivered = (recipient: string): Body =>
  buildImdnBody({ messageId: 'm1', dateTime: '2008-06-01T00:00:01.000Z', recipientUri: recipient, notification: { type: 'delivery', status: 'delivered' } });

const parts = (contentType: string, wire: string | Buffer) => decodeMultipart(contentType, typeof wire === 'string' ? Buffer.from(wire, 'utf8') : wire);


describe('multipart/mixed (RFC 2046 5.1)', () => {
  it('writes delimiters, part headers and a closing delimiter', () => {
    const body = buildMultipart('b1', [{ contentHeaders: [{ name: 'Content-ID', value: '<x>' }], content: text('one') }, { contentHeaders: [], content: text('two') }]);
    expect(body.contentType).toBe('multipart/mixed;boundary=b1');
    expect(encodeBody(body)).toBe('--b1\r\nContent-Type: text/plain\r\nContent-ID: <x>\r\n\r\none\r\n--b1\r\nContent-Type: text/plain\r\n\r\ntwo\r\n--b1--\r\n');
  });

  it('round-trips IMDN parts through the body codec', () => {
    const body = buildMultipart('3ee3bd5e28f04292', [
      { contentHeaders: [], content: delivered('sip:bob@b.example') },
      { contentHeaders: [], content: delivered('sip:carol@c.example') },
    ]);
    const decoded = decodeBody(body.contentType, encodeBody(body));
    expect(decoded).toEqual(body);
  });

  it('drops the preamble and epilogue, accepts bare LF and a quoted boundary', () => {
    const contentType = 'multipart/mixed; boundary="a b"';
    expect(boundaryOf(contentType)).toBe('a b');
    const wire = 'preamble\n--a b\nContent-Type: text/plain\n\nfirst\n--a b\n\nsecond, typed by default\n--a b--\nepilogue';
    expect(parts(contentType, wire).map((p) => p.content)).toEqual([text('first'), text('second, typed by default')]);
  });

  it('ignores a delimiter inside a line, and refuses a part line that starts with one', () => {
    const decoded = parts('multipart/mixed;boundary=b', '--b\r\n\r\ntext --b inside\r\n--b--\r\n');
    expect(decoded.map((p) => p.content)).toEqual([text('text --b inside')]);
    // RFC 2046 5.1.1: a candidate line matches when it starts with the delimiter, and delimiters
    // must not appear within a part; such a part could not be written back either.
    expect(parseError(() => parts('multipart/mixed;boundary=b', '--b\r\n\r\n--bx is text\r\n--b--\r\n')).message).toMatch(/a line starts with the delimiter --b/);
    expect(() => encodeMultipart('multipart/mixed;boundary=b', [{ contentHeaders: [], content: text('ok\r\n--bx') }])).toThrow(RangeError);
  });

  it('refuses a missing boundary, a missing closing delimiter and a part without its blank line', () => {
    expect(parseError(() => decodeBody('multipart/mixed', '--b\r\n\r\nx\r\n--b--')).message).toMatch(/missing or invalid boundary/);
    expect(parseError(() => parts('multipart/mixed;boundary=b', '--b\r\n\r\nx\r\n')).message).toMatch(/missing closing --b--/);
    expect(parseError(() => parts('multipart/mixed;boundary=b', '--b\r\nContent-Type: text/plain\r\n--b--')).message).toMatch(
      /part 1: missing blank line/,
    );
  });

  it('reports an invalid part with its number', () => {
    const wire = '--b\r\nContent-Type: message/imdn+xml\r\n\r\n<nope/>\r\n--b--\r\n';
    expect(parseError(() => parts('multipart/mixed;boundary=b', wire)).message).toMatch(/^invalid multipart\/mixed;boundary=b body: part 1: /);
  });

  it('keeps a part that is not UTF-8 as its octets, and reads UTF-8 text and header values', () => {
    const signature = Buffer.from([0x30, 0x82, 0xff, 0x0d, 0x0a, 0xfe]);
    const wire = Buffer.concat([
      Buffer.from('--b\r\nContent-Type: text/plain\r\nContent-Description: Grüße\r\n\r\nZoë\r\n--b\r\nContent-Type: application/pkcs7-signature\r\n\r\n'),
      signature,
      Buffer.from('\r\n--b--\r\n'),
    ]);
    const [first, second] = parts('multipart/signed;boundary=b', wire);
    expect(first).toEqual({ contentHeaders: [{ name: 'Content-Description', value: 'Grüße' }], content: text('Zoë') });
    expect(second?.content).toEqual({ kind: 'binary', contentType: 'application/pkcs7-signature', octets: signature });
    expect(() => encodeBody(second!.content)).toThrow(/6 opaque octets has no text form/);
  });

  it('refuses octets that are not UTF-8 for a textual media type', () => {
    expect(parseError(() => decodeBodyOctets('text/plain', Buffer.from([0x41, 0xff]))).message).toBe('invalid text/plain body: not valid UTF-8 text');
    expect(decodeBodyOctets('application/octet-stream', Buffer.from([0xff]))).toMatchObject({ kind: 'binary' });
  });

  it('refuses to write a boundary that occurs in a part', () => {
    expect(() => encodeMultipart('multipart/mixed;boundary=b', [{ contentHeaders: [], content: text('--b') }])).toThrow(RangeError);
    expect(() => encodeMultipart('multipart/mixed', [])).toThrow(RangeError);
  });
});
