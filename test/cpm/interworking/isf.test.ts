import { describe, expect, it } from 'vitest';
import { selectInterworking, type SelectionInput } from '../../../src/cpm/interworking/selection.js';
import { header, type SipRequest } from '../../../src/sip/message.js';
import { parseUri } from '../../../src/sip/uri.js';
import { at, harness, notes, sent } from '../harness.js';

const input = (over: Partial<SelectionInput>): SelectionInput => ({
  addresses: [],
  allowed: ['sms', 'email'],
  available: new Set(['sms', 'email']),
  originatorReachable: () => true,
  text: 'Hi',
  smsMaxSegments: 10,
  ...over,
});

describe('Interworking selection (CPM 5.3.1.1.1)', () => {
  it('keeps the order of the user preference', () => {
    expect(selectInterworking(input({ addresses: ['mailto:bob@mail.example', 'tel:+15559870002'] })).candidates).toEqual([
      { service: 'email', address: 'mailto:bob@mail.example' },
      { service: 'sms', address: 'tel:+15559870002' },
    ]);
  });

  it('leaves out services the provider does not allow or does not operate', () => {
    const out = selectInterworking(input({ addresses: ['tel:+15559870002', 'mailto:bob@mail.example'], allowed: ['email'] }));
    expect(out.candidates.map((c) => c.service)).toEqual(['email']);
    expect(out.refused).toEqual(['tel:+15559870002: sms not allowed by the provider']);
    expect(selectInterworking(input({ addresses: ['tel:+15559870002'], available: new Set(['email']) })).refused).toEqual(['tel:+15559870002: no sms Interworking Function']);
  });

  it('leaves out addresses not valid for their service (CPM 5.3.1.2 NOTE)', () => {
    const out = selectInterworking(input({ addresses: ['tel:+12', 'mailto:nobody', 'fax:+15559870002'] }));
    expect(out.candidates).toEqual([]);
    expect(out.refused).toEqual(['tel:+12: not a valid sms address', 'mailto:nobody: not a valid email address', 'fax:+15559870002: no non-CPM service for this address']);
  });

  it('takes wv: users and groups as IMPS addresses (CPM 5.1.2.2, 5.1.2.5)', () => {
    const imps = { allowed: ['sms', 'email', 'imps'] as const, available: new Set(['sms', 'email', 'imps'] as const) };
    const out = selectInterworking(input({ ...imps, addresses: ['wv:bob@imps.example', 'wv:carol/friends@imps.example', 'wv:bob', 'wv:a/b/c@imps.example'] }));
    expect(out.candidates).toEqual([
      { service: 'imps', address: 'wv:bob@imps.example' },
      { service: 'imps', address: 'wv:carol/friends@imps.example' },
    ]);
    expect(out.refused).toEqual(['wv:bob: not a valid imps address', 'wv:a/b/c@imps.example: not a valid imps address']);
    expect(selectInterworking(input({ addresses: ['wv:bob@imps.example'] })).refused).toEqual(['wv:bob@imps.example: imps not allowed by the provider']);
  });

  it('normalises a number written with visual separators (RFC 3966 5.1.1)', () => {
    expect(selectInterworking(input({ addresses: ['tel:+1-555-987-0002'] })).candidates).toEqual([{ service: 'sms', address: 'tel:+15559870002' }]);
  });

  it('only takes services in which the originator has a routable address (CPM 5.3.1.1)', () => {
    const out = selectInterworking(input({ addresses: ['tel:+15559870002', 'mailto:bob@mail.example'], originatorReachable: (s) => s === 'email' }));
    expect(out.candidates.map((c) => c.service)).toEqual(['email']);
  });

  it('sends by another service what is too long for SMS, or is not text', () => {
    const long = selectInterworking(input({ addresses: ['tel:+15559870002', 'mailto:bob@mail.example'], text: 'x'.repeat(200), smsMaxSegments: 1 }));
    expect(long.candidates.map((c) => c.service)).toEqual(['email']);
    expect(long.refused).toEqual(['tel:+15559870002: longer than 1 SMS']);
    expect(selectInterworking(input({ addresses: ['tel:+15559870002'], text: undefined })).refused).toEqual(['tel:+15559870002: content is not text']);
  });
});

describe('Interworking Selection Function in the network', () => {
  it('answers 404 when no address can be used, and the sender who asked gets a negative notification', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addNonCpmSystem('sms', 'sms.example', ['tel:+15559870001']);
    h.net.addUser('sip:alice@a.example', ['phone'], { aliases: ['tel:+15551230001'] });
    h.net.at(0, () => h.net.client('sip:alice@a.example', 'phone').register());
    h.net.at(at(1), () => h.net.client('sip:alice@a.example', 'phone').send({ to: 'mailto:bob@mail.example', text: 'Hi', notify: ['negative-delivery'] }));
    h.net.run({ until: at(10) });
    expect(notes(h.trace, 'isf.a.example')).toContain('not selected: mailto:bob@mail.example: no email Interworking Function');
    expect(sent(h.trace, { to: 'phone.alice.a.example', status: 404 })).toHaveLength(1);
    const failed = sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE' }).filter((e) => e.payload.type === 'request');
    expect(failed).toHaveLength(1);
  });
});

describe('what the Interworking Selection Function serves', () => {
  it('refuses 403 a request that did not come through the SIP/IP Core on behalf of a user (no P-Served-User)', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addNonCpmSystem('sms', 'sms.example', ['tel:+15559870001']);
    h.net.addUser('sip:alice@a.example', ['phone']);
    const req: SipRequest = {
      type: 'request',
      method: 'MESSAGE',
      uri: parseUri('tel:+15559870001'),
      headers: [
        { name: 'Via', value: 'SIP/2.0/UDP core.a.example;branch=z9hG4bKisf' },
        { name: 'Max-Forwards', value: '70' },
        { name: 'From', value: '<sip:alice@a.example>;tag=1' },
        { name: 'To', value: '<tel:+15559870001>' },
        { name: 'Call-ID', value: 'isf@a.example' },
        { name: 'CSeq', value: '1 MESSAGE' },
      ],
      body: { kind: 'text', contentType: 'text/plain', text: 'hi' },
    };
    h.net.at(at(1), () => h.net.net.send('core.a.example', 'isf.a.example', req));
    h.net.run({ until: at(2) });
    const refused = sent(h.trace, { from: 'isf.a.example', method: 'MESSAGE', status: 403 });
    expect(refused.map((e) => (e.payload.type === 'response' ? e.payload.reason : ''))).toEqual(['Not Routed By The SIP/IP Core']);
  });
});

describe('Routing through the Interworking Selection Function', () => {
  it('follows a further Route only from the operator\'s own elements: a client cannot skip its Conversation Server', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addNonCpmSystem('sms', 'sms.example', ['tel:+15559870001']);
    h.net.addUser('sip:alice@a.example', ['phone'], { aliases: ['tel:+15551230001'] });
    h.net.at(0, () => h.net.client('sip:alice@a.example', 'phone').register());
    h.net.at(at(1), () =>
      h.net.client('sip:alice@a.example', 'phone').inject(
        [
          'MESSAGE tel:+15559870001 SIP/2.0',
          'Route: <sip:core.a.example;lr>, <sip:isf.a.example;lr>',
          'Max-Forwards: 70',
          'From: <sip:alice@a.example>;tag=1',
          'To: <tel:+15559870001>',
          'Call-ID: skip@phone.alice.a.example',
          'CSeq: 1 MESSAGE',
          'P-Served-User: <sip:alice@a.example>;sescase=orig',
          'Accept-Contact: *;+g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.msg"',
          'Content-Type: text/plain',
          'Content-Length: 2',
          '',
          'hi',
        ].join('\n'),
      ),
    );
    h.net.run({ until: at(40) });
    const fromCore = sent(h.trace, { from: 'core.a.example', method: 'MESSAGE' }).filter((e) => e.payload.type === 'request');
    expect(fromCore[0]?.to).toBe('cs.a.example');
  });
});

// covers: 5.2.2.1-9, 5.3.1.2.4-2
describe('A reply with a Non-CPM Communication Service Identifier (CPM 5.2.2.1, 5.3.1.2.4)', () => {
  it('judges the address as one of the named service, not by its scheme', () => {
    const out = selectInterworking(input({ addresses: ['tel:+15559870002'], service: 'email' }));
    expect(out.candidates).toEqual([]);
    expect(out.refused).toEqual(['tel:+15559870002: not a valid email address']);
    expect(selectInterworking(input({ addresses: ['tel:+15559870002'], service: 'sms' })).candidates).toEqual([{ service: 'sms', address: 'tel:+15559870002' }]);
  });

  it('carries the identifier of the message it answers, and goes back through that service', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addNonCpmSystem('sms', 'sms.example', ['tel:+15559870001']);
    h.net.addUser('sip:alice@a.example', ['phone'], { aliases: ['tel:+15551230001'] });
    const alice = (): ReturnType<typeof h.net.client> => h.net.client('sip:alice@a.example', 'phone');
    h.net.at(0, () => alice().register());
    h.net.at(at(1), () => h.net.sendFromNonCpm('tel:+15559870001', 'tel:+15551230001', 'Running late', false));
    h.net.at(at(3), () => void alice().reply(alice().latestFrom('tel:+15559870001')!, { text: 'No problem' }));
    // NOTE 3: a new message to the same user carries no identifier.
    h.net.at(at(5), () => alice().send({ to: 'tel:+15559870001', text: 'Are you there?' }));
    h.net.run({ until: at(10) });
    const fromAlice = sent(h.trace, { from: 'phone.alice.a.example', method: 'MESSAGE' }).filter((e) => e.payload.type === 'request');
    expect(fromAlice.map((e) => header(e.payload, 'Non-CPM-Service'))).toEqual(['sms', undefined]);
    expect(notes(h.trace, 'isf.a.example').filter((n) => n.includes('Identifier'))).toEqual(['follows the Non-CPM Communication Service Identifier sms']);
    expect(sent(h.trace, { to: 'phone.alice.a.example', status: 202 })).toHaveLength(2);
  });

  it('is selected for by its address when the named service does not fit it', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addNonCpmSystem('sms', 'sms.example', ['tel:+15559870001']);
    h.net.addUser('sip:alice@a.example', ['phone'], { aliases: ['tel:+15551230001'] });
    h.net.at(0, () => h.net.client('sip:alice@a.example', 'phone').register());
    h.net.at(at(1), () => h.net.client('sip:alice@a.example', 'phone').send({ to: 'tel:+15559870001', text: 'Hi', nonCpmService: 'email' }));
    h.net.run({ until: at(10) });
    expect(notes(h.trace, 'isf.a.example')).toEqual(
      expect.arrayContaining(['does not follow the Non-CPM Communication Service Identifier email: tel:+15559870001: no email Interworking Function', 'selects the sms Interworking Function for tel:+15559870001']),
    );
    expect(sent(h.trace, { to: 'phone.alice.a.example', status: 202 })).toHaveLength(1);
  });
});
