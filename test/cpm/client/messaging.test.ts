import { describe, expect, it } from 'vitest';
import type { UserPreferences } from '../../../src/cpm/preferences.js';
import { CONTRIBUTION_ID, CONVERSATION_ID, IN_REPLY_TO_CONTRIBUTION_ID } from '../../../src/cpm/service.js';
import { header } from '../../../src/sip/message.js';
import { at, harness, notes, sent, type Sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@b.example';

function pair(bobPreferences: Partial<UserPreferences> = {}) {
  const h = harness(5);
  h.net.addDomain('a.example');
  h.net.addDomain('b.example');
  h.net.addUser(ALICE, ['phone']);
  h.net.addUser(BOB, ['phone'], { preferences: bobPreferences });
  h.net.at(0, () => h.net.client(ALICE, 'phone').register());
  h.net.at(0, () => h.net.client(BOB, 'phone').register());
  return h;
}

const requests = (events: Sent[]) => events.filter((e) => e.payload.type === 'request');
const imdnStatus = (e: Sent): string | undefined => {
  const b = e.payload.body;
  return b?.kind === 'cpim' && b.cpim.content.kind === 'imdn' ? b.cpim.content.imdn.notification.status : undefined;
};
const threading = (e: Sent) => [CONVERSATION_ID, CONTRIBUTION_ID, IN_REPLY_TO_CONTRIBUTION_ID].map((n) => header(e.payload, n));

// covers: 5.2.1.1-1, 5.2.1.1-2, 5.2.1.1-3, 5.2.1.1-4, 5.2.1.1-5, 5.2.1.1-6
describe('CPM 5.2.1.1 conversation threading', () => {
  it('a reply keeps the Conversation-ID, takes a new Contribution-ID and names the one replied to', () => {
    const { net, trace } = pair();
    let sentId = '';
    net.at(at(1), () => (sentId = net.client(ALICE, 'phone').send({ to: BOB, text: 'lunch?' })));
    net.at(at(2), () => net.client(BOB, 'phone').reply(sentId, { text: 'yes' }));
    net.at(at(3), () => net.client(ALICE, 'phone').send({ to: BOB, text: 'unrelated' }));
    net.run({ until: at(10) });
    const fromAlice = requests(sent(trace, { from: 'phone.alice.a.example', method: 'MESSAGE' }));
    const fromBob = requests(sent(trace, { from: 'phone.bob.b.example', method: 'MESSAGE' })).filter((e) => imdnStatus(e) === undefined);
    const [conversation, contribution, inReplyTo] = threading(fromAlice[0]!);
    expect(conversation).toMatch(/^[0-9a-f-]{36}$/);
    expect(inReplyTo).toBeUndefined();
    const reply = threading(fromBob[0]!);
    expect(reply[0]).toBe(conversation);
    expect(reply[1]).not.toBe(contribution);
    expect(reply[2]).toBe(contribution);
    // A message that relates to nothing starts a new conversation.
    expect(threading(fromAlice[1]!)[0]).not.toBe(conversation);
  });

  it('the Participating Functions and cores forward all three indications unchanged', () => {
    const { net, trace } = pair();
    let sentId = '';
    net.at(at(1), () => (sentId = net.client(ALICE, 'phone').send({ to: BOB, text: 'lunch?' })));
    net.at(at(2), () => net.client(BOB, 'phone').reply(sentId, { text: 'yes' }));
    net.run({ until: at(10) });
    const hops = requests(sent(trace, { method: 'MESSAGE', after: at(2) })).filter((e) => imdnStatus(e) === undefined);
    // Bob -> core B -> CS B -> core B -> core A -> CS A -> core A -> Alice.
    expect(hops.length).toBe(7);
    const first = threading(hops[0]!);
    expect(first.every((v) => v !== undefined)).toBe(true);
    for (const hop of hops) expect(threading(hop)).toEqual(first);
  });
});

// covers: 5.2.2.3.2-1, 5.2.2.3.1-4
describe('CPM 5.2.2.3 disposition notifications', () => {
  it('sends a read report when the user reads the message, after the delivery notification', () => {
    const { net, trace } = pair();
    let id = '';
    net.at(at(1), () => (id = net.client(ALICE, 'phone').send({ to: BOB, text: 'read me', notify: ['positive-delivery', 'display'] })));
    net.at(at(5), () => net.client(BOB, 'phone').read(id));
    net.run({ until: at(10) });
    const reports = requests(sent(trace, { to: 'phone.alice.a.example', method: 'MESSAGE' }));
    expect(reports.map(imdnStatus)).toEqual(['delivered', 'displayed']);
    expect(reports[1]!.at).toBeGreaterThan(at(5));
    expect(notes(trace, 'phone.alice.a.example')).toEqual(expect.arrayContaining(['delivery: delivered', 'display: displayed']));
  });

  it('sends a read report only when the sender asked for one, and once however often the message is read', () => {
    const { net, trace } = pair();
    let asked = '';
    let unasked = '';
    net.at(at(1), () => (asked = net.client(ALICE, 'phone').send({ to: BOB, text: 'read me', notify: ['display'] })));
    net.at(at(2), () => (unasked = net.client(ALICE, 'phone').send({ to: BOB, text: 'no report', notify: ['positive-delivery'] })));
    net.at(at(5), () => net.client(BOB, 'phone').read(asked));
    net.at(at(6), () => net.client(BOB, 'phone').read(asked));
    net.at(at(7), () => net.client(BOB, 'phone').read(unasked));
    net.run({ until: at(12) });
    const reports = requests(sent(trace, { to: 'phone.alice.a.example', method: 'MESSAGE' }));
    expect(reports.map(imdnStatus)).toEqual(['delivered', 'displayed']);
    expect(reports[1]!.at).toBeGreaterThan(at(5));
    expect(reports[1]!.at).toBeLessThan(at(6));
    expect(notes(trace, 'phone.bob.b.example').filter((n) => n === 'read by the user')).toHaveLength(2);
  });

  it('withholds the read report alone when the recipient allows delivery notifications but not read reports', () => {
    const { net, trace } = pair({ readReports: false });
    let id = '';
    net.at(at(1), () => (id = net.client(ALICE, 'phone').send({ to: BOB, text: 'private', notify: ['positive-delivery', 'display'] })));
    net.at(at(3), () => net.client(BOB, 'phone').read(id));
    net.run({ until: at(10) });
    expect(requests(sent(trace, { to: 'phone.alice.a.example', method: 'MESSAGE' })).map(imdnStatus)).toEqual(['delivered']);
  });

  it("honours the recipient's preference to withhold notifications", () => {
    const { net, trace } = pair({ deliveryNotifications: false, readReports: false });
    let id = '';
    net.at(at(1), () => (id = net.client(ALICE, 'phone').send({ to: BOB, text: 'private', notify: ['positive-delivery', 'display'] })));
    net.at(at(3), () => net.client(BOB, 'phone').read(id));
    net.run({ until: at(10) });
    expect(requests(sent(trace, { to: 'phone.alice.a.example', method: 'MESSAGE' }))).toEqual([]);
  });

  it('an unknown CPM user gets a 404, and the sender the negative notification it asked for', () => {
    const { net, trace } = pair();
    net.at(at(1), () => net.client(ALICE, 'phone').send({ to: 'sip:nobody@b.example', text: '?', notify: ['negative-delivery'] }));
    net.run({ until: at(10) });
    expect(sent(trace, { to: 'phone.alice.a.example', status: 404 })).toHaveLength(1);
    expect(requests(sent(trace, { to: 'phone.alice.a.example', method: 'MESSAGE' })).map(imdnStatus)).toEqual(['failed']);
  });

  it('the originating server reports a terminating network it cannot reach', () => {
    const { net, trace } = pair();
    net.at(at(1), () => net.client(ALICE, 'phone').send({ to: 'sip:carol@c.example', text: '?', notify: ['negative-delivery'] }));
    net.run({ until: at(10) });
    const final = sent(trace, { to: 'phone.alice.a.example' }).filter((e) => e.payload.type === 'response' && e.at > at(1));
    expect(final.map((e) => (e.payload.type === 'response' ? e.payload.status : 0))).toEqual([500]);
    expect(requests(sent(trace, { to: 'phone.alice.a.example', method: 'MESSAGE' })).map(imdnStatus)).toEqual(['failed']);
    expect(notes(trace, 'cs.a.example')).toContain('reports failed to the sender');
  });

  it('accepts non-CPM addresses as targets and answers them as a real core would', () => {
    const { net, trace } = pair();
    for (const to of ['tel:+15559990000', 'mailto:carol@mail.example', 'wv:carol@imps.example']) {
      net.at(at(1), () => net.client(ALICE, 'phone').send({ to, text: 'hi', notify: ['negative-delivery'] }));
    }
    net.run({ until: at(10) });
    expect(sent(trace, { to: 'phone.alice.a.example', status: 404 })).toHaveLength(3);
    expect(requests(sent(trace, { to: 'phone.alice.a.example', method: 'MESSAGE' })).map(imdnStatus)).toEqual(['failed', 'failed', 'failed']);
  });
});
