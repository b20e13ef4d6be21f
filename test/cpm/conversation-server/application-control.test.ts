// covers: 5.8.1-1, 5.8.1-2, 5.8.1-3
import { describe, expect, it } from 'vitest';
import type { ApplicationProfile } from '../../../src/cpm/conversation-server/application-profile.js';
import type { ServicePolicy } from '../../../src/cpm/preferences.js';
import { buildCpim } from '../../../src/bodies/cpim-codec.js';
import { header, type Header, type SipRequest } from '../../../src/sip/message.js';
import { parseUri } from '../../../src/sip/uri.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@a.example';
const WEATHER = 'weather.vasp.example';

/** Alice and Bob of a.example, registered at 0 s, and the applications of vasp.example. */
function network(profile: ApplicationProfile, apps: string[] = ['weather'], policy: Partial<ServicePolicy> = {}) {
  const h = harness();
  h.net.addDomain('a.example', { applications: profile, policy });
  for (const user of [ALICE, BOB]) {
    h.net.addUser(user, ['phone']);
    h.net.at(0, () => h.net.client(user, 'phone').register());
  }
  for (const name of apps) h.net.addApplication(name, { host: `${name}.vasp.example`, vasp: 'vasp.example', provider: 'a.example' });
  return h;
}

let sequence = 0;

/** A request sent from `via` to the Conversation Server exactly as written. */
function raw(method: string, uri: string, via: string, body: SipRequest['body'], extra: Header[] = []): SipRequest {
  sequence += 1;
  return {
    type: 'request',
    method,
    uri: parseUri(uri),
    headers: [
      { name: 'Via', value: `SIP/2.0/UDP ${via};branch=z9hG4bKraw${sequence}` },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: '<sip:weather@a.example>;tag=1' },
      { name: 'To', value: `<${uri}>` },
      { name: 'Call-ID', value: `raw${sequence}@a.example` },
      { name: 'CSeq', value: `1 ${method}` },
      ...extra,
    ],
    body,
  };
}

const TEXT: SipRequest['body'] = { kind: 'text', contentType: 'text/plain', text: 'hi' };
const CPIM: SipRequest['body'] = {
  kind: 'cpim',
  contentType: 'message/cpim',
  cpim: buildCpim({ from: BOB, to: 'sip:weather@a.example', dateTime: '2026-01-01T00:00:00Z', content: { kind: 'text', contentType: 'text/plain', text: 'hi' } }),
};

/** The statuses the Conversation Server answered `to` with, by the method of the request. */
const answers = (h: ReturnType<typeof harness>, to: string): string[] =>
  sent(h.trace, { from: 'cs.a.example', to })
    .flatMap((e) => (e.payload.type === 'response' ? [`${header(e.payload, 'CSeq')?.split(' ')[1]} ${e.payload.status} ${header(e.payload, 'Allow') ?? header(e.payload, 'Accept') ?? e.payload.reason}`] : []))
    .filter((a, i, all) => all.indexOf(a) === i && !a.startsWith('REGISTER') && !a.startsWith('SUBSCRIBE') && !a.startsWith('NOTIFY'));

const delivered = (h: ReturnType<typeof harness>): string[] =>
  sent(h.trace, { to: 'phone.bob.a.example', method: 'MESSAGE' }).map((e) => (e.payload.body?.kind === 'cpim' && e.payload.body.cpim.content.kind === 'text' ? e.payload.body.cpim.content.text : ''));

describe('Application Control Function (CPM 5.8.1)', () => {
  it('relays a message of an application the profile allows to send, as the application', () => {
    const h = network({ applications: { weather: { functions: ['send-message'] } }, providers: {} });
    h.net.at(at(1), () => h.net.application('weather').send(BOB, 'Sunny'));
    h.net.run({ until: at(3) });
    expect(delivered(h)).toEqual(['Sunny']);
    const shown = sent(h.trace, { to: 'phone.bob.a.example', method: 'MESSAGE' })[0]!.payload;
    expect(header(shown, 'From')).toMatch(/^<sip:weather@a\.example>/);
    expect(sent(h.trace, { from: 'cs.a.example', to: WEATHER, status: 200 })).toHaveLength(1);
  });

  it('refuses 403 an application the profile names neither by itself nor by its provider', () => {
    const h = network({ applications: { weather: { functions: ['send-message'] } }, providers: {} }, ['weather', 'spam']);
    h.net.at(at(1), () => h.net.application('spam').send(BOB, 'Buy now'));
    h.net.run({ until: at(3) });
    expect(delivered(h)).toEqual([]);
    const refused = sent(h.trace, { from: 'cs.a.example', to: 'spam.vasp.example', status: 403 });
    expect(refused.map((e) => (e.payload.type === 'response' ? e.payload.reason : ''))).toEqual(['Unknown Application']);
    expect(notes(h.trace, 'cs.a.example')).toContain('application control refuses spam.vasp.example: unknown application');
  });

  it('refuses a function the profile does not grant, and a user the application may not act for', () => {
    const h = network({ applications: { weather: { functions: ['receive-messages'] } }, providers: { 'vasp.example': { functions: ['send-message'], onBehalfOf: [ALICE] } } }, ['weather', 'news']);
    h.net.at(at(1), () => h.net.application('weather').send(BOB, 'Sunny'));
    h.net.at(at(2), () => h.net.application('news').send(BOB, 'Headlines', ALICE));
    h.net.at(at(3), () => h.net.application('news').send(ALICE, 'Headlines', BOB));
    h.net.run({ until: at(5) });
    // The application's own entry wins over its provider's: weather may not send.
    expect(notes(h.trace, 'cs.a.example')).toContain('application control refuses weather: not allowed by the application profile');
    // news, by its provider's entry, may send as Alice but not as Bob.
    expect(delivered(h)).toEqual(['Headlines']);
    expect(header(sent(h.trace, { to: 'phone.bob.a.example', method: 'MESSAGE' })[0]!.payload, 'From')).toMatch(/^<sip:alice@a\.example>/);
    expect(notes(h.trace, 'cs.a.example')).toContain('application control refuses news: not allowed on behalf of this user (bob@a.example)');
    expect(sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE' })).toHaveLength(0);
  });

  it('masks the user towards an application the profile marks, and maps its reply back', () => {
    const h = network({ applications: { weather: { functions: ['send-message', 'receive-messages'], maskIdentity: true } }, providers: {} });
    h.net.at(at(1), () => h.net.client(BOB, 'phone').send({ to: 'sip:weather@a.example', text: 'Forecast?' }));
    h.net.at(at(2), () => h.net.application('weather').reply('Sunny'));
    h.net.run({ until: at(4) });
    const event = sent(h.trace, { to: WEATHER, method: 'MESSAGE' });
    expect(event).toHaveLength(1);
    expect(header(event[0]!.payload, 'From')).toMatch(/^<sip:masked-1@a\.example>/);
    // Nothing the application receives names Bob.
    for (const e of sent(h.trace, { to: WEATHER })) expect(JSON.stringify(e.payload)).not.toContain('bob');
    expect(delivered(h)).toEqual(['Sunny']);
  });

  it('shows the real address to an application not marked, and refuses users\' messages to one that may not receive', () => {
    const h = network({ applications: { weather: { functions: ['send-message', 'receive-messages'] }, news: { functions: ['send-message'] } }, providers: {} }, ['weather', 'news']);
    h.net.at(at(1), () => h.net.client(BOB, 'phone').send({ to: 'sip:weather@a.example', text: 'Forecast?' }));
    h.net.at(at(2), () => h.net.client(BOB, 'phone').send({ to: 'sip:news@a.example', text: 'Headlines?' }));
    h.net.run({ until: at(4) });
    expect(header(sent(h.trace, { to: WEATHER, method: 'MESSAGE' })[0]!.payload, 'From')).toMatch(/^<sip:bob@a\.example>/);
    expect(sent(h.trace, { to: 'news.vasp.example' })).toHaveLength(0);
    expect(notes(h.trace, 'phone.bob.a.example')).toContain('message failed: 403');
  });

  it('refuses 404 a pseudonym the application was never given', () => {
    const h = network({ applications: { weather: { functions: ['send-message'], maskIdentity: true } }, providers: {} });
    h.net.at(at(1), () => h.net.application('weather').send('sip:masked-7@a.example', 'Guess who'));
    h.net.run({ until: at(3) });
    expect(sent(h.trace, { from: 'cs.a.example', to: WEATHER, status: 404 })).toHaveLength(1);
    expect(sent(h.trace, { from: 'cs.a.example', to: 'core.a.example', method: 'MESSAGE' })).toHaveLength(0);
  });

  it("passes a message on behalf of a user through that user's originating Participating Function (CPM 5.2.2.1)", () => {
    const h = network({ applications: { weather: { functions: ['send-message'], onBehalfOf: [ALICE] } }, providers: {} });
    h.net.at(at(1), () => h.net.application('weather').send(BOB, 'Sunny', ALICE));
    h.net.run({ until: at(3) });
    const toServer = sent(h.trace, { from: 'core.a.example', to: 'cs.a.example', method: 'MESSAGE' }).map((e) => header(e.payload, 'P-Served-User'));
    expect(toServer).toEqual([expect.stringMatching(/^<sip:alice@a\.example>;sescase=orig/), expect.stringMatching(/^<sip:bob@a\.example>;sescase=term/)]);
    expect(delivered(h)).toEqual(['Sunny']);
    expect(sent(h.trace, { from: 'cs.a.example', to: WEATHER, status: 200 })).toHaveLength(1);
  });

  it("applies the user's originating service control to it: the provider's maximum size refuses it 413", () => {
    const h = network({ applications: { weather: { functions: ['send-message'], onBehalfOf: [ALICE] } }, providers: {} }, ['weather'], { maxMessageSize: 300 });
    h.net.at(at(1), () => h.net.application('weather').send(BOB, 'x'.repeat(400), ALICE));
    h.net.run({ until: at(3) });
    expect(delivered(h)).toEqual([]);
    expect(notes(h.trace, 'cs.a.example').some((n) => n.startsWith('refused a message of') && n.includes('from alice@a.example'))).toBe(true);
    expect(sent(h.trace, { from: 'cs.a.example', to: WEATHER, status: 413 })).toHaveLength(1);
  });

  it('takes from an application only plain-text MESSAGEs: 405 with Allow for another method, 415 with Accept for another body', () => {
    const h = network({ applications: { weather: { functions: ['send-message'] } }, providers: {} });
    h.net.at(at(1), () => h.net.net.send(WEATHER, 'cs.a.example', raw('OPTIONS', BOB, WEATHER, TEXT)));
    h.net.at(at(2), () => h.net.net.send(WEATHER, 'cs.a.example', raw('MESSAGE', BOB, WEATHER, CPIM)));
    h.net.run({ until: at(4) });
    expect(answers(h, WEATHER)).toEqual(['OPTIONS 405 MESSAGE', 'MESSAGE 415 text/plain']);
    expect(delivered(h)).toEqual([]);
  });

  it("passes towards an application only CPM Messages with an asserted sender: 405, 415 and 403 otherwise", () => {
    const h = network({ applications: { weather: { functions: ['receive-messages'] } }, providers: {} });
    const pai = [{ name: 'P-Asserted-Identity', value: `<${BOB}>` }];
    h.net.at(at(1), () => h.net.net.send('core.a.example', 'cs.a.example', raw('OPTIONS', 'sip:weather@a.example', 'core.a.example', CPIM, pai)));
    h.net.at(at(2), () => h.net.net.send('core.a.example', 'cs.a.example', raw('MESSAGE', 'sip:weather@a.example', 'core.a.example', TEXT, pai)));
    h.net.at(at(3), () => h.net.net.send('core.a.example', 'cs.a.example', raw('MESSAGE', 'sip:weather@a.example', 'core.a.example', CPIM)));
    h.net.run({ until: at(5) });
    expect(answers(h, 'core.a.example')).toEqual(['OPTIONS 405 MESSAGE', 'MESSAGE 415 message/cpim', 'MESSAGE 403 No Asserted Identity']);
    expect(sent(h.trace, { to: WEATHER })).toHaveLength(0);
  });
});
