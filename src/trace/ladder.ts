/**
 * Terminal ladder (sequence diagram) renderer: one vertical lifeline per entity, one arrow per SIP
 * message, in the style of the OMA CPM flow figures, so a run can be laid beside the figure it
 * reproduces. Everything fits the width: names and labels wrap (a word too long is shortened),
 * notes run across the neighbouring lifelines when their own column is too narrow, and when the
 * lifelines cannot be spaced far enough apart to name each message the ladder folds into a
 * compact list (ladder-fold.ts) rather than letting the terminal wrap its lines.
 */
import { cellWidth, Line, truncate, wrap } from './cells.js';
import { renderFolded } from './ladder-fold.js';
import { expectedLines, Gutter, isNote, painter, putMarks, rowStyle, wireLines, type LadderRow, type NoteRow, type Style } from './ladder-style.js';

export type { LadderRow, NoteRow, RowKind, RowMark } from './ladder-style.js';

export interface LadderOptions {
  /** Width in terminal cells (default 100); every line fits it down to about 40. */
  width?: number;
  /** ANSI colour (default false). */
  color?: boolean;
  /** Print each message's wire text under its arrow. */
  wire?: boolean;
  title?: string;
}

const BAR = '│';
/** Names wrap onto at most this many header lines; the last is shortened beyond that. */
const MAX_NAME_LINES = 3;
/** Below this distance between lifelines even short names become unreadable: fold instead. */
const MIN_SPACING = 8;

function checkLifeline(index: number, count: number, rowIndex: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`ladder row ${rowIndex}: lifeline ${index} is not in 0..${count - 1}`);
  }
}

function firstWordWidth(text: string): number {
  return cellWidth(text.trim().split(/\s+/)[0] ?? '');
}

/** A name in its header box: wrapped by word onto at most MAX_NAME_LINES lines. */
function nameLines(name: string, box: number): string[] {
  const lines = wrap(name, box);
  if (lines.length <= MAX_NAME_LINES) return lines;
  return [...lines.slice(0, MAX_NAME_LINES - 1), truncate(lines.slice(MAX_NAME_LINES - 1).join(' '), box)];
}

/** Where the lifelines stand, and how much room a label or note has around each. */
class Geometry {
  readonly barX: number[];

  constructor(
    readonly count: number,
    readonly spacing: number,
    readonly gutterWidth: number,
    readonly width: number,
    /** Message lines end before this cell, leaving room for the marks. */
    readonly edge: number,
  ) {
    this.barX = Array.from({ length: count }, (_, i) => gutterWidth + i * spacing + Math.floor((spacing - 1) / 2));
  }

  x(i: number): number {
    return this.barX[i] ?? 0;
  }

  /** Cells between the bars of an arrow, less a blank either side for the label. */
  labelRoom(from: number, to: number): number {
    return Math.abs(to - from) * this.spacing - 3;
  }

  /** A self loop's label right of `├──┐ ` or left of ` ┌──┤`. */
  loopRoom(i: number): { right: number; left: number } {
    return { right: this.edge - this.x(i) - 5, left: this.x(i) - 4 - this.gutterWidth };
  }

  /**
   * A note inside its own column, right of its bar across the others, or left of it; a note to
   * the right stops at the mark column's edge, since a numbered note carries a mark there.
   */
  noteRoom(i: number): { inline: number; right: number; left: number } {
    return { inline: i === this.count - 1 ? 0 : this.spacing - 5, right: this.edge - this.x(i) - 4, left: this.x(i) - 3 - this.gutterWidth };
  }

  barLine(): Line<Style> {
    const line = new Line<Style>();
    for (const x of this.barX) line.put(x, BAR);
    return line;
  }
}

/** Whether every message can at least be named (its first word whole) at this spacing. */
function fits(geometry: Geometry, rows: (LadderRow | NoteRow)[]): boolean {
  if (geometry.spacing < MIN_SPACING) return false;
  return rows.every((row) => {
    if (isNote(row)) return true;
    if (row.from === row.to) {
      const room = geometry.loopRoom(row.from);
      return firstWordWidth(row.label) <= Math.max(room.right, room.left);
    }
    return firstWordWidth(row.label) <= geometry.labelRoom(row.from, row.to);
  });
}

export function renderLadder(lifelines: string[], rows: (LadderRow | NoteRow)[], options: LadderOptions = {}): string {
  const count = lifelines.length;
  if (count === 0) throw new RangeError('a ladder needs at least one lifeline');
  rows.forEach((row, i) => {
    if (isNote(row)) checkLifeline(row.lifeline, count, i);
    else {
      checkLifeline(row.from, count, i);
      checkLifeline(row.to, count, i);
    }
  });

  const width = options.width ?? 100;
  const paint = painter(options.color === true);
  const gutter = new Gutter(rows);
  // Each lifeline owns an equal column with its bar in the middle, so spreading across the
  // width is one division.
  const spacing = Math.floor((width - gutter.width - gutter.markReserve) / count);
  const geometry = new Geometry(count, spacing, gutter.width, width, width - gutter.markReserve);
  if (!fits(geometry, rows)) return renderFolded(lifelines, rows, { ...options, width });

  const out: string[] = [];
  if (options.title !== undefined) out.push(...wrap(options.title, width).map((t) => paint.heading(t)), '');

  // Header: names wrapped to their box and bottom-aligned so each sits right on top of its bar.
  const names = lifelines.map((name) => nameLines(name, spacing - 1));
  const headerHeight = Math.max(...names.map((lines) => lines.length));
  for (let h = 0; h < headerHeight; h++) {
    const line = new Line<Style>();
    names.forEach((lines, i) => {
      const text = lines[h - (headerHeight - lines.length)];
      if (text !== undefined) line.put(geometry.x(i) - Math.floor((cellWidth(text) - 1) / 2), text, 'heading');
    });
    out.push(line.render(paint));
  }
  out.push(geometry.barLine().render(paint));

  // Body lines are kept unrendered until every row is drawn, because the marks line up in one
  // column to the right of the widest message drawn.
  const body: { line: Line<Style>; marked: boolean; row?: LadderRow | NoteRow }[] = [];
  for (const row of rows) {
    if (isNote(row)) {
      // A missing action step has no time: it never happened; it is drawn where it should have been.
      noteLines(geometry, row).forEach((line, i) => {
        if (i === 0) line.put(0, gutter.text(row.step, row.mark === 'missing' ? undefined : row.at));
        body.push(i === 0 ? { line, marked: row.mark !== undefined, row } : { line, marked: false });
      });
      for (const line of expectedLines(row, gutter.width, width)) body.push({ line, marked: false });
      continue;
    }
    const lines = row.from === row.to ? loopLines(geometry, row) : arrowLines(geometry, row);
    lines[0]?.put(0, gutter.text(row.step, row.at));
    lines.forEach((line, i) => body.push(i === 0 ? { line, marked: true, row } : { line, marked: true }));
    for (const line of expectedLines(row, gutter.width, width)) body.push({ line, marked: false });
    if (options.wire === true && row.wire !== undefined) {
      for (const line of wireLines(row.wire, gutter.width, width)) body.push({ line, marked: false });
    }
  }

  const markX = Math.max(...geometry.barX, ...body.filter((b) => b.marked).map((b) => b.line.width)) + 2;
  putMarks(body, markX);
  for (const { line } of body) out.push(line.render(paint));

  // Closing bars so the last arrow does not sit on the bottom edge.
  out.push(geometry.barLine().render(paint));
  return out.join('\n');
}

/** The label, wrapped and centred between the end bars, above the arrow. */
function arrowLines(geometry: Geometry, row: LadderRow): Line<Style>[] {
  const style = rowStyle(row);
  // A missing step never happened: dashes show where the figure's arrow should have been.
  const dash = row.mark === 'missing' ? '┄' : '─';
  const left = geometry.x(Math.min(row.from, row.to));
  const right = geometry.x(Math.max(row.from, row.to));
  const inner = right - left - 1;
  const lines = wrap(row.label, Math.max(1, geometry.labelRoom(row.from, row.to))).map((text) => {
    const line = geometry.barLine();
    line.put(left + 1 + Math.floor((inner - cellWidth(text)) / 2), text, style);
    return line;
  });
  const arrow = geometry.barLine();
  const shaft = dash.repeat(inner - 1);
  arrow.put(left + 1, row.to > row.from ? `${shaft}▶` : `◀${shaft}`, style);
  return [...lines, arrow];
}

/** `├──┐ label` / `│◀─┘`, mirrored to `label ┌──┤` / `└─▶│` where the right has too little room. */
function loopLines(geometry: Geometry, row: LadderRow): Line<Style>[] {
  const style = rowStyle(row);
  const dash = row.mark === 'missing' ? '┄' : '─';
  const x = geometry.x(row.from);
  const room = geometry.loopRoom(row.from);
  const rightSide = cellWidth(row.label) <= room.right || room.right >= room.left;
  const texts = wrap(row.label, Math.max(1, rightSide ? room.right : room.left));
  const lines = texts.map((text, i) => {
    const line = geometry.barLine();
    if (rightSide) {
      line.put(x, i === 0 ? `├${dash}${dash}┐` : `│  │`, style);
      line.put(x + 5, text, style);
    } else {
      line.put(x - 3, i === 0 ? `┌${dash}${dash}┤` : `│  │`, style);
      line.put(x - 4 - cellWidth(text), text, style);
    }
    return line;
  });
  const arrow = geometry.barLine();
  if (rightSide) arrow.put(x + 1, `◀${dash}┘`, style);
  else arrow.put(x - 3, `└${dash}▶`, style);
  return [...lines, arrow];
}

/**
 * `│ ⟦note⟧` inside its column when it fits there; otherwise `├─⟦note⟧` across the lifelines to
 * the right or `⟦note⟧─┤` to the left (the connector names the owner), wrapped if still too long.
 */
function noteLines(geometry: Geometry, row: NoteRow): Line<Style>[] {
  const x = geometry.x(row.lifeline);
  const room = geometry.noteRoom(row.lifeline);
  const w = cellWidth(row.note);
  const side = w <= room.inline ? 'inline' : w <= room.right ? 'right' : w <= room.left ? 'left' : room.right >= room.left ? 'right' : 'left';
  const texts = side === 'inline' ? [row.note] : wrap(row.note, Math.max(1, side === 'right' ? room.right : room.left));
  const last = texts.length - 1;
  const widest = Math.max(...texts.map(cellWidth));
  return texts.map((text, i) => {
    const line = geometry.barLine();
    const close = i === last ? '⟧' : '';
    // The opening bracket comes once; continuation lines start under the first one's text.
    const textX = side === 'left' ? x - 2 - widest : x + 3;
    // A note across other lifelines blanks their bars inside its box, so it reads as one block.
    if (side !== 'inline') line.put(textX - 1, ' '.repeat(widest + 2));
    const style: Style = row.mark === 'missing' ? 'missing' : 'note';
    if (i === 0) line.put(textX - 1, '⟦', style);
    line.put(textX, text + close, style);
    if (i === 0 && side === 'left') line.put(x - 1, '─┤', style);
    if (i === 0 && side === 'right') line.put(x, '├─', style);
    return line;
  });
}
