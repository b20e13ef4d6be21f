import { describe, expect, it } from 'vitest';
import { header, type SipRequest } from '../../../src/sip/message.js';
import { parseUri } from '../../../src/sip/uri.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const MALLORY = 'sip:mallory@a.example';

/** A CPM Message to Bob asking SIP/IP Core A for the originating services of `asserted`. */
function onBehalfOf(asserted: string, from: string, via: string): SipRequest {
  return {
    type: 'request',
    method: 'MESSAGE',
    uri: parseUri('sip:bob@a.example'),
    headers: [
      { name: 'Via', value: `SIP/2.0/UDP ${via};branch=z9hG4bK${asserted.replace(/\W/g, '')}` },
      { name: 'Route', value: '<sip:core.a.example;lr;orig>' },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: `<${from}>;tag=1` },
      { name: 'To', value: '<sip:bob@a.example>' },
      { name: 'Call-ID', value: `${asserted.replace(/\W/g, '')}@a.example` },
      { name: 'CSeq', value: '1 MESSAGE' },
      { name: 'P-Preferred-Service', value: 'urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg' },
      { name: 'P-Asserted-Identity', value: `<${asserted}>` },
    ],
    body: { kind: 'text', contentType: 'text/plain', text: 'hi' },
  };
}

function network() {
  const h = harness();
  h.net.addDomain('a.example');
  for (const user of ['alice', 'mallory', 'bob']) h.net.addUser(`sip:${user}@a.example`, ['phone']);
  for (const user of ['alice', 'mallory', 'bob']) h.net.at(0, () => h.net.client(`sip:${user}@a.example`, 'phone').register());
  return h;
}

describe("SIP/IP Core: originating services on a user's behalf (3GPP TS 24.229 5.4.3.2, 5.7.3)", () => {
  it("sends the Conversation Server's request for a user to that user's originating Participating Function", () => {
    const h = network();
    h.net.at(at(1), () => h.net.net.send('cs.a.example', 'core.a.example', onBehalfOf(ALICE, ALICE, 'cs.a.example')));
    h.net.run({ until: at(3) });
    const served = sent(h.trace, { from: 'core.a.example', to: 'cs.a.example', method: 'MESSAGE' }).map((e) => header(e.payload, 'P-Served-User'));
    expect(served[0]).toMatch(/^<sip:alice@a\.example>;sescase=orig/);
  });

  it('routes a request without the CPM Service indication straight to its target: it triggers no CPM service (CPM 5.2.2.1)', () => {
    const h = network();
    const plain = onBehalfOf(ALICE, ALICE, 'cs.a.example');
    plain.headers = plain.headers.filter((x) => x.name !== 'P-Preferred-Service');
    h.net.at(at(1), () => h.net.net.send('cs.a.example', 'core.a.example', plain));
    h.net.run({ until: at(3) });
    expect(sent(h.trace, { from: 'core.a.example', to: 'cs.a.example', method: 'MESSAGE' })).toEqual([]);
    const delivered = sent(h.trace, { from: 'core.a.example', to: 'phone.bob.a.example', method: 'MESSAGE' });
    expect(delivered.map((e) => header(e.payload, 'P-Asserted-Identity'))).toEqual([`<${ALICE}>`]);
  });

  it('refuses 403 a request on behalf of no user of this core', () => {
    const h = network();
    h.net.at(at(1), () => h.net.net.send('cs.a.example', 'core.a.example', onBehalfOf('sip:nobody@a.example', 'sip:nobody@a.example', 'cs.a.example')));
    h.net.run({ until: at(3) });
    expect(sent(h.trace, { from: 'core.a.example', to: 'cs.a.example', status: 403 }).map((e) => (e.payload.type === 'response' ? e.payload.reason : ''))).toEqual(['No Served User']);
  });

  it("does not let a client ask for another user's originating services: it is served as itself", () => {
    const h = network();
    h.net.at(at(1), () => h.net.net.send('phone.mallory.a.example', 'core.a.example', onBehalfOf(ALICE, MALLORY, 'phone.mallory.a.example')));
    h.net.run({ until: at(3) });
    const served = sent(h.trace, { from: 'core.a.example', to: 'cs.a.example', method: 'MESSAGE' }).map((e) => header(e.payload, 'P-Served-User'));
    expect(served[0]).toMatch(/^<sip:mallory@a\.example>;sescase=orig/);
    expect(served.some((s) => s?.includes('alice'))).toBe(false);
    expect(notes(h.trace, 'core.a.example')).not.toContain('alice');
  });
});
