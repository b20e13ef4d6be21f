import { describe, expect, it } from 'vitest';
import type { MediaType } from '../../../src/cpm/session-media.js';
import { header } from '../../../src/sip/message.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@b.example';
const CAROL = 'sip:carol@c.example';
const GROUP = 'sip:friends@x.example';

/** Alice, Bob and Carol in three networks, members of GROUP in x.example, all registering at 0 s. */
function groupOfThree(): ReturnType<typeof harness> {
  const h = harness();
  for (const domain of ['a.example', 'b.example', 'c.example', 'x.example']) h.net.addDomain(domain);
  for (const user of [ALICE, BOB, CAROL]) h.net.addUser(user, ['phone']);
  h.net.addGroup(GROUP, { members: [ALICE, BOB, CAROL] });
  h.net.at(0, () => {
    for (const user of [ALICE, BOB, CAROL]) h.net.client(user, 'phone').register();
  });
  return h;
}

/** Alice starts a [message, audio] session of the group at 1 s; `from` modifies it at 5 s. */
function modifiedAt5s(from: string, media: MediaType[]) {
  const h = groupOfThree();
  const session = { id: '' };
  h.net.at(at(1), () => (session.id = h.net.client(ALICE, 'phone').session.invite(GROUP, ['message', 'audio'])));
  h.net.at(at(5), () => h.net.client(from, 'phone').session.modify(session.id, media));
  h.net.run({ until: at(10) });
  return h;
}

/** The media types each re-INVITE the focus sent to `host` after 5 s offers. */
const offersTo = (h: ReturnType<typeof harness>, host: string): string[][] =>
  sent(h.trace, { to: host, method: 'INVITE', after: at(5) }).flatMap((e) => (e.payload.type === 'request' && e.payload.body?.kind === 'sdp' ? [e.payload.body.sdp.media.map((m) => m.type)] : []));

// covers: 5.2.3.8.2-4, 5.2.3.8.2-5
describe('A stream removed in a CPM Session modification (CPM 5.2.3.8.2)', () => {
  it('is removed from the other Participants when the session\u2019s originator removes it', () => {
    const h = modifiedAt5s(ALICE, ['message']);
    expect(notes(h.trace, 'cs.x.example')).toContain('alice@a.example removed audio from the session');
    for (const host of ['phone.bob.b.example', 'phone.carol.c.example']) {
      const [offer, ...more] = offersTo(h, host);
      expect(more).toEqual([]);
      expect(offer).toEqual(['message']);
    }
  });

  it('is only no longer used by a Participant who did not start the session: the others are not asked', () => {
    const h = modifiedAt5s(BOB, ['message']);
    expect(notes(h.trace, 'cs.x.example').filter((n) => n.includes('removed'))).toEqual([]);
    expect(offersTo(h, 'phone.alice.a.example')).toEqual([]);
    expect(offersTo(h, 'phone.carol.c.example')).toEqual([]);
  });
});

// covers: 5.2.1.1-7
describe('A session invitation that replies to a message (CPM 5.2.1.1)', () => {
  it('keeps the conversation, and the focus passes the contribution replied to on to each member', () => {
    const h = groupOfThree();
    const message = { id: '' };
    h.net.at(at(1), () => (message.id = h.net.client(BOB, 'phone').send({ to: ALICE, text: 'Trip?' })));
    h.net.at(at(3), () => {
      const alice = h.net.client(ALICE, 'phone');
      alice.session.invite(GROUP, ['message'], undefined, false, alice.conversationOf(message.id));
    });
    h.net.run({ until: at(6) });
    const delivered = sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE' })[0]!.payload;
    const invites = sent(h.trace, { from: 'cs.x.example', method: 'INVITE' }).map((e) => e.payload);
    expect(invites).toHaveLength(2);
    for (const invite of invites) {
      expect(header(invite, 'Conversation-ID')).toBe(header(delivered, 'Conversation-ID'));
      expect(header(invite, 'InReplyTo-Contribution-ID')).toBe(header(delivered, 'Contribution-ID'));
    }
  });
});
