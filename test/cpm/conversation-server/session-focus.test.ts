import { describe, expect, it } from 'vitest';
import type { DeviceSettings } from '../../../src/cpm/session-media.js';
import { header } from '../../../src/sip/message.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@b.example';
const CAROL = 'sip:carol@c.example';
const DAVE = 'sip:dave@d.example';
const GROUP = 'sip:friends@x.example';

/** Alice, Bob and Carol in friends@x.example, Dave outside it; everyone registered at 0 s. */
function sessionNetwork(devices: Partial<Record<string, (string | DeviceSettings)[]>> = {}) {
  const h = harness();
  for (const domain of ['a.example', 'b.example', 'c.example', 'd.example', 'x.example']) h.net.addDomain(domain);
  for (const user of [ALICE, BOB, CAROL, DAVE]) h.net.addUser(user, devices[user] ?? ['phone']);
  h.net.addGroup(GROUP, { members: [ALICE, BOB, CAROL] });
  h.net.at(0, () => {
    for (const user of [ALICE, BOB, CAROL, DAVE]) for (const d of devices[user] ?? ['phone']) h.net.client(user, typeof d === 'string' ? d : d.name).register();
  });
  return h;
}

/** Alice invites the group at 1 s; returns the session's Conversation-ID once invited. */
function aliceInvites(h: ReturnType<typeof harness>, to = GROUP, from = ALICE): { id: string } {
  const session = { id: '' };
  h.net.at(at(1), () => {
    session.id = h.net.client(from, 'phone').session.invite(to, ['message']);
  });
  return session;
}

const finalTo = (h: ReturnType<typeof harness>, host: string, method = 'INVITE'): number[] =>
  sent(h.trace, { to: host }).flatMap((e) => (e.payload.type === 'response' && e.payload.status >= 200 && header(e.payload, 'CSeq')?.endsWith(method) ? [e.payload.status] : []));

describe('CPM 5.2.3.2.1.2 the Controlling Function of a group session', () => {
  it('refuses an inviter who is not a member with 403', () => {
    const h = sessionNetwork();
    aliceInvites(h, GROUP, DAVE);
    h.net.run({ until: at(10) });
    expect(finalTo(h, 'phone.dave.d.example')).toEqual([403]);
    expect(sent(h.trace, { from: 'cs.x.example', method: 'INVITE' })).toEqual([]);
  });

  it('gives the session an identity, names inviter, group and invitee in each invitation', () => {
    const h = sessionNetwork();
    aliceInvites(h);
    h.net.run({ until: at(10) });
    const invites = sent(h.trace, { from: 'cs.x.example', method: 'INVITE' });
    expect(invites.map((e) => header(e.payload, 'To'))).toEqual([`<${BOB}>`, `<${CAROL}>`]);
    for (const e of invites) {
      expect(header(e.payload, 'From')).toMatch(/^<sip:friends@x\.example>;tag=/);
      expect(header(e.payload, 'Referred-By')).toBe(`<${ALICE}>`);
      expect(header(e.payload, 'Contact')).toMatch(/^<sip:conf-[0-9a-f]{8}@x\.example>;isfocus$/);
    }
    const ok = sent(h.trace, { to: 'phone.alice.a.example', method: 'INVITE', status: 200 })[0]!;
    expect(header(ok.payload, 'Contact')).toBe(header(invites[0]!.payload, 'Contact'));
  });

  it('keeps the Conversation-ID of the invitation in the members invitations (CPM 5.2.1.1)', () => {
    const h = sessionNetwork();
    const session = aliceInvites(h);
    h.net.run({ until: at(10) });
    expect(sent(h.trace, { from: 'cs.x.example', method: 'INVITE' }).map((e) => header(e.payload, 'Conversation-ID'))).toEqual([session.id, session.id]);
  });

  it('answers the inviter 480 when every member refuses', () => {
    const busy: DeviceSettings = { name: 'phone', answer: { kind: 'reject', status: 486 } };
    const h = sessionNetwork({ [BOB]: [busy], [CAROL]: [{ ...busy, answer: { kind: 'reject', status: 603 } }] });
    aliceInvites(h);
    h.net.run({ until: at(10) });
    expect(finalTo(h, 'phone.alice.a.example')).toEqual([480]);
    expect(notes(h.trace, 'cs.x.example')).toEqual(expect.arrayContaining(['bob@b.example did not join: 486', 'carol@c.example did not join: 603']));
  });

  it('refuses with 488 a member whose devices support none of the offered streams', () => {
    const h = sessionNetwork({ [BOB]: [{ name: 'phone', media: ['audio'] }] });
    aliceInvites(h);
    h.net.run({ until: at(10) });
    expect(notes(h.trace, 'cs.b.example')).toContain('no client of bob@b.example supports message');
    expect(notes(h.trace, 'cs.x.example')).toContain('bob@b.example did not join: 488');
  });

  it('cancels the members pending invitations when the inviter cancels (RFC 3261 9.2)', () => {
    const h = sessionNetwork({ [BOB]: [{ name: 'phone', answer: { kind: 'ignore' } }], [CAROL]: [{ name: 'phone', answer: { kind: 'ignore' } }] });
    const session = aliceInvites(h);
    h.net.run({ until: at(3) });
    expect(sent(h.trace, { to: 'phone.bob.b.example', method: 'CANCEL' })).toEqual([]);
    // The user gives up: the invitation still rings, so the client cancels it.
    h.net.at(at(3), () => h.net.client(ALICE, 'phone').session.cancel(session.id));
    h.net.run({ until: at(10) });
    expect(finalTo(h, 'phone.alice.a.example')).toEqual([487]);
    expect(sent(h.trace, { to: 'phone.bob.b.example', method: 'CANCEL' })).toHaveLength(1);
    expect(sent(h.trace, { to: 'phone.carol.c.example', method: 'CANCEL' })).toHaveLength(1);
  });
});

describe('cancellation crossing an acceptance (RFC 3261 9.1, 15)', () => {
  it('releases a member whose OK crossed the cancellation', () => {
    // Bob accepts at 1.016 s + 1 s; Alice gives up a moment before his OK reaches the focus.
    const h = sessionNetwork({ [CAROL]: [{ name: 'phone', answer: { kind: 'ignore' } }] });
    const session = aliceInvites(h);
    h.net.at(at(2.025), () => h.net.client(ALICE, 'phone').session.cancel(session.id));
    h.net.run({ until: at(20) });
    expect(notes(h.trace, 'cs.x.example')).toContain('bob@b.example accepted too late: released');
    expect(notes(h.trace, 'phone.bob.b.example')).toContain('released from the session');
    expect(finalTo(h, 'phone.alice.a.example')).toEqual([487]);
  });
});

describe('CPM 5.2.3.2.1.1 b an Ad-hoc Group session', () => {
  it('is hosted by the inviter’s own server, which invites every listed user once, the inviter not', () => {
    const h = sessionNetwork();
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').session.invite([BOB, CAROL, BOB, ALICE], ['message']));
    h.net.run({ until: at(10) });
    const invites = sent(h.trace, { from: 'cs.a.example', method: 'INVITE' });
    expect(invites.map((e) => header(e.payload, 'To'))).toEqual([`<${BOB}>`, `<${CAROL}>`]);
    // The members' invitations come from the session itself: there is no group address.
    expect(header(invites[0]!.payload, 'From')).toMatch(/^<sip:conf-[0-9a-f]{8}@a\.example>;tag=/);
    expect(sent(h.trace, { to: 'cs.x.example' })).toEqual([]);
    expect(notes(h.trace, 'phone.alice.a.example')).toContain('session established: message');
  });

  it('refuses an invitation of the conference factory without a list of users', () => {
    const h = sessionNetwork();
    aliceInvites(h, 'sip:conference-factory@a.example');
    h.net.run({ until: at(10) });
    expect(finalTo(h, 'phone.alice.a.example')).toEqual([400]);
  });
});

describe('CPM 5.2.3.2.2 to 5.2.3.2.5 within a group session', () => {
  it('ends the session when fewer than two Participants are left (C.2.3.1 step 11)', () => {
    const h = sessionNetwork();
    const session = aliceInvites(h);
    h.net.at(at(5), () => h.net.client(BOB, 'phone').session.leave(session.id));
    h.net.at(at(6), () => h.net.client(CAROL, 'phone').session.leave(session.id));
    h.net.run({ until: at(20) });
    // After Bob left the session went on; after Carol left only Alice remained, and was released.
    expect(sent(h.trace, { from: 'cs.x.example', method: 'BYE' }).map((e) => e.at >= at(6))).toEqual([true]);
    expect(notes(h.trace, 'phone.alice.a.example')).toContain('released from the session');
  });

  it('lets only the originator remove a Participant: another one gets 403', () => {
    const h = sessionNetwork();
    const session = aliceInvites(h);
    h.net.at(at(5), () => h.net.client(BOB, 'phone').session.change(session.id, 'remove', [CAROL]));
    h.net.run({ until: at(20) });
    expect(finalTo(h, 'phone.bob.b.example', 'REFER')).toEqual([403]);
    expect(notes(h.trace, 'phone.carol.c.example')).not.toContain('released from the session');
  });

  it('invites every user of a URI list (RFC 5368) and skips one already in the session', () => {
    const h = sessionNetwork();
    const session = aliceInvites(h);
    h.net.at(at(5), () => h.net.client(ALICE, 'phone').session.change(session.id, 'add', [DAVE, BOB]));
    h.net.run({ until: at(20) });
    const refer = sent(h.trace, { from: 'phone.alice.a.example', method: 'REFER' })[0]!;
    expect(header(refer.payload, 'Require')).toBe('multiple-refer');
    expect(refer.payload.body?.kind).toBe('resource-lists');
    expect(finalTo(h, 'phone.alice.a.example', 'REFER')).toEqual([202]);
    expect(notes(h.trace, 'cs.x.example')).toEqual(expect.arrayContaining(['invites dave@d.example', 'bob@b.example is already in the session', 'dave@d.example joined: message']));
  });

  // covers: 5.2.3.6-6
  it('reports the Participant Information: full first, then partial on each change', () => {
    const h = sessionNetwork();
    const session = aliceInvites(h);
    h.net.at(at(5), () => h.net.client(ALICE, 'phone').session.subscribeParticipants(session.id));
    h.net.at(at(7), () => h.net.client(CAROL, 'phone').session.leave(session.id));
    h.net.run({ until: at(20) });
    expect(notes(h.trace, 'phone.alice.a.example').filter((n) => n.startsWith('participants'))).toEqual([
      'participants: full #0: alice@a.example connected, bob@b.example connected, carol@c.example connected',
      'participants: partial #1: carol@c.example disconnected',
    ]);
  });

  // covers: 5.2.3.6-5
  it('refuses a subscription from a user outside the group with 403', () => {
    const h = sessionNetwork();
    aliceInvites(h);
    h.net.run({ until: at(4) });
    const identity = header(sent(h.trace, { to: 'phone.alice.a.example', method: 'INVITE', status: 200 })[0]!.payload, 'Contact')!;
    expect(identity).toMatch(/conf-/);
    h.net.at(at(5), () => h.net.client(DAVE, 'phone').session.subscribeAt(identity.slice(1, identity.indexOf('>'))));
    h.net.run({ until: at(20) });
    expect(finalTo(h, 'phone.dave.d.example', 'SUBSCRIBE')).toEqual([403]);
  });

  it('names an inviter who asked for privacy anonymously to the members, and authorizes it by its asserted identity', () => {
    const h = sessionNetwork();
    const session = { id: '' };
    h.net.at(at(1), () => {
      session.id = h.net.client(ALICE, 'phone').session.invite(GROUP, ['message'], undefined, false, undefined, true);
    });
    h.net.at(at(4), () => h.net.client(BOB, 'phone').session.subscribeParticipants(session.id));
    h.net.at(at(4), () => h.net.client(ALICE, 'phone').session.subscribeParticipants(session.id));
    h.net.run({ until: at(8) });
    const invites = sent(h.trace, { from: 'cs.x.example', method: 'INVITE' });
    expect(invites.map((e) => header(e.payload, 'Referred-By'))).toEqual(['<sip:anonymous@anonymous.invalid>', '<sip:anonymous@anonymous.invalid>']);
    expect(notes(h.trace, 'cs.x.example').some((n) => n.startsWith('authorized alice@a.example: session '))).toBe(true);
    const bobSees = notes(h.trace, 'phone.bob.b.example').filter((n) => n.startsWith('participants:'));
    expect(bobSees[0]).toMatch(/anonymous1@anonymous\.invalid connected/);
    for (const e of sent(h.trace, { to: 'phone.bob.b.example' })) if (e.payload.type === 'request' && e.payload.method === 'NOTIFY') expect(JSON.stringify(e.payload.body)).not.toContain('alice');
    // Alice sees herself as herself.
    expect(notes(h.trace, 'phone.alice.a.example').filter((n) => n.startsWith('participants:'))[0]).toMatch(/alice@a\.example connected/);
  });

  it('names an inviter who did not ask for privacy by its address in the Participant Information', () => {
    const h = sessionNetwork();
    const session = aliceInvites(h);
    h.net.at(at(4), () => h.net.client(BOB, 'phone').session.subscribeParticipants(session.id));
    h.net.run({ until: at(8) });
    expect(notes(h.trace, 'phone.bob.b.example').filter((n) => n.startsWith('participants:'))[0]).toMatch(/alice@a\.example connected/);
  });
});
