import { methodOf } from '../sip/builders.js';
import { isSip } from '../wire/payload.js';
import { noteIs } from './note-kinds.js';
import { bodyMatches, headerValues, headersMatch, type HeaderMatch, type TextMatch } from './text-match.js';
import { wireFormat } from './wire-format.js';
import type { ProjectedMessage, ProjectedNote } from './projection.js';

/** A message pattern with lifelines resolved to column indexes; absent fields match anything. */
export interface MessagePattern {
  from?: number;
  to?: number;
  request?: string;
  /** A status code or a class such as `2xx`. */
  response?: number | string;
  /** Media type of the body, outer or encapsulated (a delivery notification is message/imdn+xml in CPIM). */
  body?: string;
  /** An address (`sip:bob@b.example`) the SIP From or To names: one party's share of a flow. */
  user?: string;
  /** The method of the request, or of the request a response answers (its CSeq method). */
  of?: string;
  /** Header lines as sent: a value, a regular expression, present or absent. */
  headers?: HeaderMatch[];
  /** The body as sent. */
  bodyText?: TextMatch;
}

/** One numbered step of a figure, with lifelines resolved to column indexes. */
export interface ExpectedStep extends MessagePattern {
  n: number;
  from: number;
  to: number;
  request?: string;
  /** A status code or a class such as `2xx`. */
  response?: number | string;
  /** Media type of the body, outer or encapsulated (a delivery notification is message/imdn+xml in CPIM). */
  body?: string;
  note?: string;
  /**
   * The step belongs to a branch that runs alongside the steps after step `after` (a figure draws
   * concurrent branches one after the other): it must follow step `after` and the earlier steps
   * of its branch, whatever happens meanwhile on the main line.
   */
  after?: number;
  /** Virtual µs: the message is sent at most this long after the message of the step it follows. */
  within?: number;
  /** The figure may leave it out: a run without it still passes. */
  optional?: boolean;
  /** Neighbouring steps with the same label may happen in any order among themselves. */
  unordered?: string;
  /** Header values this step's message keeps, by name, for later steps to compare with. */
  capture?: { name: string; header: string }[];
}

export type Alignment =
  | { kind: 'ok'; step: ExpectedStep; actual: ProjectedMessage }
  | { kind: 'mismatch'; step: ExpectedStep; actual: ProjectedMessage }
  | { kind: 'missing'; step: ExpectedStep }
  | { kind: 'unexpected'; actual: ProjectedMessage }
  /** A message the figure does not draw, matched by an ignore pattern. */
  | { kind: 'ignored'; actual: ProjectedMessage };

export function stepMatches(step: MessagePattern, actual: ProjectedMessage): boolean {
  const m = actual.message;
  const format = wireFormat(m);
  if ((step.from !== undefined && step.from !== actual.from) || (step.to !== undefined && step.to !== actual.to)) return false;
  if (step.request !== undefined && format.request(m) !== step.request) return false;
  if (step.response !== undefined && !format.response(m, step.response)) return false;
  if (step.body !== undefined && !format.contentTypes(m).includes(step.body.toLowerCase())) return false;
  if (step.user !== undefined && !format.parties(m).includes(step.user)) return false;
  // `of` names a SIP method (a request's, or the one a response answers, by its CSeq).
  if (step.of !== undefined && !(isSip(m) && methodOf(m) === step.of)) return false;
  if (step.headers !== undefined && !headersMatch(m, step.headers)) return false;
  if (step.bodyText !== undefined && !bodyMatches(m, step.bodyText)) return false;
  return true;
}

/**
 * Aligns the figure's steps with what happened, in order, by longest common subsequence (the
 * alignment a diff shows), then pairs a missing step with an unexpected message standing at the
 * same place as one mismatch, so the reader sees "expected X, got Y".
 */
export function alignSteps(steps: ExpectedStep[], all: ProjectedMessage[], ignore: MessagePattern[] = []): Alignment[] {
  const isIgnored = (a: ProjectedMessage): boolean => ignore.some((p) => stepMatches(p, a));
  const actual = all.filter((a) => !isIgnored(a));
  const aligned = align(steps, actual);
  // Put the ignored messages back where they happened, before the first later row.
  const ignored = all.filter(isIgnored);
  const out: Alignment[] = [];
  for (const row of aligned) {
    // Stryker disable next-line EqualityOperator: event ids are unique, so an ignored message never ties with a row.
    while (row.kind !== 'missing' && ignored[0] !== undefined && ignored[0].eventId < row.actual.eventId) {
      out.push({ kind: 'ignored', actual: ignored.shift()! });
    }
    out.push(row);
  }
  return [...out, ...ignored.map((actual): Alignment => ({ kind: 'ignored', actual }))];
}

function align(steps: ExpectedStep[], actual: ProjectedMessage[]): Alignment[] {
  const raw = alignChain(
    inRunOrder(
      steps.filter((s) => s.after === undefined),
      actual,
    ),
    actual,
  );
  for (const anchor of [...new Set(steps.flatMap((s) => (s.after === undefined ? [] : [s.after])))]) {
    alignBranch(
      raw,
      anchor,
      steps.filter((s) => s.after === anchor),
    );
  }
  return pairMismatches(raw);
}

/**
 * Matches a branch's steps, in order, with the messages the main line left unexpected after the
 * branch's anchor step; a step that finds none is missing at the place it was looked for.
 */
function alignBranch(rows: Alignment[], anchor: number, branch: ExpectedStep[]): void {
  let at = rows.map((r) => (r.kind === 'ok' || r.kind === 'missing' ? r.step.n : -1)).lastIndexOf(anchor);
  for (const step of branch) {
    // Stryker disable next-line EqualityOperator: rows[at] is the anchor or a step placed after it, never 'unexpected'.
    const found = rows.findIndex((r, i) => i > at && r.kind === 'unexpected' && stepMatches(step, r.actual));
    if (found >= 0) {
      rows[found] = { kind: 'ok', step, actual: (rows[found] as { actual: ProjectedMessage }).actual };
      at = found;
    } else {
      rows.splice(at + 1, 0, { kind: 'missing', step });
      at++;
    }
  }
}

/**
 * The chain with each unordered group put in the order its messages happened: the group's steps
 * are matched to distinct messages after those the steps before the group took, as many as can
 * be (a step that matches several messages must not take the only one another step matches);
 * steps that match none keep their place at the end of the group.
 */
function inRunOrder(chain: ExpectedStep[], actual: ProjectedMessage[]): ExpectedStep[] {
  const out: ExpectedStep[] = [];
  // The next group looks only after the messages the groups before it took, so a message is
  // never taken twice.
  let from = 0;
  for (let i = 0; i < chain.length; ) {
    const label = chain[i]!.unordered;
    let end = i + 1;
    while (label !== undefined && end < chain.length && chain[end]!.unordered === label) end++;
    const group = chain.slice(i, end);
    const at = matchGroup(group, actual, from);
    const placed = group.map((step, s) => ({ step, at: at[s]! })).sort((a, b) => a.at - b.at);
    out.push(...placed.map((p) => p.step));
    from = Math.max(from, ...placed.filter((p) => p.at !== Infinity).map((p) => p.at + 1));
    i = end;
  }
  return out;
}

/**
 * The message each step of a group takes (Infinity: none): each takes the first free message it
 * matches, then a step left without one takes a message from a step that can move to another
 * (augmenting paths, Kuhn's bipartite matching), so the group matches as many steps as it can.
 * Where every step found a message the first way, nothing moves.
 */
function matchGroup(group: ExpectedStep[], actual: ProjectedMessage[], from: number): number[] {
  const candidates = group.map((step) => {
    const ks: number[] = [];
    for (let k = from; k < actual.length; k++) if (stepMatches(step, actual[k]!)) ks.push(k);
    return ks;
  });
  const at = group.map(() => Infinity);
  const owner = new Map<number, number>();
  candidates.forEach((ks, s) => {
    const k = ks.find((c) => !owner.has(c));
    if (k === undefined) return;
    at[s] = k;
    owner.set(k, s);
  });
  const augment = (s: number, seen: Set<number>): boolean => {
    for (const k of candidates[s]!) {
      if (seen.has(k)) continue;
      seen.add(k);
      const other = owner.get(k);
      if (other === undefined || augment(other, seen)) {
        at[s] = k;
        owner.set(k, s);
        return true;
      }
    }
    return false;
  };
  at.forEach((k, s) => {
    if (k === Infinity) augment(s, new Set());
  });
  return at;
}

/** Longest common subsequence of one chain of steps and the messages. */
function alignChain(steps: ExpectedStep[], actual: ProjectedMessage[]): Alignment[] {
  const n = steps.length;
  const m = actual.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = stepMatches(steps[i]!, actual[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const raw: Alignment[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && stepMatches(steps[i]!, actual[j]!)) {
      raw.push({ kind: 'ok', step: steps[i++]!, actual: actual[j++]! });
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      raw.push({ kind: 'unexpected', actual: actual[j++]! });
    } else {
      raw.push({ kind: 'missing', step: steps[i++]! });
    }
  }
  return raw;
}

function pairMismatches(raw: Alignment[]): Alignment[] {
  const out: Alignment[] = [];
  for (let k = 0; k < raw.length; k++) {
    const a = raw[k]!;
    const b = raw[k + 1];
    if (a.kind === 'missing' && b?.kind === 'unexpected') {
      out.push({ kind: 'mismatch', step: a.step, actual: b.actual });
      k++;
    } else if (a.kind === 'unexpected' && b?.kind === 'missing') {
      out.push({ kind: 'mismatch', step: b.step, actual: a.actual });
      k++;
    } else {
      out.push(a);
    }
  }
  return out;
}

export function passed(alignment: Alignment[]): boolean {
  return alignment.every((a) => a.kind === 'ok' || a.kind === 'ignored' || (a.kind === 'missing' && a.step.optional === true));
}

/**
 * Matched steps whose header differs from the value an earlier step captured: the captures are
 * taken, and compared, in the order the messages happened.
 */
export function capturedMismatches(alignment: Alignment[]): string[] {
  const values = new Map<string, { value: string; step: number }>();
  const out: string[] = [];
  // The alignment lists its matched rows in the order their messages happened (alignChain keeps
  // the trace's order and a branch step takes an unexpected row's place).
  for (const { step, actual } of alignment.flatMap((a) => (a.kind === 'ok' ? [a] : []))) {
    for (const { name, match } of step.headers ?? []) {
      if (match.kind !== 'captured') continue;
      const kept = values.get(match.name);
      const value = headerValues(actual.message, name)[0];
      if (kept !== undefined && value !== kept.value) out.push(`step ${step.n}: ${name} is ${value ?? 'absent'}, not the ${match.name} step ${kept.step} captured (${kept.value})`);
    }
    for (const { name, header } of step.capture ?? []) {
      const value = headerValues(actual.message, header)[0];
      if (value !== undefined) values.set(name, { value, step: step.n });
    }
  }
  return out;
}

/**
 * Steps with `within` that came too late: each is timed from the message of the step it follows
 * (its `after` anchor in a branch, else the step before it), when both happened.
 */
export function lateSteps(alignment: Alignment[]): { step: ExpectedStep; afterStep: number; tookUs: number }[] {
  const matched = alignment.flatMap((a) => (a.kind === 'ok' ? [a] : []));
  return matched.flatMap((row, i) => {
    const within = row.step.within;
    if (within === undefined) return [];
    const anchor = row.step.after;
    const before = matched.slice(0, i).filter((m) => (anchor === undefined ? m.step.n < row.step.n && m.step.after === undefined : m.step.n === anchor)).at(-1);
    if (before === undefined) return [];
    const tookUs = row.actual.at - before.actual.at;
    return tookUs > within ? [{ step: row.step, afterStep: before.step.n, tookUs }] : [];
  });
}

/** A figure step that is an action inside one entity, seen in the trace as that entity's note. */
export interface ExpectedAction {
  n: number;
  lifeline: number;
  /** The kind of note (src/trace/note-kinds.ts): the whole note text must be of it. */
  action: string;
  /** The note's exact text, when the step pins it. */
  text?: string;
  /** The action runs in a branch after step `after`: it need not wait for the steps before it. */
  after?: number;
}

export interface ActionCheck {
  step: ExpectedAction;
  found?: ProjectedNote;
}

/**
 * Finds each action step among the entities' notes, between the messages matched as the steps
 * numbered around it, so "defers the message" must happen after step 2 and before step 4. A note
 * is one action: two steps of the same kind there (the centre retries twice) need two notes, each
 * taken by the first step, in step order, that it fits.
 */
export function checkActions(actions: ExpectedAction[], notes: ProjectedNote[], alignment: Alignment[]): ActionCheck[] {
  const matched = alignment.flatMap((a) => (a.kind === 'ok' ? [{ n: a.step.n, eventId: a.actual.eventId }] : []));
  const taken = new Set<ProjectedNote>();
  const checks = new Map<ExpectedAction, ActionCheck>();
  for (const step of [...actions].sort((a, b) => a.n - b.n)) {
    const after = matched.filter((m) => (step.after === undefined ? m.n < step.n : m.n === step.after)).at(-1)?.eventId ?? -Infinity;
    const before = matched.find((m) => m.n > step.n)?.eventId ?? Infinity;
    const found = notes.find(
      (note) =>
        !taken.has(note) &&
        note.lifeline === step.lifeline &&
        note.eventId > after &&
        note.eventId < before &&
        noteIs(step.action, note.text) &&
        (step.text === undefined || note.text === step.text),
    );
    if (found !== undefined) taken.add(found);
    checks.set(step, found === undefined ? { step } : { step, found });
  }
  return actions.map((step) => checks.get(step)!);
}
