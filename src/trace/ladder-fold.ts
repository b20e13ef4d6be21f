/**
 * The ladder folded for a width its lifelines cannot share: the lifelines listed once with a
 * number, then one row per message, `1 ─▶ 2  MESSAGE`, in the ladder's order with the same gutter
 * and marks, so every step is still there to read and compare.
 */
import { Line, wrap } from './cells.js';
import { expectedLines, Gutter, isNote, painter, putMarks, rowStyle, wireLines, type LadderRow, type NoteRow, type Style } from './ladder-style.js';

export interface FoldOptions {
  width: number;
  color?: boolean;
  wire?: boolean;
  title?: string;
}

/** Narrowest room for a label; below it lines run past a width too small for any layout. */
const MIN_ROOM = 12;

export function renderFolded(lifelines: string[], rows: (LadderRow | NoteRow)[], options: FoldOptions): string {
  const { width } = options;
  const paint = painter(options.color === true);
  const gutter = new Gutter(rows);
  const digits = String(lifelines.length).length;
  const num = (i: number): string => String(i + 1).padStart(digits);
  // `12 ─▶ 13` is the widest arrow; labels start two cells after it.
  const labelX = gutter.width + 2 * digits + 6;
  const room = Math.max(MIN_ROOM, width - gutter.markReserve - labelX);

  const out: string[] = [];
  if (options.title !== undefined) out.push(...wrap(options.title, width).map((t) => paint.heading(t)), '');
  for (const text of wrap('too narrow for a ladder of these lifelines: each message as `from ─▶ to`', width - 1)) out.push(paint.note(` ${text}`));
  lifelines.forEach((name, i) => {
    wrap(name, Math.max(MIN_ROOM, width - gutter.width - digits - 2)).forEach((text, k) => {
      const line = new Line<Style>();
      if (k === 0) line.put(gutter.width, num(i), 'heading');
      line.put(gutter.width + digits + 2, text, 'heading');
      out.push(line.render(paint));
    });
  });
  out.push('');

  const body: { line: Line<Style>; marked: boolean; row?: LadderRow | NoteRow }[] = [];
  for (const row of rows) {
    if (isNote(row)) {
      // A missing action step has no time: it is listed where it should have come.
      const style: Style = row.mark === 'missing' ? 'missing' : 'note';
      // A note with a mark (an action step) leaves the marks' room as a label does, its brackets
      // inside it, and its first line counts where the marks go.
      const marked = row.mark !== undefined;
      wrap(row.note, Math.max(MIN_ROOM, marked ? room - 2 : width - labelX - 2)).forEach((text, i, all) => {
        const line = new Line<Style>();
        if (i === 0) {
          line.put(0, gutter.text(row.step, row.mark === 'missing' ? undefined : row.at));
          line.put(gutter.width, num(row.lifeline));
        }
        line.put(labelX, `${i === 0 ? '⟦' : ' '}${text}${i === all.length - 1 ? '⟧' : ''}`, style);
        body.push(i === 0 ? { line, marked, row } : { line, marked });
      });
      for (const line of expectedLines(row, gutter.width, width)) body.push({ line, marked: false });
      continue;
    }
    const style = rowStyle(row);
    const dash = row.mark === 'missing' ? '┄' : '─';
    // Lower number first, as the two would stand on the ladder, the arrow pointing the way it went.
    const arrow = row.to >= row.from ? `${num(row.from)} ${dash}▶ ${num(row.to)}` : `${num(row.to)} ◀${dash} ${num(row.from)}`;
    wrap(row.label, room).forEach((text, i) => {
      const line = new Line<Style>();
      if (i === 0) {
        line.put(0, gutter.text(row.step, row.at));
        line.put(gutter.width, arrow, style);
      }
      line.put(labelX, text, style);
      body.push(i === 0 ? { line, marked: true, row } : { line, marked: true });
    });
    for (const line of expectedLines(row, gutter.width, width)) body.push({ line, marked: false });
    if (options.wire === true && row.wire !== undefined) {
      for (const line of wireLines(row.wire, gutter.width, width)) body.push({ line, marked: false });
    }
  }
  const markX = Math.max(labelX, ...body.filter((b) => b.marked).map((b) => b.line.width)) + 2;
  putMarks(body, markX);
  return [...out, ...body.map((b) => b.line.render(paint))].join('\n');
}
