import { describe, expect, test } from 'vitest';
import { ScenarioError } from '../../src/scenario/errors.js';
import { loadScenarioText } from '../../src/scenario/loader.js';

const FILE = 'group.yaml';

/** A valid scenario with a group; tests change one line of it (numbered from 1). */
const BASE = `title: T
network:
  domains: [a.example, b.example, x.example]
  users:
    alice@a.example: { devices: [phone] }
    bob@b.example: { devices: [phone] }
  groups:
    friends@x.example: { members: [alice@a.example, bob@b.example], senders: members }
lifelines:
  Client A: alice.phone
  Core X: core.x.example
timeline:
  - at: 0s
    register: [alice.phone, bob.phone]
  - at: 1s
    send: { from: alice.phone, to: friends@x.example, text: Hello }
expect:
  ignore:
    - { user: bob@b.example }
  steps:
    - { n: 1, from: Client A, to: Core X, request: MESSAGE }
`;

function edit(n: number, text: string): string {
  const lines = BASE.split('\n');
  expect(lines[n - 1], `line ${n} exists`).toBeDefined();
  lines.splice(n - 1, 1, ...(text === '' ? [] : [text]));
  return lines.join('\n');
}

function errorOf(text: string): string {
  try {
    loadScenarioText(text, FILE);
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as ScenarioError).message;
  }
  throw new Error('expected the scenario to be refused');
}

describe('network.groups', () => {
  test('reads a group, its members and its sender policy', () => {
    const spec = loadScenarioText(BASE, FILE);
    expect(spec.network.groups).toEqual([
      { address: 'friends@x.example', members: ['alice@a.example', 'bob@b.example'], senders: 'members', policy: {}, path: ['network', 'groups', 'friends@x.example'] },
    ]);
  });

  test('lets anyone send when senders is anyone, members by default', () => {
    expect(loadScenarioText(edit(8, '    friends@x.example: { members: bob@b.example, senders: anyone }'), FILE).network.groups?.[0]).toMatchObject({
      members: ['bob@b.example'],
      senders: 'anyone',
    });
    expect(loadScenarioText(edit(8, '    friends@x.example: { members: [bob@b.example] }'), FILE).network.groups?.[0]?.senders).toBe('members');
  });

  test('a message may be sent to the group address', () => {
    const spec = loadScenarioText(BASE, FILE);
    expect(spec.timeline[1]?.action).toMatchObject({ kind: 'send', to: 'sip:friends@x.example' });
  });

  test('a network without groups has no groups entry', () => {
    const text = BASE.replace(/ {2}groups:\n.*\n/, '').replace('to: friends@x.example', 'to: bob@b.example');
    expect(loadScenarioText(text, FILE).network.groups).toBeUndefined();
  });

  test('refuses an unknown member', () => {
    expect(errorOf(edit(8, '    friends@x.example: { members: [alice@a.example, bobby@b.example] }'))).toBe(
      "group.yaml:8:53: network.groups[\"friends@x.example\"].members[1]: unknown user bobby@b.example; did you mean 'bob@b.example'?",
    );
  });

  test('refuses a member listed twice', () => {
    expect(errorOf(edit(8, '    friends@x.example: { members: [bob@b.example, bob@b.example] }'))).toBe(
      'group.yaml:8:51: network.groups["friends@x.example"].members[1]: bob@b.example is listed twice',
    );
  });

  test('refuses a group without members', () => {
    expect(errorOf(edit(8, '    friends@x.example: { members: [] }'))).toBe(
      'group.yaml:8:35: network.groups["friends@x.example"].members: a group needs at least one member',
    );
    expect(errorOf(edit(8, '    friends@x.example: { senders: anyone }'))).toBe(
      'group.yaml:8:24: network.groups["friends@x.example"]: a group needs at least one member',
    );
    expect(errorOf(edit(8, '    friends@x.example:'))).toBe('group.yaml:8:5: network.groups: a group needs at least one member');
  });

  test('refuses a group in a domain the network does not declare', () => {
    expect(errorOf(edit(8, '    friends@y.example: { members: [bob@b.example] }'))).toBe(
      'group.yaml:8:5: network.groups: group friends@y.example is in y.example, which is not in network.domains',
    );
  });

  test('refuses a group in a domain without CPM service', () => {
    expect(errorOf(edit(3, '  domains: { a.example: {}, b.example: {}, x.example: { cpm: false } }'))).toBe(
      'group.yaml:8:5: network.groups: group friends@x.example is in x.example, which has no CPM Conversation Server to host it (cpm: false)',
    );
  });

  test('refuses a group address that is not an address, or is a user', () => {
    expect(errorOf(edit(8, '    friends: { members: [bob@b.example] }'))).toBe(
      "group.yaml:8:5: network.groups: group 'friends' is not an address like friends@x.example",
    );
    expect(errorOf(edit(8, '    bob@b.example: { members: [alice@a.example] }'))).toBe(
      'group.yaml:8:5: network.groups: bob@b.example is already a user; a group needs an address of its own',
    );
  });

  test('refuses an unknown field and an unknown sender policy', () => {
    expect(errorOf(edit(8, '    friends@x.example: { members: [bob@b.example], sender: anyone }'))).toBe(
      "group.yaml:8:52: network.groups[\"friends@x.example\"]: unknown field 'sender'; did you mean 'senders'?",
    );
    expect(errorOf(edit(8, '    friends@x.example: { members: [bob@b.example], senders: all }'))).toBe(
      'group.yaml:8:61: network.groups["friends@x.example"].senders: unknown value \'all\'; allowed: members, anyone',
    );
  });

  test('send.to still refuses an address of a declared domain that is neither a user nor a group', () => {
    expect(errorOf(edit(16, '    send: { from: alice.phone, to: family@x.example, text: Hello }'))).toBe(
      "group.yaml:16:36: timeline[1].send.to: unknown user family@x.example; users are: alice@a.example, bob@b.example",
    );
  });
});

describe('the group policy of a domain', () => {
  test('reads group-imdn', () => {
    const spec = loadScenarioText(edit(3, '  domains: { a.example: {}, b.example: {}, x.example: { policy: { group-imdn: aggregate } } }'), FILE);
    expect(spec.network.domains[2]?.policy).toEqual({ groupImdn: 'aggregate' });
  });

  test('refuses an unknown group-imdn value', () => {
    expect(errorOf(edit(3, '  domains: { a.example: {}, b.example: {}, x.example: { policy: { group-imdn: merge } } }'))).toBe(
      "group.yaml:3:79: network.domains[\"x.example\"].policy.group-imdn: unknown value 'merge'; allowed: forward, aggregate",
    );
  });
});

describe('expect.ignore user', () => {
  test('names a user of the network', () => {
    expect(loadScenarioText(BASE, FILE).expect.ignore).toEqual([{ user: 'bob@b.example', path: ['expect', 'ignore', 0] }]);
    expect(errorOf(edit(19, '    - { user: carol@b.example }'))).toBe(
      "group.yaml:19:15: expect.ignore[0].user: unknown user carol@b.example; users are: alice@a.example, bob@b.example",
    );
  });
});
