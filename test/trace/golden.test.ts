import { describe, expect, it } from 'vitest';
import { fingerprint, goldenEvents, goldenFingerprint, goldenText } from '../../src/trace/golden.js';
import type { TraceEvent } from '../../src/trace/recorder.js';
import { fig16 } from './fixtures.js';

const events = fig16().events;

function withEvent(i: number, change: (e: TraceEvent) => TraceEvent): TraceEvent[] {
  return events.map((e, k) => (k === i ? change(e) : e));
}

const firstResponse = events.findIndex((e) => e.type === 'transmit' && 'type' in e.payload && e.payload.type === 'response');
const firstNote = events.findIndex((e) => e.type === 'note');

describe('golden event blocks', () => {
  const blocks = goldenEvents(events);

  it('replace tags, branches, Call-IDs and UUIDs by names, one name per value', () => {
    const text = blocks.join('\n');
    expect(text).not.toMatch(/branch=z9hG4bK[0-9a-f]{6,}/);
    expect(text).not.toMatch(/tag=[0-9a-f]{6,}/);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    // A response carries its request's Call-ID and From tag, so it gets the request's names.
    const callIdOf = (block: string): string | undefined => /Call-ID: (\S+)/.exec(block)?.[1];
    expect(callIdOf(blocks[firstResponse]!)).toBe(callIdOf(blocks[0]!));
    expect(callIdOf(blocks[0]!)).toBe('<call-id-1>');
  });

  it('start with the virtual time, protocol, sender and receiver, then the first line', () => {
    expect(blocks[0]!.split('\n').slice(0, 2)).toEqual(['0.000000s sip phone.alice.a.example -> core.a.example (arrives 0.001000s)', '    REGISTER sip:a.example SIP/2.0']);
  });

  it('are the same for the same run', () => {
    expect(goldenText({ title: 't', seed: 7, result: 'r', events: fig16().events })).toBe(goldenText({ title: 't', seed: 7, result: 'r', events }));
  });
});

describe('fingerprint', () => {
  const base = fingerprint(events);

  it('is recorded in the golden file', () => {
    expect(goldenFingerprint(goldenText({ title: 't', seed: 7, result: 'r', events }))).toBe(base);
  });

  it('ignores wording: a note text or a reason phrase', () => {
    const note = withEvent(firstNote, (e) => ({ ...e, text: 'worded differently' }) as TraceEvent);
    expect(fingerprint(note)).toBe(base);
    const reason = withEvent(firstResponse, (e) => (e.type === 'transmit' ? { ...e, payload: { ...e.payload, reason: 'Fine' } as typeof e.payload } : e));
    expect(fingerprint(reason)).toBe(base);
    expect(goldenEvents(reason)[firstResponse]).not.toBe(goldenEvents(events)[firstResponse]);
  });

  it('follows the trajectory: a time, a host or an event more', () => {
    expect(fingerprint(withEvent(0, (e) => ({ ...e, at: e.at + 1 })))).not.toBe(base);
    expect(fingerprint(withEvent(0, (e) => (e.type === 'note' ? e : { ...e, to: 'elsewhere.example' })))).not.toBe(base);
    expect(fingerprint(events.slice(1))).not.toBe(base);
  });
});
