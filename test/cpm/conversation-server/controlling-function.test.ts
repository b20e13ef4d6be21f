import { describe, expect, it } from 'vitest';
import { cpimHeader } from '../../../src/bodies/cpim-codec.js';
import type { CpimMessage } from '../../../src/bodies/cpim.js';
import type { ImdnNotification } from '../../../src/bodies/imdn.js';
import type { SendOptions } from '../../../src/cpm/client/client.js';
import type { ServicePolicy, UserPreferences } from '../../../src/cpm/preferences.js';
import { MS } from '../../../src/kernel/time.js';
import { header } from '../../../src/sip/message.js';
import { formatUri } from '../../../src/sip/uri.js';
import { at, harness, notes, sent, type Sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@b.example';
const CAROL = 'sip:carol@c.example';
const DAVE = 'sip:dave@d.example';
const GROUP = 'sip:friends@x.example';

interface Setup {
  policy?: Partial<ServicePolicy>;
  senders?: 'members' | 'anyone';
  members?: string[];
  carol?: Partial<UserPreferences>;
  /** Users that do not register. */
  absent?: string[];
}

/** Alice, Bob and Carol in a group hosted in x.example; Dave is no member. */
function groupNetwork(setup: Setup = {}) {
  const h = harness();
  for (const domain of ['a.example', 'b.example', 'c.example', 'd.example']) h.net.addDomain(domain);
  h.net.addDomain('x.example', { policy: setup.policy ?? {} });
  for (const user of [ALICE, BOB, DAVE]) h.net.addUser(user, ['phone']);
  h.net.addUser(CAROL, ['phone'], { preferences: setup.carol ?? {} });
  h.net.addGroup(GROUP, { members: setup.members ?? [ALICE, BOB, CAROL], policy: { allowedSenders: setup.senders ?? 'members' } });
  h.net.at(0, () => {
    for (const user of [ALICE, BOB, CAROL, DAVE]) if (!(setup.absent ?? []).includes(user)) h.net.client(user, 'phone').register();
  });
  return h;
}

function sendToGroup(h: ReturnType<typeof harness>, from: string, options: Partial<SendOptions> = {}): { id?: string } {
  const sentMessage: { id?: string } = {};
  h.net.at(at(1), () => {
    sentMessage.id = h.net.client(from, 'phone').send({ to: GROUP, text: 'Dinner at eight?', ...options });
  });
  return sentMessage;
}

const cpimOf = (e: Sent): CpimMessage => {
  const body = e.payload.body;
  if (body?.kind !== 'cpim') throw new Error('not a CPIM body');
  return body.cpim;
};

/** The IMDNs a notification carries: one, or one per part of an aggregated one. */
const imdnsOf = (e: Sent): ImdnNotification[] => {
  const content = cpimOf(e).content;
  if (content.kind === 'imdn') return [content.imdn];
  if (content.kind === 'multipart') return content.parts.flatMap((p) => (p.content.kind === 'imdn' ? [p.content.imdn] : []));
  return [];
};

const requestUri = (e: Sent): string => (e.payload.type === 'request' ? formatUri(e.payload.uri) : '');

/** Copies the Controlling Function sent to members (text, not notifications). */
const copies = (trace: ReturnType<typeof harness>['trace']) =>
  sent(trace, { from: 'cs.x.example', method: 'MESSAGE' }).filter((e) => e.payload.type === 'request' && cpimOf(e).content.kind === 'text');

/** Notifications that reached Alice's phone, as (recipient, status) pairs. */
const reportsToAlice = (trace: ReturnType<typeof harness>['trace']) =>
  sent(trace, { to: 'phone.alice.a.example', method: 'MESSAGE' })
    .filter((e) => e.payload.type === 'request')
    .map((e) => imdnsOf(e).map((n) => `${n.recipientUri} ${n.notification.type} ${n.notification.status}`));

describe('CPM 5.2.2.1 Controlling Function of a Pre-defined Group', () => {
  it('refuses a sender who is not a member with 403 when only members may send', () => {
    const h = groupNetwork();
    sendToGroup(h, DAVE);
    h.net.run({ until: at(5) });
    expect(sent(h.trace, { from: 'cs.x.example', method: 'MESSAGE', status: 403 })).toHaveLength(1);
    expect(copies(h.trace)).toEqual([]);
    expect(notes(h.trace, 'phone.dave.d.example')).toContain('message failed: 403');
    expect(notes(h.trace, 'cs.x.example')).toContain('refused dave@d.example: not a member of friends@x.example');
  });

  it('lets anyone send when the group policy allows it', () => {
    const h = groupNetwork({ senders: 'anyone' });
    sendToGroup(h, DAVE);
    h.net.run({ until: at(5) });
    expect(copies(h.trace).map(requestUri)).toEqual([ALICE, BOB, CAROL]);
  });

  it('sends every other member a copy through the group core, then answers 202 Accepted', () => {
    const h = groupNetwork();
    sendToGroup(h, ALICE);
    h.net.run({ until: at(5) });
    const out = copies(h.trace);
    expect(out.map(requestUri)).toEqual([BOB, CAROL]);
    for (const copy of out) {
      expect(copy.to).toBe('core.x.example');
      expect(header(copy.payload, 'From')).toMatch(/^<sip:friends@x\.example>;tag=/);
      expect(header(copy.payload, 'P-Asserted-Identity')).toBe(`<${GROUP}>`);
    }
    const accepted = sent(h.trace, { from: 'cs.x.example', method: 'MESSAGE', status: 202 });
    expect(accepted).toHaveLength(1);
    // C.3.1.2: the copies (step 6) leave before the Accepted response (step 7).
    expect(out.every((copy) => copy.id < accepted[0]!.id)).toBe(true);
    expect(sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE', status: 202 })).toHaveLength(1);
    // Each copy reached the member through its own Conversation Server (terminating Participating Function).
    expect(sent(h.trace, { from: 'core.b.example', to: 'cs.b.example', method: 'MESSAGE' })).toHaveLength(1);
    expect(notes(h.trace, 'phone.bob.b.example')).toContain('shown to the user');
    expect(notes(h.trace, 'phone.carol.c.example')).toContain('shown to the user');
    expect(notes(h.trace, 'phone.alice.a.example')).not.toContain('shown to the user');
  });

  it('keeps the conversation indications and the sender, and routes notifications through the group', () => {
    const h = groupNetwork();
    sendToGroup(h, ALICE, { inReplyTo: { conversationId: 'conversation-1', contributionId: 'contribution-0' }, notify: ['positive-delivery'] });
    h.net.run({ until: at(5) });
    const original = sent(h.trace, { from: 'core.x.example', to: 'cs.x.example', method: 'MESSAGE' })[0]!;
    for (const copy of copies(h.trace)) {
      for (const name of ['Conversation-ID', 'Contribution-ID', 'InReplyTo-Contribution-ID']) {
        expect(header(copy.payload, name), name).toBe(header(original.payload, name));
      }
      expect(header(copy.payload, 'Conversation-ID')).toBe('conversation-1');
      const cpim = cpimOf(copy);
      expect(cpimHeader(cpim, 'From')).toBe(`<${ALICE}>`);
      expect(cpimHeader(cpim, 'To')).toBe(`<${requestUri(copy)}>`);
      expect(cpimHeader(cpim, 'imdn.Original-To')).toBe(`<${GROUP}>`);
      expect(cpimHeader(cpim, 'imdn.IMDN-Record-Route')).toBe(`<${GROUP}>`);
      expect(cpimHeader(cpim, 'imdn.Message-ID')).toBe(cpimHeader(cpimOf(original), 'imdn.Message-ID'));
    }
    // C.3.1.3 steps 12-16: Bob's notification is addressed to the group, for Alice.
    const fromBob = sent(h.trace, { from: 'phone.bob.b.example', method: 'MESSAGE' }).filter((e) => e.payload.type === 'request')[0]!;
    expect(requestUri(fromBob)).toBe(GROUP);
    expect(cpimHeader(cpimOf(fromBob), 'To')).toBe(`<${ALICE}>`);
    expect(cpimHeader(cpimOf(fromBob), 'imdn.IMDN-Route')).toBe(`<${GROUP}>`);
    expect(imdnsOf(fromBob)[0]).toMatchObject({ recipientUri: BOB, originalRecipientUri: GROUP });
    expect(sent(h.trace, { from: 'core.x.example', to: 'cs.x.example', method: 'MESSAGE' }).filter((e) => e.payload.type === 'request')).toHaveLength(3);
  });
});

describe('CPM 5.2.2.3.1 delivery notifications for a Pre-defined Group', () => {
  it('forwards each member notification to the sender (policy forward)', () => {
    const h = groupNetwork({ policy: { groupImdn: 'forward' } });
    sendToGroup(h, ALICE, { notify: ['positive-delivery'] });
    h.net.run({ until: at(10) });
    expect(reportsToAlice(h.trace)).toEqual([[`${BOB} delivery delivered`], [`${CAROL} delivery delivered`]]);
    const forwarded = sent(h.trace, { from: 'cs.x.example', method: 'MESSAGE' }).filter((e) => e.payload.type === 'request' && imdnsOf(e).length > 0);
    expect(forwarded.map(requestUri)).toEqual([ALICE, ALICE]);
    // Forwarded as received: the member wrote it; the group's IMDN-Route is used up.
    expect(forwarded.map((e) => cpimHeader(cpimOf(e), 'From'))).toEqual([`<${BOB}>`, `<${CAROL}>`]);
    expect(forwarded.map((e) => cpimHeader(cpimOf(e), 'imdn.IMDN-Route'))).toEqual([undefined, undefined]);
    expect(sent(h.trace, { from: 'cs.x.example', method: 'MESSAGE', status: 200 })).toHaveLength(2);
  });

  it('aggregates the members notifications into one once all have answered (policy aggregate)', () => {
    const h = groupNetwork({ policy: { groupImdn: 'aggregate' } });
    sendToGroup(h, ALICE, { notify: ['positive-delivery'] });
    h.net.run({ until: at(10) });
    expect(reportsToAlice(h.trace)).toEqual([[`${BOB} delivery delivered`, `${CAROL} delivery delivered`]]);
    const [aggregated] = sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE' }).filter((e) => e.payload.type === 'request');
    expect(aggregated!.at).toBeLessThan(at(2));
    expect(cpimHeader(cpimOf(aggregated!), 'From')).toBe(`<${GROUP}>`);
    expect(cpimOf(aggregated!).contentHeaders).toEqual([{ name: 'Content-Disposition', value: 'notification' }]);
    expect(notes(h.trace, 'phone.alice.a.example')).toEqual(expect.arrayContaining(['delivery: delivered (bob@b.example)', 'delivery: delivered (carol@c.example)']));
  });

  it('sends the aggregate when the window passes if a member never notifies', () => {
    const h = groupNetwork({ policy: { groupImdn: 'aggregate' }, carol: { deliveryNotifications: false } });
    sendToGroup(h, ALICE, { notify: ['positive-delivery'] });
    h.net.run({ until: at(10) });
    const reports = sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE' }).filter((e) => e.payload.type === 'request');
    expect(reports.map((e) => imdnsOf(e).map((n) => n.recipientUri))).toEqual([[BOB]]);
    // The window (5 s by default) starts when the copies leave, at 1.014 s.
    expect(reports[0]!.at).toBeGreaterThan(at(6.014));
  });

  it('reports a member the copy could not reach as failed, when negative delivery was asked for', () => {
    const erin = 'sip:erin@z.example';
    const h = groupNetwork({ members: [ALICE, BOB, erin] });
    sendToGroup(h, ALICE, { notify: ['positive-delivery', 'negative-delivery'] });
    h.net.run({ until: at(10) });
    expect(reportsToAlice(h.trace).flat().sort()).toEqual([`${BOB} delivery delivered`, `${erin} delivery failed`]);
    expect(notes(h.trace, 'cs.x.example')).toContain('could not deliver to erin@z.example');
  });

  it('aggregates a failure with the deliveries', () => {
    const erin = 'sip:erin@z.example';
    const h = groupNetwork({ members: [ALICE, BOB, erin], policy: { groupImdn: 'aggregate' } });
    sendToGroup(h, ALICE, { notify: ['positive-delivery', 'negative-delivery'] });
    h.net.run({ until: at(10) });
    expect(reportsToAlice(h.trace)).toEqual([[`${BOB} delivery delivered`, `${erin} delivery failed`]]);
  });

  it('says nothing of a failure when only positive delivery was asked for', () => {
    const erin = 'sip:erin@z.example';
    const h = groupNetwork({ members: [ALICE, BOB, erin] });
    sendToGroup(h, ALICE, { notify: ['positive-delivery'] });
    h.net.run({ until: at(10) });
    expect(reportsToAlice(h.trace)).toEqual([[`${BOB} delivery delivered`]]);
  });

  it("passes on the member server's own failure report once, not a second one of its own", () => {
    const h = groupNetwork({ carol: { whenUnavailable: 'reject' }, absent: [CAROL] });
    sendToGroup(h, ALICE, { notify: ['positive-delivery', 'negative-delivery'] });
    h.net.run({ until: at(10) });
    const failures = sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE' }).filter((e) => imdnsOf(e).some((n) => n.notification.status === 'failed'));
    expect(failures).toHaveLength(1);
    // Carol's Conversation Server wrote it (CPM 5.2.2.3.1), and it went through the group.
    expect(cpimHeader(cpimOf(failures[0]!), 'From')).toBe(`<${CAROL}>`);
    expect(requestUri(sent(h.trace, { from: 'cs.c.example', method: 'MESSAGE' }).find((e) => e.payload.type === 'request')!)).toBe(GROUP);
    expect(notes(h.trace, 'cs.x.example')).not.toContain('could not deliver to carol@c.example');
  });

  it('counts a member that has not answered within the window as not reached, and reports it once', () => {
    const h = groupNetwork();
    h.net.at(at(0.5), () => h.net.setOnline(BOB, 'phone', false));
    sendToGroup(h, ALICE, { notify: ['positive-delivery', 'negative-delivery'] });
    h.net.run({ until: at(40) });
    const reports = sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE' }).filter((e) => e.payload.type === 'request');
    expect(reports.map((e) => imdnsOf(e).map((n) => `${n.recipientUri} ${n.notification.status}`))).toEqual([[`${CAROL} delivered`], [`${BOB} failed`]]);
    expect(reports[1]!.at).toBeGreaterThan(at(6.014));
    expect(reports[1]!.at).toBeLessThan(at(7));
    // Timer F ends Bob's transaction much later: that failure is not reported again.
    expect(sent(h.trace, { to: 'cs.x.example', status: 408 })).toHaveLength(1);
    expect(notes(h.trace, 'cs.x.example')).toContain('withheld failed for bob@b.example (already reported)');
  });

  it('forwards read reports as they come, also under the aggregate policy', () => {
    const h = groupNetwork({ policy: { groupImdn: 'aggregate' } });
    const message = sendToGroup(h, ALICE, { notify: ['positive-delivery', 'display'] });
    h.net.at(at(3), () => h.net.client(BOB, 'phone').read(message.id!));
    h.net.run({ until: at(10) });
    expect(reportsToAlice(h.trace)).toEqual([[`${BOB} delivery delivered`, `${CAROL} delivery delivered`], [`${BOB} display displayed`]]);
  });

  it("forgets a message after the provider's hold time and drops later notifications about it", () => {
    const h = groupNetwork({ policy: { maxHold: 100 * MS } });
    sendToGroup(h, ALICE, { notify: ['positive-delivery'] });
    h.net.run({ until: at(10) });
    expect(reportsToAlice(h.trace)).toEqual([]);
    expect(notes(h.trace, 'cs.x.example').filter((n) => n.startsWith('dropped a notification'))).toHaveLength(2);
  });
});
