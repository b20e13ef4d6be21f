import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/sip/parser.js';
import { isSip } from '../../src/wire/payload.js';
import { parseXcap } from '../../src/xcap/codec.js';
import { JSONL_SCHEMA, JSONL_VERSION, renderJsonl } from '../../src/trace/jsonl.js';
import { brokenFig16, fig16, uncheckedFig16, viewOf } from './fixtures.js';

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
