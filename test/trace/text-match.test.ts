import { describe, expect, it } from 'vitest';
import type { RtcpPacket, RtpPacket } from '../../src/rtp/packet.js';
import { bodyMatches, headersMatch, headerValues } from '../../src/trace/text-match.js';
import { cpim, msrpRequest, request } from './monitors/fixtures.js';
import type { XcapMessage } from '../../src/xcap/message.js';

const regex = (source: string) => ({ kind: 'regex' as const, regex: new RegExp(source) });

describe('body and header matchers', () => {
  it('read a text protocol as start line, header lines and body', () => {
    const answer: XcapMessage = { protocol: 'xcap', type: 'xcap-response', status: 200, reason: 'OK', etag: 'e1', body: { contentType: 'application/xml', text: '<prefs/>' } };
    expect(headersMatch(answer, [{ name: 'etag', match: { kind: 'exact', value: '"e1"' } }])).toBe(true);
    expect(bodyMatches(answer, { kind: 'exact', value: '<prefs/>' })).toBe(true);
    expect(bodyMatches(answer, regex('OK'))).toBe(false);
  });

  it("read an RTCP packet's readable text as its body, report blocks included (RFC 3550 6.4)", () => {
    const rr: RtcpPacket = {
      protocol: 'rtp',
      type: 'rtcp',
      srcPort: 49170,
      dstPort: 49171,
      ssrc: 0xf880df9b,
      reports: [{ ssrc: 0x7c94777c, fractionLost: 64, cumulativeLost: 5, highestSequence: 26791, jitter: 5, lastSr: 0, delaySinceLastSr: 0 }],
      cname: 'bob@phone.bob.a.example',
      bye: true,
    };
    expect(bodyMatches(rr, regex('fraction lost 64/256, cumulative lost 5, highest sequence 26791, jitter 5'))).toBe(true);
    expect(bodyMatches(rr, regex('^RTCP RR SSRC 0xf880df9b'))).toBe(true);
    expect(bodyMatches(rr, { kind: 'present' })).toBe(true);
    // Its text has no header lines, though one reads 'source 0x...: ...'.
    expect(headersMatch(rr, [{ name: 'source 0x7c94777c', match: { kind: 'present' } }])).toBe(false);
  });

  it("read an RTP packet's header fields as its body", () => {
    const rtp: RtpPacket = { protocol: 'rtp', type: 'rtp', srcPort: 49170, dstPort: 49171, payloadType: 0, marker: true, sequence: 26772, timestamp: 895450368, ssrc: 0x7c94777c, csrc: [], payloadOctets: 160 };
    expect(bodyMatches(rtp, regex('marker, sequence 26772'))).toBe(true);
  });

  it('read the header lines between the start line and the blank line only (RFC 3261 7)', () => {
    // A CPM MESSAGE whose message/cpim body has header lines of its own (RFC 3862 3): From,
    // To, DateTime. A step's headers are the SIP message's, the start line is none of them.
    const message = request('MESSAGE', { body: cpim('m1') });
    expect(headerValues(message, 'From')).toEqual(['<sip:alice@a.example>;tag=fa']);
    expect(headerValues(message, 'DateTime')).toEqual([]);
    expect(headersMatch(message, [{ name: 'DateTime', match: { kind: 'absent' } }])).toBe(true);
    expect(headerValues(message, 'MESSAGE sip')).toEqual([]);
    expect(bodyMatches(message, regex('^From: <sip:alice@a.example>'))).toBe(true);
  });

  it('read a message without a blank line as having no body: an MSRP SEND without one (RFC 4975 7.1)', () => {
    const send = msrpRequest();
    expect(bodyMatches(send, { kind: 'absent' })).toBe(true);
    expect(bodyMatches(send, { kind: 'present' })).toBe(false);
    expect(headerValues(send, 'To-Path')).toEqual(['msrp://b.example:2855/s;tcp']);
    // Its end-line ('-------' transaction id, continuation flag) has no colon: no header.
    expect(headerValues(send, '-------tx01')).toEqual([]);
  });
});
