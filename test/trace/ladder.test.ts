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

/**
 * The geometry of renderLadder, each rule at its boundary. With rows all at time 0 and no step
 * numbers the gutter is ` 0.000000s ` (11 cells); each of n lifelines owns an equal column of
 * `spacing` cells with its bar at `11 + i * spacing + floor((spacing - 1) / 2)`. An arrow's label
 * has `|to - from| * spacing - 3` cells; a self loop's `edge - x - 5` to its right and
 * `x - 4 - 11` to its left; a note `spacing - 5` inside its column (none in the last), `edge - x - 4`
 * across to the right and `x - 3 - 11` to the left. `edge` is the width less the marks' room.
 */
describe('renderLadder geometry', () => {
  const ABC = ['A', 'B', 'C'];
  const GUTTER = 11;
  const barsAt = (spacing: number, n = 3): number[] => Array.from({ length: n }, (_, i) => GUTTER + i * spacing + Math.floor((spacing - 1) / 2));
  const msg = (from: number, to: number, label: string, extra: Partial<LadderRow> = {}): LadderRow => ({ at: 0, from, to, label, kind: 'request', ...extra });
  const note = (lifeline: number, text: string, extra: Partial<NoteRow> = {}): NoteRow => ({ note: text, at: 0, lifeline, ...extra });
  const folded = (out: string): boolean => out.startsWith(' too narrow for a ladder');
  /** The body lines of a ladder: after the one-line header and the first bar line, before the closing bars. */
  const bodyOf = (out: string): string[] => lines(out).slice(2, -1);

  it('draws down to 8 cells a lifeline, and folds below', () => {
    // 11 + 3 * 8 = 35 cells: 8 apart; one cell less and the columns are 7.
    const at8 = renderLadder(ABC, [msg(0, 1, 'INV')], { width: 35 });
    expect(folded(at8)).toBe(false);
    expect(barColumns(lines(at8).at(-1)!)).toEqual(barsAt(8));
    expect(folded(renderLadder(ABC, [msg(0, 1, 'INV')], { width: 34 }))).toBe(true);
  });

  it('folds when the first word of a label cannot stand between its bars, a loop or a note never does', () => {
    // At 12 apart (47 cells) an arrow between neighbours has 9 cells, over two columns 21.
    expect(folded(renderLadder(ABC, [msg(0, 1, 'ABCDEFGHI')], { width: 47 }))).toBe(false);
    expect(folded(renderLadder(ABC, [msg(0, 1, 'ABCDEFGHIJ')], { width: 47 }))).toBe(true);
    expect(folded(renderLadder(ABC, [msg(2, 1, 'ABCDEFGHIJ')], { width: 47 }))).toBe(true);
    expect(folded(renderLadder(ABC, [msg(0, 2, 'ABCDEFGHIJKLMNOPQRSTU')], { width: 47 }))).toBe(false);
    expect(folded(renderLadder(ABC, [msg(0, 2, 'ABCDEFGHIJKLMNOPQRSTUV')], { width: 47 }))).toBe(true);
    // Only the first word must fit; a later long word is shortened.
    expect(folded(renderLadder(ABC, [msg(0, 1, 'OK ABCDEFGHIJKLMNOP')], { width: 47 }))).toBe(false);
    // Every row must fit, not just one.
    expect(folded(renderLadder(ABC, [msg(0, 1, 'OK'), msg(1, 2, 'ABCDEFGHIJ')], { width: 47 }))).toBe(true);
    // A loop on A has 47 - 16 - 5 = 26 cells to its right, on C 40 - 4 - 11 = 25 to its left.
    expect(folded(renderLadder(ABC, [msg(0, 0, 'A'.repeat(26))], { width: 47 }))).toBe(false);
    expect(folded(renderLadder(ABC, [msg(0, 0, 'A'.repeat(27))], { width: 47 }))).toBe(true);
    expect(folded(renderLadder(ABC, [msg(2, 2, 'A'.repeat(25))], { width: 47 }))).toBe(false);
    expect(folded(renderLadder(ABC, [msg(2, 2, 'A'.repeat(26))], { width: 47 }))).toBe(true);
    // A note wraps wherever it stands.
    expect(folded(renderLadder(ABC, [note(1, 'N'.repeat(40))], { width: 47 }))).toBe(false);
  });

  it('wraps an arrow label to the cells between its bars, whichever way it points', () => {
    const label = (from: number, to: number, text: string): string[] => bodyOf(renderLadder(ABC, [msg(from, to, text)], { width: 47 })).slice(0, -1).map((l) => l.slice(GUTTER).replace(/[│ ]+/g, ' ').trim());
    expect(label(1, 2, 'aaaa bbbb')).toEqual(['aaaa bbbb']);
    expect(label(2, 1, 'aaaa bbbbb')).toEqual(['aaaa', 'bbbbb']);
    expect(label(0, 2, 'aaaaaaaaaa bbbbbbbbbb')).toEqual(['aaaaaaaaaa bbbbbbbbbb']);
  });

  it('turns a self loop to the side with room: right when the label fits there or has as much room, else left', () => {
    const [a, , c] = barsAt(12);
    // On A: right of the bar.
    const right = bodyOf(renderLadder(ABC, [msg(0, 0, 'retry')], { width: 47 }));
    expect(right[0]!.indexOf('├──┐ retry')).toBe(a);
    expect(right[1]!.indexOf('│◀─┘')).toBe(a);
    // On C the right has 2 cells: a label of 2 still goes there, one of 3 goes left.
    expect(bodyOf(renderLadder(ABC, [msg(2, 2, 'ab')], { width: 47 }))[0]!.indexOf('├──┐ ab')).toBe(c);
    const left = bodyOf(renderLadder(ABC, [msg(2, 2, 'abc')], { width: 47 }));
    expect(left[0]!.indexOf('abc ┌──┤')).toBe(c! - 7);
    expect(left[1]!.indexOf('└─▶│')).toBe(c! - 3);
    // At 44 cells (11 apart) a loop on B has 12 cells either side: a label too long for both wraps on the right.
    const tie = bodyOf(renderLadder(ABC, [msg(1, 1, 'aaaaaaaa bbbbbbbb')], { width: 44 }));
    const b = barsAt(11)[1]!;
    expect(tie.slice(0, 3).map((l, i) => l.indexOf(['├──┐ aaaaaaaa', '│  │ bbbbbbbb', '│◀─┘'][i]!))).toEqual([b, b, b]);
  });

  it('wraps a loop label under itself on either side, and dashes a missing loop', () => {
    const [a, , c] = barsAt(12);
    const right = bodyOf(renderLadder(ABC, [msg(0, 0, `${'a'.repeat(20)} ${'b'.repeat(10)}`)], { width: 47 }));
    expect(right.slice(0, 3).map((l, i) => l.indexOf([`├──┐ ${'a'.repeat(20)}`, `│  │ ${'b'.repeat(10)}`, '│◀─┘'][i]!))).toEqual([a, a, a]);
    const left = bodyOf(renderLadder(ABC, [msg(2, 2, `${'a'.repeat(12)} ${'b'.repeat(12)} cc`)], { width: 47 }));
    expect(left[0]!.slice(GUTTER)).toBe(`${'a'.repeat(12)} ${'b'.repeat(12)} ┌──┤`);
    expect(left[1]!.indexOf('cc │  │')).toBe(c! - 6);
    expect(left[2]!.indexOf('└─▶│')).toBe(c! - 3);
    // 47 + 11 cells for `✗ missing` and its two blanks keep the bars 12 apart.
    const missing = bodyOf(renderLadder(ABC, [msg(0, 0, 'retry', { mark: 'missing' })], { width: 58 }));
    expect(missing[0]!.indexOf('├┄┄┐ retry')).toBe(a);
    expect(missing[1]!.indexOf('│◀┄┘')).toBe(a);
  });

  it('writes a note in its own column if it fits, else across to the right, else to the left', () => {
    const [a, b, c] = barsAt(12);
    const first = (lifeline: number, text: string): string => bodyOf(renderLadder(ABC, [note(lifeline, text)], { width: 47 }))[0]!;
    // 12 - 5 = 7 cells inside a column: the bar stays.
    expect(first(0, 'abcdefg').indexOf('│ ⟦abcdefg⟧')).toBe(a);
    expect(first(0, 'abcdefgh').indexOf('├─⟦abcdefgh⟧')).toBe(a);
    // The last lifeline has no column to its right: 47 - 40 - 4 = 3 cells across, 26 to the left.
    expect(first(2, 'ab').indexOf('├─⟦ab⟧')).toBe(c);
    expect(first(2, 'abc').indexOf('├─⟦abc⟧')).toBe(c);
    expect(first(2, 'abcd').indexOf('⟦abcd⟧─┤')).toBe(c! - 7);
    // Too long for either side, it wraps on the side with more room (B: 15 right, 14 left); its
    // box blanks the cells from its bracket to its end, and C's bar stands right after it.
    const wrapped = bodyOf(renderLadder(ABC, [note(1, 'aaaaaaaa bbbbbbbb')], { width: 47 }));
    expect(wrapped.map((l) => l.slice(b))).toEqual(['├─⟦aaaaaaaa │', '│  bbbbbbbb⟧│']);
  });

  it('wraps a note too long for either side on the right when both have as much room, and paints a missing one red', () => {
    // At 44 cells (11 apart) a note on B has 13 cells either side and 6 inside its column.
    const b = barsAt(11)[1]!;
    const tie = bodyOf(renderLadder(ABC, [note(1, 'aaaaaaa bbbbbbb')], { width: 44 }));
    expect(tie[0]!.indexOf('├─⟦aaaaaaa')).toBe(b);
    const coloured = renderLadder(ABC, [note(1, 'held', { step: '4', mark: 'missing' })], { width: 60, color: true });
    expect(coloured).toContain(`${ESC}31m⟦held⟧`);
  });

  it('blanks the bars a note runs across, and opens, connects and closes it once', () => {
    const [a, , c] = barsAt(12);
    const right = bodyOf(renderLadder(ABC, [note(0, `a ${'b'.repeat(26)}`)], { width: 47 }));
    // The first line's box runs as wide as the widest line, over B's and C's bars; the owner's
    // bar goes on under the connector.
    expect(right).toEqual([`${' 0.000000s'.padEnd(a!)}├─⟦a`, `${' '.repeat(a!)}│  ${'b'.repeat(26)}⟧`]);
    // The blank runs to the box's end: C's bar at 40 is inside a box of 24 from 19.
    const short = bodyOf(renderLadder(ABC, [note(0, `a ${'b'.repeat(22)} ccccc`)], { width: 47 }));
    expect(short[1]).toBe(`${' '.repeat(a!)}│  ccccc⟧`);
    const left = bodyOf(renderLadder(ABC, [note(2, `${'a'.repeat(12)} ${'b'.repeat(14)} cc`)], { width: 47 }));
    // The left box is as wide as its widest line, so both lines start at one column.
    const widest = 17;
    expect(left[0]!.indexOf(`⟦${'a'.repeat(12)}`)).toBe(c! - 3 - widest);
    expect(left[0]!.endsWith('─┤')).toBe(true);
    expect(left[1]!.indexOf(`${'b'.repeat(14)} cc⟧`)).toBe(c! - 2 - widest);
    expect(left[1]!.endsWith('cc⟧ │') || left[1]!.endsWith('cc⟧  │')).toBe(true);
  });

  it('gives a missing action no time, and keeps the marks two cells past the last bar whatever else is wide', () => {
    const rows: (LadderRow | NoteRow)[] = [
      msg(0, 1, 'MSG', { mark: 'ok', wire: `MESSAGE sip:${'x'.repeat(60)}@b.example SIP/2.0\r\n\r\n` }),
      // Unmarked notes whose first or second line runs past the last bar.
      note(0, `a ${'n'.repeat(26)}`),
      note(0, `${'n'.repeat(26)} a`),
      note(1, 'held', { step: '4', mark: 'missing', expected: `step 4: B held ${'e'.repeat(40)}` }),
    ];
    // Gutter ` 4 0.000000s ` (13) and `✗ missing` (11): 13 + 36 + 11 = 60 cells, bars 12 apart.
    const out = bodyOf(renderLadder(ABC, rows, { width: 60, wire: true }));
    const bars = [13, 25, 37].map((x) => x + 5);
    const marked = out.filter((l) => /✓|✗/.test(l));
    // Two blank cells after the last bar.
    expect(marked.map((l) => l.search(/✓|✗/))).toEqual([bars[2]! + 3, bars[2]! + 3]);
    const missing = out.find((l) => l.includes('⟦held⟧'))!;
    expect(missing.startsWith(' 4 ')).toBe(true);
    expect(missing).not.toContain('0.000000s');
  });

  it('keeps a mark clear of a loop label wider than the last bar, on its first line or a later one', () => {
    // B's loop has 14 cells to its right at 12 apart (50 cells less `✓` and two blanks).
    const b = barsAt(12)[1]!;
    const wrapped = bodyOf(renderLadder(ABC, [msg(1, 1, `a ${'b'.repeat(13)}`, { mark: 'ok' })], { width: 50 }));
    expect(wrapped[1]!.indexOf(`│  │ ${'b'.repeat(13)}`)).toBe(b);
    expect(wrapped[0]!.indexOf('✓')).toBe(b + 5 + 13 + 2);
    const single = bodyOf(renderLadder(ABC, [msg(1, 1, 'a'.repeat(14), { mark: 'ok' })], { width: 50 }));
    expect(single[0]!.indexOf('✓')).toBe(b + 5 + 14 + 2);
  });

  it('marks a numbered note that wraps on its first line only', () => {
    const out = bodyOf(renderLadder(ABC, [note(0, `shown ${'s'.repeat(30)}`, { step: '5', mark: 'ok' })], { width: 50 }));
    expect(out.map((l) => l.includes('✓'))).toEqual([true, false]);
  });

  it('names a label by its first word even after leading blanks', () => {
    expect(folded(renderLadder(ABC, [msg(0, 1, '  ABCDEFGHIJ')], { width: 47 }))).toBe(true);
  });

  it('shortens the last of three name lines, keeping the space between its words', () => {
    // One lifeline, no rows: the gutter is 2 cells, so 10 cells give a column of 8 and a box of 7.
    expect(lines(renderLadder(['aaaaaa bbbbbb cc dddddd'], [], { width: 10 })).slice(0, 3).map((l) => l.trim())).toEqual(['aaaaaa', 'bbbbbb', 'cc ddd…']);
  });

  it('names the row and the lifeline that does not exist', () => {
    expect(() => renderLadder(['A', 'B'], [msg(0, 1, 'X'), msg(0, 2, 'X')])).toThrow('ladder row 1: lifeline 2 is not in 0..1');
    expect(() => renderLadder(['A'], [note(1, 'n')])).toThrow('ladder row 0: lifeline 1 is not in 0..0');
    expect(() => renderLadder(['A', 'B'], [msg(0.5, 1, 'X')])).toThrow('ladder row 0: lifeline 0.5 is not in 0..1');
    expect(() => renderLadder([], [])).toThrow('a ladder needs at least one lifeline');
  });
});
