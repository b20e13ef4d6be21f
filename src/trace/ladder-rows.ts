import { serializeMessage } from '../sip/serializer.js';
import { describeMessage, messageKind } from './describe.js';
import type { Alignment, ExpectedStep } from './expectations.js';
import type { LadderRow, NoteRow } from './ladder.js';
import type { Projection, ProjectedMessage } from './projection.js';

/** How the figure's step reads, for a reader comparing it with what happened. */
export function describeStep(step: ExpectedStep, lifelines: string[]): string {
  const what = step.request ?? String(step.response);
  const body = step.body === undefined ? '' : ` [${step.body}]`;
  return `step ${step.n}: ${lifelines[step.from]} -> ${lifelines[step.to]} ${what}${body}`;
}

function messageRow(actual: ProjectedMessage, wire: boolean): LadderRow {
  return {
    at: actual.at,
    from: actual.from,
    to: actual.to,
    label: describeMessage(actual.message),
    kind: messageKind(actual.message),
    ...(wire ? { wire: serializeMessage(actual.message) } : {}),
  };
}

/**
 * Ladder rows for a matched run: each message marked against its figure step, missing steps
 * drawn where they should have been, and the entities' notes interleaved in event order.
 */
export function ladderRows(alignment: Alignment[], projection: Projection, lifelines: string[], wire: boolean): (LadderRow | NoteRow)[] {
  const rows: { order: number; row: LadderRow | NoteRow }[] = [];
  let order = 0;
  let at = 0;
  for (const a of alignment) {
    if (a.kind === 'missing') {
      const s = a.step;
      rows.push({
        order,
        row: { step: String(s.n), at, from: s.from, to: s.to, label: s.request ?? String(s.response), kind: 'request', mark: 'missing', expected: describeStep(s, lifelines) },
      });
      continue;
    }
    order = a.actual.eventId;
    at = a.actual.at;
    const row = messageRow(a.actual, wire);
    if (a.kind === 'unexpected') rows.push({ order, row: { ...row, mark: 'unexpected' } });
    else rows.push({ order, row: { ...row, step: String(a.step.n), mark: a.kind, ...(a.kind === 'mismatch' ? { expected: describeStep(a.step, lifelines) } : {}) } });
  }
  for (const n of projection.notes) rows.push({ order: n.eventId, row: { note: n.text, at: n.at, lifeline: n.lifeline } });
  // A stable sort keeps missing steps right after the message they follow.
  return rows.sort((x, y) => x.order - y.order).map((r) => r.row);
}
