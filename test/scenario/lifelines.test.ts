/**
 * The `lifelines:` section as src/scenario/lifelines.ts reads it: each column's refs, one owner per
 * ref, and the warning when a `*@domain` column overlaps a host another column names.
 */
import { describe, expect, test } from 'vitest';
import { loadScenarioText } from '../../src/scenario/loader.js';
import { errorOf, pos } from './located-errors.js';

const FILE = 'l.yaml';

const scenario = (lifelines: string): string => `title: T
network:
  domains: [a.example, b.example]
  users:
    alice@a.example: { devices: [phone, pc] }
    bob@b.example: { devices: [phone] }
lifelines:
${lifelines}
timeline:
  - { at: 0s, register: alice.phone }
expect:
  steps:
    - { n: 1, from: A, to: A, request: REGISTER }
`;

describe('lifelines', () => {
  test('keep their refs in file order, one or a list', () => {
    const spec = loadScenarioText(scenario('  A: [alice.phone, alice.pc]\n  Core: core.a.example\n  B: rest of b.example'), FILE);
    expect(spec.lifelines).toEqual([
      { name: 'A', refs: ['alice.phone', 'alice.pc'], path: ['lifelines', 'A'] },
      { name: 'Core', refs: ['core.a.example'], path: ['lifelines', 'Core'] },
      { name: 'B', refs: ['*@b.example'], path: ['lifelines', 'B'] },
    ]);
    expect(spec.warnings).toBeUndefined();
  });

  test('a lifeline needs a ref', () => {
    const text = scenario('  A: []');
    expect(errorOf(text, FILE)).toBe(`${FILE}:${pos(text, '[]')}: lifelines.A: a lifeline needs at least one ref`);
  });

  test('a ref belongs to one lifeline, within one or across two', () => {
    const within = scenario('  A: [alice.phone, alice@a.example/phone]');
    expect(errorOf(within, FILE)).toBe(`${FILE}:${pos(within, 'alice@a.example/phone')}: lifelines.A[1]: alice.phone already belongs to lifeline 'A'`);
    const across = scenario('  A: alice.phone\n  Rest: "*@b.example"\n  B: "*@b.example"');
    expect(errorOf(across, FILE)).toBe(`${FILE}:${pos(across, '"*@b.example"', '  B:')}: lifelines.B: *@b.example already belongs to lifeline 'Rest'`);
  });

  test('*@domain over a host another lifeline names warns once per wildcard, naming each host', () => {
    const text = scenario('  A: alice.phone\n  PC: alice.pc\n  Core: core.a.example\n  B: bob.phone\n  All A: "*@a.example"');
    const warnings = loadScenarioText(text, FILE).warnings?.map((w) => w.message);
    expect(warnings).toEqual([
      `${FILE}:${pos(text, '"*@a.example"')}: lifeline 'All A': *@a.example overlaps alice.phone (lifeline 'A'), alice.pc (lifeline 'PC'), core.a.example (lifeline 'Core'), drawn at their own lifelines; write 'rest of a.example' if that is meant`,
    ]);
  });

  test('a wildcard over a domain no other lifeline looks into is silent', () => {
    expect(loadScenarioText(scenario('  A: alice.phone\n  B: "*@b.example"'), FILE).warnings).toBeUndefined();
  });

  test('a wildcard is silent over the hosts its own lifeline names, and when written as the rest of the domain', () => {
    expect(loadScenarioText(scenario('  A: ["*@a.example", alice.phone]'), FILE).warnings).toBeUndefined();
    const rest = loadScenarioText(scenario('  A: alice.phone\n  Rest: rest of a.example'), FILE);
    expect(rest.warnings).toBeUndefined();
    expect(rest.lifelines[1]?.refs).toEqual(['*@a.example']);
  });

  test('the lifelines are a mapping of names', () => {
    const text = scenario('  - alice.phone');
    expect(errorOf(text, FILE)).toBe(`${FILE}:${pos(text, '- alice')}: lifelines: expected a mapping, got a list`);
  });
});
