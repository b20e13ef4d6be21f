import { describe, expect, it } from 'vitest';
import { header } from '../../../src/sip/message.js';
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
    h.net.run({ until: at(120) });
    expect(sent(h.trace, { to: LAPTOP, method: 'SUBSCRIBE', status: 200 }).map((e) => header(e.payload, 'Expires'))).toEqual(['100']);
    expect(states(h)).toEqual(['active;expires=100', 'terminated;reason=timeout']);
    // 100 s after the core granted it, one link delay after 1 s.
    expect(sent(h.trace, { to: LAPTOP, method: 'NOTIFY' })[1]!.at).toBe(at(101.001));
  });

  it('a SUBSCRIBE within its dialog refreshes it: answered in the dialog, then the full state', () => {
    const h = laptopSubscribes(100);
    h.net.run({ until: at(5) });
    h.net.at(at(60), () => h.net.client(ALICE, 'laptop').inject(withinDialog(h, 100)));
    h.net.run({ until: at(150) });
    expect(notes(h.trace, LAPTOP)).toContain('injected SUBSCRIBE: 200');
    const ok = sent(h.trace, { to: LAPTOP, method: 'SUBSCRIBE', status: 200, after: at(60) })[0]!.payload;
    expect(header(ok, 'To')).toBe(header(sent(h.trace, { to: LAPTOP, method: 'SUBSCRIBE', status: 200 })[0]!.payload, 'To'));
    // The refresh moves the end to 160 s: none at 101 s.
    expect(states(h, at(60))).toEqual(['active;expires=100']);
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
});
