// covers: 5.2.3.2.3-4, 5.2.3.2.4-4
import { describe, expect, it } from 'vitest';
import type { GroupPolicy } from '../../../src/cpm/conversation-server/controlling-function.js';
import { decodeGroup, encodeGroup } from '../../../src/cpm/xdms/group-document.js';
import { at, harness, notes, sent } from '../harness.js';

const [ALICE, BOB, CAROL, DAVE, MALLORY] = ['alice', 'bob', 'carol', 'dave', 'mallory'].map((u) => `sip:${u}@a.example`) as [string, string, string, string, string];
const GROUP = 'sip:friends@a.example';
const host = (aor: string): string => `phone.${aor.slice(4, aor.indexOf('@'))}.a.example`;

/** Alice, Bob, Carol and Mallory in friends@a.example under `policy`; Alice starts a session at 1 s. */
function session(policy: Partial<GroupPolicy>): { h: ReturnType<typeof harness>; id: () => string } {
  const h = harness();
  h.net.addDomain('a.example');
  for (const user of [ALICE, BOB, CAROL, DAVE, MALLORY]) h.net.addUser(user, ['phone']);
  h.net.addGroup(GROUP, { members: [ALICE, BOB, CAROL, MALLORY], policy });
  h.net.at(0, () => {
    for (const user of [ALICE, BOB, CAROL, DAVE, MALLORY]) h.net.client(user, 'phone').register();
  });
  let id = '';
  h.net.at(at(1), () => (id = h.net.client(ALICE, 'phone').session.invite(GROUP, ['message'])));
  return { h, id: () => id };
}

const refusals = (h: ReturnType<typeof harness>, method: string): string[] =>
  sent(h.trace, { from: 'cs.a.example', method, status: 403 }).map((e) => (e.payload.type === 'response' ? e.payload.reason : ''));

describe('group policy from the XDMS document (CPM 5.2.2.1, 5.2.3.2.3, 5.2.3.2.4)', () => {
  it('does not invite a banned member, and refuses the banned member\u2019s message to the group', () => {
    const { h } = session({ banned: [MALLORY] });
    h.net.at(at(5), () => h.net.client(MALLORY, 'phone').send({ to: GROUP, text: 'let me in' }));
    h.net.run({ until: at(8) });
    expect(sent(h.trace, { to: host(MALLORY), method: 'INVITE' })).toHaveLength(0);
    expect(sent(h.trace, { to: host(BOB), method: 'INVITE' })).toHaveLength(1);
    expect(refusals(h, 'MESSAGE')).toContain('Banned From The Group');
    expect(notes(h.trace, host(MALLORY))).toContain('message failed: 403');
  });

  it('refuses a banned member who starts a session', () => {
    const h = harness();
    h.net.addDomain('a.example');
    for (const user of [ALICE, MALLORY]) h.net.addUser(user, ['phone']);
    h.net.addGroup(GROUP, { members: [ALICE, MALLORY], policy: { banned: [MALLORY] } });
    h.net.at(0, () => h.net.client(MALLORY, 'phone').register());
    h.net.at(at(1), () => h.net.client(MALLORY, 'phone').session.invite(GROUP, ['message']));
    h.net.run({ until: at(4) });
    expect(refusals(h, 'INVITE')).toContain('Banned From The Group');
    expect(notes(h.trace, host(MALLORY))).toContain('invitation refused: 403');
  });

  it('lets only the originator add when may-add is originator, and never past max-participants', () => {
    const { h, id } = session({ banned: [MALLORY], mayAdd: 'originator', maxParticipants: 3 });
    h.net.at(at(5), () => h.net.client(BOB, 'phone').session.change(id(), 'add', [DAVE]));
    h.net.at(at(6), () => h.net.client(ALICE, 'phone').session.change(id(), 'add', [DAVE]));
    h.net.run({ until: at(9) });
    expect(refusals(h, 'REFER')).toEqual(['Only The Originator May Add', 'At Most 3 Participants']);
    expect(sent(h.trace, { to: host(DAVE), method: 'INVITE' })).toHaveLength(0);
  });

  it('lets any Participant add by default, within max-participants', () => {
    const { h, id } = session({ banned: [MALLORY], maxParticipants: 4 });
    h.net.at(at(5), () => h.net.client(BOB, 'phone').session.change(id(), 'add', [DAVE]));
    h.net.run({ until: at(9) });
    expect(refusals(h, 'REFER')).toEqual([]);
    expect(sent(h.trace, { to: host(DAVE), method: 'INVITE' })).toHaveLength(1);
  });

  it('lets any Participant remove when may-remove is participants; by default only the originator', () => {
    const open = session({ banned: [MALLORY], mayRemove: 'participants' });
    open.h.net.at(at(5), () => open.h.net.client(BOB, 'phone').session.change(open.id(), 'remove', [CAROL]));
    open.h.net.run({ until: at(9) });
    expect(notes(open.h.trace, host(CAROL))).toContain('released from the session');
    const closed = session({ banned: [MALLORY] });
    closed.h.net.at(at(5), () => closed.h.net.client(BOB, 'phone').session.change(closed.id(), 'remove', [CAROL]));
    closed.h.net.run({ until: at(9) });
    expect(refusals(closed.h, 'REFER')).toEqual(['Only The Originator May Remove']);
    expect(notes(closed.h.trace, host(CAROL))).not.toContain('released from the session');
  });

  it('refuses a modification by another Participant when may-modify is originator; the session keeps its streams', () => {
    const { h, id } = session({ banned: [MALLORY], mayModify: 'originator' });
    h.net.at(at(5), () => h.net.client(BOB, 'phone').session.modify(id(), ['message', 'audio']));
    h.net.at(at(6), () => h.net.client(BOB, 'phone').session.say(id(), 'still here'));
    h.net.run({ until: at(9) });
    expect(refusals(h, 'INVITE')).toEqual(['Only The Originator May Modify']);
    expect(notes(h.trace, host(BOB))).toContain('modification refused: 403');
    expect(notes(h.trace, host(ALICE))).toContain('session message: still here');
  });

  it('round-trips through the XDMS document, which writes nothing for a default', () => {
    const policy: GroupPolicy = { allowedSenders: 'members', banned: [MALLORY], maxParticipants: 3, mayAdd: 'originator', mayRemove: 'participants', mayModify: 'originator' };
    expect(decodeGroup(encodeGroup({ uri: GROUP, members: [ALICE], policy })).policy).toEqual(policy);
    expect(encodeGroup({ uri: GROUP, members: [ALICE], policy: { allowedSenders: 'members' } })).not.toMatch(/may-|max-|banned/);
  });
});
