/**
 * Text measured in terminal cells: a CJK ideograph or an emoji takes two, a combining mark none.
 * The ladder lays everything out on a grid of cells, so every width here is a cell count.
 */
import stringWidth from 'string-width';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * string-width counts every pictograph as an emoji, two cells; but a lone one without an emoji
 * presentation (the ladder's ▶ and ◀) is drawn as text, one cell (Unicode TR 51, 4).
 */
function graphemeWidth(g: string): number {
  if (/^\p{Extended_Pictographic}$/u.test(g) && !/\p{Emoji_Presentation}/u.test(g)) return 1;
  return stringWidth(g);
}

/**
 * C0 and C1 controls and DEL. Text on the grid comes from the simulated messages (a display name, a
 * message's text, an injected header); a raw ESC or CSI would reach the user's terminal and drive
 * it (clear it, move the cursor, retitle the window). Each is drawn as its Unicode control picture
 * (U+2400 block, ␛ for ESC), one cell; a C1 control, which has none, as U+FFFD.
 */
const CONTROLS = /[\x00-\x1f\x7f-\x9f]/g;

function controlPicture(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  return code === 0x7f ? '\u2421' : '\ufffd';
}

/** The user-perceived characters of `text`, each with the cells it takes; controls as their pictures. */
export function graphemes(text: string): { ch: string; width: number }[] {
  const shown = text.replace(CONTROLS, controlPicture);
  return Array.from(segmenter.segment(shown), (s) => ({ ch: s.segment, width: graphemeWidth(s.segment) }));
}

/** Printable ASCII only: one cell a character, no segmenting needed (nearly every label and note). */
const ASCII = /^[\x20-\x7e]*$/;

export function cellWidth(text: string): number {
  if (ASCII.test(text)) return text.length;
  let width = 0;
  for (const g of graphemes(text)) width += g.width;
  return width;
}

/** `text` cut to at most `room` cells, ending in `…` when something was cut. */
export function truncate(text: string, room: number): string {
  if (cellWidth(text) <= room) return text;
  if (room <= 0) return '';
  let out = '';
  let used = 0;
  for (const g of graphemes(text)) {
    if (used + g.width > room - 1) break;
    out += g.ch;
    used += g.width;
  }
  return `${out}…`;
}

/**
 * Greedy word wrap to `room` cells; a word wider than the room is shortened with `…` so no line
 * is ever wider than the room.
 */
export function wrap(text: string, room: number): string[] {
  const lines: string[] = [];
  let current = '';
  // The width of `current`, kept as words are added: measuring the line again per word made
  // wrapping quadratic in its length.
  let used = 0;
  for (const raw of text.split(/\s+/).filter((w) => w !== '')) {
    const word = truncate(raw, room);
    const width = cellWidth(word);
    if (current === '') {
      current = word;
      used = width;
    } else if (used + 1 + width <= room) {
      current += ` ${word}`;
      used += 1 + width;
    } else {
      lines.push(current);
      current = word;
      used = width;
    }
  }
  if (current !== '' || lines.length === 0) lines.push(current);
  return lines;
}

/** Hard wrap at `room` cells, for text that has no words to break at (wire lines, URIs). */
export function chop(text: string, room: number): string[] {
  const lines: string[] = [];
  let current = '';
  let used = 0;
  for (const g of graphemes(text)) {
    if (used + g.width > room && current !== '') {
      lines.push(current);
      current = '';
      used = 0;
    }
    current += g.ch;
    used += g.width;
  }
  lines.push(current);
  return lines;
}

export interface Cell<S> {
  /** The grapheme drawn here; '' for the second cell of a double-width one. */
  ch: string;
  style: S | undefined;
}

/**
 * One output line as a grid of cells, so arrows and labels can overwrite the lifeline bars at any
 * column; a double-width character owns two cells, and overwriting either half blanks the other.
 */
export class Line<S extends string> {
  private readonly cells: Cell<S>[] = [];

  put(x: number, text: string, style?: S): void {
    let col = x;
    for (const g of graphemes(text)) {
      if (g.width === 0) {
        // A lone zero-width character joins whatever stands before it.
        const prev = this.cells[col - 1];
        if (prev !== undefined) prev.ch += g.ch;
        continue;
      }
      for (let i = 0; i < g.width; i++) this.clear(col + i);
      this.cells[col] = { ch: g.ch, style };
      if (g.width === 2) this.cells[col + 1] = { ch: '', style };
      col += g.width;
    }
  }

  /** Makes room at `col`, blanking the other half of a double-width character standing there. */
  private clear(col: number): void {
    while (this.cells.length <= col) this.cells.push({ ch: ' ', style: undefined });
    const cell = this.cells[col];
    const next = this.cells[col + 1];
    if (cell?.ch === '' && col > 0) this.cells[col - 1] = { ch: ' ', style: undefined };
    else if (next?.ch === '') this.cells[col + 1] = { ch: ' ', style: undefined };
    this.cells[col] = { ch: ' ', style: undefined };
  }

  /** Cells of visible content, ignoring trailing blanks. */
  get width(): number {
    let end = this.cells.length;
    while (end > 0 && this.cells[end - 1]?.ch === ' ') end--;
    return end;
  }

  render(paint: Record<S, (s: string) => string>): string {
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
