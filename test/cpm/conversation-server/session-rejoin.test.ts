import { describe, expect, it } from 'vitest';
import { header, type SipRequest } from '../../../src/sip/message.js';
import { parseUri } from '../../../src/sip/uri.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@b.example';
const CAROL = 'sip:carol@c.example';
const GROUP = 'sip:friends@x.example';

/**
 * Alice invites friends@x.example (Alice, Bob, Carol) at 1 s, Bob leaves at 5 s and re-joins at
 * 7 s; `rejoin: false` is the group policy that does not allow it.
 */
function bobLeavesAndRejoins(policy: { rejoin?: boolean } = {}) {
  const h = harness();
  for (const domain of ['a.example', 'b.example', 'c.example', 'x.example']) h.net.addDomain(domain);
  for (const user of [ALICE, BOB, CAROL]) h.net.addUser(user, ['phone']);
  h.net.addGroup(GROUP, { members: [ALICE, BOB, CAROL], policy });
  h.net.at(0, () => {
    for (const user of [ALICE, BOB, CAROL]) h.net.client(user, 'phone').register();
  });
  const session = { id: '' };
  h.net.at(at(1), () => (session.id = h.net.client(ALICE, 'phone').session.invite(GROUP, ['message'])));
  h.net.at(at(5), () => h.net.client(BOB, 'phone').session.leave(session.id));
  h.net.at(at(7), () => h.net.client(BOB, 'phone').session.rejoin(session.id));
  return { h, session };
}

const rejoinAnswers = (h: ReturnType<typeof harness>): number[] =>
  sent(h.trace, { to: 'phone.bob.b.example', after: at(7) }).flatMap((e) => (e.payload.type === 'response' && e.payload.status >= 200 && header(e.payload, 'CSeq')?.endsWith('INVITE') ? [e.payload.status] : []));

// covers: 5.2.3.2.1.1-3
describe('Re-joining a CPM Session by its CPM Session Identity (CPM 5.2.3.2.1.1)', () => {
  it('is accepted where the group policy allows it, in the same conversation', () => {
    const { h, session } = bobLeavesAndRejoins();
    h.net.run({ until: at(12) });
    const invite = sent(h.trace, { from: 'phone.bob.b.example', method: 'INVITE', after: at(7) })[0]!;
    expect(header(invite.payload, 'To')).toMatch(/^<sip:conf-[0-9a-f]{8}@x\.example>$/);
    expect(header(invite.payload, 'Conversation-ID')).toBe(session.id);
    expect(rejoinAnswers(h)).toEqual([200]);
    expect(notes(h.trace, 'cs.x.example')).toContain('bob@b.example re-joined: message');
  });

  it('is refused with 403 where the group policy does not allow it', () => {
    const { h } = bobLeavesAndRejoins({ rejoin: false });
    h.net.run({ until: at(12) });
    expect(rejoinAnswers(h)).toEqual([403]);
    expect(notes(h.trace, 'cs.x.example')).toContain('refused bob@b.example: the group policy does not allow re-joining');
  });

  it('is answered 404 once the group policy has ended the session', () => {
    const { h, session } = bobLeavesAndRejoins();
    // Alice and Carol leave after Bob is back: one Participant would be left, so the session ends.
    h.net.at(at(11), () => h.net.client(ALICE, 'phone').session.leave(session.id));
    h.net.at(at(12), () => h.net.client(CAROL, 'phone').session.leave(session.id));
    h.net.at(at(16), () => h.net.client(BOB, 'phone').session.rejoin(session.id));
    h.net.run({ until: at(20) });
    expect(notes(h.trace, 'cs.x.example')).toContain('releases bob@b.example');
    expect(rejoinAnswers(h)).toEqual([200, 404]);
  });
});

describe('a join by the CPM Session Identity from someone still in the session', () => {
  it('is refused 403 Already A Participant', () => {
    const { h } = bobLeavesAndRejoins();
    // Before Bob leaves, an invitation to the session asserting him reaches the focus.
    h.net.at(at(4), () => {
      const ok = sent(h.trace, { to: 'phone.alice.a.example', method: 'INVITE', status: 200 })[0]!;
      const contact = header(ok.payload, 'Contact')!;
      const identity = contact.slice(1, contact.indexOf('>'));
      const join: SipRequest = {
        type: 'request',
        method: 'INVITE',
        uri: parseUri(identity),
        headers: [
          { name: 'Via', value: 'SIP/2.0/UDP core.x.example;branch=z9hG4bKagain' },
          { name: 'Max-Forwards', value: '70' },
          { name: 'From', value: `<${BOB}>;tag=again` },
          { name: 'To', value: `<${identity}>` },
          { name: 'Call-ID', value: 'again@b.example' },
          { name: 'CSeq', value: '1 INVITE' },
          { name: 'P-Asserted-Identity', value: `<${BOB}>` },
        ],
      };
      h.net.net.send('core.x.example', 'cs.x.example', join);
    });
    h.net.run({ until: at(5) });
    const refused = sent(h.trace, { from: 'cs.x.example', to: 'core.x.example', method: 'INVITE', status: 403 });
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.payload.type === 'response' ? refused[0]!.payload.reason : '').toBe('Already A Participant');
  });
});
