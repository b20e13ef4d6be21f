import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exploreRun } from '../../src/explore/explore-run.js';
import { loadScenarioText } from '../../src/scenario/loader.js';
import { errorOf, pos } from './located-errors.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const base = readFileSync(join(root, 'scenarios/appendix-c/c-3-1-1-1-pager-to-user-originating.yaml'), 'utf8');
const F = 'm.yaml';

describe('monitors: and expect.under-faults', () => {
  it('reads a scenario monitor and the under-faults flag', () => {
    const text = `${base.replace('expect:\n', 'expect:\n  under-faults: true\n')}\nmonitors:\n  - { name: one-message-out, match: { from: CPM Client A, request: MESSAGE }, at-most: 1, at-least: 1 }\n`;
    const spec = loadScenarioText(text, F);
    expect(spec.expect.underFaults).toBe(true);
    expect(spec.monitors).toEqual([{ name: 'one-message-out', match: { from: 'CPM Client A', request: 'MESSAGE', path: ['monitors', 0, 'match'] }, atMost: 1, atLeast: 1, path: ['monitors', 0] }]);
    expect(exploreRun(spec, 1, { kind: 'replay', perturbations: [] }).violations).toEqual([]);
  });

  it('a monitor that the run breaks is a violation at the message that breaks it', () => {
    const text = `${base}\nmonitors:\n  - { name: no-message, match: { request: MESSAGE }, at-most: 0 }\n`;
    const [v] = exploreRun(loadScenarioText(text, F), 1, { kind: 'replay', perturbations: [] }).violations;
    expect(v).toMatchObject({ monitor: 'no-message', message: expect.stringMatching(/matching messages, at most 0 allowed/) });
  });

  it.each([
    ['  - { name: Bad Name, match: { request: MESSAGE }, at-most: 1 }', "a monitor name is lowercase letters, digits and dashes", 'Bad Name'],
    ['  - { name: x, match: { request: MESSAGE } }', "a monitor needs 'at-most', 'at-least' or both", '{ name: x'],
    ['  - { name: x, match: { request: MESSAGE }, at-most: 1, at-least: 2 }', 'at-least 2 is more than at-most 1', 'at-least'],
    ['  - { name: x, match: { from: Nobody }, at-most: 1 }', 'Nobody', 'Nobody'],
    ['  - { name: x, match: {}, at-most: 1 }', 'a message pattern needs at least one of', '{}'],
  ])('refuses %s', (line, message, at) => {
    const text = `${base}\nmonitors:\n${line}\n`;
    const error = errorOf(text, F);
    expect(error).toContain(message);
    expect(error).toContain(`${F}:${pos(text, at, 'monitors:')}`);
  });

  it('refuses a monitor name given twice, and an under-faults that is not true or false', () => {
    const twice = `${base}\nmonitors:\n  - { name: x, match: { request: MESSAGE }, at-most: 1 }\n  - { name: x, match: { request: MESSAGE }, at-most: 2 }\n`;
    expect(errorOf(twice, F)).toContain("a monitor named 'x' is already defined");
    expect(errorOf(base.replace('expect:\n', 'expect:\n  under-faults: yes please\n'), F)).toContain('expected true or false');
  });
});
