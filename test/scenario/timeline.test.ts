/**
 * The `timeline:` section as src/scenario/timeline.ts reads it: time order, one action per entry,
 * each action's fields, and the labels that tie replies, reads and sessions to what came before.
 */
import { describe, expect, test } from 'vitest';
import { loadScenarioText } from '../../src/scenario/loader.js';
import type { Action } from '../../src/scenario/spec.js';
import { errorOf, pos } from './located-errors.js';

const FILE = 't.yaml';

/**
 * Alice and Bob, Bob's second device played by a real client, an SMS and a mail system, and an application;
 * `timeline` holds the entries (one a line, indented two spaces).
 */
const scenario = (timeline: string, network = ''): string => `title: T
network:
  domains: [a.example, b.example]
  users:
    alice@a.example: { devices: [phone] }
    bob@b.example:
      devices: { phone: {}, pc: { external: true } }
  non-cpm:
    sms.example: { service: sms, users: [tel:+15559870001] }
    mail.example: { service: email, users: [mailto:carol@mail.example] }
  applications:
    weather: { provider: a.example }
${network}lifelines:
  A: alice.phone
timeline:
${timeline}
expect:
  steps:
    - { n: 1, from: A, to: A, request: MESSAGE }
`;

const actions = (timeline: string, network = ''): Action[] => loadScenarioText(scenario(timeline, network), FILE).timeline.map((entry) => entry.action);

/** The located error, at the first `needle` on the timeline line that starts with `after`. */
function expectRefused(text: string, needle: string, reason: string, after = 'timeline:'): void {
  expect(errorOf(text, FILE)).toBe(`${FILE}:${pos(text, needle, after)}: ${reason}`);
}

const INVITE = '  - { at: 1s, invite: { from: alice.phone, to: bob@b.example, id: s1 } }';

describe('time order', () => {
  test('entries at one instant may follow each other, and keep file order', () => {
    const text = scenario('  - { at: 1s, register: alice.phone }\n  - { at: 1s, deregister: alice.phone }\n  - { at: 2s, subscribe-reg: alice.phone }');
    const timeline = loadScenarioText(text, FILE).timeline;
    expect(timeline.map((e) => [e.atUs, e.action.kind, e.path])).toEqual([
      [1_000_000, 'register', ['timeline', 0]],
      [1_000_000, 'deregister', ['timeline', 1]],
      [2_000_000, 'subscribe-reg', ['timeline', 2]],
    ]);
  });

  test('an entry earlier than the one before it is refused at its time', () => {
    const text = scenario('  - { at: 2s, register: alice.phone }\n  - { at: 1500ms, deregister: alice.phone }');
    expectRefused(text, '1500ms', 'timeline[1].at: 1.5s is earlier than the entry before it (2s); list the timeline in time order');
  });

  test('an entry may be at limits.until, not after it', () => {
    const at = scenario('  - { at: 10s, register: alice.phone }').replace('timeline:', 'limits: { until: 10s }\ntimeline:');
    expect(loadScenarioText(at, FILE).timeline[0]?.atUs).toBe(10_000_000);
    const after = scenario('  - { at: 10001ms, register: alice.phone }').replace('timeline:', 'limits: { until: 10s }\ntimeline:');
    expectRefused(after, '10001ms', 'timeline[0].at: 10.001s is after limits.until (10s)');
  });

  test('the timeline is a list', () => {
    const text = scenario('  at: 1s');
    expectRefused(text, 'at: 1s', 'timeline: expected a list, got a mapping');
  });
});

describe('devices the timeline acts for', () => {
  test('a user address stands for its simulated devices only', () => {
    expect(actions('  - { at: 0s, register: bob@b.example }')).toEqual([{ kind: 'register', devices: ['bob.phone'] }]);
  });

  test('an external device cannot be acted for, named alone or in a list', () => {
    expectRefused(scenario('  - { at: 0s, register: bob.pc }'), 'bob.pc', 'timeline[0].register: bob.pc is external: a real client plays it in cpmsim live, so the timeline cannot act for it');
    expectRefused(scenario('  - { at: 0s, offline: [alice.phone, bob.pc] }'), 'bob.pc', 'timeline[0].offline[1]: bob.pc is external: a real client plays it in cpmsim live, so the timeline cannot act for it');
    expectRefused(scenario('  - { at: 0s, send: { from: bob.pc, to: alice@a.example, text: x } }'), 'bob.pc', 'timeline[0].send.from: bob.pc is external: a real client plays it in cpmsim live, so the timeline cannot act for it');
  });

  test('a user whose devices are all external is no device to act for', () => {
    const text = scenario('  - { at: 0s, register: carol@b.example }', '').replace('  non-cpm:', '    carol@b.example: { devices: { pc: { external: true } } }\n  non-cpm:');
    expectRefused(text, 'carol@b.example }', 'timeline[0].register: names only external devices, which real clients play in cpmsim live', 'timeline:');
  });

  test('an empty list names no devices', () => {
    expectRefused(scenario('  - { at: 0s, online: [] }'), '[]', 'timeline[0].online: lists no devices');
  });
});

describe('each action', () => {
  test('register, in its mapping form, takes a password and the media the devices support', () => {
    expect(actions('  - { at: 0s, register: { devices: [alice.phone], password: 1234, media: [message, audio] } }')).toEqual([
      { kind: 'register', devices: ['alice.phone'], password: '1234', media: ['message', 'audio'] },
    ]);
    expect(actions('  - { at: 0s, register: { devices: alice.phone } }')).toEqual([{ kind: 'register', devices: ['alice.phone'] }]);
    expectRefused(scenario('  - { at: 0s, register: { device: alice.phone } }'), 'device:', "timeline[0].register: unknown field 'device'; did you mean 'devices'?");
  });

  test('the device actions that take devices', () => {
    expect(actions(['retrieve-deferred', 'offline', 'online', 'deregister', 'subscribe-reg'].map((kind, i) => `  - { at: ${i}s, ${kind}: [alice.phone, bob.phone] }`).join('\n'))).toEqual(
      ['retrieve-deferred', 'offline', 'online', 'deregister', 'subscribe-reg'].map((kind) => ({ kind, devices: ['alice.phone', 'bob.phone'] })),
    );
  });

  test('send keeps its optional fields only when written', () => {
    expect(actions('  - { at: 1s, send: { from: alice.phone, to: bob@b.example, text: 42, notify: display, privacy: true, content-type: image/svg+xml } }')).toEqual([
      { kind: 'send', from: 'alice.phone', to: 'sip:bob@b.example', text: '42', notify: ['display'], privacy: true, contentType: 'image/svg+xml' },
    ]);
    expect(actions('  - { at: 1s, send: { from: alice.phone, to: bob@b.example, text: x, privacy: false } }')).toEqual([{ kind: 'send', from: 'alice.phone', to: 'sip:bob@b.example', text: 'x', notify: [] }]);
  });

  test('notify lists each disposition once (RFC 5438 6.2)', () => {
    expect(actions('  - { at: 1s, send: { from: alice.phone, to: bob@b.example, text: x, notify: [positive-delivery, negative-delivery, display, processing] } }')[0]).toMatchObject({
      notify: ['positive-delivery', 'negative-delivery', 'display', 'processing'],
    });
    const text = scenario('  - { at: 1s, send: { from: alice.phone, to: bob@b.example, text: x, notify: [display, display] } }');
    expectRefused(text, 'display]', 'timeline[0].send.notify[1]: display is listed twice');
    expectRefused(scenario('  - { at: 1s, send: { from: alice.phone, to: bob@b.example, text: x, notify: 1 } }'), '1 }', 'timeline[0].send.notify: expected a string, got the number 1');
  });

  test('expires is whole seconds', () => {
    expect(actions('  - { at: 1s, send: { from: alice.phone, to: bob@b.example, text: x, expires: 0 } }')[0]).toMatchObject({ expiresSeconds: 0 });
    expect(actions('  - { at: 1s, send: { from: alice.phone, to: bob@b.example, text: x, expires: 2min } }')[0]).toMatchObject({ expiresSeconds: 120 });
    // RFC 3428 8 and RFC 3261 20.19: Expires is a count of seconds.
    const half = scenario('  - { at: 1s, send: { from: alice.phone, to: bob@b.example, text: x, expires: 1500ms } }');
    expectRefused(half, '1500ms', 'timeline[0].send.expires: expires is a whole number of seconds, got 1.5s');
    expect(actions(`${INVITE}\n  - { at: 2s, subscribe-participants: { from: alice.phone, session: s1, expires: 1min } }`)[1]).toEqual({ kind: 'subscribe-participants', from: 'alice.phone', session: 's1', expiresSeconds: 60 });
  });

  test('inject takes a request as it goes on the wire, from its request line', () => {
    const wire = 'MESSAGE sip:bob@b.example SIP/2.0\\r\\nMax-Forwards: 70\\r\\n\\r\\n';
    expect(actions(`  - { at: 1s, inject: { from: alice.phone, wire: "${wire}" } }`)).toEqual([{ kind: 'inject', from: 'alice.phone', wire: 'MESSAGE sip:bob@b.example SIP/2.0\r\nMax-Forwards: 70\r\n\r\n' }]);
    expect(actions('  - { at: 1s, inject: { from: alice.phone, wire: "OPTIONS sip:b.example SIP/2.0\\n" } }')[0]).toMatchObject({ wire: 'OPTIONS sip:b.example SIP/2.0\n' });
    for (const bad of ['message sip:bob@b.example SIP/2.0\\r\\n', 'MESSAGE sip:bob@b.example SIP/2.0', 'MESSAGE  SIP/2.0\\r\\n', ' MESSAGE sip:b SIP/2.0\\r\\n', 'MESSAGE sip:b SIP/2.0 \\r\\n', 'MESSAGE sip:b SIP/2x0\\r\\n']) {
      const text = scenario(`  - { at: 1s, inject: { from: alice.phone, wire: "${bad}" } }`);
      expectRefused(text, '"', 'timeline[0].inject.wire: wire must start with a request line, e.g. MESSAGE sip:bob@b.example SIP/2.0', 'wire:');
    }
  });

  test('non-cpm-send is from a user of a non-CPM system; a delivery report only when asked', () => {
    expect(actions('  - { at: 1s, non-cpm-send: { from: tel:+15559870001, to: alice@a.example, text: hi, id: n1 } }')).toEqual([
      { kind: 'non-cpm-send', from: 'tel:+15559870001', to: 'sip:alice@a.example', text: 'hi', deliveryReport: false, id: 'n1' },
    ]);
  });

  test('handset-off and handset-on take one SMS subscriber or a list', () => {
    expect(actions('  - { at: 1s, handset-off: tel:+15559870001 }\n  - { at: 2s, handset-on: [tel:+15559870001] }')).toEqual([
      { kind: 'handset-off', users: ['tel:+15559870001'] },
      { kind: 'handset-on', users: ['tel:+15559870001'] },
    ]);
    // A handset is a mobile's (SMPP 3.4 4.4): a mail user has none.
    const mail = scenario('  - { at: 1s, handset-off: mailto:carol@mail.example }');
    expectRefused(mail, 'mailto:carol@mail.example }', 'timeline[0].handset-off: mailto:carol@mail.example is not an SMS subscriber; SMS subscribers are: tel:+15559870001');
  });

  test('invite: message by default, flags only when true, reply-to a message received', () => {
    expect(actions(`  - { at: 1s, send: { from: bob.phone, to: alice@a.example, text: x, id: m1 } }\n  - { at: 2s, invite: { from: alice.phone, to: bob@b.example, id: s1, reply-to: m1, privacy: true, simplex: false, floor-control: false } }`)[1]).toEqual({
      kind: 'invite',
      from: 'alice.phone',
      to: 'sip:bob@b.example',
      media: ['message'],
      id: 's1',
      replyTo: 'm1',
      privacy: true,
    });
    expect(actions('  - { at: 1s, invite: { from: alice.phone, to: bob@b.example, id: s1, privacy: false } }')[0]).toEqual({ kind: 'invite', from: 'alice.phone', to: 'sip:bob@b.example', media: ['message'], id: 's1' });
    expectRefused(scenario('  - { at: 1s, invite: { from: alice.phone, to: bob@b.example } }'), '{ from: alice', "timeline[0].invite: missing required field 'id'");
  });

  test('an invite replying to a message not yet sent is refused at reply-to', () => {
    const text = scenario('  - { at: 1s, invite: { from: alice.phone, to: bob@b.example, id: s1, reply-to: m1 } }');
    expectRefused(text, 'm1', "timeline[0].invite.reply-to: no message labelled 'm1' is sent before this (give a send an id: m1)");
  });

  test('an Ad-hoc Group invites two users or more, as a list', () => {
    expect(actions('  - { at: 1s, invite: { from: alice.phone, to: [bob@b.example, carol@c.example], id: s1 } }')[0]).toMatchObject({ to: ['sip:bob@b.example', 'sip:carol@c.example'] });
    const one = scenario('  - { at: 1s, invite: { from: alice.phone, to: [bob@b.example], id: s1 } }');
    expectRefused(one, '[bob', 'timeline[0].invite.to: an Ad-hoc Group session invites at least two users; name one user without a list');
  });

  test('cancel and rejoin name a device and a session', () => {
    expect(actions(`${INVITE}\n  - { at: 2s, cancel: { device: alice.phone, session: s1 } }\n  - { at: 3s, rejoin: { device: alice.phone, session: s1 } }`).slice(1)).toEqual([
      { kind: 'cancel', device: 'alice.phone', session: 's1' },
      { kind: 'rejoin', device: 'alice.phone', session: 's1' },
    ]);
  });

  test('add and remove name at least one user', () => {
    const text = scenario(`${INVITE}\n  - { at: 2s, add: { from: alice.phone, session: s1, users: [] } }`);
    expectRefused(text, '[]', 'timeline[1].add.users: lists no users');
  });

  test('say asks for a success report only when true', () => {
    expect(actions(`${INVITE}\n  - { at: 2s, say: { from: alice.phone, session: s1, text: hi, success-report: true } }\n  - { at: 3s, say: { from: alice.phone, session: s1, text: ho, success-report: false } }`).slice(1)).toEqual([
      { kind: 'say', from: 'alice.phone', session: 's1', text: 'hi', successReport: true },
      { kind: 'say', from: 'alice.phone', session: 's1', text: 'ho' },
    ]);
  });

  test('talk lasts longer than 0s, and 1us is enough', () => {
    const rtp = '  rtp: true\n';
    expect(actions(`${INVITE}\n  - { at: 2s, talk: { from: alice.phone, session: s1, for: 1us } }`, rtp)[1]).toEqual({ kind: 'talk', from: 'alice.phone', session: 's1', durationUs: 1 });
    expect(actions('  - { at: 2s, register: alice.phone }', '  rtp: false\n')).toHaveLength(1);
    const zero = scenario(`${INVITE}\n  - { at: 2s, talk: { from: alice.phone, session: s1, for: 0s } }`, rtp);
    expectRefused(zero, '0s', 'timeline[1].talk.for: a talkspurt lasts longer than 0s', '  - { at: 2s');
    const off = scenario(`${INVITE}\n  - { at: 2s, talk: { from: alice.phone, session: s1, for: 1s } }`, '  rtp: false\n');
    expectRefused(off, 'talk:', 'timeline[1]: talk sends RTP, which a network sends only with rtp: true (network.rtp)');
  });

  test('app-send and app-reply are from an application; on-behalf-of is a user, as a SIP URI', () => {
    expect(actions('  - { at: 1s, app-send: { from: weather, to: alice@a.example, text: sun, on-behalf-of: bob@b.example } }\n  - { at: 2s, app-reply: { from: weather, text: rain } }')).toEqual([
      { kind: 'app-send', from: 'weather', to: 'sip:alice@a.example', text: 'sun', onBehalfOf: 'sip:bob@b.example' },
      { kind: 'app-reply', from: 'weather', text: 'rain' },
    ]);
    expect(actions('  - { at: 1s, app-send: { from: weather, to: alice@a.example, text: sun } }')[0]).toEqual({ kind: 'app-send', from: 'weather', to: 'sip:alice@a.example', text: 'sun' });
  });
});

describe('labels', () => {
  test('a reply with an id is a message a later read may name', () => {
    const list = actions(`  - { at: 1s, send: { from: alice.phone, to: bob@b.example, text: x, id: m1 } }
  - { at: 2s, reply: { from: bob.phone, to: m1, text: y, notify: display, id: m2 } }
  - { at: 3s, read: { device: alice.phone, message: m2 } }`);
    expect(list[1]).toEqual({ kind: 'reply', from: 'bob.phone', to: 'm1', text: 'y', notify: ['display'], id: 'm2' });
  });

  test('a message a non-CPM user sent may be replied to', () => {
    const list = actions('  - { at: 1s, non-cpm-send: { from: tel:+15559870001, to: alice@a.example, text: hi, id: n1 } }\n  - { at: 2s, reply: { from: alice.phone, to: n1, text: yo } }');
    expect(list[1]).toEqual({ kind: 'reply', from: 'alice.phone', to: 'n1', text: 'yo', notify: [] });
  });

  test('a read of a message not sent is refused at its message', () => {
    const text = scenario('  - { at: 1s, read: { device: alice.phone, message: m7 } }');
    expectRefused(text, 'm7', "timeline[0].read.message: no message labelled 'm7' is sent before this (give a send an id: m7)");
  });

  test('a label is used once, whichever action gave it', () => {
    const reply = scenario(`  - { at: 1s, send: { from: alice.phone, to: bob@b.example, text: x, id: m1 } }
  - { at: 2s, reply: { from: bob.phone, to: m1, text: y, id: m1 } }`);
    expectRefused(reply, 'm1 }', "timeline[1].reply.id: message label 'm1' is used twice", '  - { at: 2s');
    const sms = scenario(`  - { at: 1s, send: { from: alice.phone, to: bob@b.example, text: x, id: m1 } }
  - { at: 2s, non-cpm-send: { from: tel:+15559870001, to: alice@a.example, text: y, id: m1 } }`);
    expectRefused(sms, 'm1 }', "timeline[1].non-cpm-send.id: message label 'm1' is used twice", '  - { at: 2s');
  });

  test('session actions name a session invited before them', () => {
    const text = scenario(`${INVITE}\n  - { at: 2s, say: { from: alice.phone, session: s2, text: x } }`);
    expectRefused(text, 's2', "timeline[1].say.session: no session labelled 's2' is invited before this (give an invite an id: s2)");
  });

  test('a session label is given once', () => {
    const text = scenario(`${INVITE}\n  - { at: 2s, invite: { from: alice.phone, to: bob@b.example, id: s1 } }`);
    expectRefused(text, 's1 }', "timeline[1].invite.id: session label 's1' is used twice", '  - { at: 2s');
  });

  test('a session label is no message label, and the other way round', () => {
    const text = scenario(`${INVITE}\n  - { at: 2s, read: { device: alice.phone, message: s1 } }`);
    expectRefused(text, 's1 }', "timeline[1].read.message: no message labelled 's1' is sent before this (give a send an id: s1)", '  - { at: 2s');
    const send = scenario(`  - { at: 1s, send: { from: alice.phone, to: bob@b.example, text: x, id: m1 } }\n  - { at: 2s, leave: { device: alice.phone, session: m1 } }`);
    expectRefused(send, 'm1 }', "timeline[1].leave.session: no session labelled 'm1' is invited before this (give an invite an id: m1)", '  - { at: 2s');
  });
});
