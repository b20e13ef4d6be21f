import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SECOND } from '../../src/kernel/time.js';
import { loadLoadFile, loadLoadText } from '../../src/load/loader.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import { pos } from '../scenario/located-errors.js';

const BASE = `title: small
duration: 2min
population:
  domains: 2
  users-per-domain: 5
traffic:
  pager: { every: 1min, notify: [positive-delivery] }
`;

function errorOf(text: string): string {
  try {
    loadLoadText(text, 'x.load.yaml');
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('loadLoadText', () => {
  it('reads a minimal file with its defaults', () => {
    const spec = loadLoadText(BASE, 'x.load.yaml');
    expect(spec).toMatchObject({
      title: 'small',
      seed: 1,
      durationUs: 120 * SECOND,
      sampleUs: 10 * SECOND,
      population: { domains: 2, usersPerDomain: 5, devices: ['phone'], aliases: false, preferences: {}, policy: {}, registrationUs: 10 * SECOND },
      traffic: { pager: [{ everyUs: 60 * SECOND, notify: ['positive-delivery'], length: 20 }] },
    });
  });

  it('reads every model, and preferences and policy as a scenario spells them', () => {
    const spec = loadLoadText(
      `title: all
seed: 4
duration: 1h
population:
  domains: 3
  users-per-domain: 10
  devices: [phone, laptop]
  aliases: true
  preferences: { when-unavailable: reject, read-reports: false }
  policy: { max-deferred: 5 }
  groups: { per-domain: 2, members: 4 }
  non-cpm: { sms: 3 }
  registration: 30s
traffic:
  pager: [{ every: 10min }, { every: 1h, notify: [positive-delivery, display], length: 200 }]
  group: { every: 2h }
  sessions: { every: 3h, duration: 1min, messages: 2 }
  churn: { every: 1h, offline: 5min, deregister: false }
  non-cpm: { every: 6h }
`,
      'all.load.yaml',
    );
    expect(spec.population).toMatchObject({ devices: ['phone', 'laptop'], aliases: true, preferences: { whenUnavailable: 'reject', readReports: false }, policy: { maxDeferred: 5 }, groups: { perDomain: 2, members: 4 }, nonCpm: { sms: 3, email: 0 } });
    expect(spec.traffic.pager).toHaveLength(2);
    expect(spec.traffic.pager[1]).toEqual({ everyUs: 3600 * SECOND, notify: ['positive-delivery', 'display'], length: 200 });
    expect(spec.traffic.sessions).toEqual({ everyUs: 3 * 3600 * SECOND, durationUs: 60 * SECOND, messages: 2, length: 20 });
    expect(spec.traffic.churn).toEqual({ everyUs: 3600 * SECOND, offlineUs: 300 * SECOND, deregister: false });
  });

  it.each([
    ['an unknown field, with a suggestion', BASE.replace('traffic:', 'trafic: {}\ntraffic:'), 'trafic', "unknown field 'trafic'; did you mean 'traffic'?"],
    ['a rate of zero', BASE.replace('every: 1min', 'every: 0'), '0, notify', 'traffic.pager.every: every must be longer than 0s'],
    ['a duration without a unit', BASE.replace('duration: 2min', 'duration: 2'), '2\n', 'duration: duration 2 needs a unit: us, ms, s, min or h'],
    ['too many domains', BASE.replace('domains: 2', 'domains: 1000'), '1000', 'population.domains: domains must be from 1 to 999'],
    ['an unknown notification', BASE.replace('positive-delivery', 'positive'), 'positive]', "traffic.pager.notify[0]: unknown notify value 'positive'; allowed: positive-delivery, negative-delivery, display, processing"],
    ['group traffic without groups', `${BASE}  group: { every: 1h }\n`, '{ every: 1h }', 'traffic.group: group traffic needs population.groups'],
    ['non-CPM traffic without non-CPM users', `${BASE}  non-cpm: { every: 1h }\n`, '{ every: 1h }', 'traffic.non-cpm: non-CPM traffic needs population.non-cpm'],
    ['a session longer than the run', `${BASE}  sessions: { every: 1h, duration: 1h }\n`, '1h }', 'traffic.sessions.duration: a session cannot last longer than the run'],
    ['no traffic at all', BASE.replace(/traffic:\n.*\n/, 'traffic: {}\n'), '{}', 'traffic: traffic needs at least one model (pager, group, sessions, churn, non-cpm)'],
  ])('points at %s', (_what, text, needle, reason) => {
    expect(errorOf(text)).toBe(`x.load.yaml:${pos(text, needle)}: ${reason}`);
  });

  it('reads the bundled load files', () => {
    for (const name of ['1k-users.load.yaml', '100k-users-1h.load.yaml']) {
      const spec = loadLoadFile(fileURLToPath(new URL(`../../scenarios/load/${name}`, import.meta.url)));
      expect(spec.title).not.toBe('');
    }
    const big = loadLoadFile(fileURLToPath(new URL('../../scenarios/load/100k-users-1h.load.yaml', import.meta.url)));
    expect(big.population.domains * big.population.usersPerDomain).toBe(100_000);
    expect(big.durationUs).toBe(3600 * SECOND);
    expect(big.traffic.pager).toEqual([{ everyUs: 600 * SECOND, notify: ['positive-delivery'], length: 20 }]);
  });

  it('names a missing file', () => {
    expect(() => loadLoadFile('/nonexistent/x.load.yaml')).toThrow('/nonexistent/x.load.yaml:1:1: no such file');
  });
});
