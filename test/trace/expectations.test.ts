import { describe, expect, it } from 'vitest';
import { createRequest, createResponse } from '../../src/sip/builders.js';
import type { SipMessage } from '../../src/sip/message.js';
import { sipUri } from '../../src/sip/uri.js';
import { alignSteps, passed, type ExpectedStep } from '../../src/trace/expectations.js';
import type { ProjectedMessage } from '../../src/trace/projection.js';

const invite = (user = 'bob'): SipMessage =>
  createRequest({
    method: 'INVITE',
    uri: sipUri(user, 'b.example'),
    from: { uri: sipUri('alice', 'a.example'), params: [{ name: 'tag', value: 't' }] },
    to: { uri: sipUri(user, 'b.example'), params: [] },
    callId: `c-${user}`,
    cseq: 1,
  });
const ok = (user = 'bob'): SipMessage => createResponse(invite(user) as Parameters<typeof createResponse>[0], 200);
const cancel = (): SipMessage => ({ ...(invite() as object), method: 'CANCEL' }) as SipMessage;

/** Messages between lifelines 0..3, in the order given. */
function trace(...rows: [number, number, SipMessage][]): ProjectedMessage[] {
  return rows.map(([from, to, message], i) => ({ eventId: i, at: i * 1000, from, to, message }));
}

const step = (n: number, from: number, to: number, what: { request?: string; response?: number }, after?: number): ExpectedStep => ({ n, from, to, ...what, ...(after === undefined ? {} : { after }) });

const kinds = (rows: ReturnType<typeof alignSteps>): string[] => rows.map((r) => `${r.kind}${'step' in r ? r.step.n : ''}`);

describe('alignSteps', () => {
  it('matches an unordered group as a whole: a general step does not take the only message a specific one matches', () => {
    // Step 2 matches either 200; step 3 only Carol's, which comes first: taking the first message
    // each step matches would leave step 3 missing.
    const actual = trace([0, 1, invite()], [1, 0, ok('carol')], [1, 0, ok()]);
    const steps: ExpectedStep[] = [
      step(1, 0, 1, { request: 'INVITE' }),
      { ...step(2, 1, 0, { response: 200 }), unordered: 'answers' },
      { ...step(3, 1, 0, { response: 200 }), user: 'sip:carol@b.example', unordered: 'answers' },
    ];
    const rows = alignSteps(steps, actual);
    expect(kinds(rows)).toEqual(['ok1', 'ok3', 'ok2']);
    expect(passed(rows)).toBe(true);
  });

  it('matches steps in order and reports a wrong step as a mismatch', () => {
    const actual = trace([0, 1, invite()], [1, 0, ok()]);
    expect(kinds(alignSteps([step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 0, { response: 200 })], actual))).toEqual(['ok1', 'ok2']);
    const wrong = alignSteps([step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 0, { response: 486 })], actual);
    expect(kinds(wrong)).toEqual(['ok1', 'mismatch2']);
    expect(passed(wrong)).toBe(false);
  });

  it('leaves ignored messages in their place, unmatched', () => {
    const actual = trace([0, 1, invite()], [1, 0, ok('carol')], [1, 0, ok()]);
    const rows = alignSteps([step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 0, { response: 200 })], actual, [{ user: 'sip:carol@b.example' }]);
    expect(kinds(rows)).toEqual(['ok1', 'ignored', 'ok2']);
    expect(passed(rows)).toBe(true);
  });

  it('checks a branch after its anchor, however it interleaves with the main line', () => {
    // Main line 1-2-3; the branch 4-5 forks at step 1 and happens between 2 and 3, or after 3.
    const steps = [step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 2, { response: 200 }), step(3, 2, 3, { response: 200 }), step(4, 1, 3, { request: 'CANCEL' }, 1), step(5, 3, 1, { response: 200 }, 1)];
    const interleaved = trace([0, 1, invite()], [1, 2, ok()], [1, 3, cancel()], [2, 3, ok()], [3, 1, ok()]);
    expect(kinds(alignSteps(steps, interleaved))).toEqual(['ok1', 'ok2', 'ok4', 'ok3', 'ok5']);
    const late = trace([0, 1, invite()], [1, 2, ok()], [2, 3, ok()], [1, 3, cancel()], [3, 1, ok()]);
    expect(passed(alignSteps(steps, late))).toBe(true);
  });

  it('does not let a branch step match before its anchor, nor its steps out of order', () => {
    const steps = [step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 2, { response: 200 }), step(3, 1, 3, { request: 'CANCEL' }, 2), step(4, 3, 1, { response: 200 }, 2)];
    const early = trace([0, 1, invite()], [1, 3, cancel()], [1, 2, ok()], [3, 1, ok()]);
    expect(kinds(alignSteps(steps, early))).toEqual(['ok1', 'unexpected', 'ok2', 'missing3', 'ok4']);
    const swapped = trace([0, 1, invite()], [1, 2, ok()], [3, 1, ok()], [1, 3, cancel()]);
    expect(passed(alignSteps(steps, swapped))).toBe(false);
  });
});
