/**
 * The `expect:` section as src/scenario/steps.ts reads it: the step numbering, message and action
 * steps, patterns, captures and header matchers, and the located error a mistake in each gives.
 */
import { describe, expect, test } from 'vitest';
import { loadScenarioText } from '../../src/scenario/loader.js';
import type { ExpectSpec } from '../../src/scenario/spec.js';
import { errorOf, pos } from './located-errors.js';

const FILE = 'e.yaml';

/** A pager scenario whose `expect:` body (indented two spaces) the tests write. */
const scenario = (expectBody: string): string => `title: T
network:
  domains: [a.example, b.example]
  users:
    alice@a.example: { devices: [phone] }
    bob@b.example: { devices: [phone] }
lifelines:
  A: alice.phone
  Core A: core.a.example
  B: "*@b.example"
timeline:
  - { at: 0s, register: [alice.phone, bob.phone] }
  - { at: 1s, send: { from: alice.phone, to: bob@b.example, text: hi } }
expect:
${expectBody}
`;

/** `steps:` with these step lines (each a flow mapping). */
const withSteps = (...steps: string[]): string => scenario(`  steps:\n${steps.map((s) => `    - ${s}`).join('\n')}`);

const read = (text: string): ExpectSpec => loadScenarioText(text, FILE).expect;

/** The located error: `FILE:line:col: path: reason`, the position of `needle` (searched from `after`). */
function expectRefused(text: string, needle: string, reason: string, after = 'expect:'): void {
  expect(errorOf(text, FILE)).toBe(`${FILE}:${pos(text, needle, after)}: ${reason}`);
}

/** RFC 3261 and the extensions CPM uses, as the error lists them. */
const SIP = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE'];

const M1 = '{ n: 1, from: A, to: Core A, request: MESSAGE }';

describe('step numbers', () => {
  test('run 1, 2, 3, and may repeat for a step of several arrows', () => {
    const e = read(withSteps(M1, '{ n: 2, from: Core A, to: B, request: MESSAGE }', '{ n: 2, from: Core A, to: A, response: 202 }', '{ n: 3, from: B, to: Core A, response: 200 }'));
    expect(e.steps.map((s) => s.n)).toEqual([1, 2, 2, 3]);
  });

  test('start at 1: the first step may not repeat a number nothing has', () => {
    const text = withSteps('{ n: 0, from: A, to: Core A, request: MESSAGE }');
    expectRefused(text, '0,', 'expect.steps[0].n: step numbers must run 1, 2, 3... (a number may repeat for a step of several arrows): expected 1, found 0');
  });

  test('may not go back', () => {
    const text = withSteps(M1, '{ n: 2, from: Core A, to: B, request: MESSAGE }', '{ n: 1, from: B, to: Core A, response: 200 }');
    expectRefused(text, '1, from: B', 'expect.steps[2].n: step numbers must run 1, 2, 3... (a number may repeat for a step of several arrows): expected 2 or 3, found 1');
  });

  test('after names an earlier step, from 1 to the one before', () => {
    const ok = read(withSteps(M1, '{ n: 2, from: Core A, to: B, request: MESSAGE }', '{ n: 3, from: Core A, to: A, response: 202, after: 1 }'));
    expect(ok.steps[2]).toMatchObject({ n: 3, after: 1 });
    const zero = withSteps(M1, '{ n: 2, from: Core A, to: B, request: MESSAGE, after: 0 }');
    expectRefused(zero, '0 }', 'expect.steps[1].after: after names an earlier step, 1 to 1');
    const self = withSteps(M1, '{ n: 2, from: Core A, to: B, request: MESSAGE }', '{ n: 3, from: Core A, to: A, response: 202, after: 3 }');
    expectRefused(self, '3 }', 'expect.steps[2].after: after names an earlier step, 1 to 2');
  });
});

describe('message steps', () => {
  test('keep what they name, and leave out what they do not', () => {
    const e = read(
      withSteps(
        '{ n: 1, from: A, to: Core A, request: MESSAGE, body: text/plain, note: the message, within: 1s, optional: true }',
        '{ n: 2, from: Core A, to: A, response: 2XX, of: MESSAGE, optional: false }',
      ),
    );
    expect(e.steps).toEqual([
      { n: 1, from: 'A', to: 'Core A', request: 'MESSAGE', body: 'text/plain', note: 'the message', within: 1_000_000, optional: true, path: ['expect', 'steps', 0] },
      { n: 2, from: 'Core A', to: 'A', response: '2xx', of: 'MESSAGE', path: ['expect', 'steps', 1] },
    ]);
    expect(e.actions).toEqual([]);
  });

  test('a request of another simulated protocol is a request too', () => {
    expect(read(withSteps('{ n: 1, from: A, to: Core A, request: SEND }')).steps[0]?.request).toBe('SEND');
  });

  test('a response names a code a protocol defines, a class, or an SMPP response', () => {
    const e = read(withSteps(M1, '{ n: 2, from: Core A, to: A, response: 413 }', '{ n: 3, from: Core A, to: A, response: submit_sm_resp }', '{ n: 4, from: Core A, to: A, response: 6xx }'));
    expect(e.steps.map((s) => s.response)).toEqual([undefined, 413, 'submit_sm_resp', '6xx']);
  });

  test('a BFCP request status, an MM7 response and an IMPS response are names too', () => {
    // RFC 4582 5.2.5, 3GPP TS 23.140 8.7.3, OMA IMPS WV-CSP 1.2.
    const e = read(withSteps(M1, '{ n: 2, from: Core A, to: A, response: Granted }', '{ n: 3, from: Core A, to: A, response: SubmitRsp }', '{ n: 4, from: Core A, to: A, response: SendMessage-Response }'));
    expect(e.steps.map((s) => s.response)).toEqual([undefined, 'Granted', 'SubmitRsp', 'SendMessage-Response']);
  });

  test.each([
    // 699 is in the range of a status code, but no protocol defines it (RFC 3261 21.6 ends at 606).
    ['699', "699 is not a status code of SIP (RFC 3261 21 and its extensions), SMTP, HTTP or MSRP; use a class like 6xx for any of them"],
    ['299', "299 is not a status code of SIP (RFC 3261 21 and its extensions), SMTP, HTTP or MSRP; use a class like 2xx for any of them"],
    // Three digits outside 100 to 699 are no status code (RFC 3261 7.2: 1xx to 6xx).
    ['700', 'expected a status code from 100 to 699, a class like 2xx or an SMPP response like submit_sm_resp, got the number 700'],
    ['"099"', "expected a status code from 100 to 699, a class like 2xx or an SMPP response like submit_sm_resp, got the text '099'"],
    // A status code is exactly three digits, and a class a digit and xx.
    ['"0200"', "expected a status code from 100 to 699, a class like 2xx or an SMPP response like submit_sm_resp, got the text '0200'"],
    ['"200 "', "expected a status code from 100 to 699, a class like 2xx or an SMPP response like submit_sm_resp, got the text '200 '"],
    ['x2xx', "expected a status code from 100 to 699, a class like 2xx or an SMPP response like submit_sm_resp, got the text 'x2xx'"],
    ['99', 'expected a status code from 100 to 699, a class like 2xx or an SMPP response like submit_sm_resp, got the number 99'],
    ['7xx', "expected a status code from 100 to 699, a class like 2xx or an SMPP response like submit_sm_resp, got the text '7xx'"],
    ['"1000"', "expected a status code from 100 to 699, a class like 2xx or an SMPP response like submit_sm_resp, got the text '1000'"],
    ['~', 'expected a status code from 100 to 699, a class like 2xx or an SMPP response like submit_sm_resp, got nothing'],
  ])('response %s is refused', (response, reason) => {
    const text = withSteps(M1, `{ n: 2, from: Core A, to: A, response: ${response} }`);
    expectRefused(text, `${response} }`, `expect.steps[1].response: ${reason}`);
  });

  test('of names a SIP method, and suggests the spelling', () => {
    expectRefused(withSteps(M1, '{ n: 2, from: Core A, to: A, response: 200, of: message }'), 'message }', "expect.steps[1].of: 'message' is not a SIP method; did you mean 'MESSAGE'?");
    // SEND is an MSRP method (RFC 4975 7.1): a request, but no SIP request a response answers.
    expectRefused(withSteps(M1, '{ n: 2, from: Core A, to: A, response: 200, of: SEND }'), 'SEND', `expect.steps[1].of: 'SEND' is not a SIP method; known are: ${SIP.join(', ')}`);
  });

  test('a request name far from every known one lists none but says what it is not', () => {
    const text = withSteps('{ n: 1, from: A, to: Core A, request: XYZZYQ }');
    expect(errorOf(text, FILE)).toMatch(new RegExp(`^e\\.yaml:${pos(text, 'XYZZYQ')}: `));
    expect(errorOf(text, FILE)).toMatch(/^e\.yaml:\d+:\d+: expect\.steps\[0\]\.request: 'XYZZYQ' is not a request of a simulated protocol \(SIP, MSRP or HTTP method, SMTP verb, SMPP command, RTP or RTCP packet, BFCP, MM7 or IMPS CSP primitive\); known are: INVITE, ACK, /);
  });

  test('body is a media type', () => {
    expectRefused(withSteps('{ n: 1, from: A, to: Core A, request: MESSAGE, body: cpim }'), 'cpim', "expect.steps[0].body: 'cpim' is not a media type like message/cpim");
    expectRefused(withSteps('{ n: 1, from: A, to: Core A, request: MESSAGE, body: "message/cpim x" }'), '"message', "expect.steps[0].body: 'message/cpim x' is not a media type like message/cpim");
    expectRefused(withSteps('{ n: 1, from: A, to: Core A, request: MESSAGE, body: "x message/cpim" }'), '"x', "expect.steps[0].body: 'x message/cpim' is not a media type like message/cpim");
  });

  test('from and to name lifelines of the figure, with a hint', () => {
    expectRefused(withSteps('{ n: 1, from: A, to: Core B, request: MESSAGE }'), 'Core B', "expect.steps[0].to: unknown lifeline 'Core B'; did you mean 'Core A'?");
  });

  test('text belongs to an action step', () => {
    expectRefused(withSteps('{ n: 1, from: A, to: Core A, request: MESSAGE, text: hi }'), 'text: hi', "expect.steps[0]: 'text' is the note text of an action step (at, action); a message step has no such field");
  });

  test('a step of a branch may not be unordered', () => {
    const text = withSteps(M1, '{ n: 2, from: Core A, to: A, response: 200, after: 1, unordered: g }');
    expectRefused(text, 'g }', 'expect.steps[1].unordered: a step of a branch (after) runs in order; unordered is for steps of the main line');
  });

  test('an unordered group may come back after nothing else', () => {
    const e = read(withSteps('{ n: 1, from: A, to: Core A, request: MESSAGE, unordered: g }', '{ n: 2, from: Core A, to: A, response: 200, unordered: g }', '{ n: 3, from: Core A, to: B, request: MESSAGE }'));
    expect(e.steps.map((s) => s.unordered)).toEqual(['g', 'g', undefined]);
    const back = withSteps('{ n: 1, from: A, to: Core A, request: MESSAGE, unordered: g }', '{ n: 2, from: Core A, to: A, response: 200, unordered: h }', '{ n: 3, from: Core A, to: B, request: MESSAGE, unordered: g }');
    expectRefused(back, 'g }', "expect.steps[2].unordered: the steps of unordered group 'g' must stand next to each other", 'n: 3');
  });
});

describe('action steps', () => {
  test('name a lifeline, a note kind, and may give the text and the step they follow', () => {
    const e = read(withSteps(M1, '{ n: 2, at: B, action: deferred, text: stored, after: 1 }', '{ n: 3, at: A, action: shown }'));
    expect(e.actions).toEqual([
      { n: 2, at: 'B', action: 'deferred', text: 'stored', after: 1, path: ['expect', 'steps', 1] },
      { n: 3, at: 'A', action: 'shown', path: ['expect', 'steps', 2] },
    ]);
    expect(e.steps.map((s) => s.n)).toEqual([1]);
  });

  test('a kind far from every known one lists the kinds', () => {
    expect(errorOf(withSteps('{ n: 1, at: B, action: zzzzzzzz }'), FILE)).toMatch(/^e\.yaml:\d+:\d+: expect\.steps\[0\]\.action: unknown note kind 'zzzzzzzz'; kinds are: \S+, /);
  });

  test('a step with at but no action says what it needs', () => {
    expectRefused(withSteps('{ n: 1, at: B }'), '{ n: 1, at', "expect.steps[0]: an action step needs 'action': the kind of the entity's note, e.g. deferred");
  });

  test('an unknown kind suggests the closest, at the kind', () => {
    expectRefused(withSteps('{ n: 1, at: B, action: deferd }'), 'deferd', "expect.steps[0].action: unknown note kind 'deferd'; did you mean 'deferred'?");
  });

  test.each(['from: A', 'to: A', 'request: MESSAGE', 'response: 200', 'of: MESSAGE', 'body: text/plain', 'headers: { To: x }', 'body-text: x', 'within: 1s', 'optional: true', 'unordered: g', 'capture: { c: To }'])(
    'may not carry %s, refused at its key',
    (field) => {
      const name = field.slice(0, field.indexOf(':'));
      expectRefused(withSteps(`{ n: 1, at: B, action: deferred, ${field} }`), field, `expect.steps[0]: an action step (at, action) is not a message: '${name}' does not belong here`);
    },
  );

  test('an action with no at is still an action step, and needs its lifeline', () => {
    expectRefused(withSteps('{ n: 1, action: deferred }'), '{ n: 1', "expect.steps[0]: missing required field 'at'");
  });
});

describe('ignore and never patterns', () => {
  test('keep each field they name, with the user resolved to an address', () => {
    const e = read(
      scenario(`  steps:\n    - ${M1}\n  ignore:\n    - { from: Core A, to: A, response: 100, of: MESSAGE, body: text/plain, user: bob@b.example }\n  never:\n    - { request: BYE, headers: { Reason: { present: true } }, body-text: { regex: "^x" } }`),
    );
    expect(e.ignore).toEqual([{ from: 'Core A', to: 'A', response: 100, of: 'MESSAGE', body: 'text/plain', user: 'bob@b.example', path: ['expect', 'ignore', 0] }]);
    expect(e.never).toEqual([{ request: 'BYE', headers: [{ name: 'Reason', match: { kind: 'present' } }], bodyText: { kind: 'regex', source: '^x' }, path: ['expect', 'never', 0] }]);
  });

  test('a pattern names something', () => {
    const text = scenario(`  steps:\n    - ${M1}\n  ignore:\n    - {}`);
    expectRefused(text, '{}', 'expect.ignore[0]: a message pattern needs at least one of: from, to, request, response, of, body, user, headers, body-text', 'ignore:');
  });

  test('a pattern names lifelines of the figure', () => {
    const text = scenario(`  steps:\n    - ${M1}\n  never:\n    - { to: Server }`);
    expectRefused(text, 'Server', "expect.never[0].to: unknown lifeline 'Server'; lifelines are: A, Core A, B", 'never:');
  });

  test('of in a pattern names a SIP method', () => {
    const text = scenario(`  steps:\n    - ${M1}\n  never:\n    - { of: SEND }`);
    expectRefused(text, 'SEND', `expect.never[0].of: 'SEND' is not a SIP method; known are: ${SIP.join(', ')}`, 'never:');
  });

  test('a user is a user of the network', () => {
    const text = scenario(`  steps:\n    - ${M1}\n  never:\n    - { user: carol@b.example }`);
    expectRefused(text, 'carol', 'expect.never[0].user: unknown user carol@b.example; users are: alice@a.example, bob@b.example', 'never:');
  });

  test('a pattern is a request or a response, not both', () => {
    const text = scenario(`  steps:\n    - ${M1}\n  never:\n    - { request: BYE, response: 200 }`);
    expectRefused(text, 'response: 200 }', 'expect.never[0]: a pattern is a request or a response, not both', 'never:');
  });

  test.each([
    ['response 2xx hides a 200 step', '{ response: 2xx }', '{ n: 1, from: Core A, to: A, response: 200 }'],
    ['a pattern of the same request from the same lifeline', '{ from: A, request: MESSAGE }', M1],
    ['a pattern of the media type in any case', '{ body: TEXT/plain }', '{ n: 1, from: A, to: Core A, request: MESSAGE, body: text/PLAIN }'],
    ['a pattern of the method answered', '{ to: A, of: MESSAGE }', '{ n: 1, from: Core A, to: A, response: 200, of: MESSAGE }'],
    ['a pattern that names no method answered, over a step that does', '{ response: 200 }', '{ n: 1, from: Core A, to: A, response: 200, of: MESSAGE }'],
  ])('an ignore pattern that hides a step is refused: %s', (_what, pattern, step) => {
    const text = scenario(`  steps:\n    - ${step}\n  ignore:\n    - ${pattern}`);
    expectRefused(text, pattern, 'expect.ignore[0]: this pattern matches every message step 1 (expect.steps[0]) expects, so the step could never be matched; narrow the pattern or drop the step', 'ignore:');
  });

  test('the error names the pattern and the step it hides', () => {
    const text = scenario(`  steps:\n    - ${M1}\n    - { n: 2, from: Core A, to: A, response: 200 }\n  ignore:\n    - { request: BYE }\n    - { response: 200 }`);
    expectRefused(text, '{ response: 200 }', 'expect.ignore[1]: this pattern matches every message step 2 (expect.steps[1]) expects, so the step could never be matched; narrow the pattern or drop the step', 'ignore:');
  });

  test.each([
    ['another request', '{ request: BYE }', M1],
    ['another sender', '{ from: Core A, request: MESSAGE }', M1],
    ['another receiver', '{ to: B, request: MESSAGE }', M1],
    ['another class', '{ response: 1xx }', '{ n: 1, from: Core A, to: A, response: 200 }'],
    ['another code', '{ response: 202 }', '{ n: 1, from: Core A, to: A, response: 200 }'],
    ['a code, where the step names a class', '{ response: 200 }', '{ n: 1, from: Core A, to: A, response: 2xx }'],
    ['a response, where the step is a request', '{ response: 200 }', M1],
    ['another method answered', '{ of: INVITE }', '{ n: 1, from: Core A, to: A, response: 200, of: MESSAGE }'],
    ['a method answered the step does not name', '{ of: MESSAGE }', '{ n: 1, from: Core A, to: A, response: 200 }'],
    ['a body the step does not name', '{ body: text/plain }', M1],
    ['a user', '{ user: bob@b.example }', M1],
    ['headers', '{ headers: { To: x } }', M1],
    ['a body text', '{ body-text: x }', M1],
  ])('an ignore pattern that leaves some of the step is kept: %s', (_what, pattern, step) => {
    expect(read(scenario(`  steps:\n    - ${step}\n  ignore:\n    - ${pattern}`)).ignore).toHaveLength(1);
  });
});

describe('captures', () => {
  test('name headers whose values later steps compare', () => {
    const e = read(withSteps('{ n: 1, from: A, to: Core A, request: MESSAGE, capture: { call: Call-ID, c-2: CSeq } }', '{ n: 2, from: Core A, to: A, response: 200, headers: { Call-ID: { captured: call } } }'));
    expect(e.steps[0]?.capture).toEqual([
      { name: 'call', header: 'Call-ID' },
      { name: 'c-2', header: 'CSeq' },
    ]);
    expect(e.steps[1]?.headers).toEqual([{ name: 'Call-ID', match: { kind: 'captured', name: 'call' } }]);
  });

  test.each([
    ['capture: {}', '{}', "expect.steps[0].capture: capture: name at least one header, as name: Header"],
    ['capture: { Call: Call-ID }', 'Call:', "expect.steps[0].capture: 'Call' is not a capture name: lowercase letters, digits and dashes"],
    ['capture: { call_id: Call-ID }', 'call_id', "expect.steps[0].capture: 'call_id' is not a capture name: lowercase letters, digits and dashes"],
    ['capture: { 1call: Call-ID }', '1call', "expect.steps[0].capture: '1call' is not a capture name: lowercase letters, digits and dashes"],
    ['capture: { call: "Call ID" }', '"Call ID"', "expect.steps[0].capture.call: 'Call ID' is not a header name"],
  ])('%s is refused', (capture, needle, reason) => {
    expectRefused(withSteps(`{ n: 1, from: A, to: Core A, request: MESSAGE, ${capture} }`), needle, reason);
  });

  test('capture and headers are mappings', () => {
    expectRefused(withSteps('{ n: 1, from: A, to: Core A, request: MESSAGE, capture: Call-ID }'), 'Call-ID }', "expect.steps[0].capture: expected a mapping, got the text 'Call-ID'");
    expectRefused(withSteps('{ n: 1, from: A, to: Core A, request: MESSAGE, headers: [To] }'), '[To]', 'expect.steps[0].headers: expected a mapping, got a list');
  });

  test('a name is captured once', () => {
    const text = withSteps('{ n: 1, from: A, to: Core A, request: MESSAGE, capture: { call: Call-ID } }', '{ n: 2, from: Core A, to: A, response: 200, capture: { call: Call-ID } }');
    expectRefused(text, 'call:', "expect.steps[1].capture: a value named 'call' is already captured by an earlier step", 'n: 2');
  });

  test('a captured value is compared by a step header only, and a later one', () => {
    const pattern = scenario(`  steps:\n    - { n: 1, from: A, to: Core A, request: MESSAGE, capture: { call: Call-ID } }\n  never:\n    - { headers: { Call-ID: { captured: call } } }`);
    expectRefused(pattern, 'call }', 'expect.never[0].headers.Call-ID.captured: only a step header can compare with a captured value', 'never:');
    const body = withSteps('{ n: 1, from: A, to: Core A, request: MESSAGE, capture: { call: Call-ID } }', '{ n: 2, from: Core A, to: A, response: 200, body-text: { captured: call } }');
    expectRefused(body, 'call }', 'expect.steps[1].body-text.captured: only a step header can compare with a captured value', 'n: 2');
    const misspelt = withSteps('{ n: 1, from: A, to: Core A, request: MESSAGE, capture: { call: Call-ID } }', '{ n: 2, from: Core A, to: A, response: 200, headers: { Call-ID: { captured: cal } } }');
    expectRefused(misspelt, 'cal }', "expect.steps[1].headers.Call-ID.captured: no step before this captures a value named 'cal'; did you mean 'call'?", 'n: 2');
    const far = withSteps('{ n: 1, from: A, to: Core A, request: MESSAGE, capture: { call: Call-ID } }', '{ n: 2, from: Core A, to: A, response: 200, headers: { Call-ID: { captured: sequence } } }');
    expectRefused(far, 'sequence', "expect.steps[1].headers.Call-ID.captured: no step before this captures a value named 'sequence'; captured are: call", 'n: 2');
  });
});

describe('header and body matchers', () => {
  test('an exact value, a regex, present and absent', () => {
    const e = read(withSteps('{ n: 1, from: A, to: Core A, request: MESSAGE, headers: { Max-Forwards: 70, To: { regex: "b\\\\.example" }, Require: { absent: true } }, body-text: hi }'));
    expect(e.steps[0]).toMatchObject({
      headers: [
        { name: 'Max-Forwards', match: { kind: 'exact', value: '70' } },
        { name: 'To', match: { kind: 'regex', source: 'b\\.example' } },
        { name: 'Require', match: { kind: 'absent' } },
      ],
      bodyText: { kind: 'exact', value: 'hi' },
    });
  });

  test.each([
    ['headers: {}', '{} }', 'expect.steps[0].headers: headers: name at least one header'],
    ['headers: { "Call ID": x }', 'x }', "expect.steps[0].headers[\"Call ID\"]: 'Call ID' is not a header name"],
    ['headers: { To: {} }', '{} }', 'expect.steps[0].headers.To: a matcher is a value, or one of { regex: ... }, { present: true }, { absent: true }'],
    ['headers: { To: { present: true, absent: true } }', '{ present', 'expect.steps[0].headers.To: a matcher is a value, or one of { regex: ... }, { present: true }, { absent: true }'],
    ['headers: { To: { absent: false } }', 'false', 'expect.steps[0].headers.To.absent: write { present: true } rather than absent: false'],
    ['headers: { To: { regex: "[" } }', '"["', 'expect.steps[0].headers.To.regex: not a regular expression: Invalid regular expression: /[/: Unterminated character class'],
    ['headers: { To: { regex: "(a*)*" } }', '"(a*)*"', 'expect.steps[0].headers.To.regex: a quantified group holding a quantifier (like (a+)+) can take exponential time; write it without nesting'],
    ['headers: { To: { regex: "(a{2})+" } }', '"(a{2})+"', 'expect.steps[0].headers.To.regex: a quantified group holding a quantifier (like (a+)+) can take exponential time; write it without nesting'],
    ['headers: { To: { regex: "(\\\\.a+)+" } }', '"(', 'expect.steps[0].headers.To.regex: a quantified group holding a quantifier (like (a+)+) can take exponential time; write it without nesting'],
    ['headers: { To: { regex: "(a?){3}" } }', '"(a?){3}"', 'expect.steps[0].headers.To.regex: a quantified group holding a quantifier (like (a+)+) can take exponential time; write it without nesting'],
  ])('%s is refused', (field, needle, reason) => {
    expectRefused(withSteps(`{ n: 1, from: A, to: Core A, request: MESSAGE, ${field} }`), needle, reason);
  });

  test('a group that is quantified without a quantifier inside, or holds one without being quantified, is kept', () => {
    const e = read(withSteps('{ n: 1, from: A, to: Core A, request: MESSAGE, headers: { To: { regex: "(ab)+" }, From: { regex: "(a+)b" }, Via: { regex: "(\\\\+)+" } } }'));
    expect(e.steps[0]?.headers?.map((h) => h.match)).toEqual([
      { kind: 'regex', source: '(ab)+' },
      { kind: 'regex', source: '(a+)b' },
      { kind: 'regex', source: '(\\+)+' },
    ]);
  });
});

describe('the rest of expect', () => {
  test('from and under-faults have defaults, and are read when given', () => {
    expect(read(withSteps(M1))).toMatchObject({ fromUs: 0, underFaults: false, ignore: [], never: [] });
    expect(read(scenario(`  from: 500ms\n  under-faults: true\n  steps:\n    - ${M1}`))).toMatchObject({ fromUs: 500_000, underFaults: true });
  });

  test('steps is a list', () => {
    expectRefused(scenario('  steps: { n: 1 }'), '{ n: 1 }', 'expect.steps: expected a list, got a mapping');
  });
});
