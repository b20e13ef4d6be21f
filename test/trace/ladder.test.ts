import { describe, expect, it } from 'vitest';
import { renderLadder } from '../../src/trace/ladder.js';
import type { LadderRow, NoteRow } from '../../src/trace/ladder.js';

const ESC = '\u001b[';
const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');
/** Columns of the lifeline bars on a line, to check spacing without restating the whole picture. */
const barColumns = (line: string): number[] => Array.from(line).flatMap((ch, i) => (ch === '│' ? [i] : []));
const lines = (out: string): string[] => out.split('\n');

const FOUR = ['CPM Client A', 'SIP/IP Core A', 'CPM System B', 'CPM Client B'];

// Deferred delivery: A sends, B's CPM system defers it, and the 202s travel back left.
const DEFERRED: (LadderRow | NoteRow)[] = [
  { step: '1', at: 0, from: 0, to: 1, label: 'MESSAGE', kind: 'request' },
  { step: '2', at: 1_200, from: 1, to: 2, label: 'MESSAGE', kind: 'request' },
  { step: '3', at: 1_500, from: 2, to: 2, label: 'defers message', kind: 'notification' },
  { note: 'stored for B', at: 1_500, lifeline: 2 },
  { step: '4', at: 2_000, from: 2, to: 1, label: '202 Accepted', kind: 'success' },
  { step: '5', at: 2_400, from: 1, to: 0, label: '202 Accepted', kind: 'success' },
];

describe('renderLadder', () => {
  it('draws the ladder exactly (checked by eye against the figure)', () => {
    // Default width 100: gutter 13, four columns of 21, bars at 23/44/65/86.
    expect(renderLadder(FOUR, DEFERRED, { title: 'Figure 7: deferred message' })).toMatchInlineSnapshot(
      `
      "Figure 7: deferred message

                        CPM Client A        SIP/IP Core A         CPM System B         CPM Client B
                             │                    │                    │                    │
       1 0.000000s           │      MESSAGE       │                    │                    │
                             │───────────────────▶│                    │                    │
       2 0.001200s           │                    │      MESSAGE       │                    │
                             │                    │───────────────────▶│                    │
       3 0.001500s           │                    │                    ├──┐ defers message  │
                             │                    │                    │◀─┘                 │
         0.001500s           │                    │                    │ ⟦stored for B⟧     │
       4 0.002000s           │                    │    202 Accepted    │                    │
                             │                    │◀───────────────────│                    │
       5 0.002400s           │    202 Accepted    │                    │                    │
                             │◀───────────────────│                    │                    │
                             │                    │                    │                    │"
    `,
    );
  });

  it('is deterministic and leaves no trailing whitespace', () => {
    const a = renderLadder(FOUR, DEFERRED, { wire: true, color: true });
    expect(renderLadder(FOUR, DEFERRED, { wire: true, color: true })).toBe(a);
    for (const out of [a, renderLadder(FOUR, DEFERRED), renderLadder(FOUR, DEFERRED, { width: 30 })]) {
      for (const line of lines(stripAnsi(out))) expect(line).toBe(line.trimEnd());
    }
  });

  it('emits escape codes only when colour is on, and the same picture either way', () => {
    const rows: LadderRow[] = [
      { at: 0, from: 0, to: 1, label: 'INVITE', kind: 'request' },
      { at: 1, from: 1, to: 0, label: '180 Ringing', kind: 'provisional' },
      { at: 2, from: 1, to: 0, label: '302 Moved', kind: 'redirect' },
      { at: 3, from: 1, to: 0, label: '486 Busy Here', kind: 'error' },
      { at: 4, from: 1, to: 0, label: 'NOTIFY (reg)', kind: 'notification' },
      { at: 5, from: 1, to: 0, label: '200 OK', kind: 'success', mark: 'ok' },
    ];
    const plain = renderLadder(['A', 'B'], rows);
    const coloured = renderLadder(['A', 'B'], rows, { color: true });
    expect(plain).not.toContain(ESC);
    expect(coloured).toContain(ESC);
    expect(stripAnsi(coloured)).toBe(plain);
    expect(coloured).toContain(`${ESC}36mINVITE`);
    expect(coloured).toContain(`${ESC}90m180 Ringing`);
    expect(coloured).toContain(`${ESC}33m302 Moved`);
    expect(coloured).toContain(`${ESC}31m486 Busy Here`);
    expect(coloured).toContain(`${ESC}35mNOTIFY (reg)`);
    expect(coloured).toContain(`${ESC}32m200 OK`);
    expect(coloured).toContain(`${ESC}32m✓`);
    const withNote = renderLadder(['A', 'B'], [{ note: 'binding added', at: 0, lifeline: 0 }], { color: true });
    expect(withNote).toContain(`${ESC}2m⟦binding added⟧`);
  });

  it('wraps long names by word and widens past a narrow width instead of overlapping', () => {
    const names = ['CPM Participating Function A', 'SIP/IP Core A', 'CPM Controlling Function', 'CPM Client B'];
    const rows: LadderRow[] = [{ at: 0, from: 0, to: 3, label: 'MESSAGE', kind: 'request' }];
    const out = lines(renderLadder(names, rows, { width: 40 }));
    // 'Participating' (13) is the longest word, so the name boxes are 13 wide and the columns 14
    // apart: wider than 40 in total. 'SIP/IP Core A' fits a box exactly and stays on one line.
    expect(out.slice(0, 3)).toEqual([
      '                CPM                         CPM',
      '           Participating                Controlling',
      '             Function A  SIP/IP Core A    Function    CPM Client B',
    ]);
    expect(barColumns(out[3] ?? '')).toEqual([17, 31, 45, 59]);
    expect(Math.max(...out.map((l) => l.length))).toBeGreaterThan(40);
    for (const word of names.join(' ').split(' ')) expect(out.slice(0, 3).join(' ')).toContain(word);
  });

  it('spreads the columns evenly across a wide width', () => {
    const rows: LadderRow[] = [{ at: 0, from: 0, to: 1, label: 'MESSAGE', kind: 'request' }];
    const narrow = lines(renderLadder(FOUR, rows, { width: 60 }));
    const wide = lines(renderLadder(FOUR, rows, { width: 160 }));
    // Gutter is ' 0.000000s ' (11): 160 - 11 = 149 shared by 4 columns of 37; 60 - 11 = 49 by 4 of 12.
    expect(barColumns(wide.at(-1) ?? '')).toEqual([29, 66, 103, 140]);
    expect(barColumns(narrow.at(-1) ?? '')).toEqual([16, 28, 40, 52]);
    expect(wide[0]).toBe(
      '                        CPM Client A                        SIP/IP Core A                         CPM System B                         CPM Client B',
    );
    // At 12 apart the name boxes are 11 wide, so 12-character names take a second line.
    expect(narrow.slice(0, 2)).toEqual([
      '            CPM Client SIP/IP Core  CPM System  CPM Client',
      '                A           A           B           B',
    ]);
    expect(Math.max(...wide.map((l) => l.length))).toBeLessThanOrEqual(160);
    expect(Math.max(...narrow.map((l) => l.length))).toBeLessThanOrEqual(60);
  });

  it('prints wire text under its arrow only when asked, one line per CRLF line', () => {
    const wire =
      'MESSAGE sip:bob@b.example SIP/2.0\r\nVia: SIP/2.0/UDP core-a;branch=z9hG4bK1\r\nContent-Length: 2\r\n\r\nhi\r\n';
    const rows: LadderRow[] = [
      { step: '1', at: 0, from: 0, to: 1, label: 'MESSAGE', kind: 'request', wire },
      { step: '2', at: 5_000, from: 1, to: 0, label: '200 OK', kind: 'success' },
    ];
    const out = renderLadder(['Alice', 'Bob'], rows, { wire: true, width: 40 });
    expect(out).not.toContain('\r');
    expect(lines(out)).toEqual([
      '                 Alice         Bob',
      '                   │            │',
      ' 1 0.000000s       │  MESSAGE   │',
      '                   │───────────▶│',
      '                 MESSAGE sip:bob@b.example SIP/2.0',
      '                 Via: SIP/2.0/UDP core-a;branch=z9hG4bK1',
      '                 Content-Length: 2',
      '',
      '                 hi',
      '',
      ' 2 0.005000s       │   200 OK   │',
      '                   │◀───────────│',
      '                   │            │',
    ]);
    expect(renderLadder(['Alice', 'Bob'], rows, { width: 40 })).not.toContain('Content-Length');
    expect(renderLadder(['Alice', 'Bob'], rows, { wire: true, color: true, width: 40 })).toContain(
      `${ESC}2m    Content-Length: 2`,
    );
  });

  it('shows marks in one column and a dashed arrow where a missing step should have been', () => {
    const rows: LadderRow[] = [
      { step: '1', at: 0, from: 0, to: 1, label: 'MESSAGE', kind: 'request', mark: 'ok' },
      {
        step: '2',
        at: 0,
        from: 1,
        to: 2,
        label: '202',
        kind: 'success',
        mark: 'missing',
        expected: 'step 2: SIP/IP Core A -> CPM System B 202',
      },
      {
        step: '3',
        at: 7_000,
        from: 1,
        to: 0,
        label: '404',
        kind: 'error',
        mark: 'mismatch',
        expected: 'step 3: 200 OK',
      },
      { at: 8_000, from: 2, to: 2, label: 'retry', kind: 'request', mark: 'unexpected' },
    ];
    // Width 60 less the gutter (13) and room for '+ unexpected' (14) gives columns 11 apart; the
    // marks line up two past the widest drawing, the self loop on the last lifeline.
    const plain = renderLadder(['A', 'SIP/IP Core A', 'CPM System B'], rows, { width: 60 });
    expect(lines(plain)).toEqual([
      '                           SIP/IP   CPM System',
      '                  A        Core A       B',
      '                  │          │          │',
      ' 1 0.000000s      │ MESSAGE  │          │           ✓',
      '                  │─────────▶│          │',
      ' 2 0.000000s      │          │   202    │           ✗ missing: expected step 2: SIP/IP Core A -> CPM System B 202',
      '                  │          │┄┄┄┄┄┄┄┄┄▶│',
      ' 3 0.007000s      │   404    │          │           ✗ mismatch: expected step 3: 200 OK',
      '                  │◀─────────│          │',
      '   0.008000s      │          │          ├──┐ retry  + unexpected',
      '                  │          │          │◀─┘',
      '                  │          │          │',
    ]);
    const coloured = renderLadder(['A', 'SIP/IP Core A', 'CPM System B'], rows, { width: 60, color: true });
    // The missing step is red throughout, not the green of a success.
    expect(coloured).toContain(`${ESC}31m┄┄┄┄┄┄┄┄┄▶`);
    expect(coloured).toContain(`${ESC}31m202`);
    expect(coloured).toContain(`${ESC}31m✗ missing${ESC}39m: expected step 2`);
    expect(coloured).toContain(`${ESC}31m✗ mismatch`);
    expect(coloured).toContain(`${ESC}33m+ unexpected`);
  });

  it('rejects rows that point at a lifeline that does not exist', () => {
    expect(() => renderLadder(['A', 'B'], [{ at: 0, from: 0, to: 2, label: 'X', kind: 'request' }])).toThrow(RangeError);
    expect(() => renderLadder(['A'], [{ note: 'n', at: 0, lifeline: -1 }])).toThrow(RangeError);
    expect(() => renderLadder([], [])).toThrow(RangeError);
  });
});
