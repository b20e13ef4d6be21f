import type { SessionDescription } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { BodyParseError } from '../../src/bodies/errors.js';
import { decodeSdp, encodeSdp } from '../../src/bodies/sdp-codec.js';

const CT = 'application/sdp';

/** An MSRP chat offer (RFC 4975 8.1 style) as the simulator builds it, plus audio and video. */
const OFFER: SessionDescription = {
  version: 0,
  origin: {
    username: 'alice',
    sessionId: '2890844526',
    sessionVersion: 2890844527,
    netType: 'IN',
    ipVer: 4,
    address: 'atlanta.example.com',
  },
  name: '-',
  connection: { version: 4, ip: '192.0.2.10' },
  timing: { start: 0, stop: 0 },
  media: [
    {
      type: 'message',
      port: 7654,
      protocol: 'TCP/MSRP',
      payloads: '*',
      rtp: [],
      fmtp: [],
      invalid: [
        { value: 'accept-types:message/cpim text/plain' },
        { value: 'path:msrp://atlanta.example.com:7654/jshA7weztas;tcp' },
      ],
    },
    {
      type: 'audio',
      port: 49170,
      protocol: 'RTP/AVP',
      payloads: '0',
      rtp: [{ payload: 0, codec: 'PCMU', rate: 8000 }],
      fmtp: [],
      direction: 'sendrecv',
    },
    {
      type: 'video',
      port: 51372,
      protocol: 'RTP/AVP',
      payloads: '31 32',
      rtp: [
        { payload: 31, codec: 'H261', rate: 90000 },
        { payload: 32, codec: 'MPV', rate: 90000 },
      ],
      fmtp: [],
    },
  ],
};

const OFFER_WIRE = [
  'v=0',
  'o=alice 2890844526 2890844527 IN IP4 atlanta.example.com',
  's=-',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=message 7654 TCP/MSRP *',
  'a=accept-types:message/cpim text/plain',
  'a=path:msrp://atlanta.example.com:7654/jshA7weztas;tcp',
  'm=audio 49170 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  'a=sendrecv',
  'm=video 51372 RTP/AVP 31 32',
  'a=rtpmap:31 H261/90000',
  'a=rtpmap:32 MPV/90000',
  '',
].join('\r\n');

function parseError(text: string): BodyParseError {
  try {
    decodeSdp(CT, text);
  } catch (e) {
    expect(e).toBeInstanceOf(BodyParseError);
    expect((e as BodyParseError).contentType).toBe(CT);
    return e as BodyParseError;
  }
  throw new Error('expected a BodyParseError');
}

describe('application/sdp', () => {
  it('writes the simulator offer exactly', () => {
    expect(encodeSdp(OFFER)).toBe(OFFER_WIRE);
  });

  it('round-trips the simulator offer, including string payloads and sess-id', () => {
    expect(decodeSdp(CT, encodeSdp(OFFER))).toEqual(OFFER);
  });

  it('does not modify the description it encodes', () => {
    const sdp = structuredClone(OFFER);
    delete (sdp as Partial<SessionDescription>).name;
    const before = structuredClone(sdp);
    expect(encodeSdp(sdp)).toContain('\r\ns= \r\n');
    expect(sdp).toEqual(before);
  });

  it('decodes the RFC 4975 MSRP attributes and normalises numeric strings', () => {
    const text = [
      'v=0',
      'o=bob 2890844730 2890844731 IN IP4 biloxi.example.com',
      's= ',
      'c=IN IP4 biloxi.example.com',
      't=0 0',
      'm=message 12763 TCP/MSRP *',
      'a=accept-types:text/plain',
      'a=path:msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp',
      'a=setup:passive',
      'm=audio 3456 RTP/AVP 8',
      'a=rtpmap:8 PCMA/8000',
      '',
    ].join('\r\n');
    const sdp = decodeSdp(CT, text);
    expect(sdp.origin.sessionId).toBe('2890844730');
    expect(sdp.media[0]).toMatchObject({
      type: 'message',
      port: 12763,
      protocol: 'TCP/MSRP',
      payloads: '*',
      setup: 'passive',
      invalid: [
        { value: 'accept-types:text/plain' },
        { value: 'path:msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp' },
      ],
    });
    expect(sdp.media[1]?.payloads).toBe('8');
    expect(decodeSdp(CT, encodeSdp(sdp))).toEqual(sdp);
  });

  it('keeps a sess-id beyond 2^53 exact', () => {
    const text = 'v=0\r\no=- 18446744073709551615 1 IN IP4 h\r\ns=5\r\nt=0 0\r\n';
    const sdp = decodeSdp(CT, text);
    expect(sdp.origin.sessionId).toBe('18446744073709551615');
    expect(sdp.name).toBe('5');
    expect(encodeSdp(sdp)).toBe(text);
  });

  it('accepts bare LF line ends', () => {
    expect(decodeSdp(CT, 'v=0\no=- 1 1 IN IP6 ::1\ns=x\nt=0 0\n').origin.ipVer).toBe(6);
  });
});

describe('application/sdp errors', () => {
  const cases: [string, string, RegExp][] = [
    ['empty text', '', /must start with a v= line/],
    ['text that is not SDP', 'hello world', /must start with a v= line/],
    ['a v= line that is not first', 'o=- 1 1 IN IP4 h\r\nv=0\r\ns=x\r\nt=0 0\r\n', /must start with a v= line/],
    ['an unsupported version', 'v=1\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\n', /v= line must be "v=0"/],
    ['a missing o= line', 'v=0\r\ns=x\r\nt=0 0\r\n', /missing or malformed o= line/],
    ['a malformed o= line', 'v=0\r\no=alice\r\ns=x\r\nt=0 0\r\n', /missing or malformed o= line/],
    ['a missing s= line', 'v=0\r\no=- 1 1 IN IP4 h\r\nt=0 0\r\n', /missing s= line/],
    ['a missing t= line', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\n', /missing or malformed t= line/],
  ];
  it.each(cases)('rejects %s', (_what, text, message) => {
    expect(parseError(text).message).toMatch(message);
  });
});
