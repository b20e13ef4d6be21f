/**
 * JSON lines: the whole trace as data, one event per line after a header line. The schema is
 * documented and versioned in docs/jsonl-schema.md; bump JSONL_VERSION on any change a reader
 * could notice.
 */
import { describeMessage, messageKind, wireText } from './wire-format.js';
import { protocolOf } from '../wire/payload.js';
import type { TraceEvent } from './recorder.js';
import type { FlowView, ViewMessage, ViewNote } from './view.js';

export const JSONL_SCHEMA = 'cpmsim.trace';
export const JSONL_VERSION = 2;

export function renderJsonl(view: FlowView): string {
  const messages = new Map<number, ViewMessage>();
  const notes = new Map<number, ViewNote>();
  for (const row of view.rows) {
    if (row.type === 'note') {
      if (row.eventId !== undefined) notes.set(row.eventId, row);
    }
    else if (row.eventId !== undefined) messages.set(row.eventId, row);
  }
  const missing = view.rows.filter((r) => r.mark === 'missing');

  const header = {
    schema: JSONL_SCHEMA,
    version: JSONL_VERSION,
    scenario: view.source,
    title: view.heading,
    seed: view.seed,
    checked: view.checked,
    passed: view.passed,
    verdict: view.verdict,
    ...(view.error === undefined ? {} : { error: view.error }),
    lifelines: view.lifelines.map((l) => ({ name: l.name, hosts: l.hosts, domains: l.domains, ...(l.domain === undefined ? {} : { domain: l.domain }) })),
    // Missing steps are not events, so the header is the only place they can be listed.
    missing: missing.map((r) => (r.type === 'message' ? { step: r.step, from: r.from, to: r.to, expected: r.expected } : { step: r.step, lifeline: r.lifeline, expected: r.expected })),
    events: view.events.length,
  };

  const lines = [JSON.stringify(header)];
  // A TCP segment that got through late to a restarted end is a transmit, then an undeliverable of
  // the same id: one message, so its step is on the transmit line only.
  const transmitted = new Set<number>();
  for (const e of view.events) {
    if (e.type === 'transmit') transmitted.add(e.id);
    const row = e.type === 'note' ? notes.get(e.id) : messages.get(e.id);
    lines.push(eventLine(e, e.type === 'undeliverable' && transmitted.has(e.id) && row?.type === 'message' ? { ...row, step: undefined } : row));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * One event as a line (without its newline); `row` is how the figure draws it, when it does. A
 * streamed trace has no figure, so its lines are these without the figure's fields.
 */
export function eventLine(e: TraceEvent, row?: ViewMessage | ViewNote): string {
  if (e.type === 'note') {
    const lifeline = row?.type === 'note' ? { lifeline: row.lifeline } : {};
    const step = row?.type === 'note' && row.step !== undefined ? { step: row.step } : {};
    return JSON.stringify({ type: 'note', id: e.id, at: e.at, host: e.host, ...lifeline, ...step, text: e.text });
  }
  const drawn = row?.type === 'message' ? row : undefined;
  const where =
    e.type === 'transmit' ? { arriveAt: e.arriveAt, ...(e.retransmissions === undefined ? {} : { retransmissions: e.retransmissions }) } : { reason: e.reason };
  return JSON.stringify({
    type: e.type,
    id: e.id,
    at: e.at,
    ...where,
    from: e.from,
    to: e.to,
    ...(drawn === undefined ? {} : { fromLifeline: drawn.from, toLifeline: drawn.to }),
    ...(drawn?.step === undefined ? {} : { step: drawn.step }),
    ...(drawn?.mark === undefined ? {} : { mark: drawn.mark }),
    ...(drawn?.expected === undefined ? {} : { expected: drawn.expected }),
    label: describeMessage(e.payload),
    kind: messageKind(e.payload),
    protocol: protocolOf(e.payload),
    wire: drawn?.wire ?? wireText(e.payload),
  });
}
