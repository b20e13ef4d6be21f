/**
 * no-media-after-release: once a Participant left or was released (CPM 5.2.3.2.2, 5.2.3.2.4), no
 * MSRP SEND to the end of its path (RFC 4975 8.2, a=path) and no RTP packet to the port of its own
 * m-line (RFC 3550) is sent to it. A leaver has left when its BYE reached the end of its path; a
 * device the network releases, when the network sends it the BYE.
 */
import { describe, expect, it } from 'vitest';
import { decodeSdp } from '../../../src/bodies/sdp-codec.js';
import { parseMsrpUri } from '../../../src/msrp/uri.js';
import { removeHeaders } from '../../../src/sip/message.js';
import type { RtcpPacket } from '../../../src/rtp/packet.js';
import type { Violation } from '../../../src/trace/monitors/monitor.js';
import { noMediaAfterRelease } from '../../../src/trace/monitors/no-media-after-release.js';
import { ALICE, BOB, CORE, msrpRequest, request, response, rtpPacket, SERVER, Trace } from './fixtures.js';

const check = (t: Trace): Violation[] => noMediaAfterRelease.check(t.input());

const ALICE_MSRP = `msrp://${ALICE}:2855/alice-s;tcp`;
const FOCUS_MSRP = `msrp://${SERVER}:2855/focus-s;tcp`;

/** An SDP offer of a chat (m=message, RFC 4975 8) and an audio stream on `audioPort`. */
function offer(path: string, audioPort: number, videoPort = 0): ReturnType<typeof request>['body'] {
  const text = [
    'v=0',
    'o=- 1 1 IN IP4 192.0.2.1',
    's=-',
    'c=IN IP4 192.0.2.1',
    't=0 0',
    'm=message 2855 TCP/MSRP *',
    'a=accept-types:message/cpim',
    `a=path:${path}`,
    `m=audio ${audioPort} RTP/AVP 0`,
    `m=video ${videoPort} RTP/AVP 96`,
    '',
  ].join('\r\n');
  return { kind: 'sdp', contentType: 'application/sdp', sdp: decodeSdp('application/sdp', text) };
}

const invite = (callId = 'call-1', path = `${FOCUS_MSRP} ${ALICE_MSRP}`, audio = 49170, video = 0) => request('INVITE', { callId, body: offer(path, audio, video) });
const bye = (callId = 'call-1') => request('BYE', { callId });

const send = (toPath = ALICE_MSRP, method = 'SEND') => msrpRequest(toPath, method, FOCUS_MSRP);

const rtp = (dstPort: number) => rtpPacket(dstPort);
const rtcp = (dstPort: number): RtcpPacket => ({ protocol: 'rtp', type: 'rtcp', srcPort: 40001, dstPort, ssrc: 1, reports: [], cname: 'focus' });

const violation = (eventId: number, at = eventId * 1000, host = ALICE, callId = 'call-1'): Violation => ({
  monitor: 'no-media-after-release',
  at,
  eventId,
  message: `${host} was sent session media after its session (Call-ID ${callId}) was released`,
});

describe('no-media-after-release', () => {
  it('is silent on a session whose media all comes before its release', () => {
    const t = new Trace();
    t.send(ALICE, CORE, invite());
    t.send(SERVER, ALICE, send());
    t.send(SERVER, ALICE, rtp(49170));
    t.send(SERVER, ALICE, bye());
    t.send(ALICE, SERVER, response(bye(), 200));
    expect(check(t)).toEqual([]);
  });

  it('reports a SEND to a device the network released, sent after the BYE it was sent', () => {
    const t = new Trace();
    t.send(ALICE, CORE, invite());
    t.send(SERVER, ALICE, bye());
    t.send(SERVER, ALICE, send());
    t.send(SERVER, ALICE, rtp(49170));
    expect(check(t)).toEqual([violation(3), violation(4)]);
  });

  it('counts from when the network sent the BYE, not when it arrived', () => {
    const t = new Trace();
    t.send(ALICE, CORE, invite());
    t.send(SERVER, ALICE, bye(), 2000, 6000);
    t.send(SERVER, ALICE, send(), 3000);
    expect(check(t)).toEqual([violation(3)]);
  });

  it('keeps a device\'s end when a core relays its SDP on', () => {
    const t = new Trace();
    t.send(ALICE, CORE, invite());
    t.send(CORE, SERVER, invite());
    t.send(SERVER, ALICE, bye());
    t.send(SERVER, ALICE, send());
    expect(check(t)).toEqual([violation(4)]);
  });

  it('counts from the first BYE the network sent, not a later one', () => {
    const t = new Trace();
    t.send(ALICE, CORE, invite());
    t.send(SERVER, ALICE, bye());
    t.send(SERVER, ALICE, send());
    t.send(SERVER, ALICE, bye(), 10_000);
    expect(check(t)).toEqual([violation(3)]);
  });

  it('does not count media sent at the very instant of the release', () => {
    const t = new Trace();
    t.send(ALICE, CORE, invite());
    t.send(SERVER, ALICE, bye(), 5000);
    t.send(SERVER, ALICE, send(), 5000);
    expect(check(t)).toEqual([]);
  });

  it('releases a leaver once its BYE reached the end of its path, not when it was sent', () => {
    const t = new Trace();
    t.send(ALICE, CORE, invite());
    // Alice's BYE leaves at 2 ms and reaches Core A at 2.5 ms, which relays it to the focus at 3 ms (arriving 8 ms).
    t.send(ALICE, CORE, bye());
    t.send(CORE, SERVER, bye(), 3000, 8000);
    t.send(SERVER, ALICE, send(), 5000);
    t.send(SERVER, ALICE, send(), 8000);
    t.send(SERVER, ALICE, send(), 9000);
    expect(check(t)).toEqual([violation(6, 9000)]);
  });

  it('takes the latest arrival of a leaver\'s BYE along its path, even one arriving before an earlier hop\'s', () => {
    const t = new Trace();
    t.send(ALICE, CORE, invite());
    t.send(ALICE, CORE, bye(), 2000, 20_000);
    t.send(CORE, SERVER, bye(), 3000, 4000);
    t.send(SERVER, ALICE, send(), 10_000);
    t.send(SERVER, ALICE, send(), 21_000);
    expect(check(t)).toEqual([violation(5, 21_000)]);
  });

  it('ignores a BYE that was never delivered', () => {
    const t = new Trace();
    t.send(ALICE, CORE, invite());
    t.undeliverable(SERVER, ALICE, bye());
    t.send(SERVER, ALICE, send());
    t.undeliverable(ALICE, CORE, bye());
    t.send(SERVER, ALICE, send());
    expect(check(t)).toEqual([]);
  });

  it('ignores media that did not arrive, and media of another session', () => {
    const t = new Trace();
    t.send(ALICE, CORE, invite('call-1'));
    t.send(ALICE, CORE, invite('call-2', `${FOCUS_MSRP} msrp://${ALICE}:2855/other-s;tcp`, 49180));
    t.send(SERVER, ALICE, bye('call-1'));
    const lost = t.send(SERVER, ALICE, send());
    t.lostInFlight(lost);
    t.undeliverable(SERVER, ALICE, send());
    t.send(SERVER, ALICE, send(`msrp://${ALICE}:2855/other-s;tcp`));
    t.send(SERVER, ALICE, rtp(49180));
    expect(check(t)).toEqual([]);
    t.send(SERVER, ALICE, rtp(49170));
    expect(check(t)).toEqual([violation(t.events.length)]);
  });

  it('reads the end of a path as the URI the device itself gave, last in its a=path', () => {
    const t = new Trace();
    t.send(ALICE, CORE, invite());
    t.send(SERVER, ALICE, bye());
    // To the relay's URI (the first of Alice's path), or a URI nobody gave: not Alice's end.
    t.send(SERVER, ALICE, send(FOCUS_MSRP));
    t.send(SERVER, ALICE, send(`msrp://${ALICE}:2855/unknown;tcp`));
    // Alice's end at the end of a longer To-Path.
    t.send(SERVER, ALICE, send(`${FOCUS_MSRP} ${ALICE_MSRP}`));
    expect(check(t)).toEqual([violation(5)]);
  });

  it('counts only SEND requests and RTP packets, not REPORTs, responses or RTCP', () => {
    const t = new Trace();
    t.send(ALICE, CORE, invite());
    t.send(SERVER, ALICE, bye());
    t.send(SERVER, ALICE, send(ALICE_MSRP, 'REPORT'));
    t.send(SERVER, ALICE, { protocol: 'msrp', type: 'msrp-response', transactionId: 'tx1', toPath: [parseMsrpUri(ALICE_MSRP)], fromPath: [parseMsrpUri(FOCUS_MSRP)], headers: [], status: 200 });
    t.send(SERVER, ALICE, rtcp(49170));
    t.send(SERVER, ALICE, rtp(49171));
    expect(check(t)).toEqual([]);
  });

  it('takes a device\'s ends from its own SDP only, and only audio and video ports in use', () => {
    const t = new Trace();
    // The server's SDP names Alice's URI: not Alice's own description.
    t.send(SERVER, BOB, invite('call-1', ALICE_MSRP, 49170, 0));
    t.send(SERVER, ALICE, bye());
    t.send(SERVER, ALICE, send());
    t.send(SERVER, ALICE, rtp(49170));
    expect(check(t)).toEqual([]);
    // A video m-line with port 0 is declined (RFC 3264 6): no stream there; nor is the chat's port an RTP one.
    const declined = new Trace();
    declined.send(ALICE, CORE, invite('call-1', ALICE_MSRP, 49170, 0));
    declined.send(SERVER, ALICE, bye());
    declined.send(SERVER, ALICE, rtp(0));
    declined.send(SERVER, ALICE, rtp(2855));
    expect(check(declined)).toEqual([]);
    const v = new Trace();
    v.send(ALICE, CORE, invite('call-1', ALICE_MSRP, 49170, 49172));
    v.send(SERVER, ALICE, bye());
    v.send(SERVER, ALICE, rtp(49172));
    expect(noMediaAfterRelease.check(v.input())).toEqual([violation(3)]);
  });

  it('reports media sent to the device that owns the end only', () => {
    const t = new Trace();
    t.send(ALICE, CORE, invite());
    t.send(SERVER, ALICE, bye());
    // Alice's URI, but sent to Bob: not media to Alice.
    t.send(SERVER, BOB, send());
    t.send(SERVER, BOB, rtp(49170));
    expect(check(t)).toEqual([]);
  });

  it('a device released in one session still gets the media of another', () => {
    const t = new Trace();
    t.send(ALICE, CORE, invite('call-1'));
    t.send(BOB, CORE, invite('call-2', `msrp://${BOB}:2855/bob-s;tcp`, 49190));
    t.send(SERVER, BOB, bye('call-2'));
    t.send(SERVER, ALICE, send());
    t.send(SERVER, BOB, send(`msrp://${BOB}:2855/bob-s;tcp`));
    expect(check(t)).toEqual([violation(5, 5000, BOB, 'call-2')]);
  });

  it("a released device's own BYE, crossing the network's, does not stop the next release of that Call-ID", () => {
    // Alice and Bob on one call through the core share its Call-ID (RFC 3261 8.1.1.4).
    const BOB_MSRP = `msrp://${BOB}:2855/bob-s;tcp`;
    const t = new Trace();
    t.send(ALICE, CORE, invite());
    t.send(BOB, CORE, invite('call-1', `${FOCUS_MSRP} ${BOB_MSRP}`, 49190));
    t.send(SERVER, ALICE, bye());
    t.send(ALICE, SERVER, bye());
    t.send(SERVER, BOB, bye());
    t.send(SERVER, BOB, send(BOB_MSRP));
    expect(check(t)).toEqual([violation(6, 6000, BOB)]);
  });

  it('a SIP message without a Call-ID names no session: its SDP and its BYE are passed over', () => {
    const t = new Trace();
    const offer = invite();
    removeHeaders(offer, 'Call-ID');
    const release = bye();
    removeHeaders(release, 'Call-ID');
    t.send(ALICE, CORE, offer);
    t.send(SERVER, ALICE, release);
    t.send(SERVER, ALICE, send());
    expect(check(t)).toEqual([]);
  });
});
