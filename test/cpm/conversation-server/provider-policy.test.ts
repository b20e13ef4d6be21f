// covers: 5.2.3.8.1-3, 5.2.3.8.2-3
import { describe, expect, it } from 'vitest';
import { advertisingLimit, oversizeSend } from '../../../src/cpm/conversation-server/provider-policy.js';
import { offer } from '../../../src/cpm/session-sdp.js';
import type { MsrpRequest } from '../../../src/msrp/message.js';
import { readMsrpMedia } from '../../../src/msrp/sdp.js';
import { parseMsrpUri } from '../../../src/msrp/uri.js';
import { sendRequest } from '../../../src/cpm/session-msrp.js';
import { RandomStreams } from '../../../src/kernel/random.js';
import { header } from '../../../src/sip/message.js';
import { aliceAndBob, at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@b.example';

describe('maximum message size (RFC 3261 21.4.11)', () => {
  it('refuses a message whose body is over the maximum with 413, and delivers one within it', () => {
    const h = aliceAndBob({ maxMessageSize: 400 });
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').send({ to: BOB, text: 'short' }));
    h.net.at(at(2), () => h.net.client(ALICE, 'phone').send({ to: BOB, text: 'x'.repeat(400) }));
    h.net.run({ until: at(4) });
    const delivered = sent(h.trace, { to: 'phone.bob.b.example', method: 'MESSAGE' });
    expect(delivered).toHaveLength(1);
    const refused = sent(h.trace, { from: 'cs.a.example', method: 'MESSAGE', status: 413 });
    expect(refused).toHaveLength(1);
    expect(header(refused[0]!.payload, 'Warning')).toBe('399 cs.a.example "Larger than 400 octets"');
    expect(notes(h.trace, 'phone.alice.a.example')).toContain('message failed: 413');
  });
});

describe('Media Stream Types of the provider (CPM 5.2.3.8)', () => {
  it('refuses an invitation offering a type the policy does not allow with 488 and a 304 Warning', () => {
    const h = aliceAndBob({ sessionMedia: ['message'] });
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').session.invite(BOB, ['message', 'video']));
    h.net.run({ until: at(4) });
    const refused = sent(h.trace, { from: 'cs.a.example', method: 'INVITE', status: 488 });
    expect(refused.map((e) => header(e.payload, 'Warning'))).toEqual(['304 cs.a.example "Media type not available: video"']);
    expect(sent(h.trace, { to: 'phone.bob.b.example', method: 'INVITE' })).toHaveLength(0);
    expect(notes(h.trace, 'phone.alice.a.example')).toContain('invitation refused: 488');
  });

  it('refuses a modification adding a type it does not allow, and the session keeps its message stream', () => {
    const h = aliceAndBob({ sessionMedia: ['message', 'audio'] });
    const alice = (): ReturnType<typeof h.net.client> => h.net.client(ALICE, 'phone');
    let chat = '';
    h.net.at(at(1), () => (chat = alice().session.invite(BOB, ['message'])));
    h.net.at(at(5), () => alice().session.modify(chat, ['message', 'video']));
    h.net.at(at(6), () => alice().session.say(chat, 'still here'));
    h.net.run({ until: at(8) });
    expect(sent(h.trace, { from: 'cs.a.example', method: 'INVITE', status: 488 })).toHaveLength(1);
    // Bob is never asked about video: the only INVITE he gets is the first one.
    expect(sent(h.trace, { to: 'phone.bob.b.example', method: 'INVITE' })).toHaveLength(1);
    expect(notes(h.trace, 'phone.alice.a.example')).toContain('modification refused: 488');
    expect(notes(h.trace, 'phone.bob.b.example')).toContain('session message: still here');
  });

  it('lets every type through where the policy names none', () => {
    const h = aliceAndBob({});
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').session.invite(BOB, ['message', 'video']));
    h.net.run({ until: at(4) });
    expect(sent(h.trace, { status: 488 })).toHaveLength(0);
    expect(sent(h.trace, { to: 'phone.bob.b.example', method: 'INVITE' })).toHaveLength(1);
  });
});

describe('maximum message size in sessions (RFC 4975 8.6, 10.5)', () => {
  const to = [parseMsrpUri('msrp://cs.x.example:2855/f1;tcp')];
  const from = [parseMsrpUri('msrp://phone.alice.a.example:2855/s1;tcp')];
  const text = (n: number) => ({ kind: 'text' as const, contentType: 'text/plain', text: 'x'.repeat(n) });

  it('measures a SEND by the whole message its Byte-Range announces, and nothing else', () => {
    const rng = new RandomStreams(1).stream('t');
    expect(oversizeSend(sendRequest(rng, to, from, text(40)), 40)).toBeUndefined();
    expect(oversizeSend(sendRequest(rng, to, from, text(41)), 40)).toBe(41);
    expect(oversizeSend(sendRequest(rng, to, from, text(41)), undefined)).toBeUndefined();
    // The first chunk of a larger message: its total counts, not the chunk (RFC 4975 7.1.1).
    const chunk: MsrpRequest = { ...sendRequest(rng, to, from, text(10)), headers: [{ name: 'Message-ID', value: 'm' }, { name: 'Byte-Range', value: '1-10/500' }] };
    expect(oversizeSend(chunk, 40)).toBe(500);
    expect(oversizeSend({ ...sendRequest(rng, to, from, text(41)), method: 'REPORT' }, 40)).toBeUndefined();
  });

  it('advertises the maximum on the message stream of a description, only when there is one', () => {
    const sdp = offer('cs.x.example', '1', 1, ['message', 'audio'], to[0]!);
    expect(advertisingLimit(sdp, undefined)).toBe(sdp);
    const limited = advertisingLimit(sdp, 400);
    expect(readMsrpMedia(limited.media[0]!)?.maxSize).toBe(400);
    expect(limited.media[1]).toBe(sdp.media[1]);
  });

  it("has the focus refuse 413 a session message over its provider's maximum, relay it to no one, and the sender told", () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addDomain('b.example');
    h.net.addDomain('x.example', { policy: { maxMessageSize: 300 } });
    for (const user of [ALICE, BOB]) h.net.addUser(user, ['phone']);
    h.net.addGroup('sip:friends@x.example', { members: [ALICE, BOB] });
    h.net.at(0, () => {
      for (const user of [ALICE, BOB]) h.net.client(user, 'phone').register();
    });
    let chat = '';
    h.net.at(at(1), () => (chat = h.net.client(ALICE, 'phone').session.invite('sip:friends@x.example', ['message'])));
    h.net.at(at(4), () => h.net.client(ALICE, 'phone').session.say(chat, 'short'));
    h.net.at(at(5), () => h.net.client(ALICE, 'phone').session.say(chat, 'x'.repeat(300)));
    h.net.run({ until: at(7) });
    const answer = sent(h.trace, { to: 'phone.alice.a.example', method: 'INVITE', status: 200 })[0]!.payload;
    expect(answer.body?.kind === 'sdp' ? readMsrpMedia(answer.body.sdp.media[0]!)?.maxSize : undefined).toBe(300);
    expect(notes(h.trace, 'phone.bob.b.example').filter((n) => n.startsWith('session message:'))).toEqual(['session message: short']);
    expect(notes(h.trace, 'phone.alice.a.example')).toContain('session message refused: 413 Message Too Large');
    expect(notes(h.trace, 'cs.x.example').some((n) => /^refused a session message of \d+ octets from alice@a\.example: the service provider's maximum is 300$/.test(n))).toBe(true);
  });

  it("has a Participating Function in the media path refuse it 413 in a one-to-one session", () => {
    const h = aliceAndBob({ mediaPath: 'stay', maxMessageSize: 300 });
    let chat = '';
    h.net.at(at(1), () => (chat = h.net.client(ALICE, 'phone').session.invite(BOB, ['message'])));
    h.net.at(at(4), () => h.net.client(ALICE, 'phone').session.say(chat, 'short'));
    h.net.at(at(5), () => h.net.client(ALICE, 'phone').session.say(chat, 'x'.repeat(300)));
    h.net.run({ until: at(7) });
    expect(notes(h.trace, 'phone.bob.b.example').filter((n) => n.startsWith('session message:'))).toEqual(['session message: short']);
    expect(notes(h.trace, 'phone.alice.a.example')).toContain('session message refused: 413 Message Too Large');
    expect(notes(h.trace, 'cs.a.example').some((n) => n.startsWith('refused a session message of'))).toBe(true);
  });
});
