/**
 * The one view of a run that every output format draws (terminal ladder, Mermaid, PlantUML, HTML,
 * JSON lines): the figure's lifelines grouped by home network, and the projected messages, the
 * figure's missing steps and the entities' notes in event order. Formats differ only in syntax.
 */
import type { Micros } from '../kernel/time.js';
import type { MessageKind } from './describe.js';
import { describeMessage, messageKind, wireFormat, wireText } from './wire-format.js';
import type { ActionCheck, Alignment, ExpectedAction, ExpectedStep } from './expectations.js';
import type { RowMark } from './ladder.js';
import type { Lifeline, Projection } from './projection.js';
import type { TraceEvent } from './recorder.js';

/**
 * What a renderer needs of a run. Structural, so that a scenario run (which lives above trace/)
 * or any other caller of the simulator can provide it.
 */
export interface FlowRun {
  title: string;
  figure?: { section: string; figure?: number };
  /** The scenario file as the user named it. */
  source: string;
  seed: number;
  /** The simulated network's domains, to group lifelines by home network. */
  domains: string[];
  events: TraceEvent[];
  lifelines: Lifeline[];
  projection: Projection;
  alignment: Alignment[];
  /** The figure's action steps (an entity's note) and the notes found for them. */
  actions: ActionCheck[];
  /** How many numbered steps the figure gives, messages and actions; 0 draws the flow unchecked and numbered in order. */
  steps: number;
  passed: boolean;
  error?: string;
  /** Rules beyond the steps that the run broke (`never`, `within`). */
  broken?: string[];
}

export interface ViewLifeline {
  name: string;
  hosts: string[];
  domains: string[];
  /** The one domain all its hosts are in, if there is one. */
  domain?: string;
}

/** Neighbouring lifelines of one home network, drawn in one box; the figure's column order is kept. */
export interface LifelineGroup {
  domain: string;
  first: number;
  last: number;
}

export interface ViewMessage {
  type: 'message';
  /** 1-based position among the message rows: the number when there are no figure steps. */
  seq: number;
  /** The transmit event drawn; absent for a figure step that never happened. */
  eventId?: number;
  /** The figure's step number. */
  step?: number;
  at: Micros;
  arriveAt?: Micros;
  from: number;
  to: number;
  fromHost?: string;
  toHost?: string;
  /** One line, e.g. `200 OK (MESSAGE)`; for a missing step, what the figure names. */
  label: string;
  kind: MessageKind;
  response: boolean;
  mark?: RowMark;
  /** For a missing or mismatched step: the figure's step in full (`step 5: A -> B 202`). */
  expected?: string;
  /** For a missing or mismatched step: the figure's message alone (`202`, `MESSAGE [text/plain]`). */
  expectedLabel?: string;
  /** The SIP wire text; absent for a missing step. */
  wire?: string;
}

export interface ViewNote {
  type: 'note';
  /** The note event drawn; absent for an action step of the figure that never happened. */
  eventId?: number;
  at: Micros;
  lifeline: number;
  host?: string;
  text: string;
  /** The figure's step number, when the note is one of its action steps. */
  step?: number;
  /** `missing`: the figure's action step that no note matched. */
  mark?: 'ok' | 'missing';
  /** For a missing action step: the figure's step in full (`step 4: CS B deferred`). */
  expected?: string;
}

export type ViewRow = ViewMessage | ViewNote;

export interface FlowView {
  /** `Title — C.3.1.1.1, Figure 16`. */
  heading: string;
  /** The two parts of the heading, for formats that show them apart: `Title`, `C.3.1.1.1, Figure 16`. */
  title?: string;
  figureRef?: string;
  source: string;
  seed: number;
  lifelines: ViewLifeline[];
  groups: LifelineGroup[];
  rows: ViewRow[];
  /** Whether there were figure steps to check the flow against. */
  checked: boolean;
  passed: boolean;
  /** One line: `16 steps as in the figure`, `differs from the figure: 1 step missing, 2 unexpected messages`. */
  verdict: string;
  error?: string;
  /** The whole trace, for formats that list every event. */
  events: TraceEvent[];
}

export function figureHeading(title: string, figure: FlowRun['figure']): string {
  const ref = figureRef(figure);
  return ref === undefined ? title : `${title} — ${ref}`;
}

function figureRef(figure: FlowRun['figure']): string | undefined {
  if (figure === undefined) return undefined;
  return `${figure.section}${figure.figure === undefined ? '' : `, Figure ${figure.figure}`}`;
}

/** How the figure's step reads, for a reader comparing it with what happened. */
export function describeStep(step: ExpectedStep, lifelines: string[]): string {
  return `step ${step.n}: ${lifelines[step.from]} -> ${lifelines[step.to]} ${stepWhat(step)}${stepBody(step)}`;
}

/** How the figure's action step reads: `step 4: CPM Conversation Server B deferred`. */
export function describeAction(step: ExpectedAction, lifelines: string[]): string {
  return `step ${step.n}: ${lifelines[step.lifeline]} ${step.action}${step.text === undefined ? '' : ` "${step.text}"`}`;
}

function stepWhat(step: ExpectedStep): string {
  return step.request ?? String(step.response);
}

function stepBody(step: ExpectedStep): string {
  return step.body === undefined ? '' : ` [${step.body}]`;
}

/** A response step's kind from its status or class (`2xx`); any request step draws as a request. */
function stepKind(step: ExpectedStep): MessageKind {
  if (step.response === undefined) return 'request';
  const kinds: Record<string, MessageKind> = { '1': 'provisional', '2': 'success', '3': 'redirect' };
  return kinds[String(step.response)[0] ?? ''] ?? 'error';
}

/** Entity notes and messages may carry line breaks; every format here draws one line per row. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t\f\v]+/g, ' ');
}

/**
 * The rows of a matched run: each message marked against its figure step, missing steps placed
 * right after the message they follow, and the notes interleaved in event order. With
 * `checked` false there was nothing to match, so no row is marked or numbered by a step.
 */
export function flowRows(alignment: Alignment[], projection: Projection, lifelines: string[], actions: ActionCheck[], checked = true): ViewRow[] {
  const rows: { order: number; row: ViewRow }[] = [];
  let order = 0;
  let at = 0;
  for (const a of alignment) {
    if (a.kind === 'missing') {
      const s = a.step;
      rows.push({
        order,
        row: {
          type: 'message',
          seq: 0,
          step: s.n,
          at,
          from: s.from,
          to: s.to,
          label: stepWhat(s),
          kind: stepKind(s),
          response: s.response !== undefined,
          mark: 'missing',
          expected: describeStep(s, lifelines),
          expectedLabel: stepWhat(s) + stepBody(s),
        },
      });
      continue;
    }
    const m = a.actual;
    order = m.eventId;
    at = m.at;
    const row: ViewMessage = {
      type: 'message',
      seq: 0,
      eventId: m.eventId,
      at: m.at,
      from: m.from,
      to: m.to,
      label: oneLine(describeMessage(m.message)),
      kind: messageKind(m.message),
      response: wireFormat(m.message).request(m.message) === undefined,
      wire: wireText(m.message),
    };
    // Ignored messages are drawn as context: no step number, no mark.
    if (!checked || a.kind === 'ignored') rows.push({ order, row });
    else if (a.kind === 'unexpected') rows.push({ order, row: { ...row, mark: 'unexpected' } });
    else {
      const failed = a.kind === 'mismatch' ? { expected: describeStep(a.step, lifelines), expectedLabel: stepWhat(a.step) + stepBody(a.step) } : {};
      rows.push({ order, row: { ...row, step: a.step.n, mark: a.kind, ...failed } });
    }
  }
  const stepOfNote = new Map(actions.flatMap((a) => (a.found === undefined ? [] : [[a.found.eventId, a.step.n] as const])));
  for (const n of projection.notes) {
    const step = checked ? stepOfNote.get(n.eventId) : undefined;
    const numbered = step === undefined ? {} : { step, mark: 'ok' as const };
    rows.push({ order: n.eventId, row: { type: 'note', eventId: n.eventId, at: n.at, lifeline: n.lifeline, text: oneLine(n.text), ...numbered } });
  }
  // A missing action step stands right after the message of the step it follows.
  const matched = alignment.flatMap((a) => (a.kind === 'ok' ? [{ n: a.step.n, eventId: a.actual.eventId, at: a.actual.at }] : []));
  for (const a of checked ? actions : []) {
    if (a.found !== undefined) continue;
    const before = matched.filter((m) => (a.step.after === undefined ? m.n < a.step.n : m.n === a.step.after)).at(-1);
    const text = a.step.text ?? a.step.action;
    rows.push({
      order: before?.eventId ?? -1,
      row: { type: 'note', at: before?.at ?? 0, lifeline: a.step.lifeline, text, step: a.step.n, mark: 'missing', expected: describeAction(a.step, lifelines) },
    });
  }
  // A stable sort keeps missing steps right after the message they follow.
  const sorted = rows.sort((x, y) => x.order - y.order).map((r) => r.row);
  let seq = 0;
  for (const row of sorted) if (row.type === 'message') row.seq = ++seq;
  return sorted;
}

/** The network domain a host belongs to: the longest one it ends with. */
function domainOfHost(host: string, domains: string[]): string | undefined {
  let best: string | undefined;
  for (const d of domains) {
    if ((host === d || host.endsWith(`.${d}`)) && (best === undefined || d.length > best.length)) best = d;
  }
  return best;
}

function lifelineDomain(lifeline: Lifeline, domains: string[]): string | undefined {
  const found = new Set<string>();
  for (const name of [...lifeline.hosts, ...lifeline.domains]) {
    const d = domainOfHost(name, domains);
    if (d === undefined) return undefined;
    found.add(d);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** Runs of neighbouring lifelines in the same domain; a lifeline spanning domains stays unboxed. */
function lifelineGroups(lifelines: ViewLifeline[]): LifelineGroup[] {
  const groups: LifelineGroup[] = [];
  lifelines.forEach((l, i) => {
    if (l.domain === undefined) return;
    const last = groups[groups.length - 1];
    if (last !== undefined && last.domain === l.domain && last.last === i - 1) last.last = i;
    else groups.push({ domain: l.domain, first: i, last: i });
  });
  return groups;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function verdict(run: FlowRun): string {
  if (run.steps === 0) return `no figure steps to check${run.error === undefined ? '' : `; ${run.error}`}`;
  const missingActions = run.actions.filter((a) => a.found === undefined).length;
  const skipped = run.alignment.filter((a) => a.kind === 'missing' && a.step.optional === true).length;
  const count = (kind: Alignment['kind']): number =>
    run.alignment.filter((a) => a.kind === kind && !(a.kind === 'missing' && a.step.optional === true)).length + (kind === 'missing' ? missingActions : 0);
  if (run.passed) return `${plural(run.steps - skipped, 'step', 'steps')} as in the figure${skipped > 0 ? ` (${plural(skipped, 'optional step', 'optional steps')} left out)` : ''}`;
  const parts = [
    count('missing') > 0 ? `${plural(count('missing'), 'step', 'steps')} missing` : '',
    count('mismatch') > 0 ? `${plural(count('mismatch'), 'step differs', 'steps differ')}` : '',
    count('unexpected') > 0 ? plural(count('unexpected'), 'unexpected message', 'unexpected messages') : '',
    ...(run.broken ?? []),
    run.error ?? '',
  ].filter((p) => p !== '');
  return `differs from the figure: ${parts.join(', ')}`;
}

export function flowView(run: FlowRun): FlowView {
  const names = run.lifelines.map((l) => l.name);
  const lifelines: ViewLifeline[] = run.lifelines.map((l) => {
    const domain = lifelineDomain(l, run.domains);
    return { name: l.name, hosts: [...l.hosts], domains: [...l.domains], ...(domain === undefined ? {} : { domain }) };
  });
  const byId = new Map(run.events.map((e) => [e.id, e]));
  const rows = flowRows(run.alignment, run.projection, names, run.actions, run.steps > 0).map((row): ViewRow => {
    const event = row.eventId === undefined ? undefined : byId.get(row.eventId);
    if (event === undefined) return row;
    if (row.type === 'note') return event.type === 'note' ? { ...row, host: event.host } : row;
    if (event.type !== 'transmit') return row;
    return { ...row, fromHost: event.from, toHost: event.to, arriveAt: event.arriveAt };
  });
  return {
    heading: figureHeading(run.title, run.figure),
    title: run.title,
    ...(run.figure === undefined ? {} : { figureRef: figureRef(run.figure) }),
    source: run.source,
    seed: run.seed,
    lifelines,
    groups: lifelineGroups(lifelines),
    rows,
    checked: run.steps > 0,
    passed: run.passed,
    verdict: verdict(run),
    ...(run.error === undefined ? {} : { error: run.error }),
    events: run.events,
  };
}

/** The text of a note, numbered when it is a figure's action step: `4. deferred (1 held)`, `4. ✗ missing: deferred`. */
export function noteText(row: ViewNote, marked = true): string {
  const n = row.step === undefined ? '' : `${row.step}. `;
  return row.mark === 'missing' && marked ? `${n}✗ missing: ${row.text}` : `${n}${row.text}`;
}

/**
 * The text on an arrow, the way the figure numbers it: `7. 200 OK (MESSAGE)`. With `marked`, a
 * failure says so in the text as well as in colour, so it survives a black-and-white print;
 * formats that draw the marks beside the arrows leave them out.
 */
export function arrowText(row: ViewMessage, numbered: boolean, marked = true): string {
  const n = row.step !== undefined ? `${row.step}. ` : numbered ? `${row.seq}. ` : '';
  const label = row.mark === 'missing' ? (row.expectedLabel ?? row.label) : row.label;
  if (!marked) return `${n}${label}`;
  switch (row.mark) {
    case 'missing':
      return `${n}✗ missing: ${label}`;
    case 'mismatch':
      return `${n}${label} ✗ figure: ${row.expectedLabel ?? ''}`;
    case 'unexpected':
      return `+ ${label} (not in the figure)`;
    default:
      return `${n}${label}`;
  }
}
