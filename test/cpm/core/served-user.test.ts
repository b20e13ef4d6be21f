import { describe, expect, it } from 'vitest';
import { header } from '../../../src/sip/message.js';
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
