import { describe, expect, it } from 'vitest';
import { header, type SipRequest } from '../../../src/sip/message.js';
import { parseUri } from '../../../src/sip/uri.js';
import { at, harness, sent } from '../harness.js';

/** Alice (registered, a.example) sends Bob (b.example, registered or not) a CPM Message. */
function aliceWritesToBob(bobRegistered: boolean): ReturnType<typeof harness> {
  const h = harness();
  h.net.addDomain('a.example');
  h.net.addDomain('b.example');
  h.net.addUser('sip:alice@a.example', ['phone']);
  h.net.addUser('sip:bob@b.example', ['phone']);
  h.net.at(0, () => h.net.client('sip:alice@a.example', 'phone').register());
  if (bobRegistered) h.net.at(0, () => h.net.client('sip:bob@b.example', 'phone').register());
  h.net.at(at(1), () => h.net.client('sip:alice@a.example', 'phone').send({ to: 'sip:bob@b.example', text: 'Hi' }));
  h.net.run({ until: at(40) });
  return h;
}

// RFC 5502 6: P-Served-User tells the AS (the Conversation Server, CPM 5.2.2.1) whose services it
// runs, the session case and whether that user is registered.
describe('SIP/IP Core: P-Served-User towards the Conversation Server (RFC 5502)', () => {
  it('says regstate=reg for the registered sender and regstate=unreg for a recipient with no device registered', () => {
    const h = aliceWritesToBob(false);
    const orig = sent(h.trace, { to: 'cs.a.example', method: 'MESSAGE' });
    expect(orig).toHaveLength(1);
    expect(header(orig[0]!.payload, 'P-Served-User')).toBe('<sip:alice@a.example>;sescase=orig;regstate=reg');
    const term = sent(h.trace, { to: 'cs.b.example', method: 'MESSAGE' });
    expect(term).toHaveLength(1);
    expect(header(term[0]!.payload, 'P-Served-User')).toBe('<sip:bob@b.example>;sescase=term;regstate=unreg');
  });

  it('is not passed on to the device of the recipient: it stays inside the trust domain (RFC 5502 6)', () => {
    const h = aliceWritesToBob(true);
    const delivered = sent(h.trace, { to: 'phone.bob.b.example', method: 'MESSAGE' });
    expect(delivered).toHaveLength(1);
    expect(header(delivered[0]!.payload, 'P-Served-User')).toBeUndefined();
  });
});

/**
 * Alice and Bob both use one terminal, pc.a.example (played here by raw messages), and register
 * from it in the order given; then the terminal sends Carol a MESSAGE from `from`.
 */
function sharedTerminal(order: string[], from: string, reprovision = false): ReturnType<typeof harness> {
  const h = harness();
  h.net.addDomain('a.example', { cpm: false });
  const pc = { name: 'pc', externalHost: 'pc.a.example' };
  h.net.addUser('sip:alice@a.example', [pc]);
  h.net.addUser('sip:bob@a.example', [pc]);
  // A subscriber provisioned again (a new password) is still the one provisioned first.
  if (reprovision) h.net.addUser('sip:alice@a.example', [pc], { password: 'changed' });
  h.net.addUser('sip:carol@a.example', ['phone']);
  h.net.net.attach({ host: 'pc.a.example', domain: 'a.example', receive: () => undefined });
  h.net.at(0, () => h.net.client('sip:carol@a.example', 'phone').register());
  const request = (method: string, uri: string, aor: string, n: number, extra: { name: string; value: string }[]): SipRequest => ({
    type: 'request',
    method,
    uri: parseUri(uri),
    headers: [
      { name: 'Via', value: `SIP/2.0/UDP pc.a.example;branch=z9hG4bKpc${n}` },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: `<${aor}>;tag=${n}` },
      { name: 'To', value: method === 'REGISTER' ? `<${aor}>` : '<sip:carol@a.example>' },
      { name: 'Call-ID', value: `pc${n}@a.example` },
      { name: 'CSeq', value: `1 ${method}` },
      ...extra,
    ],
  });
  order.forEach((aor, i) => {
    const user = aor.slice(4, aor.indexOf('@'));
    h.net.at(at(1 + i), () => h.net.net.send('pc.a.example', 'core.a.example', request('REGISTER', 'sip:a.example', aor, i, [{ name: 'Contact', value: `<sip:${user}@pc.a.example>` }])));
  });
  h.net.at(at(5), () => h.net.net.send('pc.a.example', 'core.a.example', { ...request('MESSAGE', 'sip:carol@a.example', from, 9, []), body: { kind: 'text', contentType: 'text/plain', text: 'hi' } }));
  h.net.run({ until: at(7) });
  return h;
}

// servedUserAt: a host registered for several users is served as the first provisioned of them,
// so that who is served does not depend on the order the registrations came in.
describe('SIP/IP Core: the user served at a terminal registered for two users', () => {
  const delivered = (h: ReturnType<typeof harness>) => sent(h.trace, { to: 'phone.carol.a.example', method: 'MESSAGE' }).map((e) => header(e.payload, 'P-Asserted-Identity'));
  const refused = (h: ReturnType<typeof harness>) => sent(h.trace, { from: 'core.a.example', to: 'pc.a.example', status: 403 }).map((e) => (e.payload.type === 'response' ? e.payload.reason : ''));

  for (const order of [['sip:alice@a.example', 'sip:bob@a.example'], ['sip:bob@a.example', 'sip:alice@a.example']]) {
    it(`is the first provisioned user, Alice, when ${order[0]} registers first`, () => {
      const asAlice = sharedTerminal(order, 'sip:alice@a.example');
      expect(delivered(asAlice)).toEqual(['<sip:alice@a.example>']);
      // docs/security.md, refusal paths: a From that is not the identity served at the host.
      const asBob = sharedTerminal(order, 'sip:bob@a.example');
      expect(delivered(asBob)).toEqual([]);
      expect(refused(asBob)).toEqual(['Identity Not Registered From This Client']);
    });
  }

  it('stays Alice when Alice is provisioned again', () => {
    expect(delivered(sharedTerminal(['sip:bob@a.example', 'sip:alice@a.example'], 'sip:alice@a.example', true))).toEqual(['<sip:alice@a.example>']);
  });
});
