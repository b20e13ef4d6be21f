import { beforeEach, describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/sip/parser.js';
import { isSip } from '../../src/wire/payload.js';
import { parseXcap } from '../../src/xcap/codec.js';
import { eventLine, JSONL_SCHEMA, JSONL_VERSION, renderJsonl } from '../../src/trace/jsonl.js';
import type { TraceEvent } from '../../src/trace/recorder.js';
import { flowView } from '../../src/trace/view.js';
import { brokenFig16, fig16, handRun, nastyView, sipRequest, uncheckedFig16, viewOf } from './fixtures.js';

type Line = Record<string, unknown>;

function parse(text: string): Line[] {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Line);
}

describe('renderJsonl', () => {
  it('writes a header line, then one parseable line per trace event, in trace order', () => {
    const run = fig16();
    const lines = parse(renderJsonl(viewOf(run)));
    expect(lines.length).toBe(run.events.length + 1);
    expect(lines[0]).toMatchObject({
      schema: JSONL_SCHEMA,
      version: JSONL_VERSION,
      scenario: 'scenarios/appendix-c/c-3-1-1-1-pager-to-user-originating.yaml',
      title: 'Pager Mode CPM Message to a CPM User (originating) — C.3.1.1.1, Figure 16',
      seed: 7,
      checked: true,
      passed: true,
      missing: [],
      events: run.events.length,
    });
    expect(lines[0]!['lifelines']).toEqual([
      { name: 'CPM Client A', hosts: ['phone.alice.a.example'], domains: [], domain: 'a.example' },
      { name: 'SIP/IP Core A', hosts: ['core.a.example'], domains: [], domain: 'a.example' },
      { name: 'CPM Conversation Server A', hosts: ['cs.a.example'], domains: [], domain: 'a.example' },
      { name: 'CPM System B', hosts: [], domains: ['b.example'], domain: 'b.example' },
    ]);
    run.events.forEach((e, i) => {
      const line = lines[i + 1]!;
      expect(line).toMatchObject({ type: e.type, id: e.id, at: e.at });
      if (e.type === 'note') expect(line).toMatchObject({ host: e.host, text: e.text });
      else {
        expect(line).toMatchObject({ from: e.from, to: e.to });
        // The wire text is the message itself: it parses back to what was sent.
        if (isSip(e.payload)) expect(parseMessage(line['wire'] as string)).toEqual(e.payload);
        else if (e.payload.protocol === 'xcap') expect(parseXcap(line['wire'] as string)).toEqual(e.payload);
      }
      if (e.type === 'transmit') expect(line['arriveAt']).toBe(e.arriveAt);
    });
  });

  it('gives projected messages their lifelines, figure step and mark', () => {
    const run = fig16();
    const lines = parse(renderJsonl(viewOf(run)));
    const stepped = lines.filter((l) => l['step'] !== undefined);
    expect(stepped.map((l) => l['step'])).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(stepped[0]).toMatchObject({ type: 'transmit', fromLifeline: 0, toLifeline: 1, mark: 'ok', label: 'MESSAGE "Hello Bob"', kind: 'request' });
    expect(stepped[6]).toMatchObject({ fromLifeline: 2, toLifeline: 1, step: 7, label: '200 OK (MESSAGE)', kind: 'success' });
    // Registration happens before `expect.from`: in the trace, but in no figure column.
    const register = lines.find((l) => l['label'] === 'REGISTER')!;
    expect(register['fromLifeline']).toBeUndefined();
    expect(register['step']).toBeUndefined();
    const note = lines.find((l) => l['text'] === 'delivery: delivered')!;
    expect(note).toMatchObject({ type: 'note', host: 'phone.alice.a.example', lifeline: 0 });
  });

  it('reports the failures: marks on the messages, missing steps in the header', () => {
    const run = brokenFig16();
    const lines = parse(renderJsonl(viewOf(run)));
    expect(lines.length).toBe(run.events.length + 1);
    expect(lines[0]).toMatchObject({ passed: false, missing: [{ step: 16, from: 0, to: 3, expected: 'step 16: CPM Client A -> CPM System B BYE' }] });
    expect(lines.find((l) => l['mark'] === 'mismatch')).toMatchObject({ step: 5, expected: 'step 5: CPM System B -> SIP/IP Core A 202', label: '200 OK (MESSAGE)' });
    const unexpected = lines.filter((l) => l['mark'] === 'unexpected');
    expect(unexpected).toHaveLength(1);
    expect(unexpected[0]).toMatchObject({ fromLifeline: 1, toLifeline: 0, label: 'MESSAGE [IMDN delivered]' });
    expect(unexpected[0]!['step']).toBeUndefined();
  });

  it('leaves marks out when there are no figure steps', () => {
    const lines = parse(renderJsonl(viewOf(uncheckedFig16())));
    expect(lines[0]).toMatchObject({ checked: false });
    expect(lines.some((l) => l['mark'] !== undefined || l['step'] !== undefined)).toBe(false);
    expect(lines.some((l) => l['fromLifeline'] !== undefined)).toBe(true);
  });

  it('is the same bytes for the same run', () => {
    expect(renderJsonl(viewOf(fig16()))).toBe(renderJsonl(viewOf(fig16())));
  });
});

describe('renderJsonl on a hand-made run (docs/jsonl-schema.md)', () => {
  // Rendered inside each test, so per-test coverage (Stryker's) sees which tests read what.
  let view: ReturnType<typeof flowView>;
  let lines: ReturnType<typeof parse>;
  beforeEach(() => {
    view = flowView(handRun());
    lines = parse(renderJsonl(view));
  });

  it('lists the missing message steps and the missing action steps in the header', () => {
    // In the order the figure draws them: action 8 is in a branch after step 1.
    expect(lines[0]!['missing']).toEqual([
      { step: 8, lifeline: 1, expected: 'step 8: Core A routed' },
      { step: 6, from: 0, to: 1, expected: 'step 6: Client A -> Core A BYE [text/plain]' },
      { step: 7, lifeline: 0, expected: 'step 7: Client A displayed "shown to Alice"' },
    ]);
    expect(lines[0]).toMatchObject({ events: 8, checked: true, passed: false });
    expect('error' in lines[0]!).toBe(false);
  });

  it('writes an error in the header only when the run had one', () => {
    expect(parse(renderJsonl({ ...view, error: 'the scenario stopped: no route' }))[0]).toMatchObject({ error: 'the scenario stopped: no route' });
  });

  it('gives a lifeline its domain only when it has one', () => {
    const lifelines = parse(renderJsonl(nastyView()))[0]!['lifelines'] as Line[];
    expect(lifelines.map((l) => 'domain' in l)).toEqual([true, true, false]);
  });

  it('gives a note its lifeline, and its step when it is an action step of the figure', () => {
    expect(lines.filter((l) => l['type'] === 'note')).toEqual([
      { type: 'note', id: 3, at: 3000, host: 'cs.b.example', lifeline: 2, step: 3, text: 'deferred (1 held)' },
      { type: 'note', id: 7, at: 7000, host: 'core.a.example', lifeline: 1, text: 'routed\r\nVia\vcore' },
    ]);
  });

  it('gives a mismatched message what the figure expected, an unexpected one no step', () => {
    expect(lines.find((l) => l['id'] === 4)).toMatchObject({ step: 4, mark: 'mismatch', expected: 'step 4: Server B -> Core A 202 [text/plain]', label: '200 OK (MESSAGE)', kind: 'success' });
    const unexpected = lines.find((l) => l['id'] === 6)!;
    expect(unexpected).toMatchObject({ mark: 'unexpected', fromLifeline: 2, toLifeline: 1 });
    expect(['step', 'expected'].filter((k) => k in unexpected)).toEqual([]);
  });

  it('puts the step of a message that got through and was then lost on its transmit line only', () => {
    const run = handRun();
    const sent = run.events.find((e) => e.id === 1)!;
    if (sent.type !== 'transmit') throw new Error('event 1 is a transmit');
    const lost: TraceEvent = { type: 'undeliverable', id: 1, at: sent.arriveAt, from: sent.from, to: sent.to, payload: sent.payload, reason: 'host-down' };
    const withLoss = flowView({ ...run, events: [...run.events.slice(0, 1), lost, ...run.events.slice(1)] });
    const ones = parse(renderJsonl(withLoss)).filter((l) => l['id'] === 1);
    expect(ones.map((l) => [l['type'], l['step'], l['reason'], l['arriveAt']])).toEqual([
      ['transmit', 1, undefined, 1500],
      ['undeliverable', undefined, 'host-down', undefined],
    ]);
    expect(ones[1]).toMatchObject({ fromLifeline: 0, toLifeline: 1, mark: 'ok' });
  });

  it('keeps the step of a message that was never delivered at all on its undeliverable line', () => {
    const run = handRun();
    const sent = run.events.find((e) => e.id === 1)!;
    if (sent.type !== 'transmit') throw new Error('event 1 is a transmit');
    const lost: TraceEvent = { type: 'undeliverable', id: 1, at: sent.at, from: sent.from, to: sent.to, payload: sent.payload, reason: 'unknown-host' };
    const line = parse(renderJsonl(flowView({ ...run, events: [lost, ...run.events.slice(1)] }))).find((l) => l['id'] === 1);
    expect(line).toMatchObject({ type: 'undeliverable', step: 1, mark: 'ok', reason: 'unknown-host' });
  });
});

describe('eventLine', () => {
  const msg = sipRequest('MESSAGE');

  it('writes a retransmission count only when the message was retransmitted', () => {
    const sent: TraceEvent = { type: 'transmit', id: 9, at: 10, arriveAt: 20, from: 'a.example', to: 'b.example', payload: msg };
    expect(JSON.parse(eventLine(sent))).toEqual({ type: 'transmit', id: 9, at: 10, arriveAt: 20, from: 'a.example', to: 'b.example', label: 'MESSAGE', kind: 'request', protocol: 'sip', wire: expect.stringMatching(/^MESSAGE sip:bob@b\.example SIP\/2\.0\r\n/) });
    expect(JSON.parse(eventLine({ ...sent, retransmissions: 2 }))).toMatchObject({ arriveAt: 20, retransmissions: 2 });
  });

  it('writes an undeliverable message with its reason and no arrival, and a note without a figure', () => {
    const lost: TraceEvent = { type: 'undeliverable', id: 9, at: 10, from: 'a.example', to: 'b.example', payload: msg, reason: 'unknown-host' };
    const line = JSON.parse(eventLine(lost)) as Line;
    expect(line).toMatchObject({ type: 'undeliverable', reason: 'unknown-host' });
    expect('arriveAt' in line).toBe(false);
    expect(JSON.parse(eventLine({ type: 'note', id: 3, at: 5, host: 'cs.b.example', text: 'stored' }))).toEqual({ type: 'note', id: 3, at: 5, host: 'cs.b.example', text: 'stored' });
  });
});
