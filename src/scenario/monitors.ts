/** The `monitors:` section: a scenario's own invariants, checked on every run `cpmsim explore` makes. */
import { MONITOR, fieldNames } from './shape.js';
import type { Directory } from './refs.js';
import type { MonitorSpec } from './spec.js';
import { readMatcher } from './steps.js';
import type { Value } from './yaml-reader.js';

const FIELDS = fieldNames(MONITOR);
const NAME = /^[a-z][a-z0-9-]*$/;

export function readMonitors(value: Value, lifelines: string[], directory: Directory): MonitorSpec[] {
  const names = new Set<string>();
  return value.list().map((item) => {
    const m = item.map(FIELDS);
    const nameValue = m.require('name');
    const name = nameValue.string();
    if (!NAME.test(name)) nameValue.fail(`a monitor name is lowercase letters, digits and dashes, like one-invite-per-device; got '${name}'`);
    if (names.has(name)) nameValue.fail(`a monitor named '${name}' is already defined`);
    names.add(name);
    const match = readMatcher(m.require('match'), lifelines, directory);
    const bound = (key: string): number | undefined => {
      const v = m.get(key);
      const n = v?.integer();
      if (v && n !== undefined && n < 0) v.fail(`${key} must not be negative`);
      return n;
    };
    const atMost = bound('at-most');
    const atLeast = bound('at-least');
    if (atMost === undefined && atLeast === undefined) item.fail("a monitor needs 'at-most', 'at-least' or both");
    if (atMost !== undefined && atLeast !== undefined && atLeast > atMost) m.failAtKey('at-least', `at-least ${atLeast} is more than at-most ${atMost}`);
    return { name, match, ...(atMost !== undefined && { atMost }), ...(atLeast !== undefined && { atLeast }), path: item.path };
  });
}
