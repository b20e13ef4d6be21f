/**
 * The HTML report read without a browser: the SVG ladder parsed as XML and measured against the
 * layout rules of src/trace/html.ts, the step list and the wire-text panels read as their cells
 * and paragraphs. test/trace/html.test.ts opens the same page in headless Chromium; this file is
 * the part the mutation suite (vitest.mutation.config.ts) runs.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderHtml, renderSvg } from '../../src/trace/html.js';
import type { FlowView, ViewMessage, ViewRow } from '../../src/trace/view.js';
import { fig16, NASTY, nastyView, viewOf } from './fixtures.js';

// The layout constants of src/trace/html.ts, restated: a 12 px monospace character is 7.3 px wide,
// lifelines stand at least 140 px apart, a one-line arrow takes 38 px and a note 30, each further
// line of text 16 more; the marks have 110 px right of the last lifeline, a self loop is 34 wide.
const CHAR = 7.3;
const PAD = 16;
const MIN_SPACING = 140;
const ROW_HEIGHT = 38;
const NOTE_HEIGHT = 30;
const LINE_HEIGHT = 16;
const MARK_GUTTER = 110;
const LOOP = 34;
/** The header box starts below the group titles; rows start 30 px below it. */
const HEADER_TOP = PAD + 24;

interface El {
  tag: string;
  attrs: Record<string, string>;
  children: (El | string)[];
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: true,
  trimValues: false,
  htmlEntities: true,
  parseTagValue: false,
  parseAttributeValue: false,
});

type Parsed = Record<string, unknown>[];

function toEl(tag: string, entry: Record<string, unknown>): El {
  const attrs = Object.fromEntries(Object.entries((entry[':@'] ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  return { tag, attrs, children: ((entry[tag] ?? []) as Parsed).map(toNode) };
}

function toNode(entry: Record<string, unknown>): El | string {
  if ('#text' in entry) return String(entry['#text']);
  const tag = Object.keys(entry).find((k) => k !== ':@')!;
  return toEl(tag, entry);
}

/** Well-formed XML (an unescaped `<` or `&` of the text would break it), as a tree. */
function parse(xml: string): El {
  expect(XMLValidator.validate(xml, { allowBooleanAttributes: true })).toBe(true);
  return { tag: '#root', attrs: {}, children: (parser.parse(xml) as Parsed).map(toNode) };
}

/** The part of the page from `open` to the matching close tag (the page itself is HTML, not XML). */
function part(html: string, open: RegExp, close: string): El {
  const start = html.search(open);
  expect(start).toBeGreaterThanOrEqual(0);
  return parse(html.slice(start, html.indexOf(close, start) + close.length));
}

function text(node: El | string): string {
  return typeof node === 'string' ? node : node.children.map(text).join('');
}

function all(node: El, match: (e: El) => boolean): El[] {
  return node.children.flatMap((c) => (typeof c === 'string' ? [] : [...(match(c) ? [c] : []), ...all(c, match)]));
}

const classes = (e: El): string[] => (e.attrs['class'] ?? '').split(' ');
const byClass = (node: El, cls: string): El[] => all(node, (e) => classes(e).includes(cls));
const byTag = (node: El, tag: string): El[] => all(node, (e) => e.tag === tag);
const num = (e: El | undefined, attr: string): number => Number(e?.attrs[attr]);
/** Text lines of a `<text>`: one per `<tspan>`, with its position. */
const spans = (e: El): { x: number; y: number; text: string }[] => byTag(e, 'tspan').map((t) => ({ x: num(t, 'x'), y: num(t, 'y'), text: text(t) }));

/** A lifeline's centre: columns of `spacing` px after the left padding. */
const centre = (spacing: number, i: number): number => PAD + spacing * i + spacing / 2;

/** Characters of the monospace that fit in `px`. */
const room = (px: number): number => Math.floor(px / CHAR);

/**
 * Three lifelines in two home networks, and a row of each kind: a matched arrow, a response that
 * differs from the figure, a missing self loop, a missing action, an unexpected message with a
 * label that wraps, a note with a word too long for its column, a matched action, a matched loop.
 */
function ladderView(): FlowView {
  const message = (m: Omit<ViewMessage, 'type' | 'kind' | 'response'> & Partial<ViewMessage>): ViewMessage => ({ type: 'message', kind: 'request', response: false, ...m });
  const rows: ViewRow[] = [
    message({ seq: 1, eventId: 1, step: 1, at: 1000, arriveAt: 1500, from: 0, to: 1, fromHost: 'phone.alice.a.example', toHost: 'core.a.example', label: 'MESSAGE "Hi"', mark: 'ok', wire: 'MESSAGE sip:bob@b.example SIP/2.0\r\nCall-ID: c1\r\n\r\nHi' }),
    { type: 'note', eventId: 2, at: 2000, lifeline: 1, text: 'routed via proxy.core.a.example' },
    message({ seq: 2, eventId: 3, step: 2, at: 3000, from: 1, to: 0, label: '200 OK (MESSAGE)', kind: 'success', response: true, mark: 'mismatch', expected: 'step 2: Core A -> Client A 202', expectedLabel: '202', wire: 'SIP/2.0 200 OK\r\nCSeq: 1 MESSAGE\r\n\r\n' }),
    message({ seq: 3, step: 3, at: 3000, from: 2, to: 2, label: 'OPTIONS', mark: 'missing', expected: 'step 3: Server B -> Server B OPTIONS [text/plain]', expectedLabel: 'OPTIONS [text/plain]' }),
    { type: 'note', at: 3000, lifeline: 2, text: 'deferred', step: 4, mark: 'missing', expected: 'step 4: Server B deferred' },
    message({ seq: 4, eventId: 4, at: 4000, arriveAt: 4200, from: 2, to: 1, fromHost: 'cs.b.example', toHost: 'core.a.example', label: 'MESSAGE with a rather long text', mark: 'unexpected', wire: 'MESSAGE sip:alice@a.example SIP/2.0\r\n\r\n' }),
    { type: 'note', eventId: 5, at: 5000, lifeline: 0, text: 'shown to Alice', step: 5, mark: 'ok' },
    message({ seq: 5, eventId: 6, step: 6, at: 6000, from: 0, to: 0, label: '180', kind: 'provisional', response: true, mark: 'ok', wire: 'SIP/2.0 180 Ringing\r\n\r\n' }),
  ];
  return {
    heading: 'Ladder — C.9, Figure 99',
    source: 'ladder.yaml',
    seed: 3,
    lifelines: [
      { name: 'Client A', hosts: ['phone.alice.a.example'], domains: [], domain: 'a.example' },
      { name: 'Core A', hosts: ['core.a.example'], domains: [], domain: 'a.example' },
      { name: 'Server B', hosts: ['cs.b.example'], domains: ['b.example'], domain: 'b.example' },
    ],
    groups: [
      { domain: 'a.example', first: 0, last: 1 },
      { domain: 'b.example', first: 2, last: 2 },
    ],
    rows,
    checked: true,
    passed: false,
    verdict: 'differs from the figure: 2 steps missing, 1 step differs, 1 unexpected message',
    events: [],
  };
}

/**
 * The text lines of each row of ladderView, wrapped by hand by the rule of html.ts (greedy words;
 * a line broken between words keeps its space; a word wider than the room is broken): an arrow's
 * label between adjacent lifelines has 140 - 24 px (15 characters), a self loop's 140 - 34 - 24
 * (11), a note 140 - 28 (15).
 */
const LADDER_LINES: string[][] = [
  ['1. MESSAGE "Hi"'],
  ['routed via ', 'proxy.core.a.ex', 'ample'],
  ['2. 200 OK ', '(MESSAGE)'],
  ['3. OPTIONS ', '[text/plain', ']'],
  ['4. ✗ missing: ', 'deferred'],
  ['MESSAGE with a ', 'rather long ', 'text'],
  ['5. shown to ', 'Alice'],
  ['6. 180'],
];

/** The y of each row: the first 30 px below a one-line header box, each row moving the next down. */
function rowYs(view: FlowView, lines: string[][], firstRow: number): number[] {
  let y = firstRow;
  return view.rows.map((row, i) => {
    const at = y;
    y += (row.type === 'note' ? NOTE_HEIGHT : ROW_HEIGHT) + (lines[i]!.length - 1) * LINE_HEIGHT;
    return at;
  });
}

describe('the SVG ladder of the HTML report', () => {
  const S = MIN_SPACING;
  const headerHeight = 12 + LINE_HEIGHT;
  const firstRow = HEADER_TOP + headerHeight + 30;

  it('wraps each label and note to its column and keeps every character', () => {
    const view = ladderView();
    const svg = parse(renderSvg(view));
    // Marks are text of their own: leave them out here.
    const rowTexts = byClass(svg, 'rows')[0]!.children.filter((c): c is El => typeof c !== 'string').map((g) => byTag(g, 'text').filter((t) => !classes(t).includes('mark-text')).map((t) => spans(t).map((s) => s.text))[0]);
    expect(rowTexts).toEqual(LADDER_LINES);
    for (const [i, lines] of LADDER_LINES.entries()) {
      const row = view.rows[i]!;
      const max = row.type === 'note' ? room(S - 28) : row.from === row.to ? room(S - LOOP - 24) : room(Math.abs(row.to - row.from) * S - 24);
      for (const line of lines) expect(line.trimEnd().length).toBeLessThanOrEqual(max);
    }
  });

  it('stands the lifelines 140 px apart, boxed by home network, with the marks in a gutter', () => {
    const view = ladderView();
    const ys = rowYs(view, LADDER_LINES, firstRow);
    const bottom = ys.at(-1)! + ROW_HEIGHT - 8;
    const fullWidth = PAD * 2 + S * 3 + MARK_GUTTER;
    const svg = parse(renderSvg(view));
    const root = byTag(svg, 'svg')[0]!;
    expect(root.attrs).toMatchObject({ viewBox: `0 0 ${fullWidth} ${bottom + PAD + 8}`, width: String(fullWidth), height: String(bottom + PAD + 8), role: 'group', 'aria-label': 'Sequence diagram: Ladder — C.9, Figure 99' });

    const lifelines = byClass(svg, 'lifeline');
    expect(lifelines.map((l) => [num(l, 'x1'), num(l, 'x2'), num(l, 'y1'), num(l, 'y2')])).toEqual([0, 1, 2].map((i) => [centre(S, i), centre(S, i), HEADER_TOP + headerHeight, bottom]));
    const actors = byClass(svg, 'actor');
    expect(actors.map((a) => [num(a, 'x'), num(a, 'y'), num(a, 'width'), num(a, 'height')])).toEqual([0, 1, 2].map((i) => [centre(S, i) - (S - 20) / 2, HEADER_TOP, S - 20, headerHeight]));
    // One-line names sit in the middle of the header box, on their lifeline.
    expect(byClass(svg, 'actor-name').map(spans)).toEqual(['Client A', 'Core A', 'Server B'].map((name, i) => [{ x: centre(S, i), y: HEADER_TOP + 6 + 12, text: name }]));
    // The hosts a lifeline stands for are its tooltip; a domain it serves reads `*@domain`.
    expect(byClass(svg, 'participant').map((p) => text(byTag(p, 'title')[0]!))).toEqual(['phone.alice.a.example', 'core.a.example', 'cs.b.example, *@b.example']);

    const groups = byTag(byClass(svg, 'groups')[0]!, 'rect');
    expect(groups.map((g) => [g.attrs['class'], num(g, 'x'), num(g, 'y'), num(g, 'width'), num(g, 'height')])).toEqual([
      ['group', centre(S, 0) - S / 2 + 4, PAD, 2 * S - 8, bottom + 8 - PAD],
      ['group alt', centre(S, 2) - S / 2 + 4, PAD, S - 8, bottom + 8 - PAD],
    ]);
    expect(byClass(svg, 'group-title').map((t) => [text(t), num(t, 'x'), num(t, 'y')])).toEqual([
      ['a.example', centre(S, 0) - S / 2 + 12, PAD + 15],
      ['b.example', centre(S, 2) - S / 2 + 12, PAD + 15],
    ]);
  });

  it('draws each arrow from its sender to its receiver at its row, lower by its extra label lines', () => {
    const view = ladderView();
    const ys = rowYs(view, LADDER_LINES, firstRow);
    const fullWidth = PAD * 2 + S * 3 + MARK_GUTTER;
    const svg = parse(renderSvg(view));
    const arrows = byClass(svg, 'msg');
    const rows = view.rows.flatMap((row, i) => (row.type === 'message' && row.from !== row.to ? [{ row, y: ys[i]!, lines: LADDER_LINES[i]! }] : []));
    const straight = arrows.filter((g) => byTag(g, 'line').length > 0);
    expect(straight.map((g) => g.attrs['data-row'])).toEqual(rows.map(({ row }) => String(row.seq)));
    for (const [k, { row, y, lines }] of rows.entries()) {
      const g = straight[k]!;
      const extra = (lines.length - 1) * LINE_HEIGHT;
      const from = centre(S, row.from);
      const to = centre(S, row.to);
      const dir = Math.sign(to - from);
      // The shaft stops a pixel short of each lifeline, on the side it comes from.
      const shaft = byTag(g, 'line')[0]!;
      expect([num(shaft, 'x1'), num(shaft, 'y1'), num(shaft, 'x2'), num(shaft, 'y2')]).toEqual([from + dir, y + 9 + extra, to - dir, y + 9 + extra]);
      expect(shaft.attrs['marker-end']).toBe(`url(#head-${row.kind})`);
      // The band behind the row spans the whole drawing and covers every line of the label.
      const band = byClass(g, 'band')[0]!;
      expect([num(band, 'x'), num(band, 'y'), num(band, 'width'), num(band, 'height')]).toEqual([0, y - 17, fullWidth, 34 + extra]);
      expect(spans(byClass(g, 'label')[0]!)).toEqual(lines.map((line, j) => ({ x: (from + to) / 2, y: y + 2 + j * LINE_HEIGHT, text: line })));
    }
    // Left to right and right to left.
    expect(rows.map(({ row }) => Math.sign(row.to - row.from))).toEqual([1, -1, -1]);
  });

  it('draws a step from a lifeline to itself as a loop right of it, its label beside the loop', () => {
    const view = ladderView();
    const ys = rowYs(view, LADDER_LINES, firstRow);
    const svg = parse(renderSvg(view));
    const loops = byClass(svg, 'msg').filter((g) => byTag(g, 'path').length > 0);
    expect(loops.map((g) => g.attrs['data-row'])).toEqual(['3', '5']);
    const cases = [
      { g: loops[0]!, lifeline: 2, y: ys[3]!, lines: LADDER_LINES[3]!, head: 'url(#cross)' },
      { g: loops[1]!, lifeline: 0, y: ys[7]!, lines: LADDER_LINES[7]!, head: 'url(#head-provisional)' },
    ];
    for (const { g, lifeline, y, lines, head } of cases) {
      const x = centre(S, lifeline);
      const extra = (lines.length - 1) * LINE_HEIGHT;
      const path = byTag(g, 'path')[0]!;
      // Out to the right, down past the label's lines, and back to a pixel short of the lifeline.
      expect(path.attrs['d']).toBe(`M${x},${y - 3} h${LOOP} v${14 + extra} h-${LOOP - 1}`);
      expect(path.attrs['marker-end']).toBe(head);
      expect(spans(byClass(g, 'loop-label')[0]!)).toEqual(lines.map((line, j) => ({ x: x + LOOP + 8, y: y + 6 + j * LINE_HEIGHT, text: line })));
      expect(byClass(g, 'label')).toEqual([]);
    }
  });

  it('draws each note as a box over its lifeline, as wide as its widest line', () => {
    const view = ladderView();
    const ys = rowYs(view, LADDER_LINES, firstRow);
    const svg = parse(renderSvg(view));
    const notes = byClass(svg, 'note');
    const noteRows = [1, 4, 6];
    expect(notes.map((n) => n.attrs['class'])).toEqual(['note', 'note mark-missing', 'note']);
    for (const [k, i] of noteRows.entries()) {
      const row = view.rows[i]!;
      const lines = LADDER_LINES[i]!;
      const x = centre(S, row.type === 'note' ? row.lifeline : -1);
      const w = Math.max(...lines.map((l) => l.length * CHAR)) + 16;
      const rect = byTag(notes[k]!, 'rect')[0]!;
      expect([num(rect, 'x'), num(rect, 'y'), num(rect, 'width'), num(rect, 'height'), num(rect, 'rx')]).toEqual([Math.round(x - w / 2), ys[i]! - 14, Math.round(w), 22 + (lines.length - 1) * LINE_HEIGHT, 3]);
      expect(spans(byTag(notes[k]!, 'text')[0]!)).toEqual(lines.map((line, j) => ({ x, y: ys[i]! + 1 + j * LINE_HEIGHT, text: line })));
    }
  });

  it('marks each checked arrow in the gutter, in words, and classes it for its colour', () => {
    const view = ladderView();
    const ys = rowYs(view, LADDER_LINES, firstRow);
    const svg = parse(renderSvg(view));
    const arrows = byClass(svg, 'msg');
    expect(arrows.map((g) => g.attrs['class'])).toEqual([
      'msg kind-request request mark-ok',
      'msg kind-success response mark-mismatch',
      'msg kind-request request mark-missing',
      'msg kind-request request mark-unexpected',
      'msg kind-provisional response mark-ok',
    ]);
    const messageRows = view.rows.flatMap((r, i) => (r.type === 'message' ? [i] : []));
    expect(arrows.map((g) => byClass(g, 'mark-text').map((t) => [text(t), num(t, 'x'), num(t, 'y')]))).toEqual(
      ['✓', '✗ mismatch', '✗ missing', '+ unexpected', '✓'].map((mark, k) => [[mark, PAD + S * 3 + 8, ys[messageRows[k]!]! + 6]]),
    );
    // A keyboard or screen-reader user reaches each arrow as a button named by its label and ends.
    expect(arrows.map((g) => [g.attrs['role'], g.attrs['tabindex'], g.attrs['aria-label']])).toEqual([
      ['button', '0', '1. MESSAGE "Hi", Client A to Core A'],
      ['button', '0', '2. 200 OK (MESSAGE), Core A to Client A'],
      ['button', '0', '3. OPTIONS [text/plain], Server B to Server B'],
      ['button', '0', 'MESSAGE with a rather long text, Server B to Core A'],
      ['button', '0', '6. 180, Client A to Client A'],
    ]);
  });

  it('leaves an unchecked arrow unmarked, and numbers it in order', () => {
    const view: FlowView = { ...ladderView(), checked: false, rows: [{ type: 'message', seq: 1, eventId: 1, at: 0, from: 1, to: 0, label: 'OK', kind: 'success', response: true }] };
    const svg = parse(renderSvg(view));
    const [g] = byClass(svg, 'msg');
    expect(g!.attrs['class']).toBe('msg kind-success response');
    expect(byClass(g!, 'mark-text')).toEqual([]);
    expect(spans(byClass(g!, 'label')[0]!).map((s) => s.text)).toEqual(['1. OK']);
  });

  it('defines an arrowhead per message kind and a cross for a missing step', () => {
    const svg = parse(renderSvg(ladderView()));
    expect(byTag(svg, 'marker').map((m) => m.attrs['id'])).toEqual(['request', 'notification', 'success', 'provisional', 'redirect', 'error'].map((k) => `head-${k}`).concat('cross'));
  });

  it('widens the columns for a name word or for the first two words of a label', () => {
    const base = ladderView();
    const long = 'CPM-Conversation-Server-B';
    const named = parse(renderSvg({ ...base, lifelines: base.lifelines.map((l, i) => (i === 1 ? { ...l, name: `The ${long}` } : l)), rows: [] }));
    const spacing = Math.ceil(long.length * CHAR + 28);
    expect(byClass(named, 'lifeline').map((l) => num(l, 'x1'))).toEqual([0, 1, 2].map((i) => Math.round(centre(spacing, i))));
    expect(byClass(named, 'actor').map((a) => num(a, 'width'))).toEqual([spacing - 20, spacing - 20, spacing - 20]);

    // A label's first two words fit between its ends; over two columns each column takes half.
    const word = 'X'.repeat(40);
    const spanning = (from: number, to: number): FlowView => ({ ...base, checked: false, rows: [{ type: 'message', seq: 1, at: 0, from, to, label: `${word} tail`, kind: 'request', response: false }] });
    const wide = (view: FlowView): number => num(byClass(parse(renderSvg(view)), 'actor')[0], 'width') + 20;
    const first = `1. ${word}`.length * CHAR + 24;
    expect(wide(spanning(0, 2))).toBe(Math.ceil(first / 2));
    expect(wide(spanning(2, 0))).toBe(Math.ceil(first / 2));
    expect(wide(spanning(0, 1))).toBe(Math.ceil(first));
    expect(wide(spanning(2, 1))).toBe(Math.ceil(first));
    // A loop's label wraps beside it and widens nothing.
    expect(wide(spanning(1, 1))).toBe(MIN_SPACING);
    // Words, not spaces: a run of spaces after the first word still leaves two words to fit.
    const spaced: FlowView = { ...base, rows: [{ type: 'message', seq: 1, at: 0, from: 0, to: 1, label: `A  ${word} tail`, kind: 'request', response: false }] };
    expect(wide(spaced)).toBe(Math.ceil(`A ${word}`.length * CHAR + 24));
  });

  it('gives an arrow over two columns the room of both for its label', () => {
    const label = 'MESSAGE with a rather long text';
    const view: FlowView = { ...ladderView(), rows: [{ type: 'message', seq: 1, step: 7, at: 0, from: 0, to: 2, label, kind: 'request', response: false, mark: 'ok' }] };
    // 2 * 140 - 24 px: 35 characters, enough for the whole label on one line.
    expect(`7. ${label}`.length).toBeLessThanOrEqual(room(2 * S - 24));
    expect(spans(byClass(parse(renderSvg(view)), 'label')[0]!).map((s) => s.text)).toEqual([`7. ${label}`]);
  });

  it('gives a note its column less 28 px, whatever the spacing', () => {
    // A first label word of 16 characters sets the spacing to ceil(16 * 7.3 + 24) = 141 px, so a
    // note has 113 px: 15 characters, and a 16-character word breaks after its 15th.
    const view: FlowView = {
      ...ladderView(),
      checked: false,
      rows: [
        { type: 'message', seq: 1, at: 0, from: 0, to: 1, label: 'ABCDEFGHIJKLM', kind: 'request', response: false },
        { type: 'note', at: 0, lifeline: 1, text: 'sixteen-chars-ok' },
      ],
    };
    const spacing = Math.ceil('1. ABCDEFGHIJKLM'.length * CHAR + 24);
    expect(spacing).toBe(141);
    const svg = parse(renderSvg(view));
    expect(num(byClass(svg, 'actor')[0], 'width')).toBe(spacing - 20);
    expect(room(spacing - 28)).toBe(15);
    expect(spans(byTag(byClass(svg, 'note')[0]!, 'text')[0]!).map((s) => s.text)).toEqual(['sixteen-chars-o', 'k']);
    // A lifeline name has the same 15 characters: two words of 16 take two lines.
    const named = parse(renderSvg({ ...view, lifelines: view.lifelines.map((l, i) => (i === 2 ? { ...l, name: 'ABCDEFG HIJKLMNO' } : l)) }));
    expect(spans(byClass(named, 'actor-name')[2]!).map((s) => s.text)).toEqual(['ABCDEFG ', 'HIJKLMNO']);
  });

  it('wraps words, not spaces: a run of spaces is one break, as SVG draws it', () => {
    const note = (text: string): string[] => spans(byTag(byClass(parse(renderSvg({ ...ladderView(), rows: [{ type: 'note', at: 0, lifeline: 0, text }] })), 'note')[0]!, 'text')[0]!).map((s) => s.text);
    expect(note('  routed    via   the  core  ')).toEqual(note('routed via the core'));
    expect(note('routed via the core')).toEqual(['routed via the ', 'core']);
  });

  it('wraps a long name inside its box, which grows to the most lines, the others centred', () => {
    const base = ladderView();
    const view: FlowView = { ...base, lifelines: base.lifelines.map((l, i) => (i === 2 ? { ...l, name: 'CPM Conversation Server B' } : l)), rows: [] };
    const svg = parse(renderSvg(view));
    // 112 px for a name: 15 characters.
    const lines = ['CPM ', 'Conversation ', 'Server B'];
    const height = 12 + LINE_HEIGHT * lines.length;
    expect(byClass(svg, 'actor').map((a) => num(a, 'height'))).toEqual([height, height, height]);
    const top = (n: number): number => HEADER_TOP + (height - 12 - LINE_HEIGHT * n) / 2 + 6 + 12;
    expect(byClass(svg, 'actor-name').map(spans)).toEqual([
      [{ x: centre(S, 0), y: top(1), text: 'Client A' }],
      [{ x: centre(S, 1), y: top(1), text: 'Core A' }],
      lines.map((line, k) => ({ x: centre(S, 2), y: top(3) + k * LINE_HEIGHT, text: line })),
    ]);
    expect(byClass(svg, 'lifeline').map((l) => num(l, 'y1'))).toEqual([HEADER_TOP + height, HEADER_TOP + height, HEADER_TOP + height]);
  });

  it('puts no text in the drawing outside its text, title and style elements', () => {
    // SVG draws character data only inside <text>; anywhere else it is stray markup a reader of the
    // file (or a screen reader walking the DOM) would meet.
    const drawn = new Set(['text', 'tspan', 'title', 'style']);
    const stray = (e: El): string[] => (drawn.has(e.tag) ? [] : e.children.flatMap((c) => (typeof c === 'string' ? (c.trim() === '' ? [] : [c]) : stray(c))));
    for (const standalone of [false, true]) expect(stray(parse(renderSvg(ladderView(), standalone)))).toEqual([]);
  });

  it('shades the home-network boxes in turn, so neighbouring networks stand apart', () => {
    const base = ladderView();
    const view: FlowView = {
      ...base,
      lifelines: [...base.lifelines, { name: 'Client C', hosts: ['phone.carol.c.example'], domains: [], domain: 'c.example' }],
      groups: [...base.groups, { domain: 'c.example', first: 3, last: 3 }],
      rows: [],
    };
    const boxes = byTag(byClass(parse(renderSvg(view)), 'groups')[0]!, 'rect');
    expect(boxes.map((b) => b.attrs['class'])).toEqual(['group', 'group alt', 'group']);
  });

  it('carries its own style sheet only when it stands alone', () => {
    expect(byTag(parse(renderSvg(ladderView())), 'style')).toEqual([]);
    const standalone = byTag(parse(renderSvg(ladderView(), true)), 'style');
    expect(standalone).toHaveLength(1);
    expect(text(standalone[0]!)).toContain('.msg.mark-missing .band');
  });
});

/** The declarations of the page's style rules whose selector list names `selector`. */
function styleOf(html: string, selector: string): string[] {
  const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
  return Array.from(css.matchAll(/([^{}]+)\{([^}]*)\}/g)).flatMap(([, selectors, body]) => (selectors!.split(',').map((s) => s.trim()).includes(selector) ? [body!.trim()] : []));
}

describe('the HTML report page', () => {
  it('heads the page with the run, its seed and its verdict', () => {
    const html = renderHtml(ladderView());
    expect(text(part(html, /<title>/, '</title>'))).toBe('Ladder — C.9, Figure 99');
    const header = part(html, /<header>/, '</header>');
    expect(text(byTag(header, 'h1')[0]!)).toBe('Ladder — C.9, Figure 99');
    const verdict = byClass(header, 'verdict')[0]!;
    expect(verdict.attrs['class']).toBe('verdict fail');
    expect(text(byClass(header, 'meta')[0]!)).toBe('ladder.yaml · seed 3 · ✗ differs from the figure: 2 steps missing, 1 step differs, 1 unexpected message');
    const passed = byClass(part(renderHtml({ ...ladderView(), passed: true, verdict: '6 steps as in the figure' }), /<header>/, '</header>'), 'verdict')[0]!;
    expect([passed.attrs['class'], text(passed)]).toEqual(['verdict pass', '✓ 6 steps as in the figure']);
    const unchecked = byClass(part(renderHtml({ ...ladderView(), checked: false, passed: true, verdict: 'no figure steps to check' }), /<header>/, '</header>'), 'verdict')[0]!;
    expect([unchecked.attrs['class'], text(unchecked)]).toEqual(['verdict unchecked', 'no figure steps to check']);
    // The ladder is the same drawing as the SVG of its own.
    expect(html).toContain(renderSvg(ladderView()));
  });

  it('lists every arrow and every action step of the figure, with its mark', () => {
    const body = part(renderHtml(ladderView()), /<tbody>/, '</tbody>');
    const rows = byTag(body, 'tr');
    // The plain note (no step of the figure) has no row.
    expect(rows.map((r) => [r.attrs['class'], r.attrs['data-row'], r.attrs['tabindex']])).toEqual([
      ['mark-ok', '1', '0'],
      ['mark-mismatch', '2', '0'],
      ['mark-missing', '3', '0'],
      ['action mark-missing', undefined, undefined],
      ['mark-unexpected', '4', '0'],
      ['action', undefined, undefined],
      ['mark-ok', '5', '0'],
    ]);
    expect(rows.map((r) => byTag(r, 'td').map(text))).toEqual([
      ['1', 'Client A → Core A', 'MESSAGE "Hi"', '0.001000s', '✓'],
      ['2', 'Core A → Client A', '200 OK (MESSAGE)figure: 202', '0.003000s', '✗ mismatch'],
      // A missing step never happened: no time.
      ['3', 'Server B → Server B', 'OPTIONSfigure: OPTIONS [text/plain]', '', '✗ missing'],
      ['4', 'Server B', 'deferredfigure: step 4: Server B deferred', '', '✗ missing'],
      ['', 'Server B → Core A', 'MESSAGE with a rather long text', '0.004000s', '+ unexpected'],
      ['5', 'Client A', 'shown to Alice', '0.005000s', ''],
      ['6', 'Client A → Client A', '180', '0.006000s', '✓'],
    ]);
    // Nothing but rows in the table body.
    expect(body.children.flatMap((c) => (typeof c === 'string' ? [] : c.children)).filter((c) => typeof c === 'string').join('').trim()).toBe('');
    expect(byClass(body, 'expected').map(text)).toEqual(['figure: 202', 'figure: OPTIONS [text/plain]', 'figure: step 4: Server B deferred']);
    expect(rows.map((r) => classes(byTag(r, 'td')[0]!))).toEqual(rows.map(() => ['step']));
    // Nothing but cells in a row: text between them would be drawn outside the table.
    expect(rows.flatMap((r) => r.children.filter((c) => typeof c === 'string' || c.tag !== 'td'))).toEqual([]);
  });

  it('numbers the list in order and marks nothing when there are no figure steps', () => {
    const view: FlowView = { ...ladderView(), checked: false, rows: ladderView().rows.flatMap((r) => (r.type === 'note' ? [] : [{ ...r, step: undefined, mark: undefined }] as ViewRow[])) };
    const rows = byTag(part(renderHtml(view), /<tbody>/, '</tbody>'), 'tr');
    expect(rows.map((r) => [r.attrs['class'], text(byTag(r, 'td')[0]!), text(byTag(r, 'td')[4]!)])).toEqual(['1', '2', '3', '4', '5'].map((n) => ['plain', n, '']));
    // Each panel is headed by its arrow's number in the run, as the arrow and the list show it.
    const headings = byTag(part(renderHtml(view), /<section id="detail"/, '</section>'), 'h2').map(text);
    expect(headings).toEqual(['1. MESSAGE "Hi"', '2. 200 OK (MESSAGE)', '3. OPTIONS', '4. MESSAGE with a rather long text', '5. 180']);
  });

  it('gives each arrow a hidden panel with its wire text, or what the figure expected', () => {
    const detail = part(renderHtml(ladderView()), /<section id="detail"/, '</section>');
    const articles = byTag(detail, 'article');
    expect(articles.map((a) => [a.attrs['id'], a.attrs['hidden'], a.attrs['class']])).toEqual(['1', '2', '3', '4', '5'].map((n) => [`msg-${n}`, 'true', 'message']));
    const read = (a: El): string[][] => a.children.filter((c): c is El => typeof c !== 'string').map((c) => [c.tag, c.attrs['class'] ?? '', text(c)]);
    // A panel is its heading, paragraphs and wire text, with no loose text between them.
    expect(articles.flatMap((a) => a.children.filter((c) => typeof c === 'string'))).toEqual([]);
    expect(read(articles[0]!)).toEqual([
      ['h2', '', '1. MESSAGE "Hi"'],
      ['p', 'meta', 'Client A → Core A (phone.alice.a.example → core.a.example) · sent 0.001000s, arrived 0.001500s'],
      // The wire text as sent, its CRLF line ends shown as lines.
      ['pre', 'wire', 'MESSAGE sip:bob@b.example SIP/2.0\nCall-ID: c1\n\nHi'],
    ]);
    // Without hosts or an arrival time, the panel says only what it knows.
    expect(read(articles[1]!)).toEqual([
      ['h2', '', '2. 200 OK (MESSAGE) ✗ figure: 202'],
      ['p', 'meta', 'Core A → Client A · sent 0.003000s'],
      ['p', 'expected', 'The figure expects step 2: Core A -> Client A 202'],
      ['pre', 'wire', 'SIP/2.0 200 OK\nCSeq: 1 MESSAGE\n\n'],
    ]);
    expect(read(articles[2]!)).toEqual([
      ['h2', '', '3. ✗ missing: OPTIONS [text/plain]'],
      ['p', 'expected', 'This step of the figure never happened: step 3: Server B -> Server B OPTIONS [text/plain]'],
    ]);
    expect(read(articles[3]!)).toEqual([
      ['h2', '', '+ MESSAGE with a rather long text (not in the figure)'],
      ['p', 'meta', 'Server B → Core A (cs.b.example → core.a.example) · sent 0.004000s, arrived 0.004200s'],
      ['p', 'expected', 'The figure has no step for this message.'],
      ['pre', 'wire', 'MESSAGE sip:alice@a.example SIP/2.0\n\n'],
    ]);
    expect(read(articles[4]!)[0]).toEqual(['h2', '', '6. 180']);
    // One host known is not a route: the panel leaves both out.
    const oneHost = part(renderHtml({ ...ladderView(), rows: [{ ...(ladderView().rows[0] as ViewMessage), toHost: undefined }] }), /<section id="detail"/, '</section>');
    expect(text(byClass(byTag(oneHost, 'article')[0]!, 'meta')[0]!)).toBe('Client A → Core A · sent 0.001000s, arrived 0.001500s');
    // The page is written with LF line ends only, the wire text too (HTML reads CRLF as LF anyway).
    expect(renderHtml(ladderView())).not.toContain('\r');
  });

  it('colours the marks: green for a match, red for a failure, amber for an unexpected message', () => {
    const html = renderHtml(ladderView());
    const svg = part(html, /<svg /, '</svg>');
    const marked = (mark: string): El => byClass(svg, `mark-${mark}`).find((e) => classes(e).includes('msg'))!;
    for (const mark of ['ok', 'mismatch', 'missing', 'unexpected']) expect(byClass(marked(mark), 'mark-text')).toHaveLength(1);
    expect(styleOf(html, '.msg.mark-ok .mark-text')).toEqual(['fill: #15803d;']);
    expect(styleOf(html, '.msg.mark-unexpected .mark-text')).toEqual(['fill: #92400e;']);
    expect(styleOf(html, '.msg.mark-missing')).toEqual(['color: #b91c1c;']);
    expect(styleOf(html, '.msg.mark-mismatch')).toEqual(['color: #b91c1c;']);
    expect(styleOf(html, '.msg.mark-missing .band')).toEqual(['fill: #fde2e2;']);
    expect(styleOf(html, '.msg.mark-unexpected .band')).toEqual(['fill: #fff3cd;']);
    // The missing note is red too, and so are the failed rows of the list.
    expect(styleOf(html, '.note.mark-missing text')).toEqual(['fill: #b91c1c; font-weight: 600;']);
    expect(styleOf(html, 'tr.mark-missing')).toEqual(['background: #fde2e2;']);
  });

  it('escapes hostile text everywhere it shows, and the reader sees it as written', () => {
    const nasty = nastyView();
    const hostile = `${NASTY.note} &amp; &#60;i&#62;`;
    const view: FlowView = {
      ...nasty,
      heading: `Title ${hostile}`,
      source: `<src> "${hostile}"`,
      groups: [{ domain: `<d> & "${NASTY.domain}"`, first: 0, last: 1 }],
      lifelines: nasty.lifelines.map((l, i) => (i === 0 ? { ...l, hosts: ['<h>&"q"'] } : l)),
      rows: nasty.rows.map((r) => (r.type === 'message' && r.seq === 2 ? { ...r, mark: 'mismatch', step: 9, expected: hostile, expectedLabel: '<202>', wire: `SIP/2.0 200 OK\r\n\r\n${hostile}` } : r)),
    };
    const html = renderHtml(view);
    // Nothing of the hostile text reaches the page as markup: `<`, `>`, `&` and quotes are references.
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<b>x</b>');
    expect(html).not.toContain('<i>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#34;q&#34; &#39;s&#39; &#38;amp; &#38;#60;i&#38;#62;');
    expect(text(part(html, /<title>/, '</title>'))).toBe(`Title ${hostile}`);
    const header = part(html, /<header>/, '</header>');
    expect(text(byTag(header, 'h1')[0]!)).toBe(`Title ${hostile}`);
    expect(text(byClass(header, 'meta')[0]!)).toContain(`<src> "${hostile}" · seed 1`);

    const svg = part(html, /<svg /, '</svg>');
    expect(byTag(svg, 'svg')[0]!.attrs['aria-label']).toBe(`Sequence diagram: Title ${hostile}`);
    expect(text(byClass(svg, 'group-title')[0]!)).toBe(`<d> & "${NASTY.domain}"`);
    expect(text(byTag(byClass(svg, 'participant')[0]!, 'title')[0]!)).toBe('<h>&"q"');
    expect(text(byClass(svg, 'actor-name')[0]!)).toBe(NASTY.lifeline);
    expect(text(byClass(svg, 'note')[0]!)).toBe(NASTY.note);
    const arrows = byClass(svg, 'msg');
    expect(text(byClass(arrows[0]!, 'label')[0]!)).toBe(`1. ${NASTY.label}`);
    expect(arrows[0]!.attrs['aria-label']).toBe(`1. ${NASTY.label}, ${NASTY.lifeline} to Core`);

    const cells = byTag(part(html, /<tbody>/, '</tbody>'), 'tr').map((r) => byTag(r, 'td').map(text));
    expect(cells[0]!.slice(1, 3)).toEqual([`${NASTY.lifeline} → Core`, NASTY.label]);
    expect(cells[1]!.slice(1, 3)).toEqual([`Core → ${NASTY.lifeline}`, '200 OK; <done> #1figure: <202>']);

    const detail = part(html, /<section id="detail"/, '</section>');
    expect(text(byTag(detail, 'pre')[0]!)).toBe('MESSAGE sip:x SIP/2.0\n\n<b>not bold</b>');
    const second = byTag(detail, 'article')[1]!;
    expect(text(byTag(second, 'h2')[0]!)).toBe('9. 200 OK; <done> #1 ✗ figure: <202>');
    expect(text(byClass(second, 'expected')[0]!)).toBe(`The figure expects ${hostile}`);
    expect(text(byClass(second, 'meta')[0]!)).toBe(`Core → ${NASTY.lifeline} · sent 0.000002s`);
    expect(text(byTag(second, 'pre')[0]!)).toBe(`SIP/2.0 200 OK\n\n${hostile}`);
    expect(text(byClass(byTag(detail, 'article')[2]!, 'expected')[0]!)).toBe('This step of the figure never happened: step 2: Core -> Other BYE');
  });

  it('reads a bundled run the same way: one arrow, one list row and one panel per message', () => {
    const view = viewOf(fig16());
    const html = renderHtml(view);
    const messages = view.rows.filter((r) => r.type === 'message');
    const svg = part(html, /<svg /, '</svg>');
    expect(byClass(svg, 'msg')).toHaveLength(messages.length);
    expect(byTag(part(html, /<tbody>/, '</tbody>'), 'tr').filter((r) => r.attrs['data-row'] !== undefined)).toHaveLength(messages.length);
    expect(byTag(part(html, /<section id="detail"/, '</section>'), 'article').map((a) => a.attrs['id'])).toEqual(messages.map((_, i) => `msg-${i + 1}`));
  });
});

describe('renderHtml', () => {
  it('is one self-contained file: nothing to fetch, everything inline', () => {
    const html = renderHtml(viewOf(fig16()));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    // The only URL is the SVG namespace, which is a name, not a fetch.
    expect(html.match(/\bhttps?:\/\/[^\s"']+/g)).toEqual(['http://www.w3.org/2000/svg']);
    expect(html).not.toMatch(/<link[^>]+stylesheet|<script[^>]+src=|<img\b|@import|url\(['"]?(?!#)/);
    expect(html).toContain("content=\"default-src 'none'");
  });

  it('escapes names, labels, notes and wire text', () => {
    const html = renderHtml(nastyView());
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<b>not bold</b>');
    // The note's long word is broken over two lines of its column, each piece escaped.
    expect(html).toContain('&#60;script&#62;');
    expect(html).toContain('&#60;/script&#62;');
  });

  it('is the same bytes for the same run', () => {
    expect(renderHtml(viewOf(fig16()))).toBe(renderHtml(viewOf(fig16())));
  });
});
