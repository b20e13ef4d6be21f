import { describe, expect, it } from 'vitest';
import { header, headers } from '../../../src/sip/message.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';

/** Alice's phone in a.example (with or without a Conversation Server), registering at 0 s. */
function alice(cpm = true): ReturnType<typeof harness> {
  const h = harness();
  h.net.addDomain('a.example', { cpm });
  h.net.addUser(ALICE, ['phone']);
  h.net.at(0, () => h.net.client(ALICE, 'phone').register());
  return h;
}

/** The REGISTER requests the core sends on its own (3GPP TS 24.229 5.4.1.7). */
const thirdParty = (h: ReturnType<typeof harness>) => sent(h.trace, { from: 'core.a.example', method: 'REGISTER' }).filter((e) => e.payload.type === 'request');

// CPM C.1.1 step 3, 3GPP TS 24.229 5.4.1.7: after a registration the S-CSCF registers the user
// with the application server, the Conversation Server, on the user's behalf.
describe('third-party registration at the Conversation Server (3GPP TS 24.229 5.4.1.7)', () => {
  it('names the server in the Request-URI, the core in From and Contact, the user in To, and the granted expiry', () => {
    const h = alice();
    h.net.run({ until: at(2) });
    const [req] = thirdParty(h);
    expect(req?.to).toBe('cs.a.example');
    const msg = req!.payload;
    expect(msg.type === 'request' && msg.uri).toMatchObject({ scheme: 'sip', host: 'cs.a.example' });
    // RFC 3261 8.1.1.3: a From of a request outside a dialog carries a tag.
    expect(header(msg, 'From')).toMatch(/^<sip:core\.a\.example>;tag=[0-9a-z]+$/);
    expect(header(msg, 'To')).toBe(`<${ALICE}>`);
    expect(header(msg, 'Contact')).toBe('<sip:core.a.example>');
    // "the same value that the S-CSCF returned in the 200 (OK) response": the phone's contact's expires.
    const ok = sent(h.trace, { from: 'core.a.example', to: 'phone.alice.a.example', method: 'REGISTER', status: 200 })[0]!;
    expect(header(msg, 'Expires')).toBe(/;expires=(\d+)/.exec(headers(ok.payload, 'Contact')[0]!)![1]);
    expect(notes(h.trace, 'core.a.example').filter((n) => n.startsWith('third-party registration'))).toEqual([]);
  });

  it('is not sent where the domain has no Conversation Server', () => {
    const h = alice(false);
    h.net.run({ until: at(2) });
    expect(sent(h.trace, { to: 'phone.alice.a.example', method: 'REGISTER', status: 200 })).toHaveLength(1);
    expect(thirdParty(h)).toEqual([]);
    expect(sent(h.trace, { from: 'core.a.example' }).map((e) => e.to)).toEqual(['phone.alice.a.example']);
    // Nor tried towards a server that is not there.
    expect(notes(h.trace, 'core.a.example')).toEqual([]);
  });

  it('is not sent for a REGISTER that only asks for the bindings (RFC 3261 10.2.3: no Contact)', () => {
    const h = alice();
    const query = ['REGISTER sip:a.example SIP/2.0', 'Max-Forwards: 70', `From: <${ALICE}>;tag=q`, `To: <${ALICE}>`, 'Call-ID: query@a.example', 'CSeq: 1 REGISTER', 'Content-Length: 0', '', ''].join('\r\n');
    h.net.at(at(2), () => h.net.client(ALICE, 'phone').inject(query));
    h.net.run({ until: at(4) });
    // RFC 3261 10.3 step 8: the 200 lists the binding the phone made, which the query left as it was.
    const answer = sent(h.trace, { from: 'core.a.example', to: 'phone.alice.a.example', status: 200, after: at(2) });
    expect(answer).toHaveLength(1);
    expect(headers(answer[0]!.payload, 'Contact')).toHaveLength(1);
    expect(headers(answer[0]!.payload, 'Contact')[0]).toMatch(/^<sip:alice@phone\.alice\.a\.example>;/);
    expect(thirdParty(h).filter((e) => e.at >= at(2))).toEqual([]);
  });

  it('is noted as failed when the server never answers (RFC 3261 17.1.2.2: Timer F, 32 s)', () => {
    const h = alice();
    h.net.at(0, () => h.net.crash('cs.a.example', 'kept'));
    h.net.run({ until: at(40) });
    expect(notes(h.trace, 'core.a.example')).toContain(`third-party registration of ${ALICE} failed: 408`);
  });
});
