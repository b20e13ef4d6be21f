import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../../src/sip/message.js';
import { formatUri, parseUri } from '../../../src/sip/uri.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';

/** Final responses from the core to `host`, as [status, reason]. */
const answersTo = (h: ReturnType<typeof harness>, host: string) =>
  sent(h.trace, { from: 'core.a.example', to: host }).flatMap((e) => (e.payload.type === 'response' && e.payload.status >= 200 ? [[e.payload.status, e.payload.reason]] : []));

const lines = (...l: string[]): string => [...l, 'Content-Length: 0', '', ''].join('\r\n');

/** Alice and Bob in a.example, one phone each, both registered at 0 s. */
function aliceAndBobRegistered(): ReturnType<typeof harness> {
  const h = harness();
  h.net.addDomain('a.example');
  for (const user of [ALICE, 'sip:bob@a.example']) {
    h.net.addUser(user, ['phone']);
    h.net.at(0, () => h.net.client(user, 'phone').register());
  }
  return h;
}

describe('SIP/IP Core routing of requests from clients', () => {
  it('refuses a request from a device of its domain that has not registered (docs/security.md: 403 Not Registered, CPM 5.1.1.3)', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addUser(ALICE, ['phone']);
    h.net.addUser('sip:bob@a.example', ['phone']);
    h.net.at(0, () => h.net.client('sip:bob@a.example', 'phone').register());
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').send({ to: 'sip:bob@a.example', text: 'not registered yet' }));
    h.net.run({ until: at(3) });
    expect(answersTo(h, 'phone.alice.a.example')).toEqual([[403, 'Not Registered']]);
    expect(sent(h.trace, { to: 'phone.bob.a.example', method: 'MESSAGE' })).toEqual([]);
  });

  it('answers 404 to a number ENUM does not know where the provider interworks with no service (CPM 5.3.1.2.3)', () => {
    const h = harness();
    h.net.addDomain('a.example', { policy: { interworking: [] } });
    h.net.addUser(ALICE, ['phone']);
    h.net.at(0, () => h.net.client(ALICE, 'phone').register());
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').send({ to: 'tel:+15550000000', text: 'anyone?' }));
    h.net.run({ until: at(3) });
    // The reason and the note as scenarios/behaviour/interworking-invalid-address.golden shows them (steps 13-14).
    const refused = sent(h.trace, { from: 'core.a.example', to: 'cs.a.example', method: 'MESSAGE', status: 404 });
    expect(refused.map((e) => (e.payload.type === 'response' ? e.payload.reason : ''))).toEqual(['No Route To Non-CPM Address']);
    expect(notes(h.trace, 'core.a.example')).toContain('no route to non-CPM address tel:+15550000000');
  });

  it('answers 404 to a reg-event SUBSCRIBE for an address it has no subscriber for (RFC 3261 21.4.5)', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addUser(ALICE, ['phone']);
    h.net.at(0, () => h.net.client(ALICE, 'phone').register());
    h.net.at(at(1), () =>
      h.net.client(ALICE, 'phone').inject(lines('SUBSCRIBE sip:nobody@a.example SIP/2.0', `From: <${ALICE}>;tag=1`, 'To: <sip:nobody@a.example>', 'Call-ID: s@a', 'CSeq: 1 SUBSCRIBE', 'Event: reg', 'Contact: <sip:phone.alice.a.example>')),
    );
    h.net.run({ until: at(3) });
    expect(notes(h.trace, 'phone.alice.a.example')).toContain('injected SUBSCRIBE: 404');
    expect(sent(h.trace, { from: 'core.a.example', to: 'phone.alice.a.example', method: 'NOTIFY' })).toEqual([]);
  });

  // RFC 6665 7.2.1 and 8.2.1: the reg package is the Event header's whole event type, and only a
  // SUBSCRIBE subscribes; the core answers as notifier for nothing else and routes the rest on.
  for (const [what, method, event] of [
    ['a MESSAGE that happens to carry Event: reg', 'MESSAGE', 'reg'],
    ['a SUBSCRIBE to another event package whose name ends in reg', 'SUBSCRIBE', 'x-reg'],
  ] as const) {
    it(`routes ${what} to the user's device, as no reg-event subscription`, () => {
      const h = aliceAndBobRegistered();
      const req = lines(`${method} sip:bob@a.example SIP/2.0`, 'Max-Forwards: 70', `From: <${ALICE}>;tag=e`, 'To: <sip:bob@a.example>', 'Call-ID: event@a.example', `CSeq: 1 ${method}`, `Event: ${event}`, 'Contact: <sip:alice@phone.alice.a.example>');
      h.net.at(at(1), () => h.net.client(ALICE, 'phone').inject(req));
      h.net.run({ until: at(3) });
      expect(sent(h.trace, { to: 'phone.bob.a.example', method })).toHaveLength(1);
      expect(sent(h.trace, { from: 'core.a.example', to: 'phone.alice.a.example', method: 'NOTIFY' })).toEqual([]);
    });
  }

  it('routes a request for an address of a wildcarded PSI to the Conversation Server, beside the CPM Session Identities (3GPP TS 24.229 5.4.3.3, TS 23.003 13.5)', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addUser(ALICE, ['phone']);
    h.net.addGroup('sip:team-*@a.example', { members: [ALICE] });
    h.net.at(0, () => h.net.client(ALICE, 'phone').register());
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').send({ to: 'sip:team-red@a.example', text: 'Hi' }));
    h.net.run({ until: at(3) });
    // Alice's originating Conversation Server sends it back to the core, which sends it on to the PSI's server.
    const toServer = sent(h.trace, { from: 'core.a.example', to: 'cs.a.example', method: 'MESSAGE' });
    expect(toServer.map((e) => e.payload.type === 'request' && formatUri(e.payload.uri))).toEqual(['sip:team-red@a.example', 'sip:team-red@a.example']);
    expect(sent(h.trace, { from: 'core.a.example', status: 404 })).toEqual([]);
  });

  it('forwards a request within a dialog by its route set, even when its target is a PSI of this domain (RFC 3261 16.4, 16.6 step 6)', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addDomain('b.example');
    h.net.addUser(ALICE, ['phone']);
    h.net.at(0, () => h.net.client(ALICE, 'phone').register());
    const bye = lines('BYE sip:conf-1@a.example SIP/2.0', 'Route: <sip:core.a.example;lr>, <sip:core.b.example;lr>', 'Max-Forwards: 70', `From: <${ALICE}>;tag=a`, 'To: <sip:conf-1@a.example>;tag=f', 'Call-ID: routed@a.example', 'CSeq: 2 BYE');
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').inject(bye));
    h.net.run({ until: at(3) });
    expect(sent(h.trace, { from: 'core.a.example', method: 'BYE' }).map((e) => e.to)).toEqual(['core.b.example']);
  });

  it('drops an ACK it may not forward (Max-Forwards: 0, RFC 3261 16.3 step 3), and notes it: an ACK is never answered (17.2.3)', () => {
    const h = aliceAndBobRegistered();
    const ack: SipRequest = {
      type: 'request',
      method: 'ACK',
      uri: parseUri('sip:bob@phone.bob.a.example'),
      headers: [
        { name: 'Via', value: 'SIP/2.0/UDP phone.alice.a.example;branch=z9hG4bKspent' },
        { name: 'Max-Forwards', value: '0' },
        { name: 'From', value: `<${ALICE}>;tag=1` },
        { name: 'To', value: '<sip:bob@a.example>;tag=2' },
        { name: 'Call-ID', value: 'spent@a.example' },
        { name: 'CSeq', value: '1 ACK' },
      ],
    };
    h.net.at(at(1), () => h.net.net.send('phone.alice.a.example', 'core.a.example', ack));
    h.net.run({ until: at(3) });
    expect(sent(h.trace, { from: 'core.a.example', after: at(1) })).toEqual([]);
    expect(notes(h.trace, 'core.a.example')).toContain('dropped an ACK from phone.alice.a.example with nowhere to go');
  });
});

describe('SIP/IP Core as the UAS of a request within a dialog', () => {
  it('answers 481 to a request within a dialog addressed to itself that is no reg-event refresh, forwarding nothing (RFC 3261 12.2.2)', () => {
    const h = aliceAndBobRegistered();
    h.net.at(at(1), () =>
      h.net.client(ALICE, 'phone').inject(lines('INFO sip:core.a.example SIP/2.0', 'Max-Forwards: 70', `From: <${ALICE}>;tag=f1`, 'To: <sip:core.a.example>;tag=c1', 'Call-ID: stray@a.example', 'CSeq: 2 INFO')),
    );
    h.net.run({ until: at(3) });
    // The 200 is the registration's; the INFO's answer is the 481.
    expect(answersTo(h, 'phone.alice.a.example')).toEqual([[200, 'OK'], [481, 'Call/Transaction Does Not Exist']]);
    expect(sent(h.trace, { from: 'core.a.example', method: 'INFO' })).toEqual([]);
  });
});
