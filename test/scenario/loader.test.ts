import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ScenarioError } from '../../src/scenario/errors.js';
import { loadScenarioFile, loadScenarioText } from '../../src/scenario/loader.js';

const FILE = 'pager.yaml';

const EXAMPLE = `title: Pager Mode CPM Message to a CPM User (originating side)
description: optional free text
spec: { section: C.3.1.1.1, figure: 16 }
seed: 7
network:
  domains: [a.example, b.example]
  users:
    alice@a.example: { devices: [phone] }
    bob@b.example:   { devices: [phone, tablet] }
  links: { delay: 1ms, inter-domain-delay: 10ms }
lifelines:
  Client A: alice.phone
  SIP/IP Core A: core.a.example
  CPM Conversation Server A: cs.a.example
  CPM System B: "*@b.example"
timeline:
  - at: 0s
    register: [alice.phone, bob.phone]
  - at: 1s
    send: { from: alice.phone, to: bob@b.example, text: Hello, notify: [positive-delivery] }
  - at: 1s
    register: bob@b.example
  - at: 5s
    deregister: alice.phone
expect:
  from: 1s
  steps:
    - { n: 1, from: Client A, to: SIP/IP Core A, request: MESSAGE }
    - { n: 2, from: CPM System B, to: SIP/IP Core A, response: 200 }
    - { n: 3, from: CPM System B, to: SIP/IP Core A, request: MESSAGE, body: message/imdn+xml, note: delivery notification }
limits: { max-events: 5000, until: 10min, wall-clock: 30s, memory: 512 }
`;

/** A small valid scenario; error tests change one line of it (numbered from 1). */
const BASE = `title: T
network:
  domains: [a.example, b.example]
  users:
    alice@a.example: { devices: [phone] }
    bob@b.example: { devices: [phone, tablet] }
lifelines:
  Client A: alice.phone
  Core A: core.a.example
  System B: "*@b.example"
timeline:
  - at: 0s
    register: [alice.phone, bob.phone]
  - at: 1s
    send: { from: alice.phone, to: bob@b.example, text: Hello }
expect:
  steps:
    - { n: 1, from: Client A, to: Core A, request: MESSAGE }
    - { n: 2, from: Core A, to: Client A, response: 200 }
`;

/** BASE with line `n` replaced by `text` (which may hold several lines, or none). */
function edit(n: number, text: string, base = BASE): string {
  const lines = base.split('\n');
  expect(lines[n - 1], `line ${n} exists`).toBeDefined();
  lines.splice(n - 1, 1, ...(text === '' ? [] : [text]));
  return lines.join('\n');
}

function errorOf(text: string): ScenarioError {
  try {
    loadScenarioText(text, FILE);
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return err as ScenarioError;
  }
  throw new Error('expected the scenario to be refused');
}

function expectError(text: string, line: number, col: number, reason: string): void {
  expect(errorOf(text).message).toBe(`${FILE}:${line}:${col}: ${reason}`);
}

describe('a valid scenario', () => {
  const spec = loadScenarioText(EXAMPLE, FILE);

  test('has its header', () => {
    expect(spec.file).toBe(FILE);
    expect(spec.title).toBe('Pager Mode CPM Message to a CPM User (originating side)');
    expect(spec.description).toBe('optional free text');
    expect(spec.spec).toEqual({ section: 'C.3.1.1.1', figure: 16 });
    expect(spec.seed).toBe(7);
    expect(spec.limits).toEqual({ maxEvents: 5000, untilUs: 600_000_000, wallClockMs: 30_000, memoryMiB: 512 });
  });

  test('has its network', () => {
    expect(spec.network).toEqual({
      domains: [
        { name: 'a.example', cpm: true, auth: 'none', policy: {}, core: {} },
        { name: 'b.example', cpm: true, auth: 'none', policy: {}, core: {} },
      ],
      users: [
        {
          address: 'alice@a.example',
          local: 'alice',
          domain: 'a.example',
          aliases: [],
          preferences: {},
          devices: [{ name: 'phone', id: 'alice.phone', user: 'alice@a.example' }],
          path: ['network', 'users', 'alice@a.example'],
        },
        {
          address: 'bob@b.example',
          local: 'bob',
          domain: 'b.example',
          aliases: [],
          preferences: {},
          devices: [
            { name: 'phone', id: 'bob.phone', user: 'bob@b.example' },
            { name: 'tablet', id: 'bob.tablet', user: 'bob@b.example' },
          ],
          path: ['network', 'users', 'bob@b.example'],
        },
      ],
      links: { delayUs: 1_000, interDomainDelayUs: 10_000 },
    });
  });

  test('has its lifelines in file order', () => {
    expect(spec.lifelines).toEqual([
      { name: 'Client A', refs: ['alice.phone'], path: ['lifelines', 'Client A'] },
      { name: 'SIP/IP Core A', refs: ['core.a.example'], path: ['lifelines', 'SIP/IP Core A'] },
      { name: 'CPM Conversation Server A', refs: ['cs.a.example'], path: ['lifelines', 'CPM Conversation Server A'] },
      { name: 'CPM System B', refs: ['*@b.example'], path: ['lifelines', 'CPM System B'] },
    ]);
  });

  test('has its timeline in file order', () => {
    expect(spec.timeline).toEqual([
      { atUs: 0, action: { kind: 'register', devices: ['alice.phone', 'bob.phone'] }, path: ['timeline', 0] },
      {
        atUs: 1_000_000,
        action: { kind: 'send', from: 'alice.phone', to: 'sip:bob@b.example', text: 'Hello', notify: ['positive-delivery'] },
        path: ['timeline', 1],
      },
      { atUs: 1_000_000, action: { kind: 'register', devices: ['bob.phone', 'bob.tablet'] }, path: ['timeline', 2] },
      { atUs: 5_000_000, action: { kind: 'deregister', devices: ['alice.phone'] }, path: ['timeline', 3] },
    ]);
  });

  test('has its expected steps', () => {
    expect(spec.expect).toEqual({
      fromUs: 1_000_000,
      steps: [
        { n: 1, from: 'Client A', to: 'SIP/IP Core A', request: 'MESSAGE', path: ['expect', 'steps', 0] },
        { n: 2, from: 'CPM System B', to: 'SIP/IP Core A', response: 200, path: ['expect', 'steps', 1] },
        {
          n: 3,
          from: 'CPM System B',
          to: 'SIP/IP Core A',
          request: 'MESSAGE',
          body: 'message/imdn+xml',
          note: 'delivery notification',
          path: ['expect', 'steps', 2],
        },
      ],
      actions: [],
      ignore: [],
      never: [],
      underFaults: false,
    });
  });

  test('locates nodes of the source, or their nearest existing ancestor', () => {
    expect(spec.locate(['timeline', 1, 'send', 'to'])).toEqual({ file: FILE, line: 20, col: 36 });
    expect(spec.locate(['timeline', 1, 'send', 'missing'])).toEqual({ file: FILE, line: 20, col: 11 });
    expect(spec.locate(['network', 'users', 'bob@b.example'])).toEqual({ file: FILE, line: 9, col: 22 });
    expect(spec.locate(spec.expect.steps[2]?.path ?? [])).toEqual({ file: FILE, line: 30, col: 7 });
    expect(spec.locate([])).toEqual({ file: FILE, line: 1, col: 1 });
  });
});

describe('defaults and alternative forms', () => {
  test('seed, limits, links, devices and the expect window have defaults', () => {
    const spec = loadScenarioText(edit(6, '    bob@b.example: { devices: [phone, tablet] }\n    carol@a.example:'), FILE);
    expect(spec.seed).toBe(1);
    expect(spec.limits).toEqual({ maxEvents: 1_000_000, untilUs: 3_600_000_000, wallClockMs: 600_000, memoryMiB: 2048 });
    expect(spec.network.links).toEqual({ delayUs: 1_000, interDomainDelayUs: 10_000 });
    expect(spec.network.users[2]?.devices).toEqual([{ name: 'device', id: 'carol.device', user: 'carol@a.example' }]);
    expect(spec.expect.fromUs).toBe(0);
    expect(spec.description).toBeUndefined();
    expect(spec.spec).toBeUndefined();
  });

  test('domains may be a mapping with cpm settings', () => {
    const spec = loadScenarioText(edit(3, '  domains: { a.example: {}, b.example: { cpm: false } }'), FILE);
    expect(spec.network.domains).toEqual([
      { name: 'a.example', cpm: true, auth: 'none', policy: {}, core: {} },
      { name: 'b.example', cpm: false, auth: 'none', policy: {}, core: {} },
    ]);
  });

  test("without domains, the users' domains are the network", () => {
    const spec = loadScenarioText(edit(3, ''), FILE);
    expect(spec.network.domains).toEqual([
      { name: 'a.example', cpm: true, auth: 'none', policy: {}, core: {} },
      { name: 'b.example', cpm: true, auth: 'none', policy: {}, core: {} },
    ]);
  });

  test('a local part shared by two users gives long device ids, and refs must use them', () => {
    const text = edit(6, '    alice@b.example: { devices: [phone], password: 1234 }')
      .replace('register: [alice.phone, bob.phone]', 'register: alice@b.example')
      .replace('Client A: alice.phone', 'Client A: [alice@a.example/phone]')
      .replace('from: alice.phone', 'from: alice@a.example/phone')
      .replace('to: bob@b.example', 'to: alice@b.example');
    const spec = loadScenarioText(text, FILE);
    expect(spec.network.users.map((user) => user.devices[0]?.id)).toEqual(['alice@a.example/phone', 'alice@b.example/phone']);
    expect(spec.network.users[1]?.password).toBe('1234');
    expect(spec.lifelines[0]?.refs).toEqual(['alice@a.example/phone']);
    expect(spec.timeline.map((entry) => entry.action)).toEqual([
      { kind: 'register', devices: ['alice@b.example/phone'] },
      { kind: 'send', from: 'alice@a.example/phone', to: 'sip:alice@b.example', text: 'Hello', notify: [] },
    ]);
  });

  test.each([
    ['sip:carol@c.example', 'sip:carol@c.example'],
    ['tel:+15551234', 'tel:+15551234'],
    ['mailto:bob@b.example', 'mailto:bob@b.example'],
    ['carol@c.example', 'sip:carol@c.example'],
  ])('send.to %s becomes %s', (to, uri) => {
    const spec = loadScenarioText(edit(15, `    send: { from: alice.phone, to: "${to}", text: "42" }`), FILE);
    expect(spec.timeline[1]?.action).toEqual({ kind: 'send', from: 'alice.phone', to: uri, text: '42', notify: [] });
  });

  test('anchors and aliases are followed', () => {
    const text = edit(6, '    bob@b.example: &settings { devices: [phone, tablet] }\n    carol@b.example: *settings');
    expect(loadScenarioText(text, FILE).network.users[2]?.devices.map((device) => device.id)).toEqual(['carol.phone', 'carol.tablet']);
  });

  test('response classes and quoted codes are accepted', () => {
    const spec = loadScenarioText(edit(19, '    - { n: 2, from: Core A, to: Client A, response: 2XX }\n    - { n: 3, from: Core A, to: Client A, response: "202" }'), FILE);
    expect(spec.expect.steps.map((step) => step.response)).toEqual([undefined, '2xx', 202]);
  });
});

describe('refused scenarios', () => {
  test('YAML syntax error', () => {
    expectError(edit(13, '    register: [alice.phone, bob.phone'), 14, 3, 'Flow sequence in block collection must be sufficiently indented and end with a ]');
  });

  test('duplicate key', () => {
    expectError(edit(15, '    send: { from: alice.phone, to: bob@b.example, text: Hello, text: Bye }'), 15, 64, 'Map keys must be unique');
  });

  test('more than one YAML document', () => {
    expectError(`${BASE}---\ntitle: U\n`, 20, 1, "a scenario file holds one YAML document; remove this '---'");
  });

  test('alias without an anchor before it', () => {
    expectError(edit(1, 'title: *name'), 1, 8, 'title: alias *name has no anchor &name before it');
  });

  test('empty file', () => {
    expectError('', 1, 1, 'expected a mapping, got nothing');
  });

  test('wrong type', () => {
    expectError(edit(15, '    send: { from: alice.phone, to: [bob@b.example], text: Hello }'), 15, 36, 'timeline[1].send.to: expected a string, got a list');
  });

  test('wrong type: number for a string', () => {
    expectError(edit(18, '    - { n: 1, from: Client A, to: Core A, request: 42 }'), 18, 52, 'expect.steps[0].request: expected a string, got the number 42');
  });

  test('unknown field with a suggestion', () => {
    expectError(
      edit(15, '    send: { from: alice.phone, to: bob@b.example, text: Hello, notfy: [display] }'),
      15,
      64,
      "timeline[1].send: unknown field 'notfy'; did you mean 'notify'?",
    );
  });

  test('unknown field without a suggestion', () => {
    expectError(
      edit(1, 'title: T\ncolour: red'),
      2,
      1,
      "unknown field 'colour'; expected one of: title, description, spec, covers, seed, duration, network, lifelines, timeline, expect, monitors, limits",
    );
  });

  test.each([
    ['title', edit(1, 'seed: 3'), 1, 1, "missing required field 'title'"],
    ['network (misspelt)', edit(2, 'netwerk:'), 2, 1, "unknown field 'netwerk'; did you mean 'network'?"],
    ['network', BASE.replace(/network:\n(  .*\n)+/, ''), 1, 1, "missing required field 'network'"],
    ['network.users', BASE.replace(/  users:\n( {4}.*\n)+/, '  links: { delay: 2ms }\n'), 3, 3, "network: missing required field 'users'"],
    ['lifelines', BASE.replace(/lifelines:\n(  .*\n)+/, ''), 1, 1, "missing required field 'lifelines'"],
    ['timeline', BASE.replace(/timeline:\n(  .*\n)+/, ''), 1, 1, "missing required field 'timeline'"],
    ['expect', BASE.replace(/expect:\n(  .*\n)+/, ''), 1, 1, "missing required field 'expect'"],
    ['expect.steps', edit(17, '  from: 0s').replace(/ {4}- \{ n.*\n/g, ''), 17, 3, "expect: missing required field 'steps'"],
  ])('missing %s', (_field, text, line, col, reason) => {
    expectError(text, line, col, reason);
  });

  test('timeline entry without an action', () => {
    expectError(
      edit(13, ''),
      12,
      5,
      'timeline[0]: a timeline entry needs an action: register, deregister, subscribe-reg, send, reply, read, retrieve-deferred, offline, online, inject, non-cpm-send, handset-off, handset-on, invite, cancel, leave, rejoin, add, remove, modify, subscribe-participants, say, talk, app-send, app-reply',
    );
  });

  test('timeline entry with two actions', () => {
    expectError(edit(13, '    register: alice.phone\n    deregister: bob.phone'), 14, 5, 'timeline[0]: a timeline entry has one action, found register and deregister');
  });

  test('timeline entry without a time', () => {
    expectError(edit(12, '  - register: alice.phone').replace(/\n {4}register: \[.*/, ''), 12, 5, "timeline[0]: missing required field 'at'");
  });

  test('a time without a unit', () => {
    expectError(edit(14, '  - at: 5'), 14, 9, 'timeline[1].at: duration 5 needs a unit: us, ms, s, min or h');
  });

  test('a time after limits.until', () => {
    expectError(edit(14, '  - at: 2h'), 14, 9, 'timeline[1].at: 2h is after limits.until (1h)');
  });

  test('unknown device ref', () => {
    expectError(edit(13, '    register: [alice.phone, bob.phon]'), 13, 29, "timeline[0].register[1]: unknown device bob.phon; did you mean 'bob.phone'?");
  });

  test('unknown device of a known user', () => {
    expectError(edit(13, '    register: bob@b.example/laptop'), 13, 15, 'timeline[0].register: unknown device bob@b.example/laptop; bob@b.example has: bob.phone, bob.tablet');
  });

  test('unknown user ref', () => {
    expectError(edit(13, '    register: carol@a.example'), 13, 15, 'timeline[0].register: unknown user carol@a.example; users are: alice@a.example, bob@b.example');
  });

  test('ambiguous short device ref', () => {
    expectError(
      edit(6, '    alice@b.example: { devices: [phone] }\n    bob@b.example: { devices: [phone, tablet] }'),
      9,
      13,
      'lifelines["Client A"]: device alice.phone is ambiguous (alice@a.example and alice@b.example); write it as alice@a.example/phone',
    );
  });

  test('a user where a single device is needed', () => {
    expectError(
      edit(15, '    send: { from: alice@a.example, to: bob@b.example, text: Hello }'),
      15,
      19,
      'timeline[1].send.from: expected a device, got the user alice@a.example; name one of its devices, e.g. alice.phone',
    );
  });

  test('a device listed twice', () => {
    expectError(edit(13, '    register: [bob.phone, bob@b.example]'), 13, 27, 'timeline[0].register[1]: bob.phone is listed twice');
  });

  test.each([
    ['"*@c.example"', 13, "unknown domain c.example; did you mean 'a.example'?"],
    ['proxy.a.example', 13, "unknown device proxy.a.example; devices are: alice.phone, bob.phone, bob.tablet"],
    ['cs.a.exampel', 13, "unknown domain a.exampel; did you mean 'a.example'?"],
    ['alice', 13, "'alice' is not a lifeline ref: use a device (alice.phone), an application, all of a domain (*@a.example) or a server (core.a.example, cs.a.example, xdms.a.example, isf.a.example, iwf-sms.a.example, iwf-email.a.example, iwf-mms.a.example, iwf-imps.a.example, smsc.a.example, mx.a.example, mmsc.a.example, imps.a.example)"],
  ])('lifeline ref %s is refused', (ref, col, reason) => {
    expectError(edit(10, `  System B: ${ref}`), 10, col, `lifelines["System B"]: ${reason}`);
  });

  test('lifeline ref claimed by two lifelines', () => {
    expectError(edit(10, '  System B: [bob.phone, core.a.example]'), 10, 25, `lifelines["System B"][1]: core.a.example already belongs to lifeline 'Core A'`);
  });

  test('step between undeclared lifelines', () => {
    expectError(edit(18, '    - { n: 1, from: Client B, to: Core A, request: MESSAGE }'), 18, 21, "expect.steps[0].from: unknown lifeline 'Client B'; did you mean 'Client A'?");
  });

  test('step numbers out of order', () => {
    expectError(
      edit(19, '    - { n: 2, from: Core A, to: Client A, response: 200 }\n    - { n: 3, from: Core A, to: Client A, response: 200 }\n    - { n: 5, from: Core A, to: Client A, response: 200 }'),
      21,
      12,
      'expect.steps[3].n: step numbers must run 1, 2, 3... (a number may repeat for a step of several arrows): expected 3 or 4, found 5',
    );
  });

  test('step with neither request nor response', () => {
    expectError(edit(19, '    - { n: 2, from: Core A, to: Client A }'), 19, 7, 'expect.steps[1]: a step needs a request (e.g. MESSAGE) or a response (e.g. 200)');
  });

  test('step with both request and response', () => {
    expectError(edit(19, '    - { n: 2, from: Core A, to: Client A, request: MESSAGE, response: 200 }'), 19, 61, 'expect.steps[1]: a step is a request or a response, not both');
  });

  test('request that is not an uppercase method', () => {
    expectError(edit(18, '    - { n: 1, from: Client A, to: Core A, request: message }'), 18, 52, "expect.steps[0].request: 'message' is not a request of a simulated protocol (SIP, MSRP or HTTP method, SMTP verb, SMPP command, RTP or RTCP packet, BFCP, MM7 or IMPS CSP primitive); did you mean 'MESSAGE'?");
  });

  test.each([
    ['700', 'the number 700'],
    ['2xxx', "the text '2xxx'"],
    ['[200]', 'a list'],
  ])('response %s is refused', (response, got) => {
    expectError(edit(19, `    - { n: 2, from: Core A, to: Client A, response: ${response} }`), 19, 53, `expect.steps[1].response: expected a status code from 100 to 699, a class like 2xx or an SMPP response like submit_sm_resp, got ${got}`);
  });

  test('unknown notify value', () => {
    expectError(
      edit(15, '    send: { from: alice.phone, to: bob@b.example, text: Hello, notify: [display, delivery] }'),
      15,
      82,
      "timeline[1].send.notify[1]: unknown notify value 'delivery'; allowed: positive-delivery, negative-delivery, display, processing",
    );
  });

  test('domain named twice', () => {
    expectError(edit(3, '  domains: [a.example, b.example, a.example]'), 3, 35, 'network.domains[2]: domain a.example is named twice');
  });

  test('user address without a domain', () => {
    expectError(edit(5, '    alice: { devices: [phone] }'), 5, 5, "network.users: user 'alice' is not an address like alice@a.example");
  });

  test('user in an undeclared domain', () => {
    expectError(edit(5, '    alice@c.example: { devices: [phone] }'), 5, 5, 'network.users: user alice@c.example is in c.example, which is not in network.domains');
  });

  test('send to an unknown user of a declared domain', () => {
    expectError(edit(15, '    send: { from: alice.phone, to: carol@b.example, text: Hello }'), 15, 36, 'timeline[1].send.to: unknown user carol@b.example; users are: alice@a.example, bob@b.example');
  });

  test('send to an unsupported URI scheme', () => {
    expectError(edit(15, '    send: { from: alice.phone, to: "http://b.example", text: Hello }'), 15, 36, "timeline[1].send.to: unsupported URI scheme 'http': use sip, sips, tel, mailto, wv");
  });

  test('negative seed', () => {
    expectError(edit(1, 'title: T\nseed: -1'), 2, 7, 'seed: the seed must not be negative');
  });

  test('the error carries its parts and prints as one line', () => {
    const err = errorOf(edit(14, '  - at: 5'));
    expect([err.file, err.line, err.col, err.reason]).toEqual([FILE, 14, 9, 'timeline[1].at: duration 5 needs a unit: us, ms, s, min or h']);
    expect(String(err)).toBe(err.message);
    expect(err.message).not.toContain('\n');
  });
});

describe('loadScenarioFile', () => {
  test('reads a file and names it in the spec', () => {
    const folder = mkdtempSync(join(tmpdir(), 'cpmsim-loader-'));
    try {
      const path = join(folder, 'pager.yaml');
      writeFileSync(path, EXAMPLE);
      expect(loadScenarioFile(path).file).toBe(path);
      writeFileSync(path, edit(14, '  - at: 5'));
      expect(() => loadScenarioFile(path)).toThrow(`${path}:14:9: timeline[1].at: duration 5 needs a unit`);
    } finally {
      rmSync(folder, { recursive: true });
    }
  });

  test('a missing file is an error at 1:1', () => {
    expect(() => loadScenarioFile('no/such/scenario.yaml')).toThrow(new ScenarioError('no/such/scenario.yaml', 1, 1, 'no such file'));
  });
});

describe('overlapping lifelines', () => {
  const withLifeline = (ref: string): string => edit(10, `  System B: ${ref}`).replace('  Client A: alice.phone', '  Client A: alice.phone\n  Bob: bob.phone');

  test('warn, located at the wildcard, when *@domain covers a host another lifeline names', () => {
    const text = withLifeline('"*@b.example"');
    const spec = loadScenarioText(text, FILE);
    expect(spec.warnings?.map((w) => w.message)).toEqual([
      `${FILE}:11:13: lifeline 'System B': *@b.example overlaps bob.phone (lifeline 'Bob'), drawn at their own lifelines; write 'rest of b.example' if that is meant`,
    ]);
  });

  test('are silent when written as the rest of the domain, which projects the same way', () => {
    const spec = loadScenarioText(withLifeline('rest of b.example'), FILE);
    expect(spec.warnings).toBeUndefined();
    expect(spec.lifelines.find((l) => l.name === 'System B')?.refs).toEqual(['*@b.example']);
  });
});

describe('the header, limits and run window', () => {
  test('a title of blanks is empty', () => {
    expectError(edit(1, 'title: "  "'), 1, 8, 'title: the title is empty');
  });

  test('spec keeps its section as written and numbers figures from 1', () => {
    expect(loadScenarioText(edit(1, 'title: T\nspec: { section: 5.10, figure: 1 }'), FILE).spec).toEqual({ section: '5.10', figure: 1 });
    expect(loadScenarioText(edit(1, 'title: T\nspec: { section: C.1 }'), FILE).spec).toEqual({ section: 'C.1' });
    expectError(edit(1, 'title: T\nspec: { section: C.1, figure: 0 }'), 2, 31, 'spec.figure: a figure number starts at 1');
    expectError(edit(1, 'title: T\nspec: { figure: 2 }'), 2, 7, "spec: missing required field 'section'");
  });

  test('covers lists normative statement ids of section 5', () => {
    expect(loadScenarioText(edit(1, 'title: T\ncovers: [5.2.2.1-3, 5-1]'), FILE).covers).toEqual(['5.2.2.1-3', '5-1']);
    expect(loadScenarioText(BASE, FILE).covers).toBeUndefined();
    for (const [id, col] of [['6.1-1', 10], ['5.2', 10], ['x5.2-1', 10], ['5.2-1x', 10], ['5..2-1', 10]] as const) {
      expectError(edit(1, `title: T\ncovers: [${id}]`), 2, col, `covers[0]: '${id}' is not a normative statement id: section and ordinal, e.g. 5.2.2.1-3`);
    }
  });

  test('seed 0 is a seed', () => {
    expect(loadScenarioText(edit(1, 'title: T\nseed: 0'), FILE).seed).toBe(0);
  });

  test('limits are at least one event, a moment, a millisecond of real time and one MiB', () => {
    const spec = loadScenarioText(edit(1, 'title: T\nlimits: { max-events: 1, until: 1us, wall-clock: 1500us, memory: 1 }').replace(/at: 1s/, 'at: 0s'), FILE);
    // Real time is counted in whole milliseconds, rounded up.
    expect(spec.limits).toEqual({ maxEvents: 1, untilUs: 1, wallClockMs: 2, memoryMiB: 1 });
    expectError(edit(1, 'title: T\nlimits: { max-events: 0 }'), 2, 23, 'limits.max-events: max-events must be at least 1');
    expectError(edit(1, 'title: T\nlimits: { until: 0s }'), 2, 18, 'limits.until: until must be longer than 0s');
    expectError(edit(1, 'title: T\nlimits: { wall-clock: 0s }'), 2, 23, 'limits.wall-clock: wall-clock must be longer than 0s');
    expectError(edit(1, 'title: T\nlimits: { memory: 0 }'), 2, 19, 'limits.memory: memory is a number of MiB, at least 1');
  });

  test('duration may be limits.until, not longer', () => {
    expect(loadScenarioText(edit(1, 'title: T\nduration: 10s\nlimits: { until: 10s }'), FILE).durationUs).toBe(10_000_000);
    expectError(edit(1, 'title: T\nduration: 11s\nlimits: { until: 10s }'), 2, 11, 'duration: duration is longer than limits.until');
  });

  test('expect.from may be the end of the run, not after it', () => {
    // The end of the run: the last timeline entry (1s) plus Timer F (64 * T1 = 32s, RFC 3261 17.1.2.2).
    expect(loadScenarioText(edit(16, 'expect:\n  from: 33s'), FILE).expect.fromUs).toBe(33_000_000);
    expectError(edit(16, 'expect:\n  from: 33001ms'), 17, 9, 'expect.from: 33.001s is after the end of the run (33s: the last timeline entry plus Timer F), so no step could be matched');
    expect(loadScenarioText(edit(1, 'title: T\nduration: 2s').replace('expect:', 'expect:\n  from: 2s'), FILE).expect.fromUs).toBe(2_000_000);
    expectError(edit(1, 'title: T\nduration: 2s').replace('expect:', 'expect:\n  from: 3s'), 18, 9, 'expect.from: 3s is after the end of the run (duration 2s), so no step could be matched');
  });

  test('steps: [] is refused unless monitors watch the run', () => {
    const empty = BASE.replace(/ {2}steps:\n( {4}- .*\n)+/, '  steps: []\n');
    expectError(empty, 17, 10, 'expect.steps: no steps: a scenario must expect at least one step (or have monitors:), or it passes whatever happens');
    const watched = loadScenarioText(`${empty}monitors:\n  - { name: one, match: { request: MESSAGE }, at-most: 1 }\n`, FILE);
    expect(watched.expect.steps).toEqual([]);
    expect(watched.monitors).toHaveLength(1);
    const actionOnly = loadScenarioText(BASE.replace(/ {2}steps:\n( {4}- .*\n)+/, '  steps:\n    - { n: 1, at: Client A, action: shown }\n'), FILE);
    expect(actionOnly.expect.actions).toHaveLength(1);
  });

  test('a text larger than a scenario file may be is refused before it is parsed', () => {
    const text = `title: x\n# ${'é'.repeat(1024 * 1024)}\n`;
    // 'é' is two octets in UTF-8: the size said is the file's, in bytes.
    expect(errorOf(text).message).toBe(`${FILE}:1:1: the file is ${2 * 1024 * 1024 + 12} bytes, more than the 1048576 bytes a scenario file may have`);
    // Exactly the limit is allowed: this comment is read, and found to hold no scenario.
    expect(errorOf('#'.repeat(1024 * 1024)).message).toBe(`${FILE}:1:1: expected a mapping, got nothing`);
  });
});

describe('loadScenarioFile errors', () => {
  test('a folder, and a file too large, are errors at 1:1 naming the path as shown', () => {
    const folder = mkdtempSync(join(tmpdir(), 'cpmsim-loader-'));
    try {
      expect(() => loadScenarioFile(folder, 'shown.yaml')).toThrow(new ScenarioError('shown.yaml', 1, 1, 'is a folder, not a scenario file'));
      const big = join(folder, 'big.yaml');
      writeFileSync(big, `title: x\n# ${'x'.repeat(1024 * 1024)}\n`);
      expect(() => loadScenarioFile(big, 'big.yaml')).toThrow(new ScenarioError('big.yaml', 1, 1, 'the file is 1048588 bytes, more than the 1048576 bytes a scenario file may have'));
      const exact = join(folder, 'exact.yaml');
      writeFileSync(exact, EXAMPLE.padEnd(1024 * 1024, '#'));
      expect(() => loadScenarioFile(exact)).not.toThrow(/bytes, more than/);
    } finally {
      rmSync(folder, { recursive: true });
    }
  });
});
