/**
 * Terminal ladder (sequence diagram) renderer: one vertical lifeline per entity, one arrow per SIP
 * message, in the style of the OMA CPM flow figures, so a run can be laid beside the figure it
 * reproduces.
 */
import { Chalk } from 'chalk';
import { formatTime } from '../kernel/time.js';

export type RowKind = 'request' | 'provisional' | 'success' | 'redirect' | 'error' | 'notification';
export type RowMark = 'ok' | 'missing' | 'unexpected' | 'mismatch';

export interface LadderRow {
  /** The figure's step number, shown at the left, e.g. '7'. */
  step?: string;
  /** Virtual send time, µs. */
  at: number;
  /** Lifeline index of the sender. */
  from: number;
  /** Lifeline index of the receiver; equal to `from` draws a self loop (e.g. "defers message"). */
  to: number;
  /** e.g. 'MESSAGE', '200 OK', 'NOTIFY (reg)'. */
  label: string;
  kind: RowKind;
  /** Result of matching against the expected figure step. */
  mark?: RowMark;
  /** For 'missing'/'mismatch': what the figure expected. */
  expected?: string;
  /** Full SIP wire text, printed under the arrow when `options.wire`. */
  wire?: string;
}

/** An entity's annotation, e.g. "binding added"; numbered when it is one of the figure's action steps. */
export interface NoteRow {
  note: string;
  at: number;
  lifeline: number;
  step?: string;
  /** `missing`: the figure's action step that no note matched (drawn where it should have been). */
  mark?: 'ok' | 'missing';
  expected?: string;
}

export interface LadderOptions {
  /** Target width in columns (default 100); exceeded only when the lifelines cannot fit. */
  width?: number;
  /** ANSI colour (default false). */
  color?: boolean;
  /** Print each message's wire text under its arrow. */
  wire?: boolean;
  title?: string;
}

/** Everything that can be painted; mapped to a chalk style only at the very end. */
type Style = RowKind | 'missing' | 'note' | 'wire' | 'heading' | 'ok' | 'bad' | 'warn';

const MARK_TAG: Record<RowMark, string> = {
  ok: '✓',
  missing: '✗ missing',
  mismatch: '✗ mismatch',
  unexpected: '+ unexpected',
};

const MARK_STYLE: Record<RowMark, Style> = {
  ok: 'ok',
  missing: 'bad',
  mismatch: 'bad',
  unexpected: 'warn',
};

const BAR = '│';
/** Names wrap onto at most this many header lines; beyond that the columns widen instead. */
const MAX_NAME_LINES = 3;
/** Room for `│─▶│` between two neighbouring lifelines even with an empty label. */
const MIN_SPACING = 4;

interface Cell {
  ch: string;
  style: Style | undefined;
}

/**
 * One output line as a grid of single-width cells, so arrows and labels can overwrite the
 * lifeline bars at any column; styling is applied per run of cells when the line is rendered.
 */
class Line {
  private readonly cells: Cell[] = [];

  put(x: number, text: string, style?: Style): void {
    let col = x;
    for (const ch of text) {
      while (this.cells.length < col) this.cells.push({ ch: ' ', style: undefined });
      this.cells[col] = { ch, style };
      col++;
    }
  }

  /** Width of the visible content, ignoring trailing blanks. */
  get width(): number {
    let end = this.cells.length;
    while (end > 0 && this.cells[end - 1]?.ch === ' ') end--;
    return end;
  }

  render(paint: Record<Style, (s: string) => string>): string {
    const cells = this.cells.slice(0, this.width);
    let out = '';
    let i = 0;
    while (i < cells.length) {
      const style = cells[i]?.style;
      let run = '';
      while (i < cells.length && cells[i]?.style === style) {
        run += cells[i]?.ch ?? '';
        i++;
      }
      out += style === undefined ? run : paint[style](run);
    }
    return out;
  }
}

function textWidth(s: string): number {
  return Array.from(s).length;
}

/** Greedy word wrap; a word longer than `width` gets a line of its own rather than being cut. */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (current === '') current = word;
    else if (textWidth(current) + 1 + textWidth(word) <= width) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current !== '' || lines.length === 0) lines.push(current);
  return lines;
}

/** Narrowest header box in which `name` wraps onto at most MAX_NAME_LINES lines without cutting a word. */
function narrowestNameBox(name: string): number {
  let box = Math.max(1, ...name.split(/\s+/).map(textWidth));
  while (wrapWords(name, box).length > MAX_NAME_LINES) box++;
  return box;
}

function isNote(row: LadderRow | NoteRow): row is NoteRow {
  return 'note' in row;
}

function checkLifeline(index: number, count: number, rowIndex: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`ladder row ${rowIndex}: lifeline ${index} is not in 0..${count - 1}`);
  }
}

/**
 * Smallest distance between neighbouring lifelines at which no name, label, self loop or note
 * runs into the next lifeline's bar.
 */
function minimumSpacing(lifelines: string[], rows: (LadderRow | NoteRow)[]): number {
  const last = lifelines.length - 1;
  // A name box is one narrower than the spacing so neighbouring names keep a blank between them.
  let spacing = Math.max(MIN_SPACING, ...lifelines.map((name) => narrowestNameBox(name) + 1));
  for (const row of rows) {
    if (isNote(row)) {
      // `│ ⟦note⟧ │`: two cells before the text, bracket after, a blank before the next bar.
      if (row.lifeline !== last) spacing = Math.max(spacing, textWidth(row.note) + 5);
    } else if (row.from === row.to) {
      // `├──┐ label │`: the loop, a blank, the label and a blank before the next bar.
      if (row.from !== last) spacing = Math.max(spacing, textWidth(row.label) + 6);
    } else {
      // The label is centred between the end bars with a blank either side; the span shares it out.
      const span = Math.abs(row.to - row.from);
      spacing = Math.max(spacing, Math.ceil((textWidth(row.label) + 3) / span));
    }
  }
  return spacing;
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
  const c = new Chalk({ level: options.color === true ? 1 : 0 });
  const paint: Record<Style, (s: string) => string> = {
    request: (s) => c.cyan(s),
    provisional: (s) => c.gray(s),
    success: (s) => c.green(s),
    redirect: (s) => c.yellow(s),
    error: (s) => c.red(s),
    notification: (s) => c.magenta(s),
    missing: (s) => c.red(s),
    note: (s) => c.dim(s),
    wire: (s) => c.dim(s),
    heading: (s) => c.bold(s),
    ok: (s) => c.green(s),
    bad: (s) => c.red(s),
    warn: (s) => c.yellow(s),
  };

  // Gutter: ` <step> <time> `, both right-aligned; the step part disappears when no row has one.
  const stepWidth = Math.max(0, ...rows.map((row) => textWidth(row.step ?? '')));
  const timeWidth = Math.max(0, ...rows.map((row) => formatTime(row.at).length));
  const gutter = (step: string | undefined, at: number | undefined): string =>
    ' ' +
    (stepWidth > 0 ? (step ?? '').padStart(stepWidth) + ' ' : '') +
    (at === undefined ? '' : formatTime(at)).padStart(timeWidth) +
    ' ';
  const gutterWidth = gutter(undefined, undefined).length;

  // Keep room at the right for the mark tags so marked ladders still fit `width`; the expected
  // text after a tag is diagnostic and may run past it rather than be cut.
  const tags = rows.flatMap((row) => (row.mark === undefined ? [] : [textWidth(MARK_TAG[row.mark])]));
  const markReserve = tags.length === 0 ? 0 : 2 + Math.max(...tags);

  // Each lifeline owns an equal column with its bar in the middle, so spreading across the
  // width is one division; too narrow a width falls back to the minimum and the ladder widens.
  const spacing = Math.max(
    minimumSpacing(lifelines, rows),
    Math.floor((width - gutterWidth - markReserve) / count),
  );
  const barX = lifelines.map((_, i) => gutterWidth + i * spacing + Math.floor((spacing - 1) / 2));
  const columnX = (i: number): number => barX[i] ?? 0;

  const barLine = (): Line => {
    const line = new Line();
    for (const x of barX) line.put(x, BAR);
    return line;
  };

  const out: string[] = [];
  if (options.title !== undefined) out.push(paint.heading(options.title), '');

  // Header: names wrapped to their box and bottom-aligned so each sits right on top of its bar.
  const nameLines = lifelines.map((name) => wrapWords(name, spacing - 1));
  const headerHeight = Math.max(...nameLines.map((lines) => lines.length));
  for (let h = 0; h < headerHeight; h++) {
    const line = new Line();
    nameLines.forEach((lines, i) => {
      const text = lines[h - (headerHeight - lines.length)];
      if (text !== undefined) line.put(columnX(i) - Math.floor((textWidth(text) - 1) / 2), text, 'heading');
    });
    out.push(line.render(paint));
  }
  out.push(barLine().render(paint));

  // Body lines are kept unrendered until every row is drawn, because the marks line up in one
  // column to the right of the widest thing drawn (a self loop or note on the last lifeline).
  interface BodyLine {
    line: Line;
    ladder: boolean;
    row?: LadderRow | NoteRow;
  }
  const body: BodyLine[] = [];

  for (const row of rows) {
    if (isNote(row)) {
      const line = barLine();
      line.put(0, gutter(row.step, row.mark === 'missing' ? undefined : row.at));
      line.put(columnX(row.lifeline) + 2, `⟦${row.note}⟧`, row.mark === 'missing' ? 'missing' : 'note');
      body.push({ line, ladder: true, row });
      continue;
    }

    const style: Style = row.mark === 'missing' ? 'missing' : row.kind;
    // A missing step never happened: dashes show where the figure's arrow should have been.
    const dash = row.mark === 'missing' ? '┄' : '─';
    const labelLine = barLine();
    const arrowLine = barLine();
    labelLine.put(0, gutter(row.step, row.at));

    if (row.from === row.to) {
      const x = columnX(row.from);
      labelLine.put(x, `├${dash}${dash}┐`, style);
      labelLine.put(x + 5, row.label, style);
      arrowLine.put(x + 1, `◀${dash}┘`, style);
    } else {
      const left = columnX(Math.min(row.from, row.to));
      const right = columnX(Math.max(row.from, row.to));
      const inner = right - left - 1;
      const shaft = dash.repeat(inner - 1);
      arrowLine.put(left + 1, row.to > row.from ? `${shaft}▶` : `◀${shaft}`, style);
      labelLine.put(left + 1 + Math.floor((inner - textWidth(row.label)) / 2), row.label, style);
    }
    body.push({ line: labelLine, ladder: true, row }, { line: arrowLine, ladder: true });

    if (options.wire === true && row.wire !== undefined) {
      const wireLines = row.wire.split(/\r\n|\r|\n/);
      while (wireLines.length > 0 && wireLines[wireLines.length - 1]?.trim() === '') wireLines.pop();
      for (const text of wireLines) {
        const line = new Line();
        line.put(gutterWidth, `    ${text}`, 'wire');
        body.push({ line, ladder: false });
      }
      body.push({ line: new Line(), ladder: false });
    }
  }

  const markX = Math.max(...barX, ...body.filter((b) => b.ladder).map((b) => b.line.width)) + 2;
  for (const { line, row } of body) {
    if (row?.mark === undefined) continue;
    const tag = MARK_TAG[row.mark];
    line.put(markX, tag, MARK_STYLE[row.mark]);
    if ((row.mark === 'missing' || row.mark === 'mismatch') && row.expected !== undefined) {
      line.put(markX + textWidth(tag), `: expected ${row.expected}`);
    }
  }
  for (const { line } of body) out.push(line.render(paint));

  // Closing bars so the last arrow does not sit on the bottom edge.
  out.push(barLine().render(paint));
  return out.join('\n');
}
