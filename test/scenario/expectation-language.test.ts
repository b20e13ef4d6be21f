/** Header and body matchers, never rules, timing bounds and optional steps, on the scaffold's pager flow (Figure 16's shape). */
import { describe, expect, it } from 'vitest';
import { scaffold } from '../../src/cli/new-command.js';
import { flowRunOf, runScenario, type ScenarioRun } from '../../src/scenario/runner.js';
import { loadScenarioText } from '../../src/scenario/loader.js';
import { flowView } from '../../src/trace/view.js';
import { errorOf, pos } from './located-errors.js';

const FILE = 'flow.yaml';
const BASE = scaffold('pager flow');
const STEP1 = '    - { n: 1, from: Alice, to: SIP/IP Core A, request: MESSAGE }';
const STEP6 = '    - { n: 6, from: Network B, to: SIP/IP Core A, response: 200 }';

function withStep(old: string, replacement: string, text = BASE): string {
  expect(text).toContain(old);
  return text.replace(old, replacement);
}

const run = (text: string): ScenarioRun => runScenario(loadScenarioText(text, FILE));
const verdict = (r: ScenarioRun): string => flowView(flowRunOf(r)).verdict;

describe('the scaffold flow', () => {
  it('passes as written', () => {
    expect(run(BASE).passed).toBe(true);
  });
});

describe('header matchers', () => {
  it('match a header value exactly', () => {
    expect(run(withStep(STEP1, '    - { n: 1, from: Alice, to: SIP/IP Core A, request: MESSAGE, headers: { Max-Forwards: "70" } }')).passed).toBe(true);
    const r = run(withStep(STEP1, '    - { n: 1, from: Alice, to: SIP/IP Core A, request: MESSAGE, headers: { Max-Forwards: "69" } }'));
    expect(r.passed).toBe(false);
    expect(r.alignment.find((a) => a.kind !== 'ok' && a.kind !== 'ignored' && 'step' in a && a.step.n === 1)).toBeDefined();
  });

  it('match a regular expression, and a header present or absent (names case-insensitively)', () => {
    expect(run(withStep(STEP1, '    - { n: 1, from: Alice, to: SIP/IP Core A, request: MESSAGE, headers: { call-id: { regex: "@phone\\\\.alice\\\\.a\\\\.example$" }, Require: { absent: true }, CSeq: { present: true } } }')).passed).toBe(true);
    expect(run(withStep(STEP1, '    - { n: 1, from: Alice, to: SIP/IP Core A, request: MESSAGE, headers: { Require: { present: true } } }')).passed).toBe(false);
  });

  it('match the body as sent', () => {
    expect(run(withStep(STEP1, '    - { n: 1, from: Alice, to: SIP/IP Core A, request: MESSAGE, body-text: { regex: "Hello Bob" } }')).passed).toBe(true);
    expect(run(withStep(STEP1, '    - { n: 1, from: Alice, to: SIP/IP Core A, request: MESSAGE, body-text: { absent: true } }')).passed).toBe(false);
  });
});

describe('never rules', () => {
  it('pass when no message matches, and name the message that does', () => {
    expect(run(`${BASE}  never:\n    - { request: BYE }\n`).passed).toBe(true);
    const r = run(`${BASE}  never:\n    - { from: SIP/IP Core A, to: Network B, request: MESSAGE }\n`);
    expect(r.passed).toBe(false);
    expect(r.broken).toEqual(['never rule 1 (expect.never[0]) matched SIP/IP Core A -> Network B MESSAGE "Hello Bob" at 1.003000s']);
    expect(verdict(r)).toContain('never rule 1');
  });
});

describe('timing bounds', () => {
  it('hold a step to a time after the step before it', () => {
    // Bob's 200 leaves network B 16 ms after the MESSAGE entered it: 10 ms over the inter-domain link, then six 1 ms hops inside b.example.
    expect(run(withStep(STEP6, '    - { n: 6, from: Network B, to: SIP/IP Core A, response: 200, within: 1s }')).passed).toBe(true);
    const r = run(withStep(STEP6, '    - { n: 6, from: Network B, to: SIP/IP Core A, response: 200, within: 10ms }'));
    expect(r.passed).toBe(false);
    expect(r.broken).toEqual(['step 6 came 16ms after step 4, later than within 10ms']);
  });
});

describe('optional steps', () => {
  it('may be left out by the run', () => {
    const r = run(`${BASE}    - { n: 10, from: SIP/IP Core A, to: Alice, request: BYE, optional: true }\n`);
    expect(r.passed).toBe(true);
    expect(verdict(r)).toBe('9 steps as in the figure (1 optional step left out)');
  });
});

describe('validation of the matchers', () => {
  const cases: [string, string, string, string][] = [
    ['a regular expression that does not compile', 'headers: { Call-ID: { regex: "(" } }', '"("', 'not a regular expression'],
    ['a nested quantifier', 'headers: { Call-ID: { regex: "(a+)+$" } }', '"(a+)+$"', 'can take exponential time'],
    ['present: false', 'headers: { Require: { present: false } }', 'false', 'write { absent: true } rather than present: false'],
    ['two forms at once', 'headers: { Require: { present: true, absent: true } }', '{ present', 'a matcher is a value, or one of'],
  ];
  it.each(cases)('refuses %s, located', (_what, field, at, reason) => {
    const text = withStep(STEP1, `    - { n: 1, from: Alice, to: SIP/IP Core A, request: MESSAGE, ${field} }`);
    expect(errorOf(text, FILE)).toMatch(new RegExp(`^${FILE}:${pos(text, at, field.slice(0, 8))}: .*${reason.replace(/[{}()]/g, '\\$&')}`));
  });

  it('refuses matchers on an action step', () => {
    const text = withStep('    - { n: 5, at: Network B, action: shown }', '    - { n: 5, at: Network B, action: shown, within: 1s }');
    expect(errorOf(text, FILE)).toContain("an action step (at, action) is not a message: 'within' does not belong here");
  });
});

describe('unordered groups', () => {
  const STEP7 = '    - { n: 7, from: SIP/IP Core A, to: CPM Conversation Server A, response: 200 }';
  // Steps 6 and 7 written the other way round: Core A's 200 to the Conversation Server before Bob's.
  const swapped = (label: string): string =>
    withStep(STEP7, `    - { n: 7, from: Network B, to: SIP/IP Core A, response: 200${label} }`, withStep(STEP6, `    - { n: 6, from: SIP/IP Core A, to: CPM Conversation Server A, response: 200${label} }`));

  it('match neighbouring steps in the order they happened', () => {
    expect(run(swapped('')).passed).toBe(false);
    const r = run(swapped(', unordered: replies'));
    expect(r.passed).toBe(true);
    expect(verdict(r)).toBe('9 steps as in the figure');
  });

  it('must stand next to each other', () => {
    const text = withStep(STEP7, `${STEP7.slice(0, -2)}, unordered: a }`, withStep(STEP1, `${STEP1.slice(0, -2)}, unordered: a }`));
    expect(errorOf(text, FILE)).toBe(`${FILE}:${pos(text, 'a }', STEP7.slice(0, 20))}: expect.steps[6].unordered: the steps of unordered group 'a' must stand next to each other`);
  });
});

describe('captured values', () => {
  const capturing = withStep(STEP1, '    - { n: 1, from: Alice, to: SIP/IP Core A, request: MESSAGE, capture: { call: Call-ID } }');
  const STEP9 = '    - { n: 9, from: SIP/IP Core A, to: Alice, response: 200 }';

  it('are compared in a later step: the 200 to Alice carries the Call-ID of her MESSAGE', () => {
    expect(run(withStep(STEP9, '    - { n: 9, from: SIP/IP Core A, to: Alice, response: 200, headers: { Call-ID: { captured: call } } }', capturing)).passed).toBe(true);
  });

  it('fail the run when the value differs, naming both steps', () => {
    const text = withStep(STEP9, '    - { n: 9, from: SIP/IP Core A, to: Alice, response: 200, headers: { CSeq: { captured: call } } }', capturing);
    const r = run(text);
    expect(r.passed).toBe(false);
    expect(r.broken).toHaveLength(1);
    expect(r.broken[0]).toMatch(/^step 9: CSeq is 1 MESSAGE, not the call step 1 captured \(\S+@phone\.alice\.a\.example\)$/);
  });

  it('must be captured by an earlier step', () => {
    const text = withStep(STEP1, '    - { n: 1, from: Alice, to: SIP/IP Core A, request: MESSAGE, headers: { Call-ID: { captured: call } } }');
    expect(errorOf(text, FILE)).toBe(`${FILE}:${pos(text, 'call }', STEP1.slice(0, 20))}: expect.steps[0].headers.Call-ID.captured: no step before this captures a value named 'call'`);
  });
});
