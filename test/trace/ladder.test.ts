import { describe, expect, it } from 'vitest';
import { renderLadder } from '../../src/trace/ladder.js';
import type { LadderRow, NoteRow } from '../../src/trace/ladder.js';
import { cellWidth } from '../../src/trace/cells.js';

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

  it('wraps long names by word and shortens a word too long for its box', () => {
    const names = ['CPM Participating Function A', 'SIP/IP Core A', 'CPM Controlling Function', 'CPM Client B'];
    const rows: LadderRow[] = [{ at: 0, from: 0, to: 3, label: 'MESSAGE', kind: 'request' }];
    const out = lines(renderLadder(names, rows, { width: 50 }));
    // Gutter ' 0.000000s ' is 11: 39 shared by 4 columns of 9, boxes 8 wide, so 'Participating'
    // (13) and 'Controlling' (11) are cut to 7 cells and an ellipsis; names sit on the bottom line.
    expect(out.slice(0, 3)).toEqual([
      '              CPM               CPM',
      '            Partici…  SIP/IP  Control…   CPM',
      '            Functio…  Core A  Function Client B',
    ]);
    expect(barColumns(out[3] ?? '')).toEqual([15, 24, 33, 42]);
    expect(Math.max(...out.map(cellWidth))).toBeLessThanOrEqual(50);
  });

  it('folds into a numbered list rather than run past a width the lifelines cannot share', () => {
    const names = ['CPM Participating Function A', 'SIP/IP Core A', 'CPM Controlling Function', 'CPM Client B'];
    const rows: (LadderRow | NoteRow)[] = [
      { step: '1', at: 0, from: 0, to: 3, label: 'MESSAGE "a rather long greeting for B"', kind: 'request', mark: 'ok' },
      { note: 'shown to the user', at: 1_000, lifeline: 3 },
      { step: '2', at: 2_000, from: 3, to: 0, label: '200 OK', kind: 'success', mark: 'ok' },
    ];
    // 40 less the gutter (13) and the mark (3) leaves 4 columns of 6: below the 8 a name needs, so
    // the ladder folds; labels start after the widest arrow, `1 ─▶ 4`, and wrap in the 16 left.
    const out = lines(renderLadder(names, rows, { width: 40 }));
    expect(out).toEqual([
      ' too narrow for a ladder of these',
      ' lifelines: each message as `from ─▶ to`',
      '             1  CPM Participating',
      '                Function A',
      '             2  SIP/IP Core A',
      '             3  CPM Controlling Function',
      '             4  CPM Client B',
      '',
      ' 1 0.000000s 1 ─▶ 4  MESSAGE "a       ✓',
      '                     rather long',
      '                     greeting for B"',
      '   0.001000s 4       ⟦shown to the user⟧',
      ' 2 0.002000s 1 ◀─ 4  200 OK           ✓',
    ]);
    for (const line of out) expect(cellWidth(line)).toBeLessThanOrEqual(40);
  });

  it('counts width in terminal cells, so CJK text keeps the lifelines aligned', () => {
    const names = ['客户端 A', 'SIP/IP Core A', '会话服务器 B'];
    const rows: (LadderRow | NoteRow)[] = [
      { step: '1', at: 0, from: 0, to: 1, label: 'MESSAGE "你好"', kind: 'request' },
      { note: '已显示给用户', at: 1_000, lifeline: 2 },
      { step: '2', at: 2_000, from: 2, to: 0, label: '200 OK（消息）', kind: 'success' },
    ];
    const out = lines(renderLadder(names, rows, { width: 60 }));
    // Every line that draws bars has them in the same cells as the line under the header.
    const cellsOfBars = (line: string): number[] => {
      const found: number[] = [];
      let col = 0;
      for (const ch of line) {
        if (ch === '│' || ch === '├' || ch === '┤') found.push(col);
        col += cellWidth(ch);
      }
      return found;
    };
    const bars = cellsOfBars(out[1] ?? '');
    expect(bars).toHaveLength(3);
    for (const line of out.slice(1)) for (const x of cellsOfBars(line)) expect(bars).toContain(x);
    expect(out.join('\n')).toContain('你好');
    expect(out.join('\n')).toContain('已显示给用户');
    for (const line of out) expect(cellWidth(line)).toBeLessThanOrEqual(60);
  });

  it('runs a note across the lifelines to its right, or to its left, when its own column is too narrow', () => {
    const rows: NoteRow[] = [
      { note: 'a note far too long for one column', at: 0, lifeline: 0 },
      { note: 'the last lifeline writes leftwards', at: 0, lifeline: 3 },
    ];
    const out = lines(renderLadder(FOUR, rows, { width: 60 }));
    // Bars 12 apart at 16, 28, 40 and 52; a note's box blanks the bars it covers.
    expect(out.slice(3, 5)).toEqual([
      ' 0.000000s      ├─⟦a note far too long for one column⟧',
      ' 0.000000s     ⟦the last lifeline writes leftwards⟧─┤',
    ]);
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

  it('prints wire text under its arrow only when asked, one line per CRLF line, cut to the width', () => {
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
      '                 MESSAGE sip:bob@b.examp',
      '                   le SIP/2.0',
      '                 Via: SIP/2.0/UDP core-a',
      '                   ;branch=z9hG4bK1',
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
    // self loop on the last lifeline has no room to its right, so it turns left; the marks line up
    // two past the last bar, and what the figure expected goes on a line of its own under the arrow.
    const plain = renderLadder(['A', 'SIP/IP Core A', 'CPM System B'], rows, { width: 60 });
    expect(lines(plain)).toEqual([
      '                           SIP/IP   CPM System',
      '                  A        Core A       B',
      '                  │          │          │',
      ' 1 0.000000s      │ MESSAGE  │          │  ✓',
      '                  │─────────▶│          │',
      ' 2 0.000000s      │          │   202    │  ✗ missing',
      '                  │          │┄┄┄┄┄┄┄┄┄▶│',
      '             ↳ expected step 2: SIP/IP Core A -> CPM System',
      '               B 202',
      ' 3 0.007000s      │   404    │          │  ✗ mismatch',
      '                  │◀─────────│          │',
      '             ↳ expected step 3: 200 OK',
      '   0.008000s      │          │ retry ┌──┤  + unexpected',
      '                  │          │       └─▶│',
      '                  │          │          │',
    ]);
    const coloured = renderLadder(['A', 'SIP/IP Core A', 'CPM System B'], rows, { width: 60, color: true });
    // The missing step is red throughout, not the green of a success.
    expect(coloured).toContain(`${ESC}31m┄┄┄┄┄┄┄┄┄▶`);
    expect(coloured).toContain(`${ESC}31m202`);
    expect(coloured).toContain(`${ESC}31m✗ missing${ESC}39m`);
    expect(coloured).toContain(`${ESC}31m↳ expected step 2`);
    expect(coloured).toContain(`${ESC}31m✗ mismatch`);
    expect(coloured).toContain(`${ESC}33m+ unexpected`);
  });

  it('rejects rows that point at a lifeline that does not exist', () => {
    expect(() => renderLadder(['A', 'B'], [{ at: 0, from: 0, to: 2, label: 'X', kind: 'request' }])).toThrow(RangeError);
    expect(() => renderLadder(['A'], [{ note: 'n', at: 0, lifeline: -1 }])).toThrow(RangeError);
    expect(() => renderLadder([], [])).toThrow(RangeError);
  });
});
