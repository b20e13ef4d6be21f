import { describe, expect, it } from 'vitest';
import { header } from '../../../src/sip/message.js';
import { at, harness, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@a.example';

/** A REGISTER of Alice's phone whose Contact carries no feature tag: a SIP client outside CPM. */
const plainRegister = ['REGISTER sip:a.example SIP/2.0', 'Max-Forwards: 70', `From: <${ALICE}>;tag=p`, `To: <${ALICE}>`, 'Call-ID: plain@a.example', 'CSeq: 1 REGISTER', 'Contact: <sip:alice@phone.alice.a.example>', 'Content-Length: 0', '', ''].join('\r\n');

/** The core's final answers to a MESSAGE, sent to `host`. */
const refusals = (h: ReturnType<typeof harness>, host: string) => sent(h.trace, { from: 'core.a.example', to: host }).filter((e) => e.payload.type === 'response' && e.payload.status >= 300 && header(e.payload, 'CSeq')!.endsWith('MESSAGE'));

// RFC 3841, CPM 5.1.1.1: the core forks a CPM request only to the contacts that registered the CPM
// feature tag; when it finds none the callee is not reachable: 480 (RFC 3261 21.4.18).
describe('SIP/IP Core: forking a request to the registered contacts', () => {
  it('does not fork a CPM Message to a contact registered without the CPM feature tag: 480, with no Warning where CPM is deployed', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addUser(ALICE, ['phone']);
    h.net.addUser(BOB, ['phone']);
    h.net.at(0, () => h.net.client(BOB, 'phone').register());
    h.net.at(0, () => h.net.client(ALICE, 'phone').inject(plainRegister));
    h.net.at(at(1), () => h.net.client(BOB, 'phone').send({ to: ALICE, text: 'Hi' }));
    h.net.run({ until: at(3) });
    expect(sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE' })).toEqual([]);
    // The core answers the terminating Conversation Server's request, and the answer goes back to Bob.
    const [term] = refusals(h, 'cs.a.example');
    const [answer] = refusals(h, 'phone.bob.a.example');
    for (const e of [term, answer]) {
      expect(e?.payload.type === 'response' && e.payload.status).toBe(480);
      // CPM 5.3.1.2.1's "no CPM enabler" error is for a network without a CPM enabler, not this one.
      expect(header(e!.payload, 'Warning')).toBeUndefined();
    }
  });

  it('answers 480 without the CPM Warning to a request without the CPM Service indication in a network without CPM', () => {
    const h = harness();
    h.net.addDomain('a.example', { cpm: false });
    h.net.addUser(ALICE, ['phone']);
    h.net.addUser(BOB, ['phone']);
    h.net.at(0, () => h.net.client(BOB, 'phone').register());
    const plain = ['MESSAGE sip:alice@a.example SIP/2.0', 'Max-Forwards: 70', `From: <${BOB}>;tag=m`, `To: <${ALICE}>`, 'Call-ID: plain-message@a.example', 'CSeq: 1 MESSAGE', 'Content-Type: text/plain', 'Content-Length: 2', '', 'hi'].join('\r\n');
    h.net.at(at(1), () => h.net.client(BOB, 'phone').inject(plain));
    h.net.run({ until: at(3) });
    const answer = refusals(h, 'phone.bob.a.example');
    expect(answer.map((e) => e.payload.type === 'response' && e.payload.status)).toEqual([480]);
    expect(header(answer[0]!.payload, 'Warning')).toBeUndefined();
  });
});
