import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Body } from '../../src/bodies/body.js';
import { decodeBody, encodeBody } from '../../src/bodies/codec.js';
import { buildCpim } from '../../src/bodies/cpim-codec.js';
import { BodyParseError } from '../../src/bodies/errors.js';
import { cpimBody, imdnBody, reginfo, textBody } from './arbitraries.js';

const SDP = 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=message 9 TCP/MSRP *\r\na=path:msrp://h:9/s;tcp\r\n';
const IMDN =
  '<imdn xmlns="urn:ietf:params:xml:ns:imdn"><message-id>m</message-id><datetime>d</datetime>' +
  '<display-notification><status><displayed/></status></display-notification></imdn>';
const REGINFO = '<reginfo xmlns="urn:ietf:params:xml:ns:reginfo" version="0" state="full"/>';
const CPIM = 'From: <a>\r\n\r\nContent-Type: text/plain\r\n\r\nhi';
const CONFERENCE = '<conference-info xmlns="urn:ietf:params:xml:ns:conference-info" entity="sip:g@x" version="0"/>';
const LIST = '<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists"><list/></resource-lists>';
const MULTIPART = '--b\r\n\r\nhi\r\n--b--\r\n';

describe('decodeBody dispatch', () => {
  it.each([
    ['message/cpim', CPIM, 'cpim'],
    ['Message/CPIM', CPIM, 'cpim'],
    ['message/imdn+xml', IMDN, 'imdn'],
    ['MESSAGE/IMDN+XML; charset=UTF-8', IMDN, 'imdn'],
    ['application/reginfo+xml', REGINFO, 'reginfo'],
    [' application/reginfo+xml ;charset="utf-8"', REGINFO, 'reginfo'],
    ['application/sdp', SDP, 'sdp'],
    ['application/conference-info+xml', CONFERENCE, 'conference-info'],
    ['application/resource-lists+xml', LIST, 'resource-lists'],
    ['multipart/mixed;boundary=b', MULTIPART, 'multipart'],
    ['multipart/related; boundary=b', MULTIPART, 'multipart'],
    ['Application/SDP', SDP, 'sdp'],
    ['text/plain', 'hello', 'text'],
    ['text/plain;charset=UTF-8', 'hello', 'text'],
    ['application/xcap-diff+xml', '<xcap-diff/>', 'text'],
    ['application/im-iscomposing+xml', '<isComposing/>', 'text'],
  ])('%s decodes as %s', (contentType, text, kind) => {
    const body = decodeBody(contentType, text);
    expect(body.kind).toBe(kind);
    expect(body.contentType).toBe(contentType);
  });

  it('keeps unknown media types as verbatim text', () => {
    expect(decodeBody('text/plain; charset=UTF-8', 'a\r\nb')).toEqual({
      kind: 'text',
      contentType: 'text/plain; charset=UTF-8',
      text: 'a\r\nb',
    });
  });

  it('encodes text bodies as their text', () => {
    expect(encodeBody({ kind: 'text', contentType: 'text/plain', text: 'x\r\n' })).toBe('x\r\n');
  });

  it('raises BodyParseError carrying the full Content-Type', () => {
    const contentType = 'application/sdp; foo=bar';
    let caught: unknown;
    try {
      decodeBody(contentType, 'garbage');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BodyParseError);
    expect(caught).toBeInstanceOf(Error);
    const err = caught as BodyParseError;
    expect(err.name).toBe('BodyParseError');
    expect(err.contentType).toBe(contentType);
    expect(err.message).toBe('invalid application/sdp; foo=bar body: SDP must start with a v= line (RFC 4566 5)');
  });

  it.each([
    ['message/cpim', 'no separators'],
    ['message/imdn+xml', '<imdn/>'],
    ['application/reginfo+xml', 'not xml'],
    ['application/sdp', ''],
  ])('%s rejects malformed text', (contentType, text) => {
    expect(() => decodeBody(contentType, text)).toThrow(BodyParseError);
  });
});

describe('encodeBody/decodeBody round trip', () => {
  const roundTrip = (b: Body): void => {
    expect(decodeBody(b.contentType, encodeBody(b))).toEqual(b);
  };

  it('holds for text bodies (fast-check)', () => {
    fc.assert(fc.property(textBody, roundTrip), { numRuns: 300 });
  });

  it('holds for CPIM bodies (fast-check)', () => {
    fc.assert(fc.property(cpimBody, roundTrip), { numRuns: 300 });
  });

  it('holds for IMDN bodies (fast-check)', () => {
    fc.assert(fc.property(imdnBody, roundTrip), { numRuns: 300 });
  });

  it('holds for reginfo bodies (fast-check)', () => {
    fc.assert(
      fc.property(reginfo, (r) => roundTrip({ kind: 'reginfo', contentType: 'application/reginfo+xml', reginfo: r })),
      { numRuns: 100 },
    );
  });

  it('holds for every body decoded from the wire', () => {
    for (const [contentType, text] of [
      ['message/cpim', CPIM],
      ['message/imdn+xml', IMDN],
      ['application/reginfo+xml', REGINFO],
      ['application/sdp', SDP],
    ] as const) {
      roundTrip(decodeBody(contentType, text));
    }
  });

  it('holds for a CPIM message wrapping an SDP body', () => {
    const sdp = decodeBody('application/sdp', SDP);
    roundTrip({
      kind: 'cpim',
      contentType: 'message/cpim',
      cpim: buildCpim({ from: 'sip:a@x', to: 'sip:b@x', dateTime: '2024-05-01T10:00:00Z', content: sdp }),
    });
  });
});
