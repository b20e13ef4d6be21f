import { describe, expect, test } from 'vitest';
import { loadScenarioText } from '../../src/scenario/loader.js';
import { errorOf, pos } from './located-errors.js';

const FILE = 'x.yaml';

/** A scenario whose network and timeline the tests fill in. */
function scenario(network: string, timeline: string): string {
  return `title: T
network:
${network}
lifelines:
  A: alice.phone
timeline:
${timeline}
expect:
  steps:
    - { n: 1, from: A, to: A, request: MESSAGE }
`;
}

const USERS = `  domains: [a.example, b.example]
  users:
    alice@a.example: { devices: [phone] }
    bob@b.example: { devices: [phone] }`;



describe('preferences and policy', () => {
  test('are read in kebab-case', () => {
    const spec = loadScenarioText(
      scenario(
        `  domains:
    a.example: { auth: digest, policy: { max-deferred: 3, max-hold: 1min, on-expiry: store, imdn-aggregation: priority, aggregation-window: 2s } }
  users:
    alice@a.example:
      devices: [phone]
      aliases: [tel:+15551230001]
      preferences: { when-unavailable: reject, deferred-delivery: notify, delivery-notifications: false, read-reports: false, notification-devices: all }`,
        '  - { at: 0s, register: alice.phone }',
      ),
      FILE,
    );
    expect(spec.network.domains[0]).toMatchObject({
      auth: 'digest',
      policy: { maxDeferred: 3, maxHold: 60_000_000, onExpiry: 'store', imdnAggregation: 'priority', aggregationWindow: 2_000_000 },
    });
    expect(spec.network.users[0]).toMatchObject({
      aliases: ['tel:+15551230001'],
      preferences: { whenUnavailable: 'reject', deferredDelivery: 'notify', deliveryNotifications: false, readReports: false, notificationDevices: 'all' },
    });
  });

  test('an unknown preference value is located and lists the allowed ones', () => {
    const text = scenario(
      `  users:
    alice@a.example: { devices: [phone], preferences: { when-unavailable: bounce } }`,
      '  - { at: 0s, register: alice.phone }',
    );
    expect(errorOf(text, FILE)).toBe(
      `x.yaml:${pos(text, 'bounce')}: network.users["alice@a.example"].preferences.when-unavailable: unknown value 'bounce'; allowed: defer, reject, interwork`,
    );
  });

  test('an unknown policy field suggests the right one', () => {
    const text = scenario(
      `  domains:
    a.example: { policy: { max-held: 1min } }
  users:
    alice@a.example: { devices: [phone] }`,
      '  - { at: 0s, register: alice.phone }',
    );
    expect(errorOf(text, FILE)).toBe(`x.yaml:${pos(text, 'max-held')}: network.domains["a.example"].policy: unknown field 'max-held'; did you mean 'max-hold'?`);
  });

  test('an alias must be a global tel URI', () => {
    const text = scenario(
      `  users:
    alice@a.example: { devices: [phone], aliases: [tel:5551234] }`,
      '  - { at: 0s, register: alice.phone }',
    );
    expect(errorOf(text, FILE)).toBe(`x.yaml:${pos(text, 'tel:5551234')}: network.users["alice@a.example"].aliases[0]: alias 'tel:5551234' is not a global tel URI like tel:+15551234567`);
  });
});

describe('timeline actions', () => {
  test('reply and read name a message sent before them', () => {
    const spec = loadScenarioText(
      scenario(
        USERS,
        `  - { at: 1s, send: { from: alice.phone, to: bob@b.example, text: hi, id: m1, expires: 1h } }
  - { at: 2s, reply: { from: bob.phone, to: m1, text: yo, id: m2 } }
  - { at: 3s, read: { device: alice.phone, message: m2 } }`,
      ),
      FILE,
    );
    expect(spec.timeline.map((e) => e.action)).toEqual([
      { kind: 'send', from: 'alice.phone', to: 'sip:bob@b.example', text: 'hi', notify: [], id: 'm1', expiresSeconds: 3600 },
      { kind: 'reply', from: 'bob.phone', to: 'm1', text: 'yo', notify: [], id: 'm2' },
      { kind: 'read', device: 'alice.phone', message: 'm2' },
    ]);
  });

  test('a reply to a message not yet sent is located', () => {
    const text = scenario(USERS, `  - { at: 2s, reply: { from: bob.phone, to: m1, text: yo } }
  - { at: 3s, send: { from: alice.phone, to: bob@b.example, text: hi, id: m1 } }`);
    expect(errorOf(text, FILE)).toBe(`x.yaml:${pos(text, 'm1')}: timeline[0].reply.to: no message labelled 'm1' is sent before this (give a send an id: m1)`);
  });

  test('a label used twice is located', () => {
    const text = scenario(USERS, `  - { at: 1s, send: { from: alice.phone, to: bob@b.example, text: a, id: m1 } }
  - { at: 2s, send: { from: alice.phone, to: bob@b.example, text: b, id: m1 } }`);
    expect(errorOf(text, FILE)).toBe(`x.yaml:${pos(text, 'm1', 'text: b')}: timeline[1].send.id: message label 'm1' is used twice`);
  });

  test('expires is a whole number of seconds', () => {
    const text = scenario(USERS, '  - { at: 1s, send: { from: alice.phone, to: bob@b.example, text: a, expires: 1500ms } }');
    expect(errorOf(text, FILE)).toBe(`x.yaml:${pos(text, '1500ms')}: timeline[0].send.expires: expires is a whole number of seconds, got 1.5s`);
  });

  test('inject needs a request line', () => {
    const text = scenario(USERS, '  - { at: 1s, inject: { from: alice.phone, wire: "hello" } }');
    expect(errorOf(text, FILE)).toBe(`x.yaml:${pos(text, '"hello"')}: timeline[0].inject.wire: wire must start with a request line, e.g. MESSAGE sip:bob@b.example SIP/2.0`);
  });

  test('sending to an undefined user of a declared domain is located', () => {
    const text = scenario(USERS, '  - { at: 1s, send: { from: alice.phone, to: carol@b.example, text: a } }');
    expect(errorOf(text, FILE).startsWith(`x.yaml:${pos(text, 'carol@b.example')}: timeline[0].send.to: unknown user carol@b.example`)).toBe(true);
  });
});

describe("the core's longest reg-event subscription", () => {
  const network = (value: string) => `  domains:
    a.example: { core: { reg-subscription: ${value} } }
  users:
    alice@a.example: { devices: [phone] }`;

  test('is read in seconds', () => {
    const spec = loadScenarioText(scenario(network('20min'), '  - { at: 0s, register: alice.phone }'), FILE);
    expect(spec.network.domains[0]?.core).toEqual({ regSubscriptionSeconds: 1200 });
  });

  test('is a whole number of seconds, at least 1s', () => {
    for (const value of ['1500ms', '0']) {
      const text = scenario(network(value), '  - { at: 0s, register: alice.phone }');
      expect(errorOf(text, FILE)).toBe(`x.yaml:${pos(text, value, 'reg-subscription')}: network.domains["a.example"].core.reg-subscription: reg-subscription is a whole number of seconds, at least 1s`);
    }
  });
});

describe('re-registration with new capabilities', () => {
  test('register takes the Media Stream Types the devices now support', () => {
    const text = scenario(USERS, '  - { at: 0s, register: { devices: [alice.phone], media: [message, video] } }');
    expect(loadScenarioText(text, FILE).timeline[0]?.action).toEqual({ kind: 'register', devices: ['alice.phone'], media: ['message', 'video'] });
    const bad = scenario(USERS, '  - { at: 0s, register: { devices: [alice.phone], media: [smell] } }');
    expect(errorOf(bad, FILE)).toMatch(/timeline\[0\]\.register\.media\[0\]: unknown value 'smell'; allowed: message, audio, video$/);
  });
});
