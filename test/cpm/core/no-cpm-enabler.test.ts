import { describe, expect, it } from 'vitest';
import { header } from '../../../src/sip/message.js';
import { at, harness, notes, sent } from '../harness.js';

/** Alice in a.example (CPM, with the given policy) and plain.example: a SIP/IP Core and a mail system, no CPM. */
function withPlainNetwork(onNoCpm: 'reject' | 'interwork'): ReturnType<typeof harness> {
  const h = harness();
  h.net.addDomain('a.example', { policy: { onNoCpm } });
  h.net.addDomain('plain.example', { cpm: false });
  h.net.addNonCpmSystem('email', 'plain.example', ['mailto:carol@plain.example']);
  h.net.addUser('sip:alice@a.example', ['phone']);
  h.net.at(0, () => h.net.client('sip:alice@a.example', 'phone').register());
  return h;
}

// covers: 5.3.1.2.1-1, 5.3.1.2.1-2
describe('A target network with a SIP/IP Core but no CPM enabler (CPM 5.3.1.2.1)', () => {
  it('answers a CPM Message with an error that says so, which goes back to the user by default', () => {
    const h = withPlainNetwork('reject');
    h.net.at(at(1), () => h.net.client('sip:alice@a.example', 'phone').send({ to: 'sip:carol@plain.example', text: 'Hi' }));
    h.net.run({ until: at(40) });
    const answer = sent(h.trace, { to: 'phone.alice.a.example', status: 480 });
    expect(answer).toHaveLength(1);
    expect(header(answer[0]!.payload, 'Warning')).toBe('399 core.plain.example "no CPM enabler in the target network"');
    expect(notes(h.trace).filter((n) => n.includes('interworks'))).toEqual([]);
  });

  it('is interworked by a provider whose policy says so: the address is reached as the same mailbox', () => {
    const h = withPlainNetwork('interwork');
    h.net.at(at(1), () => h.net.client('sip:alice@a.example', 'phone').send({ to: 'sip:carol@plain.example', text: 'Hi' }));
    h.net.run({ until: at(40) });
    expect(sent(h.trace, { to: 'phone.alice.a.example', status: 202 })).toHaveLength(1);
    expect(notes(h.trace, 'mx.plain.example')).toContain('delivered into the mailbox of carol@plain.example');
  });

  it('returns the error, not interworking, for an address no mailbox can have (the NOTE)', () => {
    const h = withPlainNetwork('interwork');
    h.net.at(at(1), () => h.net.client('sip:alice@a.example', 'phone').send({ to: 'sip:tom&jerry@plain.example', text: 'Hi' }));
    h.net.run({ until: at(40) });
    expect(sent(h.trace, { to: 'phone.alice.a.example', status: 480 })).toHaveLength(1);
    expect(sent(h.trace, { to: 'isf.a.example' })).toEqual([]);
  });

  it('still delivers end to end to a CPM client registered there, and a CPM domain still answers 404 for an unknown user', () => {
    const h = withPlainNetwork('reject');
    h.net.addDomain('b.example');
    h.net.addUser('sip:dave@plain.example', ['phone']);
    h.net.at(0, () => h.net.client('sip:dave@plain.example', 'phone').register());
    h.net.at(at(1), () => h.net.client('sip:alice@a.example', 'phone').send({ to: 'sip:dave@plain.example', text: 'Hi' }));
    h.net.at(at(2), () => h.net.client('sip:alice@a.example', 'phone').send({ to: 'sip:nobody@b.example', text: 'Hi' }));
    h.net.run({ until: at(40) });
    expect(sent(h.trace, { to: 'phone.dave.plain.example', method: 'MESSAGE' })).toHaveLength(1);
    const refused = sent(h.trace, { to: 'phone.alice.a.example', status: 404 });
    expect(refused).toHaveLength(1);
    expect(header(refused[0]!.payload, 'Warning')).toBeUndefined();
  });

  it('says there is no CPM enabler, not just 480, when a user of that network has no device registered', () => {
    // CPM 5.3.1.2.1: the error says why the CPM request fails, whether or not the user is online.
    const h = withPlainNetwork('reject');
    h.net.addUser('sip:dave@plain.example', ['phone']);
    h.net.at(at(1), () => h.net.client('sip:alice@a.example', 'phone').send({ to: 'sip:dave@plain.example', text: 'Hi' }));
    h.net.run({ until: at(40) });
    const answer = sent(h.trace, { to: 'phone.alice.a.example', status: 480 });
    expect(answer).toHaveLength(1);
    expect(header(answer[0]!.payload, 'Warning')).toBe('399 core.plain.example "no CPM enabler in the target network"');
    expect(notes(h.trace, 'core.plain.example')).toContain('no CPM enabler for sip:dave@plain.example');
  });
});
