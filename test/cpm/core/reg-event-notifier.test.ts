import { describe, expect, it } from 'vitest';
import { header } from '../../../src/sip/message.js';
import { serializeMessage } from '../../../src/sip/serializer.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const LAPTOP = 'laptop.alice.a.example';
const lines = (...l: string[]): string => [...l, 'Content-Length: 0', '', ''].join('\r\n');

/** Alice's phone and laptop register; the laptop subscribes to her registration state at 1 s; the core grants at most `longest` s. */
function laptopSubscribes(longest?: number) {
  const h = harness();
  h.net.addDomain('a.example', longest === undefined ? {} : { core: { regSubscriptionSeconds: longest } });
  h.net.addUser(ALICE, ['phone', 'laptop']);
  h.net.addUser('sip:mallory@a.example', ['phone']);
  h.net.at(0, () => {
    h.net.client(ALICE, 'phone').register();
    h.net.client(ALICE, 'laptop').register();
    h.net.client('sip:mallory@a.example', 'phone').register();
  });
  h.net.at(at(1), () => h.net.client(ALICE, 'laptop').subscribeRegistrations());
  return h;
}

/** An in-dialog SUBSCRIBE of the laptop's subscription. */
function withinDialog(h: ReturnType<typeof harness>, expires: number): string {
  const subscribe = sent(h.trace, { from: LAPTOP, method: 'SUBSCRIBE' })[0]!.payload;
  const ok = sent(h.trace, { to: LAPTOP, method: 'SUBSCRIBE', status: 200 })[0]!.payload;
  return lines(
    'SUBSCRIBE sip:core.a.example SIP/2.0',
    `From: ${header(subscribe, 'From')}`,
    `To: ${header(ok, 'To')}`,
    `Call-ID: ${header(subscribe, 'Call-ID')}`,
    'CSeq: 2 SUBSCRIBE',
    'Event: reg',
    `Expires: ${expires}`,
    `Contact: <sip:${LAPTOP}>`,
  );
}

const states = (h: ReturnType<typeof harness>, after = 0) => sent(h.trace, { to: LAPTOP, method: 'NOTIFY', after }).map((e) => header(e.payload, 'Subscription-State'));

describe('the lifetime of a reg-event subscription at the SIP/IP Core (RFC 3680, RFC 6665)', () => {
  it('is granted no longer than the core allows, and ends when not refreshed with a NOTIFY terminated for timeout', () => {
    const h = laptopSubscribes(100);
    // The laptop restarts without its state at 20 s: nothing refreshes the subscription.
    h.net.at(at(10), () => h.net.crash(LAPTOP, 'lost'));
    h.net.at(at(20), () => h.net.restart(LAPTOP));
    h.net.run({ until: at(120) });
    expect(sent(h.trace, { to: LAPTOP, method: 'SUBSCRIBE', status: 200 }).map((e) => header(e.payload, 'Expires'))).toEqual(['100']);
    expect(states(h)).toEqual(['active;expires=100', 'terminated;reason=timeout']);
    // 100 s after the core granted it, one link delay after 1 s.
    expect(sent(h.trace, { to: LAPTOP, method: 'NOTIFY' })[1]!.at).toBe(at(101.001));
  });

  it('a SUBSCRIBE within its dialog refreshes it: answered in the dialog, then the full state', () => {
    const h = laptopSubscribes(100);
    h.net.run({ until: at(230) });
    // The laptop refreshes halfway through each time (TS 24.229 5.1.1.3).
    const refreshes = sent(h.trace, { from: LAPTOP, method: 'SUBSCRIBE' });
    expect(refreshes.map((e) => Math.floor(e.at / at(1)))).toEqual([1, 51, 101, 151, 201]);
    const oks = sent(h.trace, { to: LAPTOP, method: 'SUBSCRIBE', status: 200 });
    expect(new Set(oks.map((e) => header(e.payload, 'To'))).size).toBe(1);
    expect(oks.map((e) => header(e.payload, 'Expires'))).toEqual(['100', '100', '100', '100', '100']);
    expect(states(h)).toEqual(Array(5).fill('active;expires=100'));
  });

  it('Expires: 0 within the dialog ends it, with a last NOTIFY', () => {
    const h = laptopSubscribes();
    h.net.run({ until: at(5) });
    h.net.at(at(6), () => h.net.client(ALICE, 'laptop').inject(withinDialog(h, 0)));
    h.net.at(at(8), () => h.net.client(ALICE, 'phone').register());
    h.net.run({ until: at(20) });
    expect(states(h, at(6))).toEqual(['terminated;reason=timeout']);
  });

  it('refuses a refresh of a dialog it does not know (481), or from elsewhere than the subscriber (403)', () => {
    const h = laptopSubscribes();
    h.net.run({ until: at(5) });
    const unknown = withinDialog(h, 100).replace(/^To: (.*);tag=[^\r]*/m, 'To: $1;tag=nope');
    h.net.at(at(6), () => h.net.client(ALICE, 'laptop').inject(unknown));
    // Mallory copies the laptop's dialog identifiers exactly.
    h.net.at(at(7), () => h.net.client('sip:mallory@a.example', 'phone').inject(withinDialog(h, 0)));
    h.net.run({ until: at(10) });
    expect(notes(h.trace, LAPTOP)).toContain('injected SUBSCRIBE: 481');
    expect(notes(h.trace, 'phone.mallory.a.example')).toContain('injected SUBSCRIBE: 403');
    expect(states(h, at(6))).toEqual([]);
  });

  it('knows a dialog by its Call-ID and both tags (RFC 3261 12.2.2): a refresh with another Call-ID or From tag gets 481', () => {
    const h = laptopSubscribes();
    h.net.run({ until: at(5) });
    const otherCall = withinDialog(h, 100).replace(/^Call-ID: .*$/m, 'Call-ID: another@a.example');
    const otherFrom = withinDialog(h, 100).replace(/^From: (.*);tag=[^\r]*/m, 'From: $1;tag=another');
    h.net.at(at(6), () => h.net.client(ALICE, 'laptop').inject(otherCall));
    h.net.at(at(7), () => h.net.client(ALICE, 'laptop').inject(otherFrom));
    h.net.run({ until: at(10) });
    expect(notes(h.trace, LAPTOP).filter((n) => n.startsWith('injected'))).toEqual(['injected SUBSCRIBE: 481', 'injected SUBSCRIBE: 481']);
    expect(states(h, at(6))).toEqual([]);
  });

  it("finds the dialog of a subscription to another user's registrations than the first one subscribed to", () => {
    const h = laptopSubscribes();
    const mallory = () => h.net.client('sip:mallory@a.example', 'phone');
    h.net.at(at(2), () => mallory().subscribeRegistrations());
    h.net.run({ until: at(5) });
    const subscribe = sent(h.trace, { from: 'phone.mallory.a.example', method: 'SUBSCRIBE' })[0]!.payload;
    const ok = sent(h.trace, { to: 'phone.mallory.a.example', method: 'SUBSCRIBE', status: 200 })[0]!.payload;
    const refresh = lines('SUBSCRIBE sip:core.a.example SIP/2.0', `From: ${header(subscribe, 'From')}`, `To: ${header(ok, 'To')}`, `Call-ID: ${header(subscribe, 'Call-ID')}`, 'CSeq: 9 SUBSCRIBE', 'Event: reg', 'Expires: 100', 'Contact: <sip:phone.mallory.a.example>');
    h.net.at(at(6), () => mallory().inject(refresh));
    h.net.run({ until: at(8) });
    expect(notes(h.trace, 'phone.mallory.a.example')).toContain('injected SUBSCRIBE: 200');
  });

  it('a subscriber that ends its subscription leaves the other subscribers to the same registrations theirs', () => {
    const h = laptopSubscribes();
    h.net.run({ until: at(5) });
    h.net.at(at(6), () => h.net.client(ALICE, 'laptop').inject(withinDialog(h, 0)));
    h.net.at(at(8), () => h.net.client(ALICE, 'phone').deregister());
    h.net.run({ until: at(10) });
    expect(states(h, at(6))).toEqual(['terminated;reason=timeout']);
    // The Conversation Server's subscription (3GPP TS 24.229 5.4.1.7) still hears of the phone's going.
    const toCs = sent(h.trace, { from: 'core.a.example', to: 'cs.a.example', method: 'NOTIFY', after: at(8) });
    expect(toCs.map((e) => header(e.payload, 'Subscription-State'))).toEqual([expect.stringMatching(/^active;expires=\d+$/)]);
  });

  it('answers a SUBSCRIBE outside a dialog with the Call-ID of a subscription in that dialog: the NOTIFYs come from the tag the 200 gave', () => {
    const h = laptopSubscribes();
    h.net.run({ until: at(5) });
    const subscribe = sent(h.trace, { from: LAPTOP, method: 'SUBSCRIBE' })[0]!.payload;
    const again = lines('SUBSCRIBE sip:alice@a.example SIP/2.0', `From: ${header(subscribe, 'From')}`, `To: <${ALICE}>`, `Call-ID: ${header(subscribe, 'Call-ID')}`, 'CSeq: 5 SUBSCRIBE', 'Event: reg', 'Expires: 100', `Contact: <sip:${LAPTOP}>`);
    h.net.at(at(6), () => h.net.client(ALICE, 'laptop').inject(again));
    h.net.run({ until: at(8) });
    const oks = sent(h.trace, { to: LAPTOP, method: 'SUBSCRIBE', status: 200 });
    const notifies = sent(h.trace, { to: LAPTOP, method: 'NOTIFY' });
    expect(oks).toHaveLength(2);
    expect(notifies).toHaveLength(2);
    // RFC 3261 12.1.1: the To tag of the 200 is the notifier's tag of the dialog, which its NOTIFYs carry in From.
    const tag = (value: string | undefined) => /;tag=([^;]+)/.exec(value ?? '')?.[1];
    expect(notifies.map((e) => tag(header(e.payload, 'From')))).toEqual(oks.map((e) => tag(header(e.payload, 'To'))));
  });

  it('the NOTIFY of a registration left without contacts ends the subscription (3GPP TS 24.229 5.4.2.1.2)', () => {
    const h = laptopSubscribes();
    h.net.at(at(5), () => h.net.client(ALICE, 'phone').deregister());
    h.net.at(at(10), () => h.net.client(ALICE, 'laptop').deregister());
    h.net.at(at(20), () => h.net.client(ALICE, 'phone').register());
    h.net.run({ until: at(30) });
    // The phone's deregistration leaves the laptop's contact: the subscription goes on.
    expect(states(h)).toEqual(['active;expires=600000', 'active;expires=599996', 'terminated;reason=noresource']);
    const last = sent(h.trace, { to: LAPTOP, method: 'NOTIFY' })[2]!.payload;
    expect(last.body?.kind === 'reginfo' && last.body.reginfo.registrations.map((r) => [r.state, r.contacts.map((c) => c.event)])).toEqual([['terminated', ['unregistered']]]);
    // The subscription is gone: Alice's next registration is told to no one.
    expect(sent(h.trace, { to: LAPTOP, method: 'NOTIFY', after: at(20) })).toEqual([]);
    expect(notes(h.trace, LAPTOP)).toContain(`reg-event subscription for ${ALICE} terminated: noresource`);
  });

  it('so does the expiry of the last contact', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addUser(ALICE, ['phone']);
    h.net.at(0, () => h.net.client(ALICE, 'phone').register());
    h.net.run({ until: at(5) });
    // The phone goes away without deregistering: its binding runs out (RFC 3261 10.3).
    h.net.crash('phone.alice.a.example', 'lost');
    h.net.run({ until: at(4000) });
    const toCs = sent(h.trace, { from: 'core.a.example', to: 'cs.a.example', method: 'NOTIFY' });
    expect(toCs.map((e) => header(e.payload, 'Subscription-State'))).toEqual(['active;expires=600000', 'terminated;reason=noresource']);
    const last = toCs[1]!.payload;
    expect(last.body?.kind === 'reginfo' && last.body.reginfo.registrations[0]!.contacts.map((c) => c.event)).toEqual(['expired']);
    // The Conversation Server subscribes again when the phone is back and registers.
    h.net.restart('phone.alice.a.example');
    h.net.client(ALICE, 'phone').register();
    h.net.run({ until: at(4010) });
    expect(sent(h.trace, { from: 'cs.a.example', to: 'core.a.example', method: 'SUBSCRIBE' }).map((e) => Math.floor(e.at / at(1)))).toEqual([0, 4000]);
  });
});

/**
 * The reg-event document the SIP/IP Core's notifier sends (RFC 3680 5, application/reginfo+xml),
 * read from the NOTIFY's wire text: its version counts the NOTIFYs of the subscription from 0, it
 * carries the full state, each contact's remaining seconds, why it changed, and the Contact
 * parameters the device registered as unknown-params (RFC 3680 5.2; its feature tags, RFC 3840).
 */
/**
 * Alice's phone and laptop register (3600 s) at 0; the laptop subscribes at 1 s; the phone
 * deregisters at 5.5 s, or with `phoneLate` registers first then.
 */
function documents(phoneLate = false): string[] {
  const h = harness();
  h.net.addDomain('a.example');
  h.net.addUser(ALICE, ['phone', 'laptop']);
  h.net.at(0, () => {
    if (!phoneLate) h.net.client(ALICE, 'phone').register();
    h.net.client(ALICE, 'laptop').register();
  });
  h.net.at(at(1), () => h.net.client(ALICE, 'laptop').subscribeRegistrations());
  h.net.at(at(5.5), () => (phoneLate ? h.net.client(ALICE, 'phone').register() : h.net.client(ALICE, 'phone').deregister()));
  h.net.run({ until: at(10) });
  return sent(h.trace, { to: LAPTOP, method: 'NOTIFY' }).map((e) => serializeMessage(e.payload).split('\r\n\r\n')[1]!);
}

const tags = (xml: string, name: string): string[] => [...xml.matchAll(new RegExp(`<${name}( [^>]*)?>`, 'g'))].map((m) => m[0]);
const uris = (xml: string): string[] => [...xml.matchAll(/<uri>([^<]*)<\/uri>/g)].map((m) => m[1]!);
const unknownParams = (xml: string): string[] => [...xml.matchAll(/<unknown-param name="([^"]*)"/g)].map((m) => m[1]!);

describe('the reg-event document (RFC 3680)', () => {
  it('starts at version 0 with the full state: every active contact, registered, with its remaining seconds', () => {
    const [first] = documents();
    expect(tags(first!, 'reginfo')).toEqual(['<reginfo xmlns="urn:ietf:params:xml:ns:reginfo" version="0" state="full">']);
    expect(tags(first!, 'registration')).toEqual(['<registration aor="sip:alice@a.example" id="reg-sip:alice@a.example" state="active">']);
    // Bound at 1 ms for 3600 s, told at 1.001 s: 3599 s left.
    expect(tags(first!, 'contact')).toEqual([
      '<contact id="b1" state="active" event="registered" expires="3599">',
      '<contact id="b2" state="active" event="registered" expires="3599">',
    ]);
    expect(uris(first!)).toEqual(['sip:alice@phone.alice.a.example', 'sip:alice@laptop.alice.a.example']);
  });

  it('counts the next NOTIFY as version 1, rounds the seconds left up, and lists a removed contact as terminated, unregistered, 0 s', () => {
    const [, second] = documents();
    expect(tags(second!, 'reginfo')).toEqual(['<reginfo xmlns="urn:ietf:params:xml:ns:reginfo" version="1" state="full">']);
    expect(tags(second!, 'registration')).toEqual(['<registration aor="sip:alice@a.example" id="reg-sip:alice@a.example" state="active">']);
    // 3600.001 - 5.501 = 3594.5 s left: 3595 (RFC 3680 5.2 counts whole seconds).
    expect(tags(second!, 'contact')).toEqual([
      '<contact id="b2" state="active" event="registered" expires="3595">',
      '<contact id="b1" state="terminated" event="unregistered" expires="0">',
    ]);
  });

  it('lists a contact registered meanwhile as active and registered only, not also as terminated', () => {
    const [, second] = documents(true);
    expect(tags(second!, 'contact').map((t) => t.replace(/ expires="\d+"/, ''))).toEqual([
      '<contact id="b1" state="active" event="registered">',
      '<contact id="b2" state="active" event="registered">',
    ]);
  });

  it('writes no q as an unknown-param: RFC 3680 5.2 gives the contact a q attribute of its own', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addUser(ALICE, ['phone']);
    const register = ['REGISTER sip:a.example SIP/2.0', 'Max-Forwards: 70', `From: <${ALICE}>;tag=q`, `To: <${ALICE}>`, 'Call-ID: q@a.example', 'CSeq: 1 REGISTER', 'Contact: <sip:alice@phone.alice.a.example>;q=0.5;+g.oma.sip-im', 'Content-Length: 0', '', ''].join('\r\n');
    h.net.at(0, () => h.net.client(ALICE, 'phone').inject(register));
    h.net.run({ until: at(2) });
    const [notify] = sent(h.trace, { from: 'core.a.example', to: 'cs.a.example', method: 'NOTIFY' });
    expect(unknownParams(serializeMessage(notify!.payload).split('\r\n\r\n')[1]!)).toEqual(['+g.oma.sip-im']);
  });

  it("carries each contact's registered feature tags and instance as unknown-params, flags without a value", () => {
    const [first] = documents();
    const phone = first!.slice(first!.indexOf('<contact id="b1"'), first!.indexOf('</contact>'));
    expect(unknownParams(phone)).toEqual(['+sip.instance', '+g.3gpp.icsi-ref', '+g.oma.sip-im', 'audio', 'video']);
    expect(phone).toContain('<unknown-param name="+g.oma.sip-im"/>');
    expect(phone).toMatch(/<unknown-param name="\+sip\.instance">&quot;&lt;urn:uuid:[0-9a-f-]{36}&gt;&quot;<\/unknown-param>/);
  });
});
