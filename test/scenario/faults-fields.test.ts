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

describe('delay distributions (src/net/delay-distribution.ts)', () => {
  const delayOf = (delay: string) => loadScenarioText(scenario(`  links: { delay: ${delay} }`), FILE).network.faults?.intraDomain.delay;

  test('each form is read in microseconds', () => {
    expect(delayOf('{ normal: { mean: 10ms, sd: 2ms } }')).toEqual({ kind: 'normal', mean: 10_000, sd: 2_000 });
    expect(delayOf('{ exponential: 3ms }')).toEqual({ kind: 'exponential', mean: 3_000 });
    expect(delayOf('{ uniform: [2ms, 2ms] }')).toEqual({ kind: 'uniform', min: 2_000, max: 2_000 });
    expect(delayOf('{ empirical: [8ms] }')).toEqual({ kind: 'empirical', values: [8_000] });
  });

  test('the defaults of the link behaviour: no jitter, loss, duplicates or reordering; reordered packets 50 ms late', () => {
    const faults = loadScenarioText(scenario('  links: { delay: { exponential: 3ms } }'), FILE).network.faults!;
    expect(faults.intraDomain).toEqual({ delay: { kind: 'exponential', mean: 3_000 }, jitter: 0, loss: 0, duplicate: 0, reorder: 0, reorderDelay: 50_000 });
    // The link between domains keeps the network's constant delay (10 ms by default).
    expect(faults.interDomain).toEqual({ delay: { kind: 'constant', value: 10_000 }, jitter: 0, loss: 0, duplicate: 0, reorder: 0, reorderDelay: 50_000 });
    expect([faults.rules, faults.partitions, faults.crashes]).toEqual([[], [], []]);
  });

  test('a distribution between domains alone is a fault model too', () => {
    const faults = loadScenarioText(scenario('  links: { inter-domain-delay: { uniform: [5ms, 15ms] } }'), FILE).network.faults!;
    expect(faults.interDomain.delay).toEqual({ kind: 'uniform', min: 5_000, max: 15_000 });
    expect(faults.intraDomain.delay).toEqual({ kind: 'constant', value: 1_000 });
  });

  test.each([
    ['{ uniform: [1ms, 2ms, 3ms] }', '[1ms', 'network.links.delay.uniform: uniform takes [min, max]'],
    ['{ empirical: [] }', '[]', 'network.links.delay.empirical: empirical needs at least one measured delay'],
    ['{}', '{}', 'network.links.delay: a delay distribution names one of uniform, normal, exponential, empirical'],
    ['{ uniform: [1ms, 2ms], exponential: 1ms }', '{ uniform', 'network.links.delay: a delay distribution names one of uniform, normal, exponential, empirical'],
    ['{ normal: { mean: 1ms } }', '{ mean', "network.links.delay.normal: missing required field 'sd'"],
  ])('%s is refused where it is wrong', (delay, needle, reason) => {
    const text = scenario(`  links: { delay: ${delay} }`);
    expect(errorOf(text, FILE)).toBe(`x.yaml:${pos(text, needle, 'links:')}: ${reason}`);
  });
});

describe('probabilities', () => {
  const lossOf = (loss: string) => loadScenarioText(scenario(`  links: { loss: ${loss} }`), FILE).network.faults?.intraDomain.loss;

  test('are a percentage or a fraction from 0 to 1', () => {
    expect(lossOf('"12.5 %"')).toBe(0.125);
    expect(lossOf('100%')).toBe(1);
    expect(lossOf('0%')).toBe(0);
    expect(lossOf('.25')).toBe(0.25);
    expect(lossOf('1')).toBe(1);
    expect(lossOf('1e-3')).toBe(0.001);
  });

  test.each(['1.5', '-1%', '5%%', 'x5%', '1e3', 'half', '"0.5 "'])('%s is not one', (loss) => {
    const text = scenario(`  links: { loss: ${loss} }`);
    const written = loss.replace(/^"|"$/g, '');
    expect(errorOf(text, FILE)).toBe(`x.yaml:${pos(text, loss, 'links:')}: network.links.loss: '${written}' is not a probability: write one from 0% to 100%, or from 0 to 1`);
  });

  test('a list is not one', () => {
    const text = scenario('  links: { duplicate: [1%] }');
    expect(errorOf(text, FILE)).toBe(`x.yaml:${pos(text, '[1%]')}: network.links.duplicate: expected a probability like 5% or 0.05, got a list`);
  });
});

describe('crashes', () => {
  const crashes = (list: string) => loadScenarioText(scenario(`  crashes:\n${list}`), FILE).network.faults!.crashes.map(({ path: _path, ...c }) => c);

  test('of one node may follow each other once it is back', () => {
    expect(crashes('    - { node: cs.a.example, at: 1s, restart: 2s }\n    - { node: cs.a.example, at: 2s }')).toEqual([
      { host: 'cs.a.example', atUs: 1_000_000, restartUs: 2_000_000, state: 'lost' },
      { host: 'cs.a.example', atUs: 2_000_000, state: 'lost' },
    ]);
  });

  test('a crash before another that does not restart is no overlap when it restarts first', () => {
    expect(crashes('    - { node: cs.a.example, at: 5s }\n    - { node: cs.a.example, at: 1s, restart: 5s }')).toHaveLength(2);
  });

  test('overlap when one starts while the other is down, in either order', () => {
    const later = scenario('  crashes:\n    - { node: cs.a.example, at: 5s }\n    - { node: cs.a.example, at: 1s, restart: 6s }');
    expect(errorOf(later, FILE)).toBe(`x.yaml:${pos(later, 'cs.a.example, at: 1s')}: network.crashes[1].node: cs.a.example is already down then (a crash at 5s)`);
  });

  test('a domain without CPM has no Conversation Server to crash', () => {
    const text = scenario('  crashes:\n    - { node: cs.b.example, at: 1s }').replace('  domains: [a.example, b.example]', '  domains: { a.example: {}, b.example: { cpm: false } }');
    expect(errorOf(text, FILE)).toBe(`x.yaml:${pos(text, 'cs.b.example')}: network.crashes[0].node: there is no cs in b.example; its servers are core.b.example`);
  });

  test('of other nodes are independent', () => {
    expect(crashes('    - { node: cs.a.example, at: 1s }\n    - { node: core.a.example, at: 1s }')).toHaveLength(2);
  });

  test('restart equal to the crash is refused', () => {
    const text = scenario('  crashes:\n    - { node: cs.a.example, at: 1s, restart: 1s }');
    expect(errorOf(text, FILE)).toBe(`x.yaml:${pos(text, '1s }')}: network.crashes[0].restart: restart must be later than the crash (at)`);
  });

  test('a node of a non-CPM system or an interworking function is a host of the network', () => {
    const text = scenario('  non-cpm:\n    sms.example: { service: sms, users: [tel:+15559870001] }\n  crashes:\n    - { node: smsc.sms.example, at: 1s }\n    - { node: iwf-sms.a.example, at: 1s }\n    - { node: isf.b.example, at: 1s }');
    expect(loadScenarioText(text, FILE).network.faults!.crashes.map((c) => c.host)).toEqual(['smsc.sms.example', 'iwf-sms.a.example', 'isf.b.example']);
  });
});

describe('partitions', () => {
  test('name two sides, each a domain or a node', () => {
    const spec = loadScenarioText(scenario('  partitions:\n    - { between: [alice.phone, b.example], from: 0s, until: 1us }'), FILE);
    expect(spec.network.faults!.partitions).toEqual([{ between: [{ host: 'phone.alice.a.example' }, { domain: 'b.example' }], from: 0, until: 1 }]);
  });

  test('until before from is refused', () => {
    const text = scenario('  partitions:\n    - { between: [a.example, b.example], from: 2s, until: 1s }');
    expect(errorOf(text, FILE)).toBe(`x.yaml:${pos(text, '1s }')}: network.partitions[0].until: until must be later than from`);
  });
});
