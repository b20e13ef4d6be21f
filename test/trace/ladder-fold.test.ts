/**
 * The ladder folded for a width its lifelines cannot share (src/trace/ladder-fold.ts): the
 * lifelines numbered once, then one row per message `from ─▶ to` (lower number first, the
 * arrowhead the way it went), notes in ⟦ ⟧, the marks in one column, what a missing or
 * mismatched step expected under it, and the wire text when asked for.
 */
import { describe, expect, it } from 'vitest';
import { cellWidth } from '../../src/trace/cells.js';
import { renderFolded } from '../../src/trace/ladder-fold.js';
import type { LadderRow, NoteRow } from '../../src/trace/ladder-style.js';

const NAMES = ['Client A', 'Core A', 'Server B'];

describe('renderFolded', () => {
  it('lists the lifelines, then each message with its arrow, time and step, marks in one column', () => {
    const rows: (LadderRow | NoteRow)[] = [
      { step: '1', at: 0, from: 0, to: 2, label: 'MESSAGE', kind: 'request', mark: 'ok' },
      { step: '2', at: 1000, from: 2, to: 0, label: '202 Accepted', kind: 'success', mark: 'ok' },
      { at: 2000, from: 1, to: 1, label: 'defers', kind: 'notification' },
    ];
    expect(renderFolded(NAMES, rows, { width: 50 }).split('\n')).toEqual([
      ' too narrow for a ladder of these lifelines: each',
      ' message as `from ─▶ to`',
      '             1  Client A',
      '             2  Core A',
      '             3  Server B',
      '',
      ' 1 0.000000s 1 ─▶ 3  MESSAGE       ✓',
      ' 2 0.001000s 1 ◀─ 3  202 Accepted  ✓',
      '   0.002000s 2 ─▶ 2  defers',
    ]);
  });

  it('puts a title first, wrapped to the width, then a blank line', () => {
    const out = renderFolded(NAMES, [{ at: 0, from: 0, to: 1, label: 'MESSAGE', kind: 'request' }], { width: 30, title: 'Figure 16: pager mode message' });
    expect(out.split('\n').slice(0, 4)).toEqual(['Figure 16: pager mode message', '', ' too narrow for a ladder of', ' these lifelines: each message']);
  });

  it('puts the marks after a marked note wider than every message, never over its text', () => {
    const rows: (LadderRow | NoteRow)[] = [
      { step: '4', at: 0, from: 0, to: 1, label: 'MESSAGE', kind: 'request', mark: 'ok' },
      { note: 'displayed the message to the user', at: 6000, lifeline: 0, step: '5', mark: 'missing', expected: 'step 5: Client A displayed' },
    ];
    const lines = renderFolded(NAMES, rows, { width: 60 }).split('\n').slice(6);
    // The note wraps inside the labels' room (the marks' reserve kept), whole, and both marks
    // stand in one column after its text.
    const column = (line: string, tag: string): number => cellWidth(line.slice(0, line.indexOf(tag)));
    const first = lines[1]!;
    const noteText = [first.slice(0, first.indexOf('✗')), ...lines.slice(2, 3)].map((l) => l.slice(l.indexOf('⟦') >= 0 ? l.indexOf('⟦') : 0).trim()).join(' ');
    expect(noteText).toBe('⟦displayed the message to the user⟧');
    expect(column(first, '✗ missing')).toBe(column(lines[0]!, '✓'));
    expect(first.slice(0, first.indexOf('✗ missing'))).toMatch(/⟦displayed( \S+)* {2,}$/);
    for (const line of lines) expect(cellWidth(line)).toBeLessThanOrEqual(60);
  });

  it('pads the lifeline numbers to the widest, and starts labels after the widest arrow', () => {
    const names = Array.from({ length: 12 }, (_, i) => `L${i + 1}`);
    const rows: LadderRow[] = [
      { at: 0, from: 0, to: 11, label: 'INVITE', kind: 'request' },
      { at: 1, from: 11, to: 9, label: '180 Ringing', kind: 'provisional' },
    ];
    const out = renderFolded(names, rows, { width: 60 }).split('\n');
    expect(out.slice(2, 4)).toEqual(['            1  L1', '            2  L2']);
    expect(out[13]).toBe('           12  L12');
    // Gutter 12, then `12 ─▶ 13` is 2 × 2 + 4 cells and two more: labels at column 22.
    expect(out.slice(-2)).toEqual([' 0.000000s  1 ─▶ 12  INVITE', ' 0.000001s 10 ◀─ 12  180 Ringing']);
  });

  it('draws a missing step with a dotted arrow, and what the figure expected under it', () => {
    const rows: (LadderRow | NoteRow)[] = [
      { step: '1', at: 0, from: 0, to: 1, label: 'MESSAGE', kind: 'request', mark: 'ok' },
      { step: '2', at: 0, from: 1, to: 2, label: 'MESSAGE', kind: 'request', mark: 'missing', expected: 'step 2: Core A -> Server B MESSAGE' },
      { step: '3', at: 1000, from: 2, to: 1, label: '200 OK', kind: 'success', mark: 'mismatch', expected: 'step 3: 202' },
    ];
    expect(renderFolded(NAMES, rows, { width: 60 }).split('\n').slice(6)).toEqual([
      ' 1 0.000000s 1 ─▶ 2  MESSAGE  ✓',
      ' 2 0.000000s 2 ┄▶ 3  MESSAGE  ✗ missing',
      '             ↳ expected step 2: Core A -> Server B MESSAGE',
      ' 3 0.001000s 2 ◀─ 3  200 OK   ✗ mismatch',
      '             ↳ expected step 3: 202',
    ]);
  });

  it('wraps a long label under itself, the arrow and the mark on its first line', () => {
    const rows: LadderRow[] = [{ step: '1', at: 0, from: 0, to: 1, label: 'MESSAGE "a rather long greeting for Bob"', kind: 'request', mark: 'unexpected' }];
    const out = renderFolded(NAMES, rows, { width: 40 }).split('\n');
    // 40 less the gutter (13), the arrow (8) and the widest tag (2 + 12) leaves 5: labels get the minimum 12.
    expect(out.slice(6)).toEqual([
      ' 1 0.000000s 1 ─▶ 2  MESSAGE "a    + unexpected',
      '                     rather long',
      '                     greeting for',
      '                     Bob"',
    ]);
  });

  it('writes notes in ⟦ ⟧ at their lifeline, wrapped in the room after the labels', () => {
    const rows: (LadderRow | NoteRow)[] = [{ note: 'stored for Bob until he registers again', at: 5000, lifeline: 2, step: '4' }];
    const out = renderFolded(NAMES, rows, { width: 40 }).split('\n');
    // Labels at 21; a note has 40 - 21 - 2 = 17 cells inside its brackets.
    expect(out.slice(6)).toEqual([' 4 0.005000s 3       ⟦stored for Bob', '                      until he', '                      registers again⟧']);
  });

  it('lists a missing action step where it should have come, without a time, in red, with what was expected', () => {
    const rows: (LadderRow | NoteRow)[] = [
      { step: '4', at: 0, from: 0, to: 1, label: 'MESSAGE "hello there, Bob"', kind: 'request', mark: 'ok' },
      { note: 'displayed', at: 6000, lifeline: 0, step: '5', mark: 'missing', expected: 'step 5: Client A displayed' },
    ];
    const out = renderFolded(NAMES, rows, { width: 60 }).split('\n');
    expect(out.slice(6)).toEqual([
      ' 4 0.000000s 1 ─▶ 2  MESSAGE "hello there, Bob"  ✓',
      ' 5           1       ⟦displayed⟧                 ✗ missing',
      '             ↳ expected step 5: Client A displayed',
    ]);
    // Red (SGR 31) as a missing step, not dim as a note.
    expect(renderFolded(NAMES, rows, { width: 60, color: true })).toContain('\u001b[31m⟦displayed⟧');
  });

  it('paints a note that no step marks dim, not red: only a missing action step is', () => {
    const rows: NoteRow[] = [{ note: 'stored', at: 5000, lifeline: 2 }];
    const painted = renderFolded(NAMES, rows, { width: 60, color: true });
    expect(painted).toContain('\u001b[2m⟦stored⟧');
    expect(painted).not.toContain('\u001b[31m');
  });

  it('wraps the introduction and long lifeline names to the width, numbering a name once', () => {
    const out = renderFolded(['CPM Participating Function A', 'Core A'], [{ step: '1', at: 0, from: 0, to: 1, label: 'MESSAGE', kind: 'request' }], { width: 32 }).split('\n');
    expect(out.slice(0, 8)).toEqual([
      ' too narrow for a ladder of',
      ' these lifelines: each message',
      ' as `from ─▶ to`',
      '             1  CPM',
      '                Participating',
      '                Function A',
      '             2  Core A',
      '',
    ]);
  });

  it('adds the wire text under a message only when asked', () => {
    const rows: LadderRow[] = [
      { at: 0, from: 0, to: 1, label: 'MESSAGE', kind: 'request', wire: 'MESSAGE sip:bob@b.example SIP/2.0\r\nMax-Forwards: 70\r\n\r\n' },
      { at: 1, from: 1, to: 0, label: '200 OK', kind: 'success' },
    ];
    const plain = renderFolded(NAMES, rows, { width: 60 }).split('\n');
    expect(plain.slice(6)).toEqual([' 0.000000s 1 ─▶ 2  MESSAGE', ' 0.000001s 1 ◀─ 2  200 OK']);
    const wired = renderFolded(NAMES, rows, { width: 60, wire: true }).split('\n');
    expect(wired.slice(6)).toEqual([' 0.000000s 1 ─▶ 2  MESSAGE', '               MESSAGE sip:bob@b.example SIP/2.0', '               Max-Forwards: 70', '', ' 0.000001s 1 ◀─ 2  200 OK']);
    // The marks stand after the labels, however wide the wire text under them.
    const marked = renderFolded(NAMES, rows.map((r) => ({ ...r, mark: 'ok' as const })), { width: 60, wire: true }).split('\n');
    expect(marked.slice(6)).toEqual([' 0.000000s 1 ─▶ 2  MESSAGE  ✓', '               MESSAGE sip:bob@b.example SIP/2.0', '               Max-Forwards: 70', '', ' 0.000001s 1 ◀─ 2  200 OK   ✓']);
  });

  it('keeps every line within the width when it can, and paints only when told', () => {
    const rows: (LadderRow | NoteRow)[] = [
      { step: '1', at: 0, from: 0, to: 2, label: 'MESSAGE "你好，鲍勃，这是一条很长的消息"', kind: 'request', mark: 'ok' },
      { note: '已显示给用户，并且已经发送了已读回执', at: 1000, lifeline: 2 },
    ];
    const plain = renderFolded(['客户端 A', '核心 A', '会话服务器 B'], rows, { width: 44 });
    for (const line of plain.split('\n')) expect(cellWidth(line)).toBeLessThanOrEqual(44);
    expect(plain).not.toContain('\u001b[');
    const painted = renderFolded(['客户端 A', '核心 A', '会话服务器 B'], rows, { width: 44, color: true });
    // Bold headings (SGR 1), the request cyan (SGR 36), the note dim (SGR 2), the ✓ green (SGR 32).
    for (const sgr of ['\u001b[1m', '\u001b[36m', '\u001b[2m', '\u001b[32m✓']) expect(painted).toContain(sgr);
    expect(painted.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
  });
});
