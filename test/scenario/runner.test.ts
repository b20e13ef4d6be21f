import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { findScenarioFiles } from '../../src/scenario/discover.js';
import { loadScenarioFile, loadScenarioText } from '../../src/scenario/loader.js';
import { runScenario } from '../../src/scenario/runner.js';
import { parseMsrp, serializeMsrp } from '../../src/msrp/codec.js';
import { parseXcap, serializeXcap } from '../../src/xcap/codec.js';
import { parseMessage } from '../../src/sip/parser.js';
import { serializeMessage } from '../../src/sip/serializer.js';
import type { TraceEvent } from '../../src/trace/recorder.js';
import { wireText } from '../../src/trace/wire-format.js';
import { decodePdu, encodePdu } from '../../src/smpp/codec.js';
import { isSip } from '../../src/wire/payload.js';

const bundled = findScenarioFiles([fileURLToPath(new URL('../../scenarios', import.meta.url))]);

/** The whole trace as text: what "byte-identical" means for determinism. */
function traceText(events: TraceEvent[]): string {
  return events
    .map((e) => (e.type === 'note' ? `${e.at} note ${e.host} ${e.text}` : `${e.at} ${e.type} ${e.from}->${e.to}\n${wireText(e.payload)}`))
    .join('\n');
}

describe('bundled scenarios', () => {
  it('finds the Appendix C scenarios', () => {
    expect(bundled.length).toBeGreaterThanOrEqual(3);
  });

  for (const file of bundled) {
    it(`${file.split('/scenarios/')[1]} matches its figure`, () => {
      const run = runScenario(loadScenarioFile(file));
      const failures = run.alignment.filter((a) => a.kind !== 'ok' && a.kind !== 'ignored');
      expect(failures).toEqual([]);
      expect(run.actions.filter((a) => a.found === undefined)).toEqual([]);
      expect(run.passed).toBe(true);
      expect(run.alignment.filter((a) => a.kind === 'ok').length).toBe(run.spec.expect.steps.length);
    });

    it(`${file.split('/scenarios/')[1]}: every message survives serialize then parse`, () => {
      const run = runScenario(loadScenarioFile(file));
      // Injected malformed bytes are, by design, not the serialization of their lenient reading.
      const payloads = run.events.flatMap((e) => (e.type === 'note' ? [] : [e.payload]));
      const sent = payloads.filter(isSip).filter((m) => m.wire === undefined);
      expect(sent.length).toBeGreaterThan(0);
      // A body a proxy forwarded unread (kept as text) is compared unread too.
      for (const m of sent) expect(parseMessage(serializeMessage(m), m.body?.kind === 'text' ? 'opaque' : 'decode')).toEqual(m);
      for (const p of payloads) if (!isSip(p) && p.protocol === 'smpp') expect(decodePdu(encodePdu(p))).toEqual(p);
      for (const p of payloads) if (!isSip(p) && p.protocol === 'msrp') expect(parseMsrp(serializeMsrp(p))).toEqual(p);
      for (const p of payloads) if (!isSip(p) && p.protocol === 'xcap') expect(parseXcap(serializeXcap(p))).toEqual(p);
    });

    it(`${file.split('/scenarios/')[1]} gives a byte-identical trace for the same seed`, () => {
      const spec = loadScenarioFile(file);
      expect(traceText(runScenario(spec).events)).toBe(traceText(runScenario(spec).events));
    });
  }
});

const pager = (steps: string) => `
title: pager
seed: 3
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
  - at: 0s
    register: [alice.phone, bob.phone]
  - at: 1s
    send: { from: alice.phone, to: bob@b.example, text: hi }
expect:
  from: 1s
  steps:
${steps}
`;

describe('runScenario', () => {
  it('reports a wrong expected step as a mismatch naming the step', () => {
    const spec = loadScenarioText(
      pager(`    - { n: 1, from: A, to: Core A, request: MESSAGE }
    - { n: 2, from: Core A, to: B, request: MESSAGE }
    - { n: 3, from: B, to: Core A, response: 202 }
    - { n: 4, from: Core A, to: A, response: 200 }`),
      'pager.yaml',
    );
    const run = runScenario(spec);
    expect(run.passed).toBe(false);
    const bad = run.alignment.filter((a) => a.kind !== 'ok');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.kind).toBe('mismatch');
    expect(bad[0]!.kind === 'mismatch' && bad[0]!.step.n).toBe(3);
    const actual = bad[0]!.kind === 'mismatch' ? bad[0]!.actual.message : undefined;
    expect(actual !== undefined && isSip(actual) && actual.type === 'response' && actual.status).toBe(200);
  });

  it('reports messages the figure does not have as unexpected', () => {
    const spec = loadScenarioText(pager(`    - { n: 1, from: A, to: Core A, request: MESSAGE }`), 'pager.yaml');
    const run = runScenario(spec);
    expect(run.passed).toBe(false);
    expect(run.alignment.filter((a) => a.kind === 'unexpected').length).toBe(3);
  });

  it('a different seed changes identifiers but not the flow', () => {
    const spec = loadScenarioText(
      pager(`    - { n: 1, from: A, to: Core A, request: MESSAGE }
    - { n: 2, from: Core A, to: B, request: MESSAGE }
    - { n: 3, from: B, to: Core A, response: 200 }
    - { n: 4, from: Core A, to: A, response: 200 }`),
      'pager.yaml',
    );
    const a = runScenario(spec, { seed: 1 });
    const b = runScenario(spec, { seed: 2 });
    expect(a.passed && b.passed).toBe(true);
    expect(traceText(a.events)).not.toBe(traceText(b.events));
  });
});

describe('run guards', () => {
  const spec = loadScenarioFile(fileURLToPath(new URL('../../scenarios/appendix-c/c-3-1-1-1-pager-to-user-originating.yaml', import.meta.url)));
  it('a run past its wall-clock limit fails with a message naming the limit', () => {
    const run = runScenario({ ...spec, limits: { ...spec.limits, wallClockMs: -1 } });
    expect(run.passed).toBe(false);
    expect(run.error).toMatch(/^the run took more than -0.001 s of real time by [\d.]+ s of virtual time \(limits.wall-clock\)$/);
  });
  it('a run whose heap grows past its memory limit fails with a message naming the limit', () => {
    const run = runScenario({ ...spec, limits: { ...spec.limits, memoryMiB: -Infinity } });
    expect(run.passed).toBe(false);
    expect(run.error).toMatch(/\(limits.memory\)$/);
  });
});
