/**
 * The ladder's rows for a matched run (src/trace/ladder-rows.ts): each message with its figure
 * step and mark, missing steps where they should have come, action steps as numbered notes, and
 * the wire text only when asked; fields a row does not have are left out, not set to undefined.
 */
import { describe, expect, it } from 'vitest';
import { ladderRows } from '../../src/trace/ladder-rows.js';
import { handRun } from './fixtures.js';

const run = handRun();
const names = run.lifelines.map((l) => l.name);

describe('ladderRows', () => {
  it('marks each message against its step and lists missing steps and action steps where the figure has them', () => {
    expect(ladderRows(run.alignment, run.projection, names, false, run.actions)).toStrictEqual([
      { step: '1', at: 1000, from: 0, to: 1, label: 'MESSAGE', kind: 'request', mark: 'ok' },
      // Action 8 comes in a branch after step 1; it never happened.
      { note: 'routed', at: 1000, lifeline: 1, step: '8', mark: 'missing', expected: 'step 8: Core A routed' },
      { step: '2', at: 2000, from: 1, to: 2, label: 'MESSAGE', kind: 'request', mark: 'ok' },
      { note: 'deferred (1 held)', at: 3000, lifeline: 2, step: '3', mark: 'ok' },
      { step: '4', at: 4000, from: 2, to: 1, label: '200 OK (MESSAGE)', kind: 'success', mark: 'mismatch', expected: 'step 4: Server B -> Core A 202 [text/plain]' },
      { step: '5', at: 5000, from: 1, to: 0, label: '200 OK (MESSAGE)', kind: 'success', mark: 'ok' },
      { step: '6', at: 5000, from: 0, to: 1, label: 'BYE', kind: 'request', mark: 'missing', expected: 'step 6: Client A -> Core A BYE [text/plain]' },
      { note: 'shown to Alice', at: 5000, lifeline: 0, step: '7', mark: 'missing', expected: 'step 7: Client A displayed "shown to Alice"' },
      { at: 6000, from: 2, to: 1, label: 'OPTIONS', kind: 'request', mark: 'unexpected' },
      // An entity's own note, not a figure step: no number, no mark; its line breaks become spaces.
      { note: 'routed Via core', at: 7000, lifeline: 1 },
      // An ignored message: drawn, unnumbered, unmarked.
      { at: 8000, from: 1, to: 0, label: 'OPTIONS', kind: 'request' },
    ]);
  });

  it('adds the wire text of the messages that were sent when asked, and nothing to a missing step', () => {
    const rows = ladderRows(run.alignment, run.projection, names, true, run.actions);
    const messages = rows.filter((r) => 'label' in r);
    expect(messages.map((r) => 'wire' in r)).toEqual([true, true, true, true, false, true, true]);
    expect(messages[0]).toMatchObject({ wire: expect.stringMatching(/^MESSAGE sip:bob@b\.example SIP\/2\.0\r\n/) });
    expect(rows.filter((r) => 'note' in r).some((r) => 'wire' in r)).toBe(false);
  });

  it('without action steps, lists the notes as notes only', () => {
    const notes = ladderRows(run.alignment, run.projection, names, false).filter((r) => 'note' in r);
    expect(notes).toStrictEqual([
      { note: 'deferred (1 held)', at: 3000, lifeline: 2 },
      { note: 'routed Via core', at: 7000, lifeline: 1 },
    ]);
  });
});
