/**
 * JSON lines: the whole trace as data, one event per line after a header line. The schema is
 * documented and versioned in docs/jsonl-schema.md; bump JSONL_VERSION on any change a reader
 * could notice.
 */
import { describeMessage, messageKind, wireText } from './wire-format.js';
import { protocolOf } from '../wire/payload.js';
import type { FlowView, ViewMessage, ViewNote } from './view.js';

export const JSONL_SCHEMA = 'cpmsim.trace';
export const JSONL_VERSION = 2;

export function renderJsonl(view: FlowView): string {
  const messages = new Map<number, ViewMessage>();
  const notes = new Map<number, ViewNote>();
  for (const row of view.rows) {
    if (row.type === 'note') notes.set(row.eventId, row);
    else if (row.eventId !== undefined) messages.set(row.eventId, row);
  }
  const missing = view.rows.filter((r): r is ViewMessage => r.type === 'message' && r.mark === 'missing');

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
    missing: missing.map((r) => ({ step: r.step, from: r.from, to: r.to, expected: r.expected })),
    events: view.events.length,
  };

  const lines = [JSON.stringify(header)];
  for (const e of view.events) {
    if (e.type === 'note') {
      const n = notes.get(e.id);
      lines.push(JSON.stringify({ type: 'note', id: e.id, at: e.at, host: e.host, ...(n === undefined ? {} : { lifeline: n.lifeline }), text: e.text }));
      continue;
    }
    const row = messages.get(e.id);
    const where = e.type === 'transmit' ? { arriveAt: e.arriveAt } : { reason: e.reason };
    lines.push(
      JSON.stringify({
        type: e.type,
        id: e.id,
        at: e.at,
        ...where,
        from: e.from,
        to: e.to,
        ...(row === undefined ? {} : { fromLifeline: row.from, toLifeline: row.to }),
        ...(row?.step === undefined ? {} : { step: row.step }),
        ...(row?.mark === undefined ? {} : { mark: row.mark }),
        ...(row?.expected === undefined ? {} : { expected: row.expected }),
        label: describeMessage(e.payload),
        kind: messageKind(e.payload),
        protocol: protocolOf(e.payload),
        wire: row?.wire ?? wireText(e.payload),
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}
