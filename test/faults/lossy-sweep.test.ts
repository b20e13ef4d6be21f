import { describe, expect, it } from 'vitest';
import { deviceHost } from '../../src/cpm/naming.js';
import { SECOND } from '../../src/kernel/time.js';
import type { LinkBehaviour } from '../../src/net/link-model.js';
import { findScenarioFiles } from '../../src/scenario/discover.js';
import { loadScenarioFile } from '../../src/scenario/loader.js';
import { runScenario } from '../../src/scenario/runner.js';
import type { ScenarioSpec } from '../../src/scenario/spec.js';
import { pagerOutcomes } from './pager-outcomes.js';

/** Seeds per scenario: a handful here; `SWEEP_SEEDS=200` (scripts/loss-sweep.sh) for the full sweep. */
const SEEDS = Number(process.env['SWEEP_SEEDS'] ?? 5);
const LOSS = 0.05;

/**
 * Long enough after the last action for the slowest recovery to end: SMTP attempts, each of which
 * may wait 5-10 min for a lost reply (RFC 5321 4.5.3.2) and be tried again 30 min later (4.5.4.1).
 */
const SETTLE = 6 * 3600 * SECOND;

/** The scenario with 5 % of every packet on every link lost, whatever the protocol, run until it settles. */
function lossy(spec: ScenarioSpec): ScenarioSpec {
  const lastAt = spec.timeline.reduce((max, e) => Math.max(max, e.atUs), 0);
  const durationUs = Math.max(spec.durationUs ?? 0, lastAt + SETTLE);
  const { delayUs, interDomainDelayUs } = spec.network.links;
  const behaviour = (delay: number): LinkBehaviour => ({ delay: { kind: 'constant', value: delay }, jitter: 0, loss: LOSS, duplicate: 0, reorder: 0, reorderDelay: 0 });
  return { ...spec, durationUs, limits: { ...spec.limits, untilUs: durationUs }, network: { ...spec.network, faults: { intraDomain: behaviour(delayUs), interDomain: behaviour(interDomainDelayUs), rules: [], partitions: [], crashes: [] } } };
}

describe(`every bundled scenario with ${LOSS * 100} % loss on every link, ${SEEDS} seeds`, () => {
  const files = findScenarioFiles(['scenarios']);
  it.each(files)('%s: every pager message is delivered, stored, deferred, or its sender is told', (file) => {
    const spec = lossy(loadScenarioFile(file));
    const clients = new Set(spec.network.users.flatMap((u) => u.devices.map((d) => deviceHost(u.local, d.name, u.domain))));
    const unreported: string[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const run = runScenario(spec, { seed });
      expect(run.error).toBeUndefined();
      for (const o of pagerOutcomes(run.events, clients)) if (o.outcome === 'unreported') unreported.push(`seed ${seed}: ${o.messageId} from ${o.sender} at ${o.sentAt}us: ${o.why}`);
    }
    expect(unreported).toEqual([]);
  });
});
