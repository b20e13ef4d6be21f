import { describe, expect, it } from 'vitest';
import type { MediaType } from '../../../src/cpm/session-media.js';
import { createResponse } from '../../../src/sip/builders.js';
import { header } from '../../../src/sip/message.js';
import { isSip } from '../../../src/wire/payload.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@b.example';
const CAROL = 'sip:carol@c.example';
const GROUP = 'sip:friends@x.example';
const FOCUS = 'cs.x.example';

/**
 * Alice invites friends@x.example (Alice, Bob, Carol) at 1 s with `media`; each device's session interval is
 * given in seconds (none: the device does not support session timers).
 */
function groupSession(timers: { alice?: number; bob?: number; carol?: number }, media: MediaType[] = ['message']) {
  const h = harness();
  for (const domain of ['a.example', 'b.example', 'c.example', 'x.example']) h.net.addDomain(domain);
  const users = [
    [ALICE, timers.alice],
    [BOB, timers.bob],
    [CAROL, timers.carol],
  ] as const;
  for (const [user, seconds] of users) h.net.addUser(user, [seconds === undefined ? 'phone' : { name: 'phone', sessionTimer: seconds }]);
  h.net.addGroup(GROUP, { members: [ALICE, BOB, CAROL] });
  h.net.at(0, () => {
    for (const [user] of users) h.net.client(user, 'phone').register();
  });
  const session = { id: '' };
  h.net.at(at(1), () => (session.id = h.net.client(ALICE, 'phone').session.invite(GROUP, media)));
  return { h, session };
}

/**
 * The first `method` request `from` sends after `after` is answered 422 with `Min-SE: minSe` by
 * its next hop, as a proxy on the path whose minimum is higher would answer it (RFC 4028 8.1).
 */
function refusedOnce(h: ReturnType<typeof harness>, from: string, method: string, minSe: number, after = 0): void {
  let refused = false;
  h.net.net.perturb((packet) => {
    const m = packet.payload;
    if (refused || packet.from !== from || !isSip(m) || m.type !== 'request' || m.method !== method || h.net.sim.now < after) return undefined;
    refused = true;
    h.net.sim.schedule(0, () => h.net.net.send(packet.to, packet.from, createResponse(m, 422, { extra: [{ name: 'Min-SE', value: String(minSe) }] })));
    return { drop: true };
  });
}

/**
 * `from`'s 200 to the focus's INVITE asks the focus to refresh (`refresher=uac`, the UAC of that
 * leg), as a client may choose (RFC 4028 9); the simulated clients always refresh themselves.
 */
function focusRefreshes(h: ReturnType<typeof harness>, from: string): void {
  let rewritten = false;
  h.net.net.perturb((packet) => {
    const m = packet.payload;
    if (rewritten || packet.from !== from || !isSip(m) || m.type !== 'response' || m.status !== 200 || header(m, 'CSeq')?.endsWith('INVITE') !== true) return undefined;
    rewritten = true;
    const asked = { ...m, headers: m.headers.map((line) => (line.name === 'Session-Expires' ? { name: line.name, value: '90;refresher=uac' } : line)) };
    h.net.sim.schedule(0, () => h.net.net.send(packet.from, packet.to, asked));
    return { drop: true };
  });
}

const timerOf = (e: { payload: Parameters<typeof header>[0] }) => [header(e.payload, 'Session-Expires'), header(e.payload, 'Min-SE')];

const finalAnswers = (h: ReturnType<typeof harness>, to: string, method: string): { status: number; expires: string | undefined }[] =>
  sent(h.trace, { to }).flatMap((e) =>
    e.payload.type === 'response' && e.payload.status >= 200 && header(e.payload, 'CSeq')?.endsWith(method) ? [{ status: e.payload.status, expires: header(e.payload, 'Session-Expires') }] : [],
  );

describe('session timers of a group session (RFC 4028)', () => {
  it('an interval below the focus’s Min-SE is refused 422, and the device asks again with the Min-SE', () => {
    const { h } = groupSession({ alice: 60 });
    h.net.run({ until: at(5) });
    const invites = sent(h.trace, { from: 'phone.alice.a.example', method: 'INVITE' });
    expect(invites.map((e) => [header(e.payload, 'Session-Expires'), header(e.payload, 'Min-SE')])).toEqual([
      ['60', undefined],
      ['90', '90'],
    ]);
    const answers = sent(h.trace, { to: 'phone.alice.a.example' }).filter((e) => e.payload.type === 'response' && e.payload.status >= 200 && header(e.payload, 'CSeq')?.endsWith('INVITE'));
    expect(answers.map((e) => (e.payload.type === 'response' ? [e.payload.status, header(e.payload, 'Min-SE')] : []))).toEqual([
      [422, '90'],
      [200, undefined],
    ]);
    expect(notes(h.trace, 'phone.alice.a.example')).toContain('session interval too small: asks for 90 s');
  });

  it('the focus grants the interval asked for, the originator refreshing, and asks it of the members', () => {
    const { h } = groupSession({ alice: 300, bob: 300 });
    h.net.run({ until: at(5) });
    expect(finalAnswers(h, 'phone.alice.a.example', 'INVITE')).toEqual([{ status: 200, expires: '300;refresher=uac' }]);
    const toBob = sent(h.trace, { to: 'phone.bob.b.example', method: 'INVITE' })[0]!;
    expect([header(toBob.payload, 'Supported'), header(toBob.payload, 'Session-Expires')]).toEqual(['timer', '300']);
    // Bob's device chooses to refresh; Carol's supports no timers, so her leg has none.
    expect(finalAnswers(h, FOCUS, 'INVITE').map((a) => a.expires).sort()).toEqual(['300;refresher=uas', undefined]);
  });

  it('each refresher sends UPDATE at half the interval, and the session goes on', () => {
    const { h } = groupSession({ alice: 90, bob: 90 });
    h.net.run({ until: at(100) });
    for (const device of ['phone.alice.a.example', 'phone.bob.b.example']) {
      const updates = sent(h.trace, { from: device, method: 'UPDATE' });
      // 2 s (the session set up) + 45 s, then every 45 s.
      expect(updates.map((e) => Math.round(e.at / at(1)))).toEqual([47, 92]);
      expect(finalAnswers(h, device, 'UPDATE').map((a) => a.status)).toEqual([200, 200]);
    }
    expect(notes(h.trace, FOCUS).filter((n) => n.includes('expired'))).toEqual([]);
  });

  it('a Participant whose refreshes stop is released once its interval runs out', () => {
    const { h } = groupSession({ alice: 90, bob: 90, carol: 90 });
    h.net.at(at(20), () => h.net.crash('phone.carol.c.example', 'lost'));
    h.net.run({ until: at(70) });
    const focusNotes = notes(h.trace, FOCUS);
    expect(focusNotes).toContain('session of carol@c.example expired: no refresh');
    expect(focusNotes).toContain('releases carol@c.example');
    // Its answer came at about 2 s: 90 s less a third of it later.
    const expiry = h.trace.events.find((e) => e.type === 'note' && e.text === 'session of carol@c.example expired: no refresh')!;
    expect(Math.round(expiry.at / at(1))).toBe(62);
    expect(focusNotes).not.toContain('releases bob@b.example');
  });

  it('without session timers a crashed Participant stays in the session', () => {
    const { h } = groupSession({});
    h.net.at(at(20), () => h.net.crash('phone.carol.c.example', 'lost'));
    h.net.run({ until: at(100) });
    expect(sent(h.trace, { method: 'UPDATE' })).toEqual([]);
    expect(notes(h.trace, FOCUS)).not.toContain('releases carol@c.example');
  });

  it('a refresher whose refresh times out ends the session with BYE', () => {
    const { h } = groupSession({ alice: 90, bob: 90 });
    h.net.at(at(20), () => h.net.crash(FOCUS, 'lost'));
    h.net.run({ until: at(90) });
    const alice = notes(h.trace, 'phone.alice.a.example');
    expect(alice).toContain('session refresh failed: 408');
    const bye = sent(h.trace, { from: 'phone.alice.a.example', method: 'BYE' });
    expect(bye.length).toBeGreaterThan(0);
    expect(bye[0]!.at).toBeGreaterThan(sent(h.trace, { from: 'phone.alice.a.example', method: 'UPDATE' })[0]!.at);
  });

  it('a refresh (UPDATE) refused 422 is sent again with the Min-SE, and the dialog\u2019s refreshes keep it (RFC 4028 7.3, 7.4)', () => {
    const { h } = groupSession({ alice: 90, bob: 90 });
    refusedOnce(h, 'phone.alice.a.example', 'UPDATE', 120);
    h.net.run({ until: at(120) });
    const updates = sent(h.trace, { from: 'phone.alice.a.example', method: 'UPDATE' });
    // 47 s: refused; at once again, asking for 120 s; then at half of that, 60 s later.
    expect(updates.map((e) => [Math.round(e.at / at(1)), ...timerOf(e)])).toEqual([
      [47, '90;refresher=uac', undefined],
      [47, '120;refresher=uac', '120'],
      [107, '120;refresher=uac', '120'],
    ]);
    expect(header(updates[1]!.payload, 'CSeq')).not.toBe(header(updates[0]!.payload, 'CSeq'));
    expect(finalAnswers(h, 'phone.alice.a.example', 'UPDATE')).toEqual([
      { status: 422, expires: undefined },
      { status: 200, expires: '120;refresher=uac' },
      { status: 200, expires: '120;refresher=uac' },
    ]);
    expect(notes(h.trace, 'phone.alice.a.example')).toContain('session interval too small: asks for 120 s');
    // The focus took the longer interval: its watch of Alice's leg did not run out at 90 s.
    expect(notes(h.trace, FOCUS).filter((n) => n.includes('expired'))).toEqual([]);
  });

  it('a 422 that asks for no more than was asked stands: the refresh failed', () => {
    const { h } = groupSession({ alice: 90, bob: 90 });
    refusedOnce(h, 'phone.alice.a.example', 'UPDATE', 90);
    h.net.run({ until: at(60) });
    expect(sent(h.trace, { from: 'phone.alice.a.example', method: 'UPDATE' })).toHaveLength(1);
    expect(notes(h.trace, 'phone.alice.a.example')).toContain('session refresh failed: 422');
  });

  it('a modification (re-INVITE) refused 422 is offered again with the Min-SE', () => {
    const { h, session } = groupSession({ alice: 90, bob: 90 });
    h.net.at(at(10), () => h.net.client(ALICE, 'phone').session.modify(session.id, ['message']));
    refusedOnce(h, 'phone.alice.a.example', 'INVITE', 150, at(10));
    h.net.run({ until: at(20) });
    const reInvites = sent(h.trace, { from: 'phone.alice.a.example', method: 'INVITE', after: at(10) });
    expect(reInvites.map(timerOf)).toEqual([
      ['90;refresher=uac', undefined],
      ['150;refresher=uac', '150'],
    ]);
    expect(finalAnswers(h, 'phone.alice.a.example', 'INVITE').slice(-2)).toEqual([
      { status: 422, expires: undefined },
      { status: 200, expires: '150;refresher=uac' },
    ]);
    expect(notes(h.trace, 'phone.alice.a.example')).not.toContain('modification refused: 422');
  });

  it('the focus refreshes a leg whose Participant asked it to, and sends a refresh refused 422 again with the Min-SE', () => {
    const { h } = groupSession({ alice: 90, bob: 90 });
    focusRefreshes(h, 'phone.bob.b.example');
    h.net.run({ until: at(48) });
    // Chained: once the focus's first refresh is out, the proxy on the path refuses the next one.
    refusedOnce(h, FOCUS, 'UPDATE', 120);
    h.net.run({ until: at(150) });
    const toBob = sent(h.trace, { from: FOCUS, method: 'UPDATE' }).filter((e) => e.payload.type === 'request' && header(e.payload, 'To')?.includes('bob'));
    // Refreshes at half the interval (2 s + 45 s); the second, at 92 s, refused, then asks for 120 s at once, and the next comes 60 s later.
    expect(toBob.map((e) => [Math.round(e.at / at(1)), ...timerOf(e)])).toEqual([
      [47, '90;refresher=uac', undefined],
      [92, '90;refresher=uac', undefined],
      [92, '120;refresher=uac', '120'],
    ]);
    expect(notes(h.trace, FOCUS)).toContain('session interval of bob@b.example too small: asks for 120 s');
    expect(notes(h.trace, FOCUS).filter((n) => n.includes('refresh of bob@b.example failed'))).toEqual([]);
  });

  it('the focus offers its re-INVITE to a Participant again with the Min-SE of a 422', () => {
    const { h, session } = groupSession({ alice: 90, bob: 90 }, ['message', 'audio']);
    // Alice, who started the session, removes audio: the focus offers Bob the rest (CPM 5.2.3.8.2).
    h.net.at(at(10), () => h.net.client(ALICE, 'phone').session.modify(session.id, ['message']));
    refusedOnce(h, FOCUS, 'INVITE', 200, at(10));
    h.net.run({ until: at(20) });
    const toBob = sent(h.trace, { from: FOCUS, method: 'INVITE', after: at(10) }).filter((e) => e.payload.type === 'request' && e.payload.uri.scheme === 'sip' && header(e.payload, 'To')?.includes('bob'));
    expect(toBob.map(timerOf)).toEqual([
      ['90;refresher=uas', undefined],
      ['200;refresher=uas', '200'],
    ]);
    expect(notes(h.trace, FOCUS)).toContain('session interval of bob@b.example too small: asks for 200 s');
    expect(notes(h.trace, FOCUS).filter((n) => n.includes('refused the new streams'))).toEqual([]);
  });
});
