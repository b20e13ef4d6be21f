// covers: 5.8.1-1
import { describe, expect, it } from 'vitest';
import { applicationUri } from '../../../src/cpm/application/vas-application.js';
import { header, type SipRequest } from '../../../src/sip/message.js';
import { parseUri } from '../../../src/sip/uri.js';
import { at, harness, notes, sent } from '../harness.js';

const WEATHER = 'weather.vasp.example';
const ALICE = 'sip:alice@a.example';

/** Alice of a.example, registered at 0 s, and the weather application, which may send and receive. */
function network() {
  const h = harness();
  h.net.addDomain('a.example', { applications: { applications: { weather: { functions: ['send-message', 'receive-messages'], onBehalfOf: [ALICE] } }, providers: {} } });
  h.net.addUser(ALICE, ['phone']);
  h.net.at(0, () => h.net.client(ALICE, 'phone').register());
  h.net.addApplication('weather', { host: WEATHER, vasp: 'vasp.example', provider: 'a.example' });
  return h;
}

/** A request the Conversation Server's host sends the application as written. */
function toApplication(method: string, body?: SipRequest['body']): SipRequest {
  return {
    type: 'request',
    method,
    uri: parseUri('sip:weather@a.example'),
    headers: [
      { name: 'Via', value: `SIP/2.0/UDP cs.a.example;branch=z9hG4bK${method}` },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: '<sip:alice@a.example>;tag=1' },
      { name: 'To', value: '<sip:weather@a.example>' },
      { name: 'Call-ID', value: `${method}@a.example` },
      { name: 'CSeq', value: `1 ${method}` },
    ],
    ...(body === undefined ? {} : { body }),
  };
}

describe('value-added-service application (CPM 5.8.1)', () => {
  it('is reached at the address its provider gives it', () => {
    expect(applicationUri('weather', 'a.example')).toBe('sip:weather@a.example');
  });

  it("sends its requests straight to the provider's Conversation Server, as itself or on behalf of a user", () => {
    const h = network();
    h.net.at(at(1), () => h.net.application('weather').send(ALICE, 'Sunny'));
    h.net.at(at(2), () => h.net.application('weather').send(ALICE, 'Rain', ALICE));
    h.net.run({ until: at(4) });
    const requests = sent(h.trace, { from: WEATHER, method: 'MESSAGE' });
    expect(requests.map((e) => e.to)).toEqual(['cs.a.example', 'cs.a.example']);
    expect(requests.map((e) => header(e.payload, 'From'))).toEqual([expect.stringMatching(/^<sip:weather@a\.example>/), expect.stringMatching(/^<sip:alice@a\.example>/)]);
    expect(requests.map((e) => (e.payload.body?.kind === 'text' ? e.payload.body.text : ''))).toEqual(['Sunny', 'Rain']);
    // RFC 3261 8.1.1.3: a request out of a dialog carries a From tag; the ACF takes the text as plain text.
    expect(requests.map((e) => header(e.payload, 'From'))).toEqual([expect.stringMatching(/;tag=\S+$/), expect.stringMatching(/;tag=\S+$/)]);
    expect(requests.map((e) => e.payload.body?.contentType)).toEqual(['text/plain;charset=UTF-8', 'text/plain;charset=UTF-8']);
  });

  it('notes a refusal of its request', () => {
    const h = network();
    h.net.at(at(1), () => h.net.application('weather').send(ALICE, 'As Bob', 'sip:bob@a.example'));
    h.net.run({ until: at(3) });
    expect(notes(h.trace, WEATHER)).toEqual(['message failed: 403']);
  });

  it('answers the latest user that wrote to it, and says so when no one has', () => {
    const h = network();
    h.net.at(at(1), () => h.net.application('weather').reply('Nobody asked'));
    h.net.at(at(2), () => h.net.client(ALICE, 'phone').send({ to: 'sip:weather@a.example', text: 'Forecast?' }));
    h.net.at(at(3), () => h.net.application('weather').reply('Sunny'));
    h.net.run({ until: at(5) });
    expect(notes(h.trace, WEATHER)).toEqual(['cannot reply: no message was received', 'weather received from alice@a.example: Forecast?']);
    const replies = sent(h.trace, { from: WEATHER, method: 'MESSAGE' });
    expect(replies).toHaveLength(1);
    expect(header(replies[0]!.payload, 'To')).toBe('<sip:alice@a.example>');
  });

  it('takes only plain-text MESSAGEs, refusing other methods 405 and other bodies 415', () => {
    const h = network();
    h.net.at(at(1), () => h.net.net.send('cs.a.example', WEATHER, toApplication('INVITE')));
    h.net.at(at(2), () => h.net.net.send('cs.a.example', WEATHER, toApplication('MESSAGE', { kind: 'binary', contentType: 'image/png', octets: new Uint8Array([137, 80]) })));
    h.net.run({ until: at(3) });
    // The INVITE's final response is sent again until an ACK comes (RFC 3261 17.2.1): count the kinds.
    expect(sent(h.trace, { from: WEATHER, method: 'INVITE', status: 405 }).length).toBeGreaterThan(0);
    // RFC 3261 21.4.6 and 21.4.16: a 405 lists the methods it allows, a 415 the bodies it accepts.
    expect(sent(h.trace, { from: WEATHER, method: 'INVITE', status: 405 }).map((e) => header(e.payload, 'Allow'))).toContain('MESSAGE');
    expect(sent(h.trace, { from: WEATHER, method: 'MESSAGE', status: 415 }).map((e) => header(e.payload, 'Accept'))).toEqual(['text/plain']);
    expect(sent(h.trace, { from: WEATHER, status: 200 })).toHaveLength(0);
    expect(notes(h.trace, WEATHER)).toEqual([]);
  });

  it('refuses a MESSAGE without a body 415, and one without a From 400', () => {
    const h = network();
    const noFrom = toApplication('MESSAGE', { kind: 'text', contentType: 'text/plain', text: 'hi' });
    // A transaction of its own (RFC 3261 17.2.3: the branch), not a retransmission of the first.
    noFrom.headers = noFrom.headers
      .filter((x) => x.name !== 'From')
      .map((x) => (x.name === 'Via' ? { ...x, value: 'SIP/2.0/UDP cs.a.example;branch=z9hG4bKnofrom' } : x.name === 'Call-ID' ? { ...x, value: 'nofrom@a.example' } : x));
    h.net.at(at(1), () => h.net.net.send('cs.a.example', WEATHER, toApplication('MESSAGE')));
    h.net.at(at(2), () => h.net.net.send('cs.a.example', WEATHER, noFrom));
    h.net.run({ until: at(3) });
    const reasons = (status: number) => sent(h.trace, { from: WEATHER, status }).map((e) => (e.payload.type === 'response' ? e.payload.reason : ''));
    expect(reasons(415)).toEqual(['Unsupported Media Type']);
    expect(reasons(400)).toEqual(['Missing From']);
    expect(notes(h.trace, WEATHER)).toEqual([]);
  });
});
