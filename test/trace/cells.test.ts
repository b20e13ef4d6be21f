/**
 * Text measured in terminal cells (src/trace/cells.ts). The widths are those of Unicode: East
 * Asian Wide and Fullwidth characters take two cells (UAX #11), combining marks none, an emoji
 * with emoji presentation two (UTS #51), and a pictograph without it one; string-width, which
 * terminals' own tables agree with for these, is the reference.
 */
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { cellWidth, chop, graphemes, Line, truncate, wrap } from '../../src/trace/cells.js';

const E_ACUTE = 'e\u0301'; // e and COMBINING ACUTE ACCENT: one character, one cell
const FAMILY = '👨\u200d👩\u200d👧'; // a ZWJ sequence: one emoji, two cells
const FLAG = '🇯🇵'; // two regional indicators: one flag, two cells

describe('cellWidth', () => {
  it('counts printable ASCII one cell a character', () => {
    expect(cellWidth('')).toBe(0);
    expect(cellWidth('MESSAGE sip:bob@b.example')).toBe(25);
  });

  it('counts East Asian wide characters two cells, combining marks none (UAX #11)', () => {
    expect(cellWidth('漢字')).toBe(4);
    expect(cellWidth('ＡＢ')).toBe(4); // fullwidth Latin
    expect(cellWidth('ｱｲ')).toBe(2); // halfwidth katakana
    expect(cellWidth(`caf${E_ACUTE}`)).toBe(4);
    expect(cellWidth('a\u0300\u0301\u0302')).toBe(1);
    expect(cellWidth('Grüße')).toBe(5);
  });

  it('counts emoji two cells, however many code points they are made of (UTS #51)', () => {
    expect(cellWidth('😀')).toBe(2);
    expect(cellWidth(FAMILY)).toBe(2);
    expect(cellWidth(FLAG)).toBe(2);
    expect(cellWidth('👍🏽')).toBe(2); // with a skin-tone modifier
    for (const s of ['😀', FAMILY, FLAG, '漢字', E_ACUTE]) expect(cellWidth(s)).toBe(stringWidth(s));
  });

  it('counts a pictograph without emoji presentation one cell, and two with VS16 (UTS #51 4)', () => {
    // The ladder's arrowheads ▶ and ◀ are drawn as text.
    expect(cellWidth('▶')).toBe(1);
    expect(cellWidth('◀')).toBe(1);
    expect(cellWidth('─▶ 2')).toBe(4);
    expect(cellWidth('▶\ufe0f')).toBe(2);
    // A pictograph followed by another code point in one grapheme is not a lone one.
    expect(cellWidth('☺\ufe0f')).toBe(2);
    // An emoji with emoji presentation stays two cells.
    expect(cellWidth('⌚')).toBe(2);
  });

  it('counts a control character one cell: it is drawn as its control picture', () => {
    expect(cellWidth('a\tb')).toBe(3);
    expect(cellWidth('a\u0007b')).toBe(3);
    // An ANSI colour sequence is text to measure, not a zero-width instruction.
    expect(cellWidth('\x1b[31mred\x1b[39m')).toBe(13);
  });

  it('never lets a control reach the terminal: C0 as U+2400 pictures, DEL as ␡, C1 (CSI included) as U+FFFD', () => {
    const line = new Line<never>();
    line.put(0, 'a\x1b[2Jb\x00\x7f\x9b1m\r\n');
    expect(line.render({} as never)).toBe('a␛[2Jb␀␡\ufffd1m␍␊');
    expect(graphemes('\x1b\x1f').map((g) => g.ch)).toEqual(['␛', '␟']);
    expect(truncate('\x1b[2J and more', 5)).toBe('␛[2J…');
  });
});

describe('graphemes', () => {
  it('splits text into user-perceived characters with their widths', () => {
    expect(graphemes(`a${E_ACUTE}漢${FAMILY}▶`)).toEqual([
      { ch: 'a', width: 1 },
      { ch: E_ACUTE, width: 1 },
      { ch: '漢', width: 2 },
      { ch: FAMILY, width: 2 },
      { ch: '▶', width: 1 },
    ]);
  });
});

describe('truncate', () => {
  it('leaves text that fits, and cuts the rest to the room with an ellipsis', () => {
    expect(truncate('abcdef', 6)).toBe('abcdef');
    expect(truncate('abcdef', 5)).toBe('abcd…');
    expect(truncate('abcdef', 1)).toBe('…');
    expect(truncate('abcdef', 0)).toBe('');
    expect(truncate('abcdef', -3)).toBe('');
    expect(truncate('', 0)).toBe('');
  });

  it('never splits a wide character or a grapheme', () => {
    expect(truncate('漢字漢字', 5)).toBe('漢字…');
    expect(truncate('漢字漢字', 4)).toBe('漢…');
    expect(cellWidth(truncate('漢字漢字', 4))).toBe(3);
    expect(truncate(`${E_ACUTE}${E_ACUTE}${E_ACUTE}`, 2)).toBe(`${E_ACUTE}…`);
    expect(truncate(`${FAMILY}${FAMILY}`, 3)).toBe(`${FAMILY}…`);
  });
});

describe('wrap', () => {
  it('fills lines greedily with words, one space between them', () => {
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrap('one two three four', 13)).toEqual(['one two three', 'four']);
    // A line exactly as wide as the room is kept whole.
    expect(wrap('ab cd', 5)).toEqual(['ab cd']);
    expect(wrap('ab cd', 4)).toEqual(['ab', 'cd']);
    // Each space counts: 'a b c' is five cells.
    expect(wrap('a b c', 4)).toEqual(['a b', 'c']);
  });

  it('breaks at any whitespace and keeps none at the ends', () => {
    expect(wrap('  a \t b\r\nc  ', 10)).toEqual(['a b c']);
    expect(wrap('a b ', 10)).toEqual(['a b']);
  });

  it('gives one empty line for text without words', () => {
    expect(wrap('', 5)).toEqual(['']);
    expect(wrap('   ', 5)).toEqual(['']);
  });

  it('shortens a word wider than the room so no line is wider', () => {
    expect(wrap('a verylongword b', 6)).toEqual(['a', 'veryl…', 'b']);
    for (const line of wrap('漢字漢字漢字 かな 😀😀😀', 5)) expect(cellWidth(line)).toBeLessThanOrEqual(5);
  });

  it('measures wide characters by their cells', () => {
    expect(wrap('漢字 漢字 漢', 9)).toEqual(['漢字 漢字', '漢']);
    expect(wrap('漢字 漢字 漢', 8)).toEqual(['漢字', '漢字 漢']);
  });
});

describe('chop', () => {
  it('cuts text at the room whatever it holds', () => {
    expect(chop('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    expect(chop('abc', 3)).toEqual(['abc']);
    expect(chop('', 3)).toEqual(['']);
  });

  it('keeps a wide character whole, on the next line when it does not fit', () => {
    expect(chop('a漢字', 2)).toEqual(['a', '漢', '字']);
    expect(chop('ab漢', 3)).toEqual(['ab', '漢']);
    // A character wider than the room has a line of its own, with no empty line before it.
    expect(chop('漢字', 1)).toEqual(['漢', '字']);
  });
});

describe('Line', () => {
  const paint = { red: (s: string) => `<r>${s}</r>`, blue: (s: string) => `<b>${s}</b>` };
  type S = keyof typeof paint;

  it('places text at a column, padding with blanks, and measures without trailing blanks', () => {
    const line = new Line<S>();
    line.put(3, 'ab');
    expect(line.render(paint)).toBe('   ab');
    expect(line.width).toBe(5);
    line.put(8, ' ');
    expect(line.width).toBe(5);
    expect(line.render(paint)).toBe('   ab');
    expect(new Line<S>().width).toBe(0);
    expect(new Line<S>().render(paint)).toBe('');
  });

  it('overwrites what stands at a column', () => {
    const line = new Line<S>();
    line.put(0, '|   |   |');
    line.put(2, '──▶');
    expect(line.render(paint)).toBe('| ──▶   |');
  });

  it('gives a wide character two cells', () => {
    const line = new Line<S>();
    line.put(0, '漢x');
    expect(line.width).toBe(3);
    expect(line.render(paint)).toBe('漢x');
    line.put(1, 'y');
    // Overwriting the second half blanks the first.
    expect(line.render(paint)).toBe(' yx');
  });

  it('blanks the second half of a wide character whose first half is overwritten', () => {
    const line = new Line<S>();
    line.put(0, 'a漢b');
    line.put(1, 'c');
    expect(line.render(paint)).toBe('ac b');
  });

  it('blanks the wide character a wide one lands halfway over', () => {
    const line = new Line<S>();
    line.put(0, '漢字');
    line.put(1, '仮');
    expect(line.render(paint)).toBe(' 仮');
    expect(line.width).toBe(3);
  });

  it('joins a lone zero-width character to the character before it', () => {
    const line = new Line<S>();
    line.put(0, 'ab');
    line.put(2, '\u0301');
    expect(line.render(paint)).toBe('ab\u0301');
    expect(line.width).toBe(2);
    // At the start of a line there is nothing to join: it is dropped.
    const first = new Line<S>();
    first.put(0, '\u0301x');
    expect(first.render(paint)).toBe('x');
  });

  it('paints each run of one style once, and leaves unstyled text as it is', () => {
    const line = new Line<S>();
    line.put(0, 'ab', 'red');
    line.put(2, 'cd', 'red');
    line.put(4, 'e');
    line.put(5, '漢', 'blue');
    line.put(7, 'f', 'red');
    expect(line.render(paint)).toBe('<r>abcd</r>e<b>漢</b><r>f</r>');
    // Both cells of a wide character carry its style: one run.
    const wide = new Line<S>();
    wide.put(0, '漢x', 'blue');
    expect(wide.render(paint)).toBe('<b>漢x</b>');
  });
});
