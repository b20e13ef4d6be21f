import { describe, expect, it } from 'vitest';
import { header } from '../../src/sip/message.js';
import { at, harness, notes, sent } from './harness.js';

const ALICE = 'sip:alice@a.example';
const CS = 'cs.a.example';
const CORE = 'core.a.example';

/** Alice's phone registers at 0 s in a.example, whose core grants reg-event subscriptions of at most `longest` s. */
function aliceRegisters(longest?: number) {
  const h = harness();
  h.net.addDomain('a.example', longest === undefined ? {} : { core: { regSubscriptionSeconds: longest } });
  h.net.addUser(ALICE, ['phone']);
  h.net.at(0, () => h.net.client(ALICE, 'phone').register());
  return h;
}

const subscribes = (h: ReturnType<typeof harness>) => sent(h.trace, { from: CS, to: CORE, method: 'SUBSCRIBE' });
const seconds = (e: { at: number }) => Math.floor(e.at / at(1));

describe("the Conversation Server's reg-event subscriptions (CPM 5.1.1.1, RFC 6665 4.1.2.2)", () => {
  it('refreshes within the dialog 600 s before a long subscription runs out', () => {
    const h = aliceRegisters();
    h.net.run({ until: at(600_100) });
    const all = subscribes(h);
    expect(all.map(seconds)).toEqual([0, 599_400]);
    expect(header(all[1]!.payload, 'Call-ID')).toBe(header(all[0]!.payload, 'Call-ID'));
    expect(header(all[1]!.payload, 'CSeq')).toBe('2 SUBSCRIBE');
    // The core never had to end it.
    expect(sent(h.trace, { from: CORE, to: CS, method: 'NOTIFY' }).map((e) => header(e.payload, 'Subscription-State')).filter((s) => s?.startsWith('terminated'))).toEqual([]);
  });

  it('refreshes halfway through a short one, as often as it takes', () => {
    const h = aliceRegisters(1000);
    h.net.run({ until: at(2100) });
    expect(subscribes(h).map(seconds)).toEqual([0, 500, 1000, 1500, 2000]);
  });

  it('forgets a subscription whose refresh is refused, and subscribes again on the next third-party registration', () => {
    const h = aliceRegisters(1000);
    // The core restarts without its state: it knows no subscription, and Alice must register again.
    h.net.at(at(100), () => h.net.crash(CORE, 'lost'));
    h.net.at(at(200), () => h.net.restart(CORE));
    h.net.at(at(600), () => h.net.client(ALICE, 'phone').register());
    h.net.run({ until: at(700) });
    expect(notes(h.trace, CS)).toContain(`reg-event refresh for ${ALICE} refused: 481`);
    const all = subscribes(h);
    expect(all.map(seconds)).toEqual([0, 500, 600]);
    expect(header(all[2]!.payload, 'To')).not.toMatch(/;tag=/);
  });

  it('a NOTIFY that says the subscription is terminated ends it; the next third-party registration subscribes again', () => {
    const h = aliceRegisters();
    h.net.run({ until: at(5) });
    const notify = sent(h.trace, { from: CORE, to: CS, method: 'NOTIFY' })[0]!.payload;
    const wire = [
      `NOTIFY sip:${CS} SIP/2.0`,
      `From: ${header(notify, 'From')}`,
      `To: ${header(notify, 'To')}`,
      `Call-ID: ${header(notify, 'Call-ID')}`,
      'CSeq: 9 NOTIFY',
      'Event: reg',
      'Subscription-State: terminated;reason=deactivated',
      'Content-Type: application/reginfo+xml',
      '',
      `<?xml version="1.0"?><reginfo xmlns="urn:ietf:params:xml:ns:reginfo" version="9" state="full"><registration aor="${ALICE}" id="r" state="active"/></reginfo>`,
    ].join('\r\n');
    h.net.at(at(6), () => h.net.client(ALICE, 'phone').inject(wire));
    h.net.at(at(8), () => h.net.client(ALICE, 'phone').register());
    h.net.run({ until: at(10) });
    expect(notes(h.trace, CS)).toContain(`reg-event subscription for ${ALICE} terminated: deactivated`);
    expect(subscribes(h).map(seconds)).toEqual([0, 8]);
  });
});
