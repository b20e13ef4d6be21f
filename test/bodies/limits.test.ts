import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decodeBody, decodeBodyOctets, encodeBodyOctets } from '../../src/bodies/codec.js';
import { BodyParseError } from '../../src/bodies/errors.js';
import { MAX_BODY_NESTING, XML_MAX_DEPTH } from '../../src/bodies/limits.js';

const refused = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BodyParseError);
    return (e as Error).message;
  }
  throw new Error('accepted');
};

const IMDN_NS = 'urn:ietf:params:xml:ns:imdn';
const imdn = (inner: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n<imdn xmlns="${IMDN_NS}">${inner}<message-id>1</message-id><datetime>2008-06-01T00:00:00Z</datetime><delivery-notification><status><delivered/></status></delivery-notification></imdn>`;
const cpimAround = (contentType: string, content: string): string => `From: <sip:a@a.example>\r\n\r\nContent-Type: ${contentType}\r\n\r\n${content}`;

describe('what used to crash a run gives the codec typed error', () => {
  it(`XML nested deeper than ${XML_MAX_DEPTH}, inside CPIM as an injected IMDN would be`, () => {
    const deep = imdn('<x>'.repeat(XML_MAX_DEPTH + 5) + '</x>'.repeat(XML_MAX_DEPTH + 5));
    expect(refused(() => decodeBody('message/cpim', cpimAround('message/imdn+xml', deep)))).toMatch(/nested/i);
  });

  it('XML element names the library refuses (__proto__), and a processing instruction, are refused or read, never thrown past the codec', () => {
    expect(refused(() => decodeBody('message/imdn+xml', imdn('<__proto__>1</__proto__>')))).toMatch(/XML not accepted/);
    expect(decodeBody('message/imdn+xml', imdn('<?pi data?>'))).toMatchObject({ kind: 'imdn' });
  });

  it(`CPIM and multipart nested thousands deep stop at ${MAX_BODY_NESTING} levels`, () => {
    let cpim = 'hi';
    let type = 'text/plain';
    for (let i = 0; i < 3000; i++) {
      cpim = cpimAround(type, cpim);
      type = 'message/cpim';
    }
    expect(refused(() => decodeBody('message/cpim', cpim))).toMatch(/nested more than 16 deep/);
    // Each level its own boundary, none a prefix of another (RFC 2046 5.1.2).
    const levels = Array.from({ length: 3000 }, (_, i) => i);
    const opening = levels.map((i) => `--b${i}z\r\nContent-Type: multipart/mixed;boundary=b${i + 1}z\r\n\r\n`).join('');
    const closing = levels.reverse().map((i) => `\r\n--b${i}z--\r\n`).join('');
    expect(refused(() => decodeBody('multipart/mixed;boundary=b0z', `${opening}--b3000z\r\n\r\nx\r\n--b3000z--${closing}`))).toMatch(/nested more than 16 deep/);
  });

  it('the CPIM decoder refuses a lone CR in a header, which the encoder cannot write (RFC 3862 3.1)', () => {
    expect(refused(() => decodeBody('message/cpim', 'From: <sip:a@a\r.example>\r\n\r\nContent-Type: text/plain\r\n\r\nhi'))).toMatch(/CR that does not end it/);
  });
});

describe('round trips that lost information are refused at parse time', () => {
  const sdp = (extra: string, t = '0 0'): string => `v=0\r\no=- 1 1 IN IP4 a.example\r\ns=-\r\nc=IN IP4 a.example\r\nt=${t}\r\n${extra}`;
  it('an m= line without a format (RFC 4566 5.14)', () => {
    expect(refused(() => decodeBody('application/sdp', sdp('m=message 2855 TCP/MSRP\r\n')))).toMatch(/no format/);
  });
  it('a t= time above 2^53', () => {
    expect(refused(() => decodeBody('application/sdp', sdp('', '9007199254740993 0')))).toMatch(/below 2\^53/);
  });
  it('a binary part is written back as its octets', () => {
    const wire = Buffer.concat([Buffer.from('--b\r\nContent-Type: application/octet-stream\r\n\r\n'), Buffer.from([0xff, 0x00, 0xfe]), Buffer.from('\r\n--b--\r\n')]);
    const body = decodeBodyOctets('multipart/mixed;boundary=b', wire);
    expect(decodeBodyOctets(body.contentType, encodeBodyOctets(body))).toEqual(body);
  });
});
