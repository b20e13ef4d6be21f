/**
 * One self-contained HTML page per run: an SVG ladder in the style of the figure, the step list
 * beside it, and a panel that shows the full wire text of the arrow or step clicked. Everything is
 * inline, so the file works offline and can be mailed or attached to an issue as it is.
 */
import { formatTime } from '../kernel/time.js';
import { cellWidth, chop } from './cells.js';
import { HTML_SCRIPT, HTML_STYLE, KIND_COLOURS, SVG_STYLE } from './html-assets.js';
import type { RowMark } from './ladder.js';
import { arrowText, noteText, type FlowView, type ViewMessage, type ViewNote } from './view.js';

const MARK_TEXT: Record<RowMark, string> = {
  ok: '✓',
  missing: '✗ missing',
  mismatch: '✗ mismatch',
  unexpected: '+ unexpected',
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Width of a character of the 12px monospace the SVG text uses, to lay out without a browser. */
const CHAR = 7.3;
const PAD = 16;
/**
 * Lifelines stand this far apart whatever the text: labels and notes wrap inside their columns
 * instead of pushing them apart, so seven lifelines fit a 900 px window when zoomed to fit.
 */
const MIN_SPACING = 140;
const ROW_HEIGHT = 38;
const NOTE_HEIGHT = 30;
const LINE_HEIGHT = 16;
/** Room right of the last lifeline for the marks (`✗ mismatch`). */
const MARK_GUTTER = 110;
/** Width of a self loop, the only arrow a missing step from a lifeline to itself can be. */
const LOOP = 34;

const width = (s: string): number => cellWidth(s) * CHAR;
const px = (n: number): string => String(Math.round(n));

/**
 * Word wrap to `max` px; a word wider than that is broken, not cut, since the page must keep all
 * of the text. A line that ends between two words keeps its space, so the text read back from
 * the drawing (or copied from it) is the text itself.
 */
function wrapWords(text: string, max: number): string[] {
  const room = Math.max(1, Math.floor(max / CHAR));
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const pieces = chop(word, room);
    pieces.forEach((piece, i) => {
      const joined = i === 0 && current !== '' ? `${current} ${piece}` : piece;
      if (i === 0 && current !== '' && cellWidth(joined) > room) {
        lines.push(`${current} `);
        current = piece;
      } else if (i > 0) {
        lines.push(current);
        current = piece;
      } else current = joined;
    });
  }
  return [...lines, current];
}

interface Layout {
  spacing: number;
  names: string[][];
  x: (lifeline: number) => number;
  headerTop: number;
  headerHeight: number;
  firstRow: number;
}

/** Columns as wide as the longest word of a name or of a label needs, and no wider. */
function layout(view: FlowView): Layout {
  let spacing = MIN_SPACING;
  for (const l of view.lifelines) for (const word of l.name.split(/\s+/)) spacing = Math.max(spacing, width(word) + 28);
  for (const row of view.rows) {
    if (row.type === 'message' && row.from !== row.to) {
      const first = arrowLabel(row, view).split(/\s+/).slice(0, 2).join(' ');
      spacing = Math.max(spacing, (width(first) + 24) / Math.abs(row.to - row.from));
    }
  }
  spacing = Math.ceil(spacing);
  const names = view.lifelines.map((l) => wrapWords(l.name, spacing - 28));
  const headerTop = PAD + 24;
  const headerHeight = 12 + LINE_HEIGHT * Math.max(1, ...names.map((n) => n.length));
  return { spacing, names, x: (i) => PAD + spacing * i + spacing / 2, headerTop, headerHeight, firstRow: headerTop + headerHeight + 30 };
}

/** The lines of an arrow's label: between its end lifelines, or right of a self loop. */
function labelLines(row: ViewMessage, view: FlowView, l: Layout): string[] {
  const room = row.from === row.to ? l.spacing - LOOP - 24 : Math.abs(row.to - row.from) * l.spacing - 24;
  return wrapWords(arrowLabel(row, view), room);
}

/** The note's text with its step number (and a missing step said in words), wrapped to its column. */
function noteLines(row: ViewNote, l: Layout): string[] {
  return wrapWords(noteText(row), l.spacing - 28);
}

function tspans(lines: string[], x: number, y: number): string {
  return lines.map((line, k) => `<tspan${attrs({ x: px(x), y: px(y + k * LINE_HEIGHT) })}>${escapeHtml(line)}</tspan>`).join('');
}

/** The marks have a column of their own beside the ladder, so the arrows carry number and label only. */
function arrowLabel(row: ViewMessage, view: FlowView): string {
  return arrowText(row, !view.checked, false);
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${escapeHtml(String(v))}"`)
    .join('');
}

function markers(): string {
  const heads = Object.keys(KIND_COLOURS).map(
    (kind) => `<marker id="head-${kind}" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>`,
  );
  const cross = '<marker id="cross" viewBox="0 0 10 10" refX="5" refY="5" markerUnits="userSpaceOnUse" markerWidth="12" markerHeight="12" orient="auto"><path d="M1,1 L9,9 M9,1 L1,9"/></marker>';
  return `<defs>${heads.join('')}${cross}</defs>`;
}

function messageSvg(row: ViewMessage, view: FlowView, l: Layout, y: number, fullWidth: number): string {
  const names = view.lifelines.map((x) => x.name);
  const label = arrowLabel(row, view);
  const lines = labelLines(row, view, l);
  // Extra label lines push the arrow down; the band grows to cover them.
  const extra = (lines.length - 1) * LINE_HEIGHT;
  const classes = ['msg', `kind-${row.kind}`, row.response ? 'response' : 'request', ...(row.mark === undefined ? [] : [`mark-${row.mark}`])];
  const head = row.mark === 'missing' ? 'url(#cross)' : `url(#head-${row.kind})`;
  const from = l.x(row.from);
  const to = l.x(row.to);
  const parts = [`<rect class="band"${attrs({ x: 0, y: px(y - 17), width: px(fullWidth), height: 34 + extra })}/>`];
  if (row.from === row.to) {
    parts.push(`<path class="shaft"${attrs({ d: `M${px(from)},${px(y - 3)} h${LOOP} v${14 + extra} h-${LOOP - 1}`, 'marker-end': head })}/>`);
    parts.push(`<text class="loop-label">${tspans(lines, from + LOOP + 8, y + 6)}</text>`);
  } else {
    const dir = Math.sign(to - from);
    parts.push(`<line class="shaft"${attrs({ x1: px(from + dir), y1: px(y + 9 + extra), x2: px(to - dir), y2: px(y + 9 + extra), 'marker-end': head })}/>`);
    parts.push(`<text class="label">${tspans(lines, (from + to) / 2, y + 2)}</text>`);
  }
  if (row.mark !== undefined) {
    parts.push(`<text class="mark-text"${attrs({ x: px(PAD + l.spacing * view.lifelines.length + 8), y: px(y + 6) })}>${escapeHtml(MARK_TEXT[row.mark])}</text>`);
  }
  const aria = `${label}, ${names[row.from]} to ${names[row.to]}`;
  return `<g${attrs({ class: classes.join(' '), 'data-row': row.seq, tabindex: 0, role: 'button', 'aria-label': aria })}>${parts.join('')}</g>`;
}

function noteSvg(row: ViewNote, l: Layout, y: number): string {
  const lines = noteLines(row, l);
  const w = Math.max(...lines.map(width)) + 16;
  const x = l.x(row.lifeline);
  const h = 22 + (lines.length - 1) * LINE_HEIGHT;
  const classes = row.mark === 'missing' ? 'note mark-missing' : 'note';
  return `<g class="${classes}"><rect${attrs({ x: px(x - w / 2), y: px(y - 14), width: px(w), height: h, rx: 3 })}/><text>${tspans(lines, x, y + 1)}</text></g>`;
}

/** An action step of the figure in the steps table: the entity's note, not clickable (it has no wire text). */
function actionCells(row: ViewNote, view: FlowView): string {
  return [
    `<td class="step">${row.step ?? ''}</td>`,
    `<td>${escapeHtml(view.lifelines[row.lifeline]?.name ?? '')}</td>`,
    `<td>${escapeHtml(row.text)}${row.mark === 'missing' ? `<div class="expected">figure: ${escapeHtml(row.expected ?? '')}</div>` : ''}</td>`,
    `<td class="time">${row.mark === 'missing' ? '' : formatTime(row.at)}</td>`,
    `<td class="mark">${row.mark === 'missing' ? escapeHtml(MARK_TEXT.missing) : ''}</td>`,
  ].join('');
}

/** The ladder alone; with `standalone`, it carries its own style sheet to be a file of its own. */
export function renderSvg(view: FlowView, standalone = false): string {
  const l = layout(view);
  const count = view.lifelines.length;
  const fullWidth = PAD * 2 + l.spacing * count + MARK_GUTTER;
  const rows: string[] = [];
  let y = l.firstRow;
  for (const row of view.rows) {
    if (row.type === 'note') {
      rows.push(noteSvg(row, l, y));
      y += NOTE_HEIGHT + (noteLines(row, l).length - 1) * LINE_HEIGHT;
    } else {
      rows.push(messageSvg(row, view, l, y, fullWidth));
      y += ROW_HEIGHT + (labelLines(row, view, l).length - 1) * LINE_HEIGHT;
    }
  }
  const bottom = y - 8;
  const height = bottom + PAD + 8;

  const groups = view.groups.map((g, i) => {
    const left = l.x(g.first) - l.spacing / 2 + 4;
    const box = attrs({ class: i % 2 === 0 ? 'group' : 'group alt', x: px(left), y: PAD, width: px((g.last - g.first + 1) * l.spacing - 8), height: px(bottom + 8 - PAD), rx: 6 });
    return `<rect${box}/><text${attrs({ class: 'group-title', x: px(left + 8), y: PAD + 15 })}>${escapeHtml(g.domain)}</text>`;
  });

  const lifelines = view.lifelines.map((lifeline, i) => {
    const x = l.x(i);
    const hosts = [...lifeline.hosts, ...lifeline.domains.map((d) => `*@${d}`)].join(', ');
    const lines = l.names[i] ?? [];
    const top = l.headerTop + (l.headerHeight - 12 - LINE_HEIGHT * lines.length) / 2 + 6 + 12;
    const name = tspans(lines, x, top);
    return (
      `<line class="lifeline"${attrs({ x1: px(x), y1: px(l.headerTop + l.headerHeight), x2: px(x), y2: px(bottom) })}/>` +
      `<g class="participant"><title>${escapeHtml(hosts)}</title>` +
      `<rect class="actor"${attrs({ x: px(x - (l.spacing - 20) / 2), y: l.headerTop, width: px(l.spacing - 20), height: l.headerHeight, rx: 4 })}/>` +
      `<text class="actor-name">${name}</text></g>`
    );
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg"${attrs({ viewBox: `0 0 ${px(fullWidth)} ${px(height)}`, width: px(fullWidth), height: px(height), role: 'group', 'aria-label': `Sequence diagram: ${view.heading}` })}>`,
    ...(standalone ? [`<style>${SVG_STYLE}</style>`] : []),
    markers(),
    `<g class="groups">${groups.join('')}</g>`,
    `<g class="lifelines">${lifelines.join('')}</g>`,
    `<g class="rows">`,
    ...rows,
    '</g>',
    '</svg>',
  ].join('\n');
}

function stepCells(row: ViewMessage, view: FlowView): string {
  const names = view.lifelines.map((x) => x.name);
  const number = row.step ?? (view.checked ? '' : row.seq);
  const expected = row.mark === 'missing' || row.mark === 'mismatch' ? `<div class="expected">figure: ${escapeHtml(row.expectedLabel ?? '')}</div>` : '';
  return [
    `<td class="step">${number}</td>`,
    `<td>${escapeHtml(`${names[row.from]} → ${names[row.to]}`)}</td>`,
    `<td>${escapeHtml(row.label)}${expected}</td>`,
    `<td class="time">${row.mark === 'missing' ? '' : formatTime(row.at)}</td>`,
    `<td class="mark">${row.mark === undefined ? '' : escapeHtml(MARK_TEXT[row.mark])}</td>`,
  ].join('');
}

function detail(row: ViewMessage, view: FlowView): string {
  const names = view.lifelines.map((x) => x.name);
  const title = arrowText(row, !view.checked);
  const route = `${names[row.from]} → ${names[row.to]}`;
  const lines: string[] = [`<h2>${escapeHtml(title)}</h2>`];
  if (row.mark === 'missing') {
    lines.push(`<p class="expected">This step of the figure never happened: ${escapeHtml(row.expected ?? '')}</p>`);
  } else {
    const times = `sent ${formatTime(row.at)}${row.arriveAt === undefined ? '' : `, arrived ${formatTime(row.arriveAt)}`}`;
    const hosts = row.fromHost === undefined || row.toHost === undefined ? '' : ` (${row.fromHost} → ${row.toHost})`;
    lines.push(`<p class="meta">${escapeHtml(`${route}${hosts} · ${times}`)}</p>`);
    if (row.mark === 'mismatch') lines.push(`<p class="expected">The figure expects ${escapeHtml(row.expected ?? '')}</p>`);
    if (row.mark === 'unexpected') lines.push('<p class="expected">The figure has no step for this message.</p>');
    lines.push(`<pre class="wire">${escapeHtml((row.wire ?? '').replace(/\r\n/g, '\n'))}</pre>`);
  }
  return `<article${attrs({ class: 'message', id: `msg-${row.seq}` })} hidden>${lines.join('')}</article>`;
}

export function renderHtml(view: FlowView): string {
  const messages = view.rows.filter((r): r is ViewMessage => r.type === 'message');
  const verdictClass = !view.checked ? 'unchecked' : view.passed ? 'pass' : 'fail';
  const verdictMark = view.checked ? (view.passed ? '✓ ' : '✗ ') : '';
  const list = view.rows.flatMap((row) => {
    if (row.type === 'note') return row.step === undefined ? [] : [`<tr${attrs({ class: row.mark === 'missing' ? 'action mark-missing' : 'action' })}>${actionCells(row, view)}</tr>`];
    return [`<tr${attrs({ class: row.mark === undefined ? 'plain' : `mark-${row.mark}`, 'data-row': row.seq, tabindex: 0 })}>${stepCells(row, view)}</tr>`];
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cpmsim">
<link rel="icon" href="data:,">
<title>${escapeHtml(view.heading)}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(view.heading)}</h1>
<p class="meta">${escapeHtml(view.source)} · seed ${view.seed} · <span class="verdict ${verdictClass}">${escapeHtml(verdictMark + view.verdict)}</span></p>
<p class="legend">Solid arrow: request · dashed: response · <span class="failure">✗</span> missing or different from the figure · + not in the figure. Click an arrow or a step to see its message.</p>
</header>
<main>
<section class="ladder fit" aria-label="Sequence diagram">
<p class="zoom"><button type="button" id="zoom" aria-pressed="true">Actual size</button></p>
${renderSvg(view)}
</section>
<aside class="steps" aria-label="Steps">
<h2>Steps</h2>
<table>
<thead><tr><th>#</th><th>From → To</th><th>Message</th><th>Time</th><th>Mark</th></tr></thead>
<tbody>
${list.join('\n')}
</tbody>
</table>
</aside>
</main>
<section id="detail" aria-live="polite">
<p id="detail-hint" class="meta">Click an arrow or a step to see the message as it went on the wire.</p>
${messages.map((row) => detail(row, view)).join('\n')}
</section>
<script>${HTML_SCRIPT}</script>
</body>
</html>
`;
}
