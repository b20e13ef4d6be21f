import { describe, expect, it } from 'vitest';
import { header } from '../../../src/sip/message.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@b.example';
const GROUP = 'sip:friends@x.example';
const BOB_PHONE = 'phone.bob.b.example';

/** Alice invites friends@x.example (Alice, Bob, Carol) at 1 s; Bob subscribes to its Participant Information at 3 s. */
function bobSubscribes(seconds?: number) {
  const h = harness();
  const users = [ALICE, BOB, 'sip:carol@c.example'];
  for (const domain of ['a.example', 'b.example', 'c.example', 'x.example']) h.net.addDomain(domain);
  for (const user of users) h.net.addUser(user, ['phone']);
  h.net.addGroup(GROUP, { members: users });
  h.net.at(0, () => {
    for (const user of users) h.net.client(user, 'phone').register();
  });
  const session = { id: '' };
  h.net.at(at(1), () => (session.id = h.net.client(ALICE, 'phone').session.invite(GROUP, ['message'])));
  h.net.at(at(3), () => h.net.client(BOB, 'phone').session.subscribeParticipants(session.id, seconds));
  return { h, session };
}

const subscribes = (h: ReturnType<typeof harness>) => sent(h.trace, { from: BOB_PHONE, method: 'SUBSCRIBE' });

describe('a client’s Participant Information subscription (CPM 5.2.3.6, RFC 6665 4.1.2)', () => {
  it('asks for an hour by default and refreshes it within its dialog 600 s before it runs out', () => {
    const { h } = bobSubscribes();
    h.net.run({ until: at(6100) });
    const all = subscribes(h);
    expect(all.map((e) => header(e.payload, 'Expires'))).toEqual(['3600', '3600', '3600']);
    // The 200 comes back about 3 s in; then every 3000 s.
    expect(all.map((e) => Math.floor(e.at / at(1)))).toEqual([3, 3003, 6003]);
    expect(header(all[1]!.payload, 'To')).toMatch(/;tag=/);
    expect(header(all[1]!.payload, 'Call-ID')).toBe(header(all[0]!.payload, 'Call-ID'));
  });

  it('stops refreshing once the device has left the session', () => {
    const { h, session } = bobSubscribes(120);
    h.net.at(at(30), () => h.net.client(BOB, 'phone').session.leave(session.id));
    h.net.run({ until: at(200) });
    expect(subscribes(h)).toHaveLength(1);
    expect(notes(h.trace, BOB_PHONE)).toContain('participant subscription terminated: timeout');
  });

  it('a refused refresh leaves no subscription', () => {
    const { h } = bobSubscribes(120);
    // The Conversation Server hosting the session restarts without it: the refresh times out.
    h.net.at(at(20), () => h.net.crash('cs.x.example', 'lost'));
    h.net.run({ until: at(300) });
    expect(notes(h.trace, BOB_PHONE)).toContain('participant subscription refresh refused: 408');
    // The refresh (sent again until Timer F), and none after it.
    expect([...new Set(subscribes(h).map((e) => header(e.payload, 'CSeq')))]).toEqual(['1 SUBSCRIBE', '2 SUBSCRIBE']);
  });
});
