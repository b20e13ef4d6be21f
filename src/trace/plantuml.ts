/**
 * PlantUML sequence diagram of a run: the same picture as the Mermaid output, for tool chains and
 * documents built on PlantUML (it also renders the SVG in the README).
 */
import { arrowText, noteText, type FlowView, type ViewMessage } from './view.js';

/** Characters that Creole markup doubles (`**bold**`, `//italic//`, `--strike--`, `""mono""`, `[[link]]`). */
const DOUBLED_MARKUP = new Set(['*', '/', '"', '-', '_', '[', ']']);
/** Characters that start markup on their own: escapes, tags, entities and `\n` line breaks. */
const SINGLE_MARKUP = new Set(['\\', '<', '>', '~', '&']);

const unicode = (c: string): string => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`;

/**
 * Text as PlantUML prints it literally: a character that could open Creole markup becomes a
 * `<U+XXXX>` escape, while ordinary text (`SIP/IP Core A`) stays readable in the source.
 */
function text(s: string): string {
  const chars = Array.from(s);
  return chars
    .map((c, i) => {
      if (SINGLE_MARKUP.has(c)) return unicode(c);
      if (DOUBLED_MARKUP.has(c) && (chars[i - 1] === c || chars[i + 1] === c)) return unicode(c);
      return c;
    })
    .join('');
}

/** A quoted name: quotes inside it are escaped too. */
function quoted(s: string): string {
  return `"${text(s).replace(/"/g, unicode('"'))}"`;
}

const id = (lifeline: number): string => `L${lifeline}`;

const BOX_TINTS = ['#EEF2FA', '#F8F3E8'];
const FAILURE = '#C62828';
const UNEXPECTED = '#B26A00';

function colour(row: ViewMessage): string | undefined {
  if (row.mark === 'missing' || row.mark === 'mismatch') return FAILURE;
  if (row.mark === 'unexpected') return UNEXPECTED;
  return undefined;
}

function message(row: ViewMessage): string {
  const c = colour(row);
  const shaft = `-${c === undefined ? '' : `[${c}]`}${row.response ? '-' : ''}>`;
  // A missing step never arrived: the arrow ends in a cross.
  const head = row.mark === 'missing' ? `${shaft}x` : shaft;
  const label = text(arrowText(row, false));
  return `${id(row.from)} ${head} ${id(row.to)} : ${c === undefined ? label : `<color:${c}><b>${label}</b></color>`}`;
}

export function renderPlantUml(view: FlowView): string {
  const out = ['@startuml', `title ${text(view.heading)}`, 'hide footbox'];
  if (!view.checked) out.push('autonumber');

  view.lifelines.forEach((l, i) => {
    const group = view.groups.findIndex((g) => g.first <= i && i <= g.last);
    const g = view.groups[group];
    if (g?.first === i) out.push(`box ${quoted(g.domain)} ${BOX_TINTS[group % BOX_TINTS.length]}`);
    out.push(`participant ${quoted(l.name)} as ${id(i)}`);
    if (g?.last === i) out.push('end box');
  });

  for (const row of view.rows) {
    if (row.type === 'note') {
      const note = text(noteText(row));
      out.push(`note over ${id(row.lifeline)} : ${row.mark === 'missing' ? `<color:${FAILURE}><b>${note}</b></color>` : note}`);
    }
    else out.push(message(row));
  }
  out.push('@enduml');
  return `${out.join('\n')}\n`;
}
