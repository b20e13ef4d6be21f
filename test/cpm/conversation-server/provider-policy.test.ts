// covers: 5.2.3.8.1-3, 5.2.3.8.2-3
import { describe, expect, it } from 'vitest';
import { header } from '../../../src/sip/message.js';
import { aliceAndBob, at, notes, sent } from '../harness.js';

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
