import { describe, expect, it } from 'vitest';
import type { ServicePolicy } from '../../../src/cpm/preferences.js';
import { SECOND } from '../../../src/kernel/time.js';
import { CONTRIBUTION_ID, CONVERSATION_ID, IN_REPLY_TO_CONTRIBUTION_ID } from '../../../src/cpm/service.js';
import { header } from '../../../src/sip/message.js';
import { at, harness, notes, sent, type Sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@b.example';

function network(policy: Partial<ServicePolicy> = {}) {
  const h = harness();
  h.net.addDomain('a.example');
  h.net.addDomain('b.example', { policy });
  h.net.addUser(ALICE, ['phone']);
  h.net.addUser(BOB, ['phone']);
  h.net.at(0, () => h.net.client(ALICE, 'phone').register());
  return h;
}

const imdnStatus = (e: Sent): string | undefined => {
  const b = e.payload.body;
  return b?.kind === 'cpim' && b.cpim.content.kind === 'imdn' ? b.cpim.content.imdn.notification.status : undefined;
};

const toAlice = (trace: ReturnType<typeof harness>['trace']) =>
  sent(trace, { to: 'phone.alice.a.example', method: 'MESSAGE' }).filter((e) => e.payload.type === 'request');

// covers: 5.2.2.2.1-1, 5.2.2.2.1-2, 5.2.2.3.1-3
describe('CPM 5.2.2.2 deferred messaging', () => {
  it('discards on expiry with a negative notification, at the provider maximum hold time', () => {
    const { net, trace } = network({ maxHold: 60 * SECOND, onExpiry: 'discard' });
    net.at(at(1), () => net.client(ALICE, 'phone').send({ to: BOB, text: 'x', notify: ['negative-delivery'] }));
    net.run({ until: at(120) });
    const reports = toAlice(trace);
    expect(reports.map(imdnStatus)).toEqual(['failed']);
    // Deferred at 1.014 s (when the message reached CS B), discarded 60 s later.
    expect(reports[0]!.at).toBeGreaterThan(at(61));
    expect(notes(trace, 'cs.b.example')).toContain('discarded on expiry');
  });

  it("lets the sender's Expires shorten the hold time, never lengthen it", () => {
    const { net, trace } = network({ maxHold: 60 * SECOND });
    net.at(at(1), () => net.client(ALICE, 'phone').send({ to: BOB, text: 'short', notify: ['negative-delivery'], expires: 10 }));
    net.at(at(2), () => net.client(ALICE, 'phone').send({ to: BOB, text: 'long', notify: ['negative-delivery'], expires: 600 }));
    net.run({ until: at(120) });
    const times = toAlice(trace).map((e) => e.at);
    expect(times).toHaveLength(2);
    expect(times[0]).toBeLessThan(at(12));
    expect(times[1]).toBeGreaterThan(at(62));
    expect(times[1]).toBeLessThan(at(63));
  });

  it('moves an expired message to network storage and reports it stored when asked', () => {
    const { net, trace } = network({ maxHold: 30 * SECOND, onExpiry: 'store' });
    net.at(at(1), () => net.client(ALICE, 'phone').send({ to: BOB, text: 'keep me', notify: ['negative-delivery', 'processing'] }));
    net.run({ until: at(60) });
    expect(notes(trace, 'cs.b.example')).toContain('moved to network storage');
    expect(toAlice(trace).map(imdnStatus)).toEqual(['stored']);
  });

  it('extends the hold once, then discards', () => {
    const { net, trace } = network({ maxHold: 30 * SECOND, onExpiry: 'extend' });
    net.at(at(1), () => net.client(ALICE, 'phone').send({ to: BOB, text: 'patience', notify: ['negative-delivery'] }));
    net.at(at(45), () => net.client(BOB, 'phone').register());
    net.run({ until: at(120) });
    expect(notes(trace, 'cs.b.example')).toContain('hold time extended');
    // Bob came back during the extension: the message reached him and nothing failed.
    expect(sent(trace, { to: 'phone.bob.b.example', method: 'MESSAGE' }).filter((e) => e.payload.type === 'request')).toHaveLength(1);
    expect(toAlice(trace).map(imdnStatus)).toEqual([]);
  });

  it('delivers the held copy with the sender, identity, service and threading of the original, as a new request', () => {
    // Bob, offline, is sent a message by Alice and answers it; Alice is offline by then, so the reply
    // (with its In-Reply-To-Contribution-ID) is held at a.example in turn.
    const { net, trace } = network();
    let first = '';
    net.at(at(1), () => (first = net.client(ALICE, 'phone').send({ to: BOB, text: 'later' })));
    net.at(at(2), () => net.client(ALICE, 'phone').deregister());
    net.at(at(5), () => net.client(BOB, 'phone').register());
    net.at(at(6), () => net.client(BOB, 'phone').reply(first, { text: 'sure' }));
    net.at(at(10), () => net.client(ALICE, 'phone').register());
    net.run({ until: at(20) });
    const original = sent(trace, { from: 'phone.bob.b.example', method: 'MESSAGE' }).find((e) => e.payload.type === 'request')!;
    const delivered = sent(trace, { from: 'core.a.example', to: 'phone.alice.a.example', method: 'MESSAGE' }).find((e) => e.payload.type === 'request')!;
    expect(delivered.at).toBeGreaterThan(at(10));
    const kept = ['From', 'To', 'Accept-Contact', 'P-Preferred-Service', CONVERSATION_ID, CONTRIBUTION_ID, IN_REPLY_TO_CONTRIBUTION_ID];
    for (const name of kept) {
      expect(header(original.payload, name), name).toBeDefined();
      expect(header(delivered.payload, name), name).toBe(header(original.payload, name));
    }
    // The core asserted Bob's identity on the way in; the held copy keeps it.
    expect(header(delivered.payload, 'P-Asserted-Identity')).toBe(`<${BOB}>`);
    expect(header(delivered.payload, 'Call-ID')).not.toBe(header(original.payload, 'Call-ID'));
    expect(delivered.payload.body).toEqual(original.payload.body);
    expect(notes(trace, 'phone.alice.a.example')).toContain('shown to the user');
  });

  it('never loses a message: each ends delivered, stored, or reported to its sender', () => {
    const { net, trace } = network({ maxHold: 20 * SECOND, maxDeferred: 2, onExpiry: 'discard' });
    for (let i = 0; i < 5; i++) net.at(at(1 + i), () => net.client(ALICE, 'phone').send({ to: BOB, text: `m${i}`, notify: ['negative-delivery'] }));
    net.at(at(10), () => net.client(BOB, 'phone').register());
    net.run({ until: at(60) });
    const toBob = sent(trace, { to: 'phone.bob.b.example', method: 'MESSAGE' }).filter((e) => e.payload.type === 'request');
    const failed = toAlice(trace).filter((e) => imdnStatus(e) === 'failed');
    // Two held (the limit) and delivered when Bob registered; three refused and reported.
    expect(toBob).toHaveLength(2);
    expect(failed).toHaveLength(3);
    const finals = sent(trace, { to: 'phone.alice.a.example' }).flatMap((e) => (e.payload.type === 'response' ? [e.payload.status] : []));
    expect(finals.sort()).toEqual([200, 202, 202, 480, 480, 480].sort());
    expect(header(toBob[0]!.payload, 'P-Asserted-Identity')).toBe(`<${ALICE}>`);
  });
});
