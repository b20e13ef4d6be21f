/**
 * How src/scenario/refs.ts resolves the names a scenario uses: device refs, lifeline refs and
 * message targets, and the located error each wrong name gives.
 */
import { describe, expect, test } from 'vitest';
import { loadScenarioText } from '../../src/scenario/loader.js';
import { errorOf, pos } from './located-errors.js';

const FILE = 'n.yaml';

/** Alice, a user called core, Bob in b.example, a group and an application; `lifelines` and `send` filled in. */
const scenario = (lifelines: string, to = 'bob@b.example'): string => `title: T
network:
  domains: [a.example, b.example]
  users:
    alice@a.example: { devices: [phone] }
    core@a.example: { devices: [phone] }
    bob@b.example: { devices: [phone] }
  groups:
    team@b.example: { members: [alice@a.example, bob@b.example] }
  applications:
    weather: { provider: a.example }
lifelines:
${lifelines}
timeline:
  - { at: 0s, send: { from: alice.phone, to: "${to}", text: x } }
expect:
  steps:
    - { n: 1, from: A, to: A, request: MESSAGE }
`;

const refsOf = (lifelines: string): string[][] => loadScenarioText(scenario(lifelines), FILE).lifelines.map((l) => l.refs);
const targetOf = (to: string): unknown => loadScenarioText(scenario('  A: alice.phone', to), FILE).timeline[0]?.action;

describe('lifeline refs', () => {
  test('a server of a domain, a device of a user called like a server, an application, a long device ref', () => {
    expect(refsOf('  A: alice.phone\n  Core: core.a.example\n  Core user: core.phone\n  W: weather\n  B: bob@b.example/phone')).toEqual([
      ['alice.phone'],
      ['core.a.example'],
      ['core.phone'],
      ['weather.vas.example'],
      ['bob.phone'],
    ]);
  });

  test('a user where a device is meant says which device to name', () => {
    const text = scenario('  A: alice@a.example');
    expect(errorOf(text, FILE)).toBe(`${FILE}:${pos(text, 'alice@a.example', 'lifelines:')}: lifelines.A: expected a device, got the user alice@a.example; name one of its devices, e.g. alice.phone`);
  });

  test("the example device is the user's own, or alice.phone for a user the network lacks", () => {
    const bob = scenario('  A: bob@b.example');
    expect(errorOf(bob, FILE)).toBe(`${FILE}:${pos(bob, 'bob@b.example', 'lifelines:')}: lifelines.A: expected a device, got the user bob@b.example; name one of its devices, e.g. bob.phone`);
    const carol = scenario('  A: carol@a.example');
    expect(errorOf(carol, FILE)).toBe(`${FILE}:${pos(carol, 'carol@a.example', 'lifelines:')}: lifelines.A: expected a device, got the user carol@a.example; name one of its devices, e.g. alice.phone`);
  });

  test('a server of a domain the network lacks names the domain', () => {
    const text = scenario('  A: alice.phone\n  X: xdms.c.example');
    expect(errorOf(text, FILE)).toBe(`${FILE}:${pos(text, 'xdms.c.example')}: lifelines.X: unknown domain c.example; did you mean 'a.example'?`);
  });

  test('a domain name that is not one is said so', () => {
    const text = scenario('  A: alice.phone\n  X: "*@x_y"');
    expect(errorOf(text, FILE)).toBe(`${FILE}:${pos(text, '"*@x_y"')}: lifelines.X: 'x_y' is not a domain name; domains are: a.example, b.example`);
  });

  test('a device of an unknown user by its long ref', () => {
    const text = scenario('  A: carol@a.example/phone');
    expect(errorOf(text, FILE)).toBe(`${FILE}:${pos(text, 'carol@a.example/phone')}: lifelines.A: unknown user carol@a.example; users are: alice@a.example, core@a.example, bob@b.example`);
  });
});

describe('message targets', () => {
  test('a user or group address becomes a SIP URI; a URI of a known scheme is kept, in any case', () => {
    expect(targetOf('team@b.example')).toMatchObject({ to: 'sip:team@b.example' });
    expect(targetOf('carol@elsewhere.example')).toMatchObject({ to: 'sip:carol@elsewhere.example' });
    expect(targetOf('SIPS:bob@b.example')).toMatchObject({ to: 'SIPS:bob@b.example' });
    expect(targetOf('wv:carol@imps.example')).toMatchObject({ to: 'wv:carol@imps.example' });
  });

  test('what is neither is refused', () => {
    const text = scenario('  A: alice.phone', 'bob');
    expect(errorOf(text, FILE)).toBe(`${FILE}:${pos(text, '"bob"')}: timeline[0].send.to: 'bob' is not a user address like bob@b.example or a URI like sip:bob@b.example`);
  });
});
