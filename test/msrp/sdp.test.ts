import { describe, expect, it } from 'vitest';
import { decodeSdp, encodeSdp } from '../../src/bodies/sdp-codec.js';
import { msrpMediaLine, readMsrpMedia, sessionDescription, withMaxSize } from '../../src/msrp/sdp.js';
import { parseMsrpUri } from '../../src/msrp/uri.js';

describe('MSRP in SDP (RFC 4975 8)', () => {
  const media = {
    path: [parseMsrpUri('msrp://phone.alice.a.example:2855/s1;tcp')],
    acceptTypes: ['message/cpim', 'message/imdn+xml'],
    acceptWrappedTypes: ['text/plain'],
    setup: 'active' as const,
  };

  it('writes an m=message line with the port of its own path and the MSRP attributes', () => {
    const text = encodeSdp(sessionDescription('phone.alice.a.example', '1', 1, [msrpMediaLine(media)]));
    expect(text).toBe(
      [
        'v=0',
        'o=- 1 1 IN IP4 phone.alice.a.example',
        's=-',
        'c=IN IP4 phone.alice.a.example',
        't=0 0',
        'm=message 2855 TCP/MSRP *',
        'a=setup:active',
        'a=accept-types:message/cpim message/imdn+xml',
        'a=accept-wrapped-types:text/plain',
        'a=path:msrp://phone.alice.a.example:2855/s1;tcp',
        '',
      ].join('\r\n'),
    );
  });

  it('reads back what it wrote, and ignores other media', () => {
    const sdp = decodeSdp('application/sdp', encodeSdp(sessionDescription('h', '7', 2, [msrpMediaLine(media)])));
    expect(readMsrpMedia(sdp.media[0]!)).toEqual(media);
    const audio = decodeSdp('application/sdp', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\n');
    expect(readMsrpMedia(audio.media[0]!)).toBeUndefined();
  });

  it('refuses to describe an endpoint without a path', () => {
    expect(() => msrpMediaLine({ ...media, path: [] })).toThrow(RangeError);
  });

  it('writes and reads a=max-size, the largest message the end takes (8.6)', () => {
    const limited = { ...media, maxSize: 400 };
    const text = encodeSdp(sessionDescription('h', '7', 2, [msrpMediaLine(limited)]));
    expect(text).toContain('a=max-size:400\r\na=path:');
    expect(readMsrpMedia(decodeSdp('application/sdp', text).media[0]!)).toEqual(limited);
  });

  it('lowers a=max-size to a limit, keeping a smaller one, and leaves other media alone', () => {
    const line = (maxSize?: number) => msrpMediaLine({ ...media, ...(maxSize !== undefined && { maxSize }) });
    expect(readMsrpMedia(withMaxSize(line(), 400))!.maxSize).toBe(400);
    expect(readMsrpMedia(withMaxSize(line(1000), 400))!.maxSize).toBe(400);
    expect(readMsrpMedia(withMaxSize(line(100), 400))!.maxSize).toBe(100);
    expect(withMaxSize(line(1000), 400).invalid?.filter((a) => a.value.startsWith('max-size:'))).toHaveLength(1);
    const audio = decodeSdp('application/sdp', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\n').media[0]!;
    expect(withMaxSize(audio, 400)).toBe(audio);
  });
});
