import { Buffer } from 'node:buffer';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { flowRunOf, runScenario } from '../../src/scenario/runner.js';
import { loadScenarioFile } from '../../src/scenario/loader.js';
import { EventCounter } from '../../src/trace/event-counter.js';
import { renderJsonl } from '../../src/trace/jsonl.js';
import { JsonlStreamWriter } from '../../src/trace/jsonl-stream.js';
import { PcapStreamWriter } from '../../src/trace/pcap-stream.js';
import { tracePcap } from '../../src/trace/pcap.js';
import { TraceRecorder, type TraceEvent } from '../../src/trace/recorder.js';
import { flowView } from '../../src/trace/view.js';
import { root } from './fixtures.js';

const scenario = (name: string): ReturnType<typeof runScenario> => runScenario(loadScenarioFile(join(root, 'scenarios/behaviour', name)));

/** The figure's fields: a streamed trace has no figure. */
const FIGURE_FIELDS = ['fromLifeline', 'toLifeline', 'step', 'mark', 'expected', 'lifeline'];

/** The packets of a capture as their lengths and times (addresses differ between the plans). */
function records(pcap: Buffer): { at: number; length: number }[] {
  const out: { at: number; length: number }[] = [];
  for (let offset = 24; offset < pcap.length; ) {
    const length = pcap.readUInt32LE(offset + 8);
    out.push({ at: pcap.readUInt32LE(offset) * 1e6 + pcap.readUInt32LE(offset + 4), length });
    offset += 16 + length;
  }
  return out;
}

describe('JsonlStreamWriter', () => {
  it('writes a header and, as each event happens, the line a rendered trace has, without the figure', () => {
    const run = scenario('session-messages.yaml');
    const written: string[] = [];
    const writer = new JsonlStreamWriter({ source: 'x.load.yaml', title: 'T', seed: 9 }, (t) => written.push(t));
    for (const e of run.events) writer.observer(e);
    expect(JSON.parse(written[0]!)).toEqual({ schema: 'cpmsim.trace-stream', version: 1, source: 'x.load.yaml', title: 'T', seed: 9 });
    expect(writer.events).toBe(run.events.length);
    // One write per event, each a whole line: nothing waits in the writer.
    expect(written).toHaveLength(run.events.length + 1);
    expect(written.every((w) => w.endsWith('\n') && w.indexOf('\n') === w.length - 1)).toBe(true);
    const rendered = renderJsonl(flowView(flowRunOf(run))).trimEnd().split('\n').slice(1).map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const line of rendered) for (const field of FIGURE_FIELDS) delete line[field];
    expect(written.slice(1).map((l) => JSON.parse(l))).toEqual(rendered);
  });
});

describe('PcapStreamWriter', () => {
  it.each(['session-messages.yaml', 'interworking-email-dsn.yaml', 'deferred-push-on-registration.yaml', 'session-cancelled.yaml'])(
    'writes the packets the batch capture has for %s, at the same times and of the same sizes',
    (name) => {
      const run = scenario(name);
      const chunks: Uint8Array[] = [];
      const writer = new PcapStreamWriter(run.spec.network.domains.map((d) => d.name), (o) => chunks.push(o));
      for (const e of run.events) writer.observer(e);
      writer.finish();
      const streamed = Buffer.concat(chunks);
      const batch = tracePcap(run.events, run.spec.network.domains.map((d) => d.name));
      expect(records(streamed)).toEqual(records(batch.pcap));
      expect(writer.packets).toBe(batch.packets);
      expect(writer.messages).toEqual({ udp: batch.udp, tcp: batch.tcp });
      expect(streamed.length).toBe(batch.pcap.length);
    },
  );

  it('numbers the hosts of a domain in the order they appear', () => {
    const run = scenario('session-messages.yaml');
    const writer = new PcapStreamWriter(run.spec.network.domains.map((d) => d.name), () => undefined);
    for (const e of run.events) writer.observer(e);
    const first = run.events.find((e) => e.type === 'transmit')!;
    expect(first.type === 'transmit' && writer.plan.address(first.from)).toEqual([10, 1, 0, 1]);
  });
});

/**
 * Gives the observer copies of the events, so the scenario's own list does not keep them alive,
 * in a function of its own, so no local of the test does either.
 */
function feed(observer: (e: TraceEvent) => void, events: readonly TraceEvent[]): WeakRef<TraceEvent>[] {
  return events.map((e) => {
    const copy = structuredClone(e);
    observer(copy);
    return new WeakRef(copy);
  });
}

describe('the streaming writers hold no events', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;

  it.each([
    ['JSON lines', (): ((e: TraceEvent) => void) => new JsonlStreamWriter({ source: 's', title: 't', seed: 1 }, () => undefined).observer],
    ['pcap', (): ((e: TraceEvent) => void) => new PcapStreamWriter(['a.example', 'b.example'], () => undefined).observer],
    ['counting', (): ((e: TraceEvent) => void) => new EventCounter().observer],
  ])('%s: every event it was given can be collected once it is written', async (_name, make) => {
    const events = scenario('session-messages.yaml').events;
    const observer = make();
    const refs = feed(observer, events);
    // WeakRef targets live until the job that made them ends (ECMA-262 KeepDuringJob).
    await new Promise((r) => setTimeout(r, 0));
    gc();
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
  });

  it('while the recorder, which keeps the trace, holds every one (the check can see it)', async () => {
    const recorder = new TraceRecorder();
    const refs = feed(recorder.observer, scenario('session-messages.yaml').events);
    await new Promise((r) => setTimeout(r, 0));
    gc();
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(recorder.events.length);
  });
});
