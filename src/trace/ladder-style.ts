/** What the terminal ladder and its folded form share: the row types, colours, marks and gutter. */
import { Chalk } from 'chalk';
import { formatTime } from '../kernel/time.js';
import { cellWidth, chop, Line, wrap } from './cells.js';

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

/** An entity's annotation, e.g. "binding added". */
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

/** Everything that can be painted; mapped to a chalk style only at the very end. */
export type Style = RowKind | 'missing' | 'note' | 'wire' | 'heading' | 'ok' | 'bad' | 'warn';

export const MARK_TAG: Record<RowMark, string> = {
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

export function isNote(row: LadderRow | NoteRow): row is NoteRow {
  return 'note' in row;
}

export function painter(color: boolean): Record<Style, (s: string) => string> {
  const c = new Chalk({ level: color ? 1 : 0 });
  return {
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
}

/** A message row's colour: a missing step is red throughout, whatever its kind. */
export function rowStyle(row: LadderRow): Style {
  return row.mark === 'missing' ? 'missing' : row.kind;
}

/** The left margin, ` <step> <time> ` right-aligned; the step part disappears when no row has one. */
export class Gutter {
  private readonly stepWidth: number;
  private readonly timeWidth: number;
  /** Cells left free for the widest mark tag, so marked lines still fit the width. */
  readonly markReserve: number;

  constructor(rows: (LadderRow | NoteRow)[]) {
    this.stepWidth = Math.max(0, ...rows.map((row) => cellWidth(row.step ?? '')));
    this.timeWidth = Math.max(0, ...rows.map((row) => formatTime(row.at).length));
    const tags = rows.flatMap((row) => (row.mark === undefined ? [] : [cellWidth(MARK_TAG[row.mark])]));
    this.markReserve = tags.length === 0 ? 0 : 2 + Math.max(...tags);
  }

  text(step: string | undefined, at: number | undefined): string {
    return ' ' + (this.stepWidth > 0 ? (step ?? '').padStart(this.stepWidth) + ' ' : '') + (at === undefined ? '' : formatTime(at)).padStart(this.timeWidth) + ' ';
  }

  get width(): number {
    return this.text(undefined, undefined).length;
  }
}

/** Puts each marked row's tag in one column at `markX`. */
export function putMarks(body: { line: Line<Style>; row?: LadderRow | NoteRow }[], markX: number): void {
  for (const { line, row } of body) {
    if (row?.mark !== undefined) line.put(markX, MARK_TAG[row.mark], MARK_STYLE[row.mark]);
  }
}

/**
 * For a missing or mismatched step, what the figure expected, on lines of its own under the arrow
 * so that it is never cut, whatever the width.
 */
export function expectedLines(row: LadderRow | NoteRow, gutterWidth: number, width: number): Line<Style>[] {
  if ((row.mark !== 'missing' && row.mark !== 'mismatch') || row.expected === undefined) return [];
  return wrap(`expected ${row.expected}`, Math.max(20, width - gutterWidth - 2)).map((text, i) => {
    const line = new Line<Style>();
    line.put(gutterWidth, `${i === 0 ? '↳ ' : '  '}${text}`, 'bad');
    return line;
  });
}

/** A message's wire text, one line per CRLF line, hard-wrapped to the width. */
export function wireLines(wire: string, gutterWidth: number, width: number): Line<Style>[] {
  const lines = wire.split(/\r\n|\r|\n/);
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  const out: Line<Style>[] = [];
  const room = Math.max(20, width - gutterWidth - 4);
  for (const text of lines) {
    // Continuation pieces of a line too long for the width stand two further in.
    const [first = '', ...rest] = text === '' ? [''] : chop(text, room);
    for (const piece of [first, ...(rest.length === 0 ? [] : chop(rest.join(''), room - 2).map((p) => `  ${p}`))]) {
      const line = new Line<Style>();
      line.put(gutterWidth, `    ${piece}`, 'wire');
      out.push(line);
    }
  }
  out.push(new Line<Style>());
  return out;
}
