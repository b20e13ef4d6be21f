/**
 * Mermaid `sequenceDiagram` of a run: the figure's lifelines as participants boxed per home
 * network, one arrow per message numbered as in the figure, notes over their lifeline, and the
 * steps that went wrong drawn on a tinted background.
 */
import { arrowText, noteText, type FlowView, type ViewMessage } from './view.js';

/**
 * Mermaid reads `#` and `;` as statement syntax, and `<`/`>` as HTML; it decodes `#name;` and
 * `#code;` entities itself when drawing, so those characters travel as entities. Participant
 * aliases also stop at `:`, `,` and `@`.
 */
function text(s: string): string {
  return s.replace(/[#;<>&]/g, (c) => `#${c.charCodeAt(0)};`);
}

function alias(s: string): string {
  return s.replace(/[#;<>&:,@]/g, (c) => `#${c.charCodeAt(0)};`);
}

const id = (lifeline: number): string => `L${lifeline}`;

/** Home-network boxes alternate between two pale tints so neighbouring networks stay apart. */
const BOX_TINTS = ['rgb(238, 242, 250)', 'rgb(248, 243, 232)'];
const FAILURE_TINT = 'rgb(255, 226, 226)';
const UNEXPECTED_TINT = 'rgb(255, 243, 205)';

function arrow(row: ViewMessage): string {
  if (row.mark === 'missing') return row.response ? '--x' : '-x';
  return row.response ? '-->>' : '->>';
}

function tint(row: ViewMessage): string | undefined {
  if (row.mark === 'missing' || row.mark === 'mismatch') return FAILURE_TINT;
  if (row.mark === 'unexpected') return UNEXPECTED_TINT;
  return undefined;
}

export function renderMermaid(view: FlowView): string {
  // Mermaid starts its title at the middle of the diagram, so a long one runs off the right edge
  // (Figure 20's did): the title names the figure, and the scenario's own title goes in a note
  // across every lifeline, which Mermaid sizes to its text.
  const short = view.figureRef ?? view.heading;
  const out = ['sequenceDiagram', `    title ${text(short)}`];
  // Without figure steps Mermaid numbers the arrows itself.
  if (!view.checked) out.push('    autonumber');

  view.lifelines.forEach((l, i) => {
    const group = view.groups.findIndex((g) => g.first <= i && i <= g.last);
    const g = view.groups[group];
    // An explicit colour first: Mermaid would read a domain such as `red.example` as one.
    if (g?.first === i) out.push(`    box ${BOX_TINTS[group % BOX_TINTS.length]} ${text(g.domain)}`);
    out.push(`${g === undefined ? '    ' : '        '}participant ${id(i)} as ${alias(l.name)}`);
    if (g?.last === i) out.push('    end');
  });

  if (view.figureRef !== undefined && view.title !== undefined) {
    const span = view.lifelines.length === 1 ? id(0) : `${id(0)},${id(view.lifelines.length - 1)}`;
    out.push(`    Note over ${span}: ${text(view.title)}`);
  }
  for (const row of view.rows) {
    if (row.type === 'note') {
      const note = `Note over ${id(row.lifeline)}: ${text(noteText(row))}`;
      if (row.mark === 'missing') out.push(`    rect ${FAILURE_TINT}`, `        ${note}`, '    end');
      else out.push(`    ${note}`);
      continue;
    }
    const line = `${id(row.from)}${arrow(row)}${id(row.to)}: ${text(arrowText(row, false))}`;
    const background = tint(row);
    if (background === undefined) out.push(`    ${line}`);
    else out.push(`    rect ${background}`, `        ${line}`, '    end');
  }
  return `${out.join('\n')}\n`;
}
