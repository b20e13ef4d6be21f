import { describe, expect, it } from 'vitest';
import { header, headers } from '../../../src/sip/message.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@b.example';
const CAROL = 'sip:carol@c.example';
const GROUP = 'sip:friends@x.example';
const BOB_PHONE = 'phone.bob.b.example';
const FOCUS = 'cs.x.example';

/** Alice invites friends@x.example (Alice, Bob, Carol) at 1 s; Bob subscribes at 3 s for `seconds`. */
function bobSubscribes(seconds?: number) {
  const h = harness();
  for (const domain of ['a.example', 'b.example', 'c.example', 'x.example']) h.net.addDomain(domain);
  for (const user of [ALICE, BOB, CAROL]) h.net.addUser(user, ['phone']);
  h.net.addGroup(GROUP, { members: [ALICE, BOB, CAROL] });
  h.net.at(0, () => {
    for (const user of [ALICE, BOB, CAROL]) h.net.client(user, 'phone').register();
  });
  const session = { id: '' };
  h.net.at(at(1), () => (session.id = h.net.client(ALICE, 'phone').session.invite(GROUP, ['message'])));
  h.net.at(at(3), () => h.net.client(BOB, 'phone').session.subscribeParticipants(session.id, seconds));
  return { h, session };
}

const states = (h: ReturnType<typeof harness>, after = 0): (string | undefined)[] =>
  sent(h.trace, { to: BOB_PHONE, method: 'NOTIFY', after }).map((e) => header(e.payload, 'Subscription-State'));

const subscribeAnswers = (h: ReturnType<typeof harness>): (string | undefined)[] =>
  sent(h.trace, { to: BOB_PHONE, method: 'SUBSCRIBE', status: 200 }).map((e) => header(e.payload, 'Expires'));

// covers: 5.2.3.6-6
describe('the lifetime of a Participant Information subscription (CPM 5.2.3.6, RFC 6665)', () => {
  it('is granted as asked, up to the package’s hour, and each NOTIFY says how long is left', () => {
    const { h, session } = bobSubscribes(7200);
    h.net.at(at(13), () => h.net.client(CAROL, 'phone').session.leave(session.id));
    h.net.run({ until: at(20) });
    expect(subscribeAnswers(h)).toEqual(['3600']);
    // The first at once; the second 10 s later.
    expect(states(h)).toEqual(['active;expires=3600', 'active;expires=3590']);
  });

  it('a refresh is answered and followed by a NOTIFY of the full state', () => {
    const { h } = bobSubscribes(100);
    h.net.run({ until: at(60) });
    expect(subscribeAnswers(h)).toEqual(['100', '100']);
    expect(states(h)).toEqual(['active;expires=100', 'active;expires=100']);
    expect(notes(h.trace, BOB_PHONE).filter((n) => n.startsWith('participants')).map((n) => n.split(':')[1])).toEqual([' full #0', ' full #1']);
  });

  it('one not refreshed in time ends with a NOTIFY terminated for timeout', () => {
    const { h, session } = bobSubscribes(100);
    // Out of the session, Bob's device lets the subscription run out.
    h.net.at(at(10), () => h.net.client(BOB, 'phone').session.leave(session.id));
    h.net.run({ until: at(150) });
    expect(sent(h.trace, { from: BOB_PHONE, method: 'SUBSCRIBE' })).toHaveLength(1);
    expect(notes(h.trace, FOCUS)).toContain('participant subscription of bob@b.example expired');
    expect(states(h, at(100))).toEqual(['terminated;reason=timeout']);
    expect(notes(h.trace, BOB_PHONE)).toContain('participant subscription terminated: timeout');
    // Nothing more after it: a later change is not notified.
    h.net.at(at(151), () => h.net.client(CAROL, 'phone').session.leave(session.id));
    h.net.run({ until: at(160) });
    expect(states(h, at(104))).toEqual([]);
  });

  it('ends with the session, the resource gone', () => {
    const { h, session } = bobSubscribes();
    h.net.at(at(10), () => h.net.client(ALICE, 'phone').session.leave(session.id));
    h.net.at(at(11), () => h.net.client(CAROL, 'phone').session.leave(session.id));
    h.net.run({ until: at(20) });
    expect(states(h).at(-1)).toBe('terminated;reason=noresource');
    expect(notes(h.trace, BOB_PHONE)).toContain('participant subscription terminated: noresource');
    // A subscription to the ended session is refused.
    const focus = header(sent(h.trace, { to: BOB_PHONE, method: 'SUBSCRIBE', status: 200 })[0]!.payload, 'Contact')!;
    h.net.at(at(21), () => h.net.client(BOB, 'phone').session.subscribeAt(focus.slice(1, focus.indexOf('>'))));
    h.net.run({ until: at(30) });
    expect(notes(h.trace, BOB_PHONE)).toContain('participant subscription refused: 404');
  });

  it('Expires: 0 fetches the state once, leaving no subscription', () => {
    const { h } = bobSubscribes(0);
    h.net.run({ until: at(10) });
    expect(subscribeAnswers(h)).toEqual(['0']);
    expect(states(h)).toEqual(['terminated;reason=timeout']);
    expect(notes(h.trace, BOB_PHONE)).toContain('participants: full #0: alice@a.example connected, bob@b.example connected, carol@c.example connected');
  });

  it('a SUBSCRIBE with Expires: 0 within the subscription ends it', () => {
    const { h, session } = bobSubscribes();
    h.net.run({ until: at(5) });
    const subscribe = sent(h.trace, { from: BOB_PHONE, method: 'SUBSCRIBE' })[0]!.payload;
    const ok = sent(h.trace, { to: BOB_PHONE, method: 'SUBSCRIBE', status: 200 })[0]!.payload;
    const contact = header(ok, 'Contact')!;
    const target = contact.slice(1, contact.indexOf('>'));
    const wire = [
      `SUBSCRIBE ${target} SIP/2.0`,
      'Max-Forwards: 70',
      `From: ${header(subscribe, 'From')}`,
      `To: ${header(ok, 'To')}`,
      `Call-ID: ${header(subscribe, 'Call-ID')}`,
      'CSeq: 2 SUBSCRIBE',
      `Contact: <sip:bob@${BOB_PHONE}>`,
      // RFC 3261 12.2.1.1: the dialog's route set, the 2xx's Record-Route reversed.
      ...headers(ok, 'Record-Route').reverse().map((r) => `Route: ${r}`),
      'Event: conference',
      'Expires: 0',
      'Content-Length: 0',
      '',
      '',
    ].join('\n');
    h.net.at(at(6), () => h.net.client(BOB, 'phone').inject(wire));
    h.net.at(at(8), () => h.net.client(CAROL, 'phone').session.leave(session.id));
    h.net.run({ until: at(15) });
    expect(notes(h.trace, BOB_PHONE)).toContain('injected SUBSCRIBE: 200');
    expect(states(h, at(6))).toEqual(['terminated;reason=timeout']);
  });

  it('a NOTIFY that times out ends the subscription: no more are sent', () => {
    const { h, session } = bobSubscribes();
    h.net.at(at(5), () => h.net.crash(BOB_PHONE, 'lost'));
    h.net.at(at(6), () => h.net.client(CAROL, 'phone').session.leave(session.id));
    h.net.at(at(60), () => h.net.client(ALICE, 'phone').session.leave(session.id));
    h.net.run({ until: at(80) });
    expect(notes(h.trace, FOCUS)).toContain('participant notification answered 408');
    const notifies = sent(h.trace, { from: FOCUS, method: 'NOTIFY', after: at(6) }).filter((e) => e.payload.type === 'request' && header(e.payload, 'Call-ID') === header(sent(h.trace, { from: BOB_PHONE, method: 'SUBSCRIBE' })[0]!.payload, 'Call-ID'));
    // Only the one about Carol (and its retransmissions), none when Alice leaves.
    expect(notifies.every((e) => e.at < at(60))).toBe(true);
  });
});

describe('who may subscribe to the Participant Information (CPM 5.2.3.6, C.2.5.1 step 6)', () => {
  it('refuses 403 a subscriber who is not a member of the group, and sends it no NOTIFY', () => {
    const h = harness();
    for (const domain of ['a.example', 'b.example', 'd.example', 'x.example']) h.net.addDomain(domain);
    const DAVE = 'sip:dave@d.example';
    for (const user of [ALICE, BOB, DAVE]) h.net.addUser(user, ['phone']);
    h.net.addGroup(GROUP, { members: [ALICE, BOB] });
    h.net.at(0, () => {
      for (const user of [ALICE, BOB, DAVE]) h.net.client(user, 'phone').register();
    });
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').session.invite(GROUP, ['message']));
    // Dave learnt the CPM Session Identity somehow (5.2.3.6 editor's note: how is FFS).
    h.net.at(at(4), () => {
      const ok = sent(h.trace, { to: 'phone.alice.a.example', method: 'INVITE', status: 200 })[0]!;
      const contact = header(ok.payload, 'Contact')!;
      h.net.client(DAVE, 'phone').session.subscribeAt(contact.slice(1, contact.indexOf('>')));
    });
    h.net.run({ until: at(6) });
    expect(sent(h.trace, { from: FOCUS, method: 'SUBSCRIBE', status: 403 })).toHaveLength(1);
    expect(sent(h.trace, { to: 'phone.dave.d.example', method: 'NOTIFY' })).toEqual([]);
  });
});
