/**
 * docs/ffs-decisions.md names, for each FFS question cpmsim had to decide, the scenario option that
 * tries the alternatives: every value it names must load, and a value it does not name must not.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/loader.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const page = readFileSync(join(root, 'docs/ffs-decisions.md'), 'utf8');

interface Option {
  kind: 'policy' | 'preferences';
  key: string;
  values: string[];
  extra: string[];
}

/** The last column of each table row: `policy|preferences `key: value` or `other`[, with `k: v`]`. */
const options: Option[] = page
  .split('\n')
  .filter((l) => l.startsWith('| ') && !l.startsWith('| Where') && !l.startsWith('|---'))
  .flatMap((row) => {
    const cell = row.split('|').at(-2)?.trim() ?? '';
    const kind = /^(policy|preferences) /.exec(cell)?.[1] as Option['kind'] | undefined;
    if (kind === undefined) return [];
    const codes = Array.from(cell.matchAll(/`([^`]+)`/g), (m) => m[1] ?? '');
    const [first = '', ...rest] = codes;
    const [key = '', value = ''] = first.split(/:\s*/);
    return [{ kind, key, values: [value, ...rest.filter((c) => !c.includes(':'))], extra: rest.filter((c) => c.includes(':')) }];
  });

function scenario(option: Option, value: string): string {
  const settings = [`${option.key}: ${value}`, ...option.extra].join(', ');
  const domains = option.kind === 'policy' ? `{ a.example: { policy: { ${settings} } }, b.example: {} }` : '[a.example, b.example]';
  const bob = option.kind === 'preferences' ? `{ devices: [phone], preferences: { ${settings} } }` : '{ devices: [phone] }';
  return `title: t
network:
  domains: ${domains}
  users:
    alice@a.example: { devices: [phone] }
    bob@b.example: ${bob}
lifelines:
  Alice: alice.phone
  Bob: bob.phone
timeline:
  - at: 0s
    register: [alice.phone]
expect:
  steps:
    - { n: 1, from: Alice, to: Alice, request: REGISTER }
`;
}

describe('docs/ffs-decisions.md', () => {
  it('names options to try', () => {
    expect(options.length).toBeGreaterThanOrEqual(8);
    for (const o of options) expect(o.values.length).toBeGreaterThanOrEqual(2);
  });

  it.each(options.flatMap((o) => o.values.map((v) => [`${o.kind} ${o.key}: ${v}`, o, v] as const)))('%s loads', (_name, option, value) => {
    expect(() => loadScenarioText(scenario(option, value), 'ffs.yaml')).not.toThrow();
  });

  it.each(options.map((o) => [`${o.kind} ${o.key}`, o] as const))('%s refuses a value the page does not name', (_name, option) => {
    expect(() => loadScenarioText(scenario(option, 'no-such-choice'), 'ffs.yaml')).toThrow(/ffs\.yaml:\d+:\d+/);
  });
});
