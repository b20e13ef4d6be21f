import { describe, expect, it } from 'vitest';
import { header, headers, type SipRequest } from '../../../src/sip/message.js';
import { parseUri } from '../../../src/sip/uri.js';
import { at, harness, notes, sent } from '../harness.js';

/** A MESSAGE Bob's device sends straight to SIP/IP Core A, claiming an identity it wrote itself. */
function direct(branch: string): SipRequest {
  return {
    type: 'request',
    method: 'MESSAGE',
    uri: parseUri('sip:alice@a.example'),
    headers: [
      { name: 'Via', value: `SIP/2.0/UDP phone.bob.b.example;branch=z9hG4bK${branch}` },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: '<sip:carol@a.example>;tag=1' },
      { name: 'To', value: '<sip:alice@a.example>' },
      { name: 'Call-ID', value: `${branch}@b.example` },
      { name: 'CSeq', value: '1 MESSAGE' },
      { name: 'P-Asserted-Identity', value: '<sip:carol@a.example>' },
    ],
    body: { kind: 'text', contentType: 'text/plain', text: 'hi' },
  };
}

/** Alice in a.example and Bob in b.example, two networks without CPM. */
function aliceAndBob(): ReturnType<typeof harness> {
  const h = harness();
  h.net.addDomain('a.example', { cpm: false });
  h.net.addDomain('b.example', { cpm: false });
  h.net.addUser('sip:alice@a.example', ['phone']);
  h.net.addUser('sip:bob@b.example', ['phone']);
  return h;
}

describe('P-Asserted-Identity from outside the trust domain (RFC 3325 5, CPM 5.1.1.3)', () => {
  it('is removed when a device of another network sends straight to the core', () => {
    const h = aliceAndBob();
    h.net.at(0, () => h.net.client('sip:alice@a.example', 'phone').register());
    h.net.at(at(1), () => h.net.net.send('phone.bob.b.example', 'core.a.example', direct('d1')));
    h.net.run({ until: at(3) });
    const delivered = sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE' });
    expect(delivered).toHaveLength(1);
    expect(header(delivered[0]!.payload, 'P-Asserted-Identity')).toBeUndefined();
    expect(notes(h.trace, 'core.a.example')).toContain('removed an identity asserted by phone.bob.b.example, outside the trust domain');
  });

  it('is not said to be removed, nor withheld for privacy, from a request that carried none', () => {
    const h = aliceAndBob();
    h.net.at(0, () => h.net.client('sip:alice@a.example', 'phone').register());
    const bare = direct('d2');
    bare.headers = [...bare.headers.filter((x) => x.name !== 'P-Asserted-Identity'), { name: 'Privacy', value: 'id' }];
    h.net.at(at(1), () => h.net.net.send('phone.bob.b.example', 'core.a.example', bare));
    h.net.run({ until: at(3) });
    expect(sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE' })).toHaveLength(1);
    expect(notes(h.trace, 'core.a.example').filter((n) => n.startsWith('removed an identity') || n.startsWith('withholds'))).toEqual([]);
  });

  it('is kept when the other network\u2019s core asserted it', () => {
    const h = aliceAndBob();
    h.net.at(0, () => h.net.client('sip:alice@a.example', 'phone').register());
    h.net.at(0, () => h.net.client('sip:bob@b.example', 'phone').register());
    h.net.at(at(1), () => h.net.client('sip:bob@b.example', 'phone').send({ to: 'sip:alice@a.example', text: 'hi' }));
    h.net.run({ until: at(3) });
    const delivered = sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE' });
    expect(delivered.map((e) => header(e.payload, 'P-Asserted-Identity'))).toEqual(['<sip:bob@b.example>']);
  });
});

// 3GPP TS 24.229 5.4.3.2 and RFC 3325 9.1: the serving core asserts the sender's SIP URI and, when
// the user has one, a telephone number as a second P-Asserted-Identity (one of each scheme).
describe('P-Asserted-Identity the serving core provides (CPM 5.1.1.3)', () => {
  it('asserts the SIP URI first, then the tel URI (not another SIP alias) of a user who has a number', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addDomain('b.example');
    h.net.addUser('sip:alice@a.example', ['phone'], { aliases: ['sip:alice.smith@a.example', 'tel:+15551230001'] });
    h.net.addUser('sip:bob@b.example', ['phone']);
    h.net.at(0, () => h.net.client('sip:alice@a.example', 'phone').register());
    h.net.at(at(1), () => h.net.client('sip:alice@a.example', 'phone').send({ to: 'sip:bob@b.example', text: 'Hi' }));
    h.net.run({ until: at(40) });
    const out = sent(h.trace, { to: 'cs.a.example', method: 'MESSAGE' });
    expect(out).toHaveLength(1);
    expect(headers(out[0]!.payload, 'P-Asserted-Identity')).toEqual(['<sip:alice@a.example>', '<tel:+15551230001>']);
  });

  it('removes the P-Preferred-Identity the client wrote (RFC 3325 9.2: the proxy MUST remove it from any request it forwards)', () => {
    const h = aliceAndBob();
    h.net.at(0, () => h.net.client('sip:alice@a.example', 'phone').register());
    h.net.at(0, () => h.net.client('sip:bob@b.example', 'phone').register());
    const preferred = ['MESSAGE sip:bob@b.example SIP/2.0', 'Max-Forwards: 70', 'From: <sip:alice@a.example>;tag=p', 'To: <sip:bob@b.example>', 'Call-ID: ppi@a.example', 'CSeq: 1 MESSAGE', 'P-Preferred-Identity: <sip:alice@a.example>', 'Content-Type: text/plain', 'Content-Length: 2', '', 'hi'].join('\r\n');
    h.net.at(at(1), () => h.net.client('sip:alice@a.example', 'phone').inject(preferred));
    h.net.run({ until: at(3) });
    const out = sent(h.trace, { from: 'core.a.example', to: 'core.b.example', method: 'MESSAGE' });
    expect(out).toHaveLength(1);
    expect(header(out[0]!.payload, 'P-Asserted-Identity')).toBe('<sip:alice@a.example>');
    expect(header(out[0]!.payload, 'P-Preferred-Identity')).toBeUndefined();
  });
});
