import { describe, expect, test } from 'vitest';
import { loadScenarioText } from '../../src/scenario/loader.js';
import { errorOf, pos } from './located-errors.js';
import { AFTER_NETWORK } from './minimal-scenario.js';

const FILE = 'x.yaml';

/** A two-domain scenario with `faults` (YAML under `network:`, indented two spaces). */
function scenario(faults: string): string {
  return `title: T
network:
  domains: [a.example, b.example]
  users:
    alice@a.example: { devices: [phone] }
    bob@b.example: { devices: [phone] }
${faults}
${AFTER_NETWORK}`;
}

describe('network faults in a scenario', () => {
  test('a file without faults has none, and keeps its constant links', () => {
    const spec = loadScenarioText(scenario('  links: { delay: 2ms, inter-domain-delay: 20ms }'), FILE);
    expect(spec.network.faults).toBeUndefined();
    expect(spec.network.links).toEqual({ delayUs: 2000, interDomainDelayUs: 20000 });
  });

  test('links, rules, partitions and crashes are read with their nodes resolved to hosts and domains', () => {
    const spec = loadScenarioText(
      scenario(`  links:
    delay: { uniform: [1ms, 3ms] }
    inter-domain-delay: 20ms
    loss: 5%
    jitter: 1ms
    between:
      - { nodes: [a.example, bob.phone], loss: 0.5, delay: { empirical: [1ms, 4ms] } }
      - { nodes: [core.a.example, core.b.example], duplicate: 1%, reorder: 2%, reorder-delay: 30ms }
  partitions:
    - { between: [a.example, cs.b.example], from: 1s, until: 2s }
  crashes:
    - { node: cs.b.example, at: 3s, restart: 4s, state: kept }
    - { node: alice.phone, at: 5s }`),
      FILE,
    );
    const faults = spec.network.faults!;
    expect(faults.intraDomain).toEqual({ delay: { kind: 'uniform', min: 1000, max: 3000 }, jitter: 1000, loss: 0.05, duplicate: 0, reorder: 0, reorderDelay: 50_000 });
    expect(faults.interDomain.delay).toEqual({ kind: 'constant', value: 20_000 });
    expect(faults.rules).toEqual([
      { between: [{ domain: 'a.example' }, { host: 'phone.bob.b.example' }], behaviour: { loss: 0.5, delay: { kind: 'empirical', values: [1000, 4000] } } },
      { between: [{ host: 'core.a.example' }, { host: 'core.b.example' }], behaviour: { duplicate: 0.01, reorder: 0.02, reorderDelay: 30_000 } },
    ]);
    expect(faults.partitions).toEqual([{ between: [{ domain: 'a.example' }, { host: 'cs.b.example' }], from: 1_000_000, until: 2_000_000 }]);
    expect(faults.crashes.map(({ path: _path, ...c }) => c)).toEqual([
      { host: 'cs.b.example', atUs: 3_000_000, restartUs: 4_000_000, state: 'kept' },
      { host: 'phone.alice.a.example', atUs: 5_000_000, state: 'lost' },
    ]);
  });

  test.each([
    ['  links: { loss: 105% }', '105%', "network.links.loss: '105%' is not a probability: write one from 0% to 100%, or from 0 to 1"],
    ['  links: { jitter: often }', 'often', 'network.links.jitter:'],
    ['  links: { delay: { gamma: 3ms } }', 'gamma', "network.links.delay: unknown field 'gamma'"],
    ['  links: { delay: { uniform: [5ms, 1ms] } }', '1ms', 'network.links.delay.uniform[1]: max must not be below min'],
    ['  links: { between: [ { nodes: [a.example], loss: 1% } ] }', '[a.example]', 'network.links.between[0].nodes: names two sides'],
    ['  links: { between: [ { nodes: [a.example, c.example] } ] }', 'c.example', 'network.links.between[0].nodes[1]: unknown device c.example'],
    ['  partitions: [ { between: [a.example, b.example], from: 5s, until: 5s } ]', '5s }', 'network.partitions[0].until: until must be later than from'],
    ['  crashes: [ { node: b.example, at: 1s } ]', 'b.example, at', 'network.crashes[0].node: b.example is a domain; name one of its nodes, such as core.b.example'],
    ['  crashes: [ { node: isf.a.example, at: 1s } ]', 'isf.a.example', 'network.crashes[0].node: there is no isf in a.example; its servers are core.a.example, cs.a.example, xdms.a.example'],
    ['  crashes: [ { node: cs.a.example, at: 2s, restart: 1s } ]', '1s }', 'network.crashes[0].restart: restart must be later than the crash (at)'],
    ['  crashes: [ { node: cs.a.example, at: 1s, state: frozen } ]', 'frozen', "network.crashes[0].state: unknown value 'frozen'; allowed: lost, kept"],
    ['  crashes: [ { node: cs.a.example, at: 1s, restart: 5s }, { node: cs.a.example, at: 3s } ]', 'cs.a.example, at: 3s', 'network.crashes[1].node: cs.a.example is already down then (a crash at 1s)'],
  ])('%s is refused where it is wrong', (faults, needle, reason) => {
    const text = scenario(faults);
    const message = errorOf(text, FILE);
    expect(message.startsWith(`x.yaml:${pos(text, needle, faults.slice(0, 12))}: ${reason}`), message).toBe(true);
  });
});
