/**
 * The style sheet and script inlined into every HTML report, so the file opens anywhere with no
 * network (its Content-Security-Policy forbids any fetch).
 */
import type { MessageKind } from './describe.js';

/** Arrow colours by message kind, as in the terminal ladder's palette. */
export const KIND_COLOURS: Record<MessageKind, string> = {
  request: '#1d4ed8',
  notification: '#7e22ce',
  success: '#15803d',
  provisional: '#6b7280',
  redirect: '#b45309',
  error: '#b91c1c',
};

const FAILURE_COLOUR = '#b91c1c';

const kindRules = Object.entries(KIND_COLOURS)
  .map(([kind, colour]) => `.kind-${kind} { color: ${colour}; }\n#head-${kind} path { fill: ${colour}; }`)
  .join('\n');

export const HTML_STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2937; background: #fff; }
header { padding: 12px 20px; border-bottom: 1px solid #e5e7eb; }
h1 { font-size: 18px; margin: 0 0 4px; }
.meta { color: #4b5563; margin: 0; }
.legend { color: #6b7280; font-size: 12px; margin: 4px 0 0; }
.verdict.pass { color: #15803d; font-weight: 600; }
.verdict.fail { color: ${FAILURE_COLOUR}; font-weight: 600; }
main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(320px, 38%); align-items: start; }
.ladder { overflow: auto; padding: 8px; border-right: 1px solid #e5e7eb; }
.zoom { margin: 0 0 4px; }
.zoom button { font: inherit; font-size: 12px; padding: 2px 8px; }
.ladder.fit svg { max-width: 100%; height: auto; }
.steps { overflow: auto; padding: 8px 12px; }
.steps h2, #detail h2 { font-size: 15px; margin: 4px 0 8px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eef0f3; vertical-align: top; }
th { color: #4b5563; font-weight: 600; }
td.time { font-variant-numeric: tabular-nums; white-space: nowrap; }
td.mark { white-space: nowrap; }
tr[data-row] { cursor: pointer; }
tr[data-row]:hover { background: #f1f5f9; }
tr.mark-missing, tr.mark-mismatch { background: #fde2e2; }
tr.mark-unexpected { background: #fff3cd; }
tr.mark-missing td.mark, tr.mark-mismatch td.mark { color: ${FAILURE_COLOUR}; font-weight: 600; }
tr.mark-unexpected td.mark { color: #92400e; font-weight: 600; }
tr.mark-ok td.mark { color: #15803d; }
tr.selected { outline: 2px solid #2563eb; outline-offset: -2px; }
.expected { color: #7f1d1d; font-size: 12px; }
.failure { color: ${FAILURE_COLOUR}; font-weight: 600; }
#detail { position: sticky; bottom: 0; max-height: 45vh; overflow: auto; background: #f8fafc; border-top: 2px solid #cbd5e1; padding: 8px 20px 12px; }
#detail p { margin: 0 0 6px; }
pre.wire { font: 12px/1.35 ui-monospace, "DejaVu Sans Mono", Menlo, monospace; white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; padding: 8px; background: #fff; border: 1px solid #e5e7eb; }
svg text { font: 12px ui-monospace, "DejaVu Sans Mono", Menlo, monospace; }
.group { fill: #eef2fa; stroke: #c7d2e5; }
.group.alt { fill: #f8f3e8; stroke: #e5d6b8; }
.group-title { font-weight: bold; fill: #475569; }
.actor { fill: #fff; stroke: #334155; stroke-width: 1.2; }
.actor-name { text-anchor: middle; font-weight: bold; fill: #111827; }
.lifeline { stroke: #94a3b8; stroke-dasharray: 4 4; }
.msg { cursor: pointer; outline: none; }
.band { fill: transparent; }
.msg:hover .band { fill: #f1f5f9; }
.msg.mark-missing .band, .msg.mark-mismatch .band { fill: #fde2e2; }
.msg.mark-unexpected .band { fill: #fff3cd; }
.msg.selected .band { fill: #dbeafe; }
.msg:focus-visible .band { stroke: #2563eb; stroke-width: 1.5; }
.shaft { stroke: currentColor; stroke-width: 1.5; fill: none; }
.response .shaft { stroke-dasharray: 6 4; }
.label { fill: currentColor; text-anchor: middle; }
.loop-label { fill: currentColor; }
.mark-text { font-weight: bold; }
${kindRules}
.msg.mark-missing, .msg.mark-mismatch { color: ${FAILURE_COLOUR}; }
.msg.mark-missing .shaft { stroke-dasharray: 3 3; }
.msg.mark-ok .mark-text { fill: #15803d; }
.msg.mark-unexpected .mark-text { fill: #92400e; }
#cross path { stroke: ${FAILURE_COLOUR}; stroke-width: 2; }
.note rect { fill: #fefce8; stroke: #ca8a04; }
.note text { fill: #713f12; text-anchor: middle; }
.note.mark-missing rect { fill: #fde2e2; stroke: ${FAILURE_COLOUR}; stroke-dasharray: 3 3; }
.note.mark-missing text { fill: ${FAILURE_COLOUR}; font-weight: 600; }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } .ladder { border-right: none; } }
`;

/** The rules the SVG ladder needs, for an SVG file that stands alone (no page around it). */
export const SVG_STYLE = HTML_STYLE.split('\n')
  .filter((rule) => /^(svg|\.group|\.actor|\.lifeline|\.msg|\.band|\.shaft|\.response|\.label|\.loop-label|\.mark-text|\.kind-|#head-|#cross|\.note)/.test(rule))
  .join('\n');

/**
 * Selecting an arrow or a step row shows its message in the detail panel and highlights it in
 * both places; Enter/Space select the focused one and the arrow keys walk the flow.
 */
export const HTML_SCRIPT = `
(() => {
  'use strict';
  const hint = document.getElementById('detail-hint');
  let shown = null;
  function select(row, origin) {
    for (const el of document.querySelectorAll('.selected')) el.classList.remove('selected');
    for (const el of document.querySelectorAll('[data-row="' + row + '"]')) {
      el.classList.add('selected');
      if (el !== origin) el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
    if (shown !== null) shown.hidden = true;
    shown = document.getElementById('msg-' + row);
    if (shown !== null) shown.hidden = false;
    hint.hidden = shown !== null;
  }
  // Zoom to fit: the ladder is scaled to its column (the default) or shown at actual size.
  const zoom = document.getElementById('zoom');
  const ladder = document.querySelector('.ladder');
  zoom.addEventListener('click', () => {
    const fit = ladder.classList.toggle('fit');
    zoom.textContent = fit ? 'Actual size' : 'Zoom to fit';
    zoom.setAttribute('aria-pressed', String(fit));
  });
  function rowOf(event) {
    return event.target instanceof Element ? event.target.closest('[data-row]') : null;
  }
  document.addEventListener('click', (event) => {
    const el = rowOf(event);
    if (el !== null) select(el.getAttribute('data-row'), el);
  });
  document.addEventListener('keydown', (event) => {
    const el = rowOf(event);
    if (el === null) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      select(el.getAttribute('data-row'), el);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const peers = Array.from(el.parentElement.children).filter((p) => p.hasAttribute('data-row'));
      const next = peers[peers.indexOf(el) + (event.key === 'ArrowDown' ? 1 : -1)];
      if (next === undefined) return;
      event.preventDefault();
      next.focus();
      select(next.getAttribute('data-row'), next);
    }
  });
})();
`;
