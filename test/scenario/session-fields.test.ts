import { describe, expect, test } from 'vitest';
import { ScenarioError } from '../../src/scenario/errors.js';
import { loadScenarioText } from '../../src/scenario/loader.js';

const FILE = 's.yaml';

function scenario(devices: string, timeline: string): string {
  return `title: T
network:
  domains: [a.example, b.example, x.example]
  users:
    alice@a.example: { devices: [phone] }
    bob@b.example:
      devices: ${devices}
  groups:
    friends@x.example: { members: [alice@a.example, bob@b.example] }
lifelines:
  A: alice.phone
timeline:
${timeline}
expect:
  steps:
    - { n: 1, from: A, to: A, request: INVITE }
`;
}

const INVITE = '  - { at: 1s, invite: { from: alice.phone, to: friends@x.example, media: [message, audio], id: s1 } }';

/** The error message, and where it points as `line:col` of the first `needle` at or after `after`. */
function failure(text: string, needle: string, after = ''): { message: string; at: string } {
  const index = text.indexOf(needle, text.indexOf(after));
  const before = text.slice(0, index).split('\n');
  try {
    loadScenarioText(text, FILE);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return { message: e.message, at: `${before.length}:${before.at(-1)!.length + 1}` };
  }
  throw new Error('expected a ScenarioError');
}

describe('device session settings', () => {
  test('a mapping of devices gives each its answer and media', () => {
    const spec = loadScenarioText(scenario('{ b1: { answer: 2s }, b2: { answer: never, media: [message] }, b3: { answer: decline }, b4: }', INVITE), FILE);
    expect(spec.network.users[1]?.devices).toEqual([
      { name: 'b1', id: 'bob.b1', user: 'bob@b.example', answer: { kind: 'accept', after: 2_000_000 } },
      { name: 'b2', id: 'bob.b2', user: 'bob@b.example', answer: { kind: 'ignore' }, media: ['message'] },
      { name: 'b3', id: 'bob.b3', user: 'bob@b.example', answer: { kind: 'reject', status: 603 } },
      { name: 'b4', id: 'bob.b4', user: 'bob@b.example' },
    ]);
  });

  test('an unknown answer or media type is located', () => {
    const bad = scenario('{ b1: { answer: maybe } }', INVITE);
    const f = failure(bad, 'maybe');
    expect(f.message).toBe(`${FILE}:${f.at}: network.users["bob@b.example"].devices.b1.answer: unknown answer 'maybe'; allowed: a delay such as 2s, reject (486 Busy Here), decline (603 Decline), never`);
    const media = scenario('{ b1: { media: [message, hologram] } }', INVITE);
    expect(failure(media, 'hologram').message).toMatch(/devices\.b1\.media\[1\]: unknown value 'hologram'; allowed: message, audio, video$/);
  });
});

describe('session actions', () => {
  test('are read with their session labels', () => {
    const timeline = [
      INVITE,
      '  - { at: 2s, say: { from: alice.phone, session: s1, text: hello } }',
      '  - { at: 3s, subscribe-participants: { from: alice.phone, session: s1 } }',
      '  - { at: 4s, modify: { from: alice.phone, session: s1, media: [message, video] } }',
      '  - { at: 5s, remove: { from: alice.phone, session: s1, users: bob@b.example } }',
      '  - { at: 6s, add: { from: alice.phone, session: s1, users: [bob@b.example] } }',
      '  - { at: 7s, leave: { device: alice.phone, session: s1 } }',
    ].join('\n');
    const actions = loadScenarioText(scenario('[phone]', timeline), FILE).timeline.map((e) => e.action);
    expect(actions).toEqual([
      { kind: 'invite', from: 'alice.phone', to: 'sip:friends@x.example', media: ['message', 'audio'], id: 's1' },
      { kind: 'say', from: 'alice.phone', session: 's1', text: 'hello' },
      { kind: 'subscribe-participants', from: 'alice.phone', session: 's1' },
      { kind: 'modify', from: 'alice.phone', session: 's1', media: ['message', 'video'] },
      { kind: 'remove', from: 'alice.phone', session: 's1', users: ['sip:bob@b.example'] },
      { kind: 'add', from: 'alice.phone', session: 's1', users: ['sip:bob@b.example'] },
      { kind: 'leave', device: 'alice.phone', session: 's1' },
    ]);
  });

  test('a Participant Information subscription may say how long it lasts, in whole seconds', () => {
    const timeline = [INVITE, '  - { at: 3s, subscribe-participants: { from: alice.phone, session: s1, expires: 2min } }'].join('\n');
    expect(loadScenarioText(scenario('[phone]', timeline), FILE).timeline[1]?.action).toEqual({ kind: 'subscribe-participants', from: 'alice.phone', session: 's1', expiresSeconds: 120 });
    const bad = scenario('[phone]', [INVITE, '  - { at: 3s, subscribe-participants: { from: alice.phone, session: s1, expires: 2500ms } }'].join('\n'));
    const f = failure(bad, '2500ms');
    expect(f.message).toBe(`${FILE}:${f.at}: timeline[1].subscribe-participants.expires: expires is a whole number of seconds, got 2.5s`);
  });

  test('an invitation of several users is an Ad-hoc Group of at least two', () => {
    const adHoc = scenario('[phone]', '  - { at: 1s, invite: { from: alice.phone, to: [bob@b.example, alice@a.example], id: s1 } }');
    expect(loadScenarioText(adHoc, FILE).timeline[0]?.action).toMatchObject({ to: ['sip:bob@b.example', 'sip:alice@a.example'], media: ['message'] });
    const one = scenario('[phone]', '  - { at: 1s, invite: { from: alice.phone, to: [bob@b.example], id: s1 } }');
    expect(failure(one, '[bob').message).toMatch(/timeline\[0\]\.invite\.to: an Ad-hoc Group session invites at least two users/);
  });

  test('a session action must name a session invited before it', () => {
    const text = scenario('[phone]', ['  - { at: 1s, leave: { device: alice.phone, session: s9 } }', INVITE].join('\n'));
    const f = failure(text, 's9');
    expect(f.message).toBe(`${FILE}:${f.at}: timeline[0].leave.session: no session labelled 's9' is invited before this (give an invite an id: s9)`);
  });

  test('session labels are unique, and users to add must exist', () => {
    const twice = scenario('[phone]', [INVITE, INVITE.replace('1s', '2s')].join('\n'));
    expect(failure(twice, 'id: s1', '2s').message).toMatch(/timeline\[1\]\.invite\.id: session label 's1' is used twice$/);
    const unknown = scenario('[phone]', [INVITE, '  - { at: 2s, add: { from: alice.phone, session: s1, users: [carol@b.example] } }'].join('\n'));
    expect(failure(unknown, 'carol').message).toMatch(/timeline\[1\]\.add\.users\[0\]: .*carol@b\.example/);
  });
});

describe('talk (RTP, RFC 3550)', () => {
  const TALK = '  - { at: 2s, talk: { from: alice.phone, session: s1, for: 100ms } }';
  const withRtp = (text: string): string => text.replace('network:\n', 'network:\n  rtp: true\n');

  test('is read with its talkspurt when the network sends RTP', () => {
    const spec = loadScenarioText(withRtp(scenario('[phone]', [INVITE, TALK].join('\n'))), FILE);
    expect(spec.network.rtp).toBe(true);
    expect(spec.timeline[1]?.action).toEqual({ kind: 'talk', from: 'alice.phone', session: 's1', durationUs: 100_000 });
  });

  test('needs network.rtp, and a talkspurt longer than nothing', () => {
    const text = scenario('[phone]', [INVITE, TALK].join('\n'));
    const f = failure(text, 'talk:');
    expect(f.message).toBe(`${FILE}:${f.at}: timeline[1]: talk sends RTP, which a network sends only with rtp: true (network.rtp)`);
    const zero = withRtp(scenario('[phone]', [INVITE, TALK.replace('100ms', '0s')].join('\n')));
    expect(failure(zero, '0s', 'talk').message).toMatch(/timeline\[1\]\.talk\.for: a talkspurt lasts longer than 0s$/);
  });
});

describe('simplex and floor control on an invitation', () => {
  test('are read as flags of the invite', () => {
    const text = scenario('[phone]', '  - { at: 1s, invite: { from: alice.phone, to: friends@x.example, media: [audio], id: s1, simplex: true, floor-control: true } }');
    expect(loadScenarioText(text, FILE).timeline[0]?.action).toMatchObject({ kind: 'invite', simplex: true, floorControl: true });
  });
});

describe('privacy on an invitation (RFC 3323)', () => {
  test('is read as a flag of the invite, absent unless asked', () => {
    const asked = scenario('[phone]', '  - { at: 1s, invite: { from: alice.phone, to: friends@x.example, id: s1, privacy: true } }');
    expect(loadScenarioText(asked, FILE).timeline[0]?.action).toMatchObject({ kind: 'invite', privacy: true });
    const plain = scenario('[phone]', '  - { at: 1s, invite: { from: alice.phone, to: friends@x.example, id: s1, privacy: false } }');
    expect(loadScenarioText(plain, FILE).timeline[0]?.action).not.toHaveProperty('privacy');
  });
});

describe('device session timers (RFC 4028)', () => {
  test('session-timer gives the device its session interval in seconds', () => {
    const spec = loadScenarioText(scenario('{ b1: { session-timer: 90s }, b2: { session-timer: 30min } }', INVITE), FILE);
    expect(spec.network.users[1]?.devices.map((d) => d.sessionTimer)).toEqual([90, 1800]);
  });

  test('an interval that is not whole seconds, or zero, is located', () => {
    for (const value of ['1500ms', '0']) {
      const bad = scenario(`{ b1: { session-timer: ${value} } }`, INVITE);
      const f = failure(bad, value, 'session-timer');
      expect(f.message).toBe(`${FILE}:${f.at}: network.users["bob@b.example"].devices.b1.session-timer: session-timer is a whole number of seconds, at least 1s`);
    }
  });
});
