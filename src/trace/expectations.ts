import { innerContentType, outerContentType } from './describe.js';
import type { ProjectedMessage } from './projection.js';

/** One numbered step of a figure, with lifelines resolved to column indexes. */
export interface ExpectedStep {
  n: number;
  from: number;
  to: number;
  request?: string;
  /** A status code or a class such as `2xx`. */
  response?: number | string;
  /** Media type of the body, outer or encapsulated (a delivery notification is message/imdn+xml in CPIM). */
  body?: string;
  note?: string;
}

export type Alignment =
  | { kind: 'ok'; step: ExpectedStep; actual: ProjectedMessage }
  | { kind: 'mismatch'; step: ExpectedStep; actual: ProjectedMessage }
  | { kind: 'missing'; step: ExpectedStep }
  | { kind: 'unexpected'; actual: ProjectedMessage };

export function stepMatches(step: ExpectedStep, actual: ProjectedMessage): boolean {
  const m = actual.message;
  if (step.from !== actual.from || step.to !== actual.to) return false;
  if (step.request !== undefined && (m.type !== 'request' || m.method !== step.request)) return false;
  if (step.response !== undefined && (m.type !== 'response' || !statusMatches(step.response, m.status))) return false;
  if (step.body !== undefined) {
    const want = step.body.toLowerCase();
    if (innerContentType(m.body) !== want && outerContentType(m.body) !== want) return false;
  }
  return true;
}

function statusMatches(want: number | string, status: number): boolean {
  if (typeof want === 'number') return want === status;
  return want[0] === String(status)[0];
}

/**
 * Aligns the figure's steps with what happened, in order, by longest common subsequence (the
 * alignment a diff shows), then pairs a missing step with an unexpected message standing at the
 * same place as one mismatch, so the reader sees "expected X, got Y".
 */
export function alignSteps(steps: ExpectedStep[], actual: ProjectedMessage[]): Alignment[] {
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
  return pairMismatches(raw);
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
  return alignment.every((a) => a.kind === 'ok');
}
