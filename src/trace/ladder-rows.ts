import type { ActionCheck, Alignment } from './expectations.js';
import type { LadderRow, NoteRow } from './ladder.js';
import type { Projection } from './projection.js';
import { flowRows } from './view.js';

export { describeStep } from './view.js';

/**
 * Ladder rows for a matched run: each message marked against its figure step, missing steps
 * drawn where they should have been, and the entities' notes interleaved in event order.
 */
export function ladderRows(alignment: Alignment[], projection: Projection, lifelines: string[], wire: boolean, actions: ActionCheck[] = []): (LadderRow | NoteRow)[] {
  return flowRows(alignment, projection, lifelines, actions).map((row): LadderRow | NoteRow => {
    if (row.type === 'note') {
      return {
        note: row.text,
        at: row.at,
        lifeline: row.lifeline,
        ...(row.step === undefined ? {} : { step: String(row.step) }),
        ...(row.mark === undefined ? {} : { mark: row.mark }),
        ...(row.expected === undefined ? {} : { expected: row.expected }),
      };
    }
    return {
      ...(row.step === undefined ? {} : { step: String(row.step) }),
      at: row.at,
      from: row.from,
      to: row.to,
      label: row.label,
      kind: row.kind,
      ...(row.mark === undefined ? {} : { mark: row.mark }),
      ...(row.expected === undefined ? {} : { expected: row.expected }),
      ...(wire && row.wire !== undefined ? { wire: row.wire } : {}),
    };
  });
}
