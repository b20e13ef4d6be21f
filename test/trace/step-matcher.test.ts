/**
 * The rules of the step matcher (docs/scenarios.md, "expect"), each with a wrong trace it must
 * fail: what a step compares, how a missing step and an unexpected message pair into one
 * mismatch, the order bounds of action steps, and what the verdict counts.
 */
import { describe, expect, it } from 'vitest';
import { createRequest, createResponse } from '../../src/sip/builders.js';
import type { SipMessage, SipRequest } from '../../src/sip/message.js';
import { sipUri } from '../../src/sip/uri.js';
import { alignSteps, capturedMismatches, checkActions, lateSteps, passed, stepMatches, type Alignment, type ExpectedAction, type ExpectedStep, type MessagePattern } from '../../src/trace/expectations.js';
import type { ProjectedMessage, ProjectedNote } from '../../src/trace/projection.js';

const request = (method: string, user = 'bob', extra: { name: string; value: string }[] = [], text?: string): SipRequest =>
  createRequest({
    method,
    uri: sipUri(user, 'b.example'),
    from: { uri: sipUri('alice', 'a.example'), params: [{ name: 'tag', value: 't' }] },
    to: { uri: sipUri(user, 'b.example'), params: [] },
    callId: `c-${user}`,
    cseq: 1,
    extra,
    ...(text === undefined ? {} : { body: { kind: 'text', contentType: 'text/plain;charset=UTF-8', text } }),
  });
const answer = (req: SipRequest, status: number): SipMessage => createResponse(req, status);

/** Messages between lifelines 0..3, in the order given, 1 ms apart. */
function trace(...rows: [number, number, SipMessage][]): ProjectedMessage[] {
  return rows.map(([from, to, message], i) => ({ eventId: i, at: i * 1000, from, to, message }));
}
const one = (from: number, to: number, message: SipMessage): ProjectedMessage => trace([from, to, message])[0]!;
/** Messages with their send times in ms. */
const at = (rows: [number, number, SipMessage, number][]): ProjectedMessage[] => rows.map(([from, to, message, ms], i) => ({ eventId: i, at: ms * 1000, from, to, message }));
const step = (n: number, from: number, to: number, what: Partial<ExpectedStep> = {}): ExpectedStep => ({ n, from, to, ...what });
const kinds = (rows: Alignment[]): string[] => rows.map((r) => `${r.kind}${'step' in r ? r.step.n : ''}`);

describe('what a step compares', () => {
  const hello = request('MESSAGE', 'bob', [{ name: 'Subject', value: 'greeting' }], 'Hello Bob');
  const sent = one(0, 1, hello);
  const matches = (pattern: MessagePattern): boolean => stepMatches(pattern, sent);

  it('each field on its own: the message matches the fields it has and fails a field it lacks', () => {
    expect(matches({ from: 0, to: 1, request: 'MESSAGE', body: 'text/plain', user: 'sip:bob@b.example', of: 'MESSAGE' })).toBe(true);
    expect(matches({ from: 1 })).toBe(false);
    expect(matches({ to: 0 })).toBe(false);
    expect(matches({ from: 0, to: 2 })).toBe(false);
    expect(matches({ request: 'INVITE' })).toBe(false);
    expect(matches({ response: 200 })).toBe(false);
    expect(matches({ body: 'message/cpim' })).toBe(false);
    expect(matches({ user: 'sip:carol@b.example' })).toBe(false);
    expect(matches({ of: 'INVITE' })).toBe(false);
  });

  it('the media type case-insensitively, without its parameters', () => {
    expect(matches({ body: 'Text/Plain' })).toBe(true);
  });

  it('user: either party of the message, by its address of record', () => {
    expect(matches({ user: 'sip:alice@a.example' })).toBe(true);
    expect(matches({ user: 'sip:bob@b.example' })).toBe(true);
  });

  it('response: the status code exactly, or its class', () => {
    const ok = one(1, 0, answer(hello, 200));
    expect(stepMatches({ response: 200 }, ok)).toBe(true);
    expect(stepMatches({ response: 202 }, ok)).toBe(false);
    expect(stepMatches({ response: '2xx' }, ok)).toBe(true);
    expect(stepMatches({ response: '4xx' }, ok)).toBe(false);
    expect(stepMatches({ request: 'MESSAGE' }, ok)).toBe(false);
  });

  it('of: the method a response answers, by its CSeq', () => {
    const ok = one(1, 0, answer(hello, 200));
    expect(stepMatches({ of: 'MESSAGE' }, ok)).toBe(true);
    expect(stepMatches({ of: 'INVITE' }, ok)).toBe(false);
  });

  it('headers as sent: a value, a regular expression, present, absent', () => {
    expect(matches({ headers: [{ name: 'subject', match: { kind: 'exact', value: 'greeting' } }] })).toBe(true);
    expect(matches({ headers: [{ name: 'Subject', match: { kind: 'exact', value: 'greet' } }] })).toBe(false);
    expect(matches({ headers: [{ name: 'Subject', match: { kind: 'regex', regex: /^gree/ } }] })).toBe(true);
    expect(matches({ headers: [{ name: 'Subject', match: { kind: 'regex', regex: /^ting/ } }] })).toBe(false);
    expect(matches({ headers: [{ name: 'Subject', match: { kind: 'present' } }] })).toBe(true);
    expect(matches({ headers: [{ name: 'Priority', match: { kind: 'present' } }] })).toBe(false);
    expect(matches({ headers: [{ name: 'Priority', match: { kind: 'absent' } }] })).toBe(true);
    expect(matches({ headers: [{ name: 'Subject', match: { kind: 'absent' } }] })).toBe(false);
    // Every matcher of a step must hold, not one of them.
    expect(matches({ headers: [{ name: 'Subject', match: { kind: 'present' } }, { name: 'Priority', match: { kind: 'present' } }] })).toBe(false);
  });

  it('the body as sent, and a message without a body has none', () => {
    expect(matches({ bodyText: { kind: 'exact', value: 'Hello Bob' } })).toBe(true);
    expect(matches({ bodyText: { kind: 'exact', value: 'Hello' } })).toBe(false);
    expect(matches({ bodyText: { kind: 'absent' } })).toBe(false);
    const bare = one(0, 1, request('MESSAGE'));
    expect(stepMatches({ bodyText: { kind: 'absent' } }, bare)).toBe(true);
    expect(stepMatches({ bodyText: { kind: 'present' } }, bare)).toBe(false);
    expect(stepMatches({ body: 'text/plain' }, bare)).toBe(false);
  });
});

describe('a missing step and an unexpected message at the same place', () => {
  const invite = request('INVITE');

  it('are one mismatch that shows the message that came instead', () => {
    const got = answer(invite, 486);
    const rows = alignSteps([step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 0, { response: 200 })], trace([0, 1, invite], [1, 0, got]));
    expect(kinds(rows)).toEqual(['ok1', 'mismatch2']);
    expect((rows[1] as { actual: ProjectedMessage }).actual.message).toBe(got);
  });

  it('pair once: the message stands for the first of two steps, the second stays missing', () => {
    const got = answer(invite, 486);
    const rows = alignSteps([step(1, 1, 0, { response: 180 }), step(2, 1, 0, { response: 200 })], trace([1, 0, got]));
    expect(kinds(rows)).toEqual(['mismatch1', 'missing2']);
    expect((rows[0] as { actual: ProjectedMessage }).actual.message).toBe(got);
  });

  it('a step that finds nothing, with no message left over, stays missing', () => {
    const rows = alignSteps([step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 0, { response: 200 })], trace([0, 1, invite]));
    expect(kinds(rows)).toEqual(['ok1', 'missing2']);
  });

  it('a message no step asks for, with no step left over, stays unexpected', () => {
    const rows = alignSteps([step(1, 0, 1, { request: 'INVITE' })], trace([0, 1, invite], [1, 0, answer(invite, 200)]));
    expect(kinds(rows)).toEqual(['ok1', 'unexpected']);
    expect(passed(rows)).toBe(false);
  });

  it('a branch step that finds nothing pairs with the message standing where it was looked for', () => {
    const other = request('MESSAGE', 'carol');
    const steps = [step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 0, { response: 200 }), step(3, 0, 1, { request: 'CANCEL', after: 1 })];
    const rows = alignSteps(steps, trace([0, 1, invite], [0, 1, other], [1, 0, answer(invite, 200)]));
    expect(kinds(rows)).toEqual(['ok1', 'mismatch3', 'ok2']);
    expect((rows[1] as { actual: ProjectedMessage }).actual.message).toBe(other);
  });

  it('two branches from different anchors are each looked for after their own anchor', () => {
    const cancel = request('CANCEL');
    const steps = [step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 0, { response: 180 }), step(3, 1, 0, { response: 200 }), step(4, 0, 1, { request: 'CANCEL', after: 2 }), step(5, 0, 2, { request: 'MESSAGE', after: 1 })];
    const ok = trace([0, 1, invite], [0, 2, request('MESSAGE')], [1, 0, answer(invite, 180)], [0, 1, cancel], [1, 0, answer(invite, 200)]);
    expect(kinds(alignSteps(steps, ok))).toEqual(['ok1', 'ok5', 'ok2', 'ok4', 'ok3']);
    // The CANCEL before its anchor, the 180, is not taken for step 4.
    const early = trace([0, 1, invite], [0, 2, request('MESSAGE')], [0, 1, cancel], [1, 0, answer(invite, 180)], [1, 0, answer(invite, 200)]);
    expect(passed(alignSteps(steps, early))).toBe(false);
  });
});

describe('ignored messages', () => {
  it('keep their place among the rows and do not fail the run', () => {
    const invite = request('INVITE');
    const noise = request('OPTIONS');
    const rows = alignSteps([step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 0, { response: 200 })], trace([0, 1, noise], [0, 1, invite], [0, 1, noise], [1, 0, answer(invite, 200)], [0, 1, noise]), [{ request: 'OPTIONS' }]);
    expect(kinds(rows)).toEqual(['ignored', 'ok1', 'ignored', 'ok2', 'ignored']);
    expect(rows.map((r) => ('actual' in r ? r.actual.eventId : -1))).toEqual([0, 1, 2, 3, 4]);
    expect(passed(rows)).toBe(true);
  });

  it('stay in place before a step that is missing', () => {
    const invite = request('INVITE');
    const rows = alignSteps([step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 0, { response: 200 })], trace([0, 1, invite], [0, 1, request('OPTIONS')]), [{ request: 'OPTIONS' }]);
    expect(kinds(rows)).toEqual(['ok1', 'missing2', 'ignored']);
  });
});

describe('the verdict of the steps', () => {
  const invite = request('INVITE');
  const run = trace([0, 1, invite], [1, 0, answer(invite, 200)]);

  it('passes a missing step only when the figure marks it optional', () => {
    const steps = [step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 0, { response: 200 }), step(3, 0, 1, { request: 'ACK' })];
    expect(passed(alignSteps(steps, run))).toBe(false);
    expect(passed(alignSteps([...steps.slice(0, 2), { ...steps[2]!, optional: true }], run))).toBe(true);
  });

  it('fails a mismatch even of an optional step', () => {
    const steps = [step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 0, { response: 486, optional: true })];
    expect(kinds(alignSteps(steps, run))).toEqual(['ok1', 'mismatch2']);
    expect(passed(alignSteps(steps, run))).toBe(false);
  });
});

describe('action steps', () => {
  // Steps 1 and 3 are messages; step 2 is the note "deferred" at lifeline 2 between them.
  const invite = request('MESSAGE');
  const messages = trace([0, 1, invite], [1, 0, answer(invite, 200)]);
  const rows = alignSteps([step(1, 0, 1, { request: 'MESSAGE' }), step(3, 1, 0, { response: 200 })], messages);
  const note = (eventId: number, text = 'deferred (1 held)', lifeline = 2): ProjectedNote => ({ eventId, at: eventId * 1000, lifeline, text });
  const deferred: ExpectedAction = { n: 2, lifeline: 2, action: 'deferred' };
  const found = (notes: ProjectedNote[], action = deferred, alignment = rows): boolean => checkActions([action], notes, alignment)[0]!.found !== undefined;

  it('are found between the messages of the steps numbered around them', () => {
    expect(found([note(0.5)])).toBe(true);
    expect(checkActions([deferred], [note(0.5)], rows)[0]!.found).toEqual(note(0.5));
  });

  it('fail when the note comes before the step before them, or after the step after them', () => {
    expect(found([note(-1)])).toBe(false);
    expect(found([note(0)])).toBe(false);
    expect(found([note(1)])).toBe(false);
    expect(found([note(1.5)])).toBe(false);
  });

  it('fail when the note is of another kind, at another lifeline, or of other text than pinned', () => {
    expect(found([note(0.5, 'deferred-stored')])).toBe(false);
    expect(found([note(0.5, 'deferred (1 held)', 1)])).toBe(false);
    expect(found([note(0.5)], { ...deferred, text: 'deferred (2 held)' })).toBe(false);
    expect(found([note(0.5, 'deferred (2 held)')], { ...deferred, text: 'deferred (2 held)' })).toBe(true);
  });

  it('in a branch, wait for their anchor step only', () => {
    // Step 4 in a branch after step 1: the note may come after step 3, but not before step 1.
    const late: ExpectedAction = { n: 4, lifeline: 2, action: 'deferred', after: 1 };
    expect(found([note(1.5)], late)).toBe(true);
    expect(found([note(-1)], late)).toBe(false);
    // On the main line the same step 4 must follow step 3.
    expect(found([note(0.5)], { ...late, after: undefined } as ExpectedAction)).toBe(false);
  });

  it('of the same kind between the same messages take one note each, in step order', () => {
    // Two retries drawn as steps 2 and 2.5 (the first pinned by text): two notes, one each.
    const first: ExpectedAction = { ...deferred, text: 'deferred (1 held)' };
    const second: ExpectedAction = { ...deferred, n: 2.5 };
    const notes = [note(0.3), note(0.6, 'deferred (2 held)')];
    const checks = checkActions([second, first], notes, rows);
    expect(checks.map((c) => c.found)).toEqual([notes[1], notes[0]]);
    // One note cannot be both steps: the later one is missing.
    const alone = checkActions([first, second], [note(0.3)], rows);
    expect(alone.map((c) => c.found)).toEqual([note(0.3), undefined]);
  });

  it('with no step matched before or after them, are bounded only by the other side', () => {
    const onlyAfter = alignSteps([step(3, 1, 0, { response: 200 })], trace([0, 1, invite], [1, 0, answer(invite, 200)]));
    expect(found([note(0.5)], deferred, onlyAfter)).toBe(true);
    expect(found([note(1.5)], deferred, onlyAfter)).toBe(false);
    const onlyBefore = alignSteps([step(1, 0, 1, { request: 'MESSAGE' })], trace([0, 1, invite]));
    expect(found([note(5)], deferred, onlyBefore)).toBe(true);
  });

  it('sharing its number with a message step, may come before or after that message', () => {
    // Steps 1, 2 (a message) and 3; the action is numbered 2 as well.
    const three = trace([0, 1, invite], [1, 0, answer(invite, 180)], [1, 0, answer(invite, 200)]);
    const shared = alignSteps([step(1, 0, 1, { request: 'MESSAGE' }), step(2, 1, 0, { response: 180 }), step(3, 1, 0, { response: 200 })], three);
    expect(found([note(0.5)], deferred, shared)).toBe(true);
    expect(found([note(1.5)], deferred, shared)).toBe(true);
    expect(found([note(2.5)], deferred, shared)).toBe(false);
  });

  it('count a step that did not match as not there: the bound moves to the steps that did', () => {
    // Step 3 expects a 486 that never comes (a mismatch): the note after the 200 still counts.
    const wrong = alignSteps([step(1, 0, 1, { request: 'MESSAGE' }), step(3, 1, 0, { response: 486 })], messages);
    expect(found([note(1.5)], deferred, wrong)).toBe(true);
  });
});

describe('timing and captured values', () => {
  const invite = request('INVITE');

  it('within: timed from the step before on the main line, from the anchor in a branch', () => {
    const msgs = at([
      [0, 1, invite, 0],
      [1, 0, answer(invite, 180), 5],
      [1, 0, answer(invite, 200), 30],
    ]);
    const steps = [step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 0, { response: 180, within: 10_000 }), step(3, 1, 0, { response: 200, within: 20_000 })];
    expect(lateSteps(alignSteps(steps, msgs)).map((l) => [l.step.n, l.afterStep, l.tookUs])).toEqual([[3, 2, 25_000]]);
    expect(lateSteps(alignSteps([steps[0]!, steps[1]!, { ...steps[2]!, within: 25_000 }], msgs))).toEqual([]);
    const branch = [step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 0, { response: 180 }), step(3, 1, 0, { response: 200, after: 1, within: 26_000 })];
    expect(lateSteps(alignSteps(branch, msgs)).map((l) => [l.step.n, l.afterStep, l.tookUs])).toEqual([[3, 1, 30_000]]);
  });

  it('captured: a later step must carry the value an earlier one kept', () => {
    const other = request('BYE', 'carol');
    const steps = [
      step(1, 0, 1, { request: 'INVITE', capture: [{ name: 'call', header: 'Call-ID' }] }),
      step(2, 1, 0, { response: 200, headers: [{ name: 'Call-ID', match: { kind: 'captured', name: 'call' } }] }),
    ];
    expect(capturedMismatches(alignSteps(steps, trace([0, 1, invite], [1, 0, answer(invite, 200)])))).toEqual([]);
    expect(capturedMismatches(alignSteps(steps, trace([0, 1, invite], [1, 0, answer(other, 200)])))).toEqual(['step 2: Call-ID is c-carol, not the call step 1 captured (c-bob)']);
  });
});

describe('unordered groups', () => {
  const un = (s: ExpectedStep, label: string): ExpectedStep => ({ ...s, unordered: label });
  const [inv, msg, info, bye] = ['INVITE', 'MESSAGE', 'INFO', 'BYE'].map((m) => request(m));

  it('a group looks only after the messages the group before it took', () => {
    // Group a (INVITE, MESSAGE) takes messages 0 and 2; group b (INFO, BYE) must start after 2,
    // so the early BYE at 1 is not its BYE: taking it would put BYE before INFO and lose a step.
    const steps = [un(step(1, 0, 1, { request: 'INVITE' }), 'a'), un(step(2, 0, 1, { request: 'MESSAGE' }), 'a'), un(step(3, 0, 1, { request: 'INFO' }), 'b'), un(step(4, 0, 1, { request: 'BYE' }), 'b')];
    const rows = alignSteps(steps, trace([0, 1, inv!], [0, 1, bye!], [0, 1, msg!], [0, 1, info!], [0, 1, bye!]));
    expect(kinds(rows)).toEqual(['ok1', 'unexpected', 'ok2', 'ok3', 'ok4']);
  });

  it('steps in any order among themselves, but not before the steps ahead of the group', () => {
    const steps = [step(1, 0, 1, { request: 'INVITE' }), un(step(2, 0, 1, { request: 'MESSAGE' }), 'g'), un(step(3, 0, 1, { request: 'INFO' }), 'g')];
    expect(kinds(alignSteps(steps, trace([0, 1, inv!], [0, 1, info!], [0, 1, msg!])))).toEqual(['ok1', 'ok3', 'ok2']);
    expect(passed(alignSteps(steps, trace([0, 1, info!], [0, 1, inv!], [0, 1, msg!])))).toBe(false);
  });

  it('a step of a group that matches nothing is missing at the end of its group', () => {
    const steps = [un(step(1, 0, 1, { request: 'CANCEL' }), 'g'), un(step(2, 0, 1, { request: 'MESSAGE' }), 'g'), step(3, 0, 1, { request: 'INFO' })];
    expect(kinds(alignSteps(steps, trace([0, 1, msg!], [0, 1, info!])))).toEqual(['ok2', 'missing1', 'ok3']);
  });

  it('neighbouring steps without a label keep their order', () => {
    const steps = [step(1, 0, 1, { request: 'INVITE' }), step(2, 0, 1, { request: 'MESSAGE' })];
    expect(passed(alignSteps(steps, trace([0, 1, msg!], [0, 1, inv!])))).toBe(false);
    // Nor do two groups with different labels mix.
    expect(passed(alignSteps([un(steps[0]!, 'a'), un(steps[1]!, 'b')], trace([0, 1, msg!], [0, 1, inv!])))).toBe(false);
  });
});

describe('branches', () => {
  const invite = request('INVITE');
  const cancel = request('CANCEL');

  it('a branch whose anchor is missing is looked for after the place of the missing anchor', () => {
    // Step 2 (180) never comes; the branch after it is looked for from where 2 would be, so a
    // CANCEL before the INVITE is not taken for step 4.
    const steps = [step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 0, { response: 180 }), step(3, 1, 0, { response: 200 }), step(4, 0, 1, { request: 'CANCEL', after: 2 })];
    const early = alignSteps(steps, trace([0, 1, cancel], [0, 1, invite], [1, 0, answer(invite, 200)]));
    expect(early.some((r) => r.kind === 'ok' && r.step.n === 4)).toBe(false);
    const later = alignSteps(steps, trace([0, 1, invite], [1, 0, answer(invite, 200)], [0, 1, cancel]));
    expect(later.some((r) => r.kind === 'ok' && r.step.n === 4)).toBe(true);
  });

  it('a branch step missing is put right after the branch step before it, the next looked for after it', () => {
    // Branch 3, 4 after step 1: 3 (CANCEL) never comes, 4 (BYE) does, after the 200.
    const steps = [step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 0, { response: 200 }), step(3, 0, 1, { request: 'CANCEL', after: 1 }), step(4, 0, 1, { request: 'BYE', after: 1 })];
    const rows = alignSteps(steps, trace([0, 1, invite], [1, 0, answer(invite, 200)], [0, 1, request('BYE')]));
    expect(kinds(rows)).toEqual(['ok1', 'missing3', 'ok2', 'ok4']);
  });

  it('branch steps that are all missing stand in their order after the anchor', () => {
    const steps = [step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 0, { response: 200 }), step(3, 0, 1, { request: 'CANCEL', after: 1 }), step(4, 0, 1, { request: 'BYE', after: 1 })];
    expect(kinds(alignSteps(steps, trace([0, 1, invite], [1, 0, answer(invite, 200)])))).toEqual(['ok1', 'missing3', 'missing4', 'ok2']);
  });

  it('the steps of one branch in order: the second is looked for after the first', () => {
    const steps = [step(1, 0, 1, { request: 'INVITE' }), step(2, 0, 1, { request: 'CANCEL', after: 1 }), step(3, 0, 1, { request: 'BYE', after: 1 })];
    expect(passed(alignSteps(steps, trace([0, 1, invite], [0, 1, cancel], [0, 1, request('BYE')])))).toBe(true);
    expect(passed(alignSteps(steps, trace([0, 1, invite], [0, 1, request('BYE')], [0, 1, cancel])))).toBe(false);
  });
});

describe('within and captured values, in branches and out of order', () => {
  const invite = request('INVITE');

  it('within on the main line is timed from the main line step before, not from a branch step between', () => {
    // Step 4 (200) is 30 ms after step 3 (180) but 5 ms after the branch's CANCEL (step 2).
    const msgs = at([
      [0, 1, invite, 0],
      [1, 0, answer(invite, 180), 10],
      [0, 1, request('CANCEL'), 35],
      [1, 0, answer(invite, 200), 40],
    ]);
    const steps = [step(1, 0, 1, { request: 'INVITE' }), step(2, 0, 1, { request: 'CANCEL', after: 1 }), step(3, 1, 0, { response: 180 }), step(4, 1, 0, { response: 200, within: 20_000 })];
    expect(lateSteps(alignSteps(steps, msgs)).map((l) => [l.step.n, l.afterStep, l.tookUs])).toEqual([[4, 3, 30_000]]);
  });

  it('within in an unordered group is timed from the step numbered before, not from a later-numbered step that came first', () => {
    // Steps 2 and 3 in any order; 3 comes at 5 ms, 2 at 45 ms: step 2 is timed from step 1.
    const msgs = at([
      [0, 1, invite, 0],
      [0, 1, request('INFO'), 5],
      [0, 1, request('MESSAGE'), 45],
    ]);
    const steps = [step(1, 0, 1, { request: 'INVITE' }), { ...step(2, 0, 1, { request: 'MESSAGE', within: 42_000 }), unordered: 'g' }, { ...step(3, 0, 1, { request: 'INFO' }), unordered: 'g' }];
    expect(lateSteps(alignSteps(steps, msgs)).map((l) => [l.step.n, l.afterStep, l.tookUs])).toEqual([[2, 1, 45_000]]);
  });

  it('within on the main line skips a step that did not match, timing from the matched one before', () => {
    const msgs = at([
      [0, 1, invite, 0],
      [1, 0, answer(invite, 200), 50],
    ]);
    const steps = [step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 0, { response: 180, optional: true }), step(3, 1, 0, { response: 200, within: 40_000 })];
    expect(lateSteps(alignSteps(steps, msgs)).map((l) => [l.step.n, l.afterStep, l.tookUs])).toEqual([[3, 1, 50_000]]);
    // Exactly the bound is in time.
    expect(lateSteps(alignSteps([steps[0]!, { ...steps[2]!, within: 50_000 }], msgs))).toEqual([]);
    // A first step with within has nothing to be timed from.
    expect(lateSteps(alignSteps([{ ...steps[0]!, within: 0 }], msgs))).toEqual([]);
  });

  it('captured values are taken in the order the messages happened, and the latest capture counts', () => {
    // Steps drawn as 1 (capture), 2 (compare); a branch step 3 captures again before step 2 runs.
    const a = request('INVITE', 'bob');
    const b = request('INVITE', 'carol');
    const steps = [
      step(1, 0, 1, { request: 'INVITE', user: 'sip:bob@b.example', capture: [{ name: 'call', header: 'Call-ID' }] }),
      step(2, 1, 0, { response: 200, headers: [{ name: 'Call-ID', match: { kind: 'captured', name: 'call' } }] }),
      step(3, 0, 1, { request: 'INVITE', user: 'sip:carol@b.example', after: 1, capture: [{ name: 'call', header: 'Call-ID' }] }),
    ];
    expect(capturedMismatches(alignSteps(steps, trace([0, 1, a], [0, 1, b], [1, 0, answer(b, 200)])))).toEqual([]);
    expect(capturedMismatches(alignSteps(steps, trace([0, 1, a], [0, 1, b], [1, 0, answer(a, 200)])))).toEqual(['step 2: Call-ID is c-bob, not the call step 3 captured (c-carol)']);
  });

  it('a captured header absent from the later message: the step does not match; a capture of an absent header keeps nothing', () => {
    const steps = [
      step(1, 0, 1, { request: 'INVITE', capture: [{ name: 's', header: 'Subject' }] }),
      step(2, 1, 0, { response: 200, headers: [{ name: 'Subject', match: { kind: 'captured', name: 's' } }] }),
    ];
    const withSubject = request('INVITE', 'bob', [{ name: 'Subject', value: 'hi' }]);
    const rows = alignSteps(steps, trace([0, 1, withSubject], [1, 0, answer(invite, 200)]));
    expect(kinds(rows)).toEqual(['ok1', 'mismatch2']);
    // Read on its own, as a row matched by other means, the comparison names the header absent.
    const forced: Alignment[] = [rows[0]!, { kind: 'ok', step: steps[1]!, actual: (rows[1] as { actual: ProjectedMessage }).actual }];
    expect(capturedMismatches(forced)).toEqual(['step 2: Subject is absent, not the s step 1 captured (hi)']);
    // Nothing captured (step 1's message has no Subject): nothing to compare with.
    const none: Alignment[] = [{ kind: 'ok', step: steps[0]!, actual: one(0, 1, invite) }, { kind: 'ok', step: steps[1]!, actual: { ...one(1, 0, withSubject), eventId: 1 } }];
    expect(capturedMismatches(none)).toEqual([]);
  });
});

describe('the alignment at its edges', () => {
  const [a, b, c] = ['INVITE', 'MESSAGE', 'INFO'].map((m) => request(m));
  const steps = [step(1, 0, 1, { request: 'INVITE' }), step(2, 0, 1, { request: 'MESSAGE' })];

  it('a message before the first step is unexpected, the steps still match', () => {
    expect(kinds(alignSteps(steps, trace([0, 1, c!], [0, 1, a!], [0, 1, b!])))).toEqual(['unexpected', 'ok1', 'ok2']);
  });

  it('a first step that never comes is missing before the message of the next', () => {
    expect(kinds(alignSteps(steps, trace([0, 1, b!])))).toEqual(['missing1', 'ok2']);
  });

  it('the longest match wins over the first one: an early copy of a later step is unexpected', () => {
    const three = [...steps, step(3, 0, 1, { request: 'INFO' })];
    expect(kinds(alignSteps(three, trace([0, 1, c!], [0, 1, a!], [0, 1, b!], [0, 1, c!])))).toEqual(['unexpected', 'ok1', 'ok2', 'ok3']);
  });

  it('a branch step never takes a message the main line matched', () => {
    // Step 3, in a branch after 1, asks for the same 200 as step 2: one 200 cannot be both.
    const invite = request('INVITE');
    const rows = alignSteps([step(1, 0, 1, { request: 'INVITE' }), step(2, 1, 0, { response: 200 }), step(3, 1, 0, { response: 200, after: 1 })], trace([0, 1, invite], [1, 0, answer(invite, 200)]));
    expect(kinds(rows)).toEqual(['ok1', 'missing3', 'ok2']);
    expect(passed(rows)).toBe(false);
  });

  it('a group with a step that matched nothing still moves the next group past its messages', () => {
    const un = (s: ExpectedStep, label: string): ExpectedStep => ({ ...s, unordered: label });
    const d = request('BYE');
    const groups = [un(step(1, 0, 1, { request: 'CANCEL' }), 'a'), un(step(2, 0, 1, { request: 'INVITE' }), 'a'), un(step(3, 0, 1, { request: 'MESSAGE' }), 'b'), un(step(4, 0, 1, { request: 'BYE' }), 'b')];
    expect(kinds(alignSteps(groups, trace([0, 1, a!], [0, 1, d], [0, 1, b!])))).toEqual(['ok2', 'missing1', 'ok4', 'ok3']);
  });
});

describe('within, numbered and unordered', () => {
  const invite = request('INVITE');

  it('a step of an unordered group that came first is timed from the step before the group, not from its partner that came later', () => {
    const msgs = at([
      [0, 1, invite, 0],
      [0, 1, request('INFO'), 5],
      [0, 1, request('MESSAGE'), 45],
    ]);
    const steps = [step(1, 0, 1, { request: 'INVITE' }), { ...step(2, 0, 1, { request: 'MESSAGE' }), unordered: 'g' }, { ...step(3, 0, 1, { request: 'INFO', within: 4_000 }), unordered: 'g' }];
    expect(lateSteps(alignSteps(steps, msgs)).map((l) => [l.step.n, l.afterStep, l.tookUs])).toEqual([[3, 1, 5_000]]);
  });

  it('an arrow of a step of several arrows is timed from the step numbered before, not from an arrow of its own number', () => {
    const msgs = at([
      [0, 1, invite, 0],
      [0, 1, request('MESSAGE'), 30],
      [0, 1, request('INFO'), 35],
    ]);
    const steps = [step(1, 0, 1, { request: 'INVITE' }), step(2, 0, 1, { request: 'MESSAGE' }), step(2, 0, 1, { request: 'INFO', within: 10_000 })];
    expect(lateSteps(alignSteps(steps, msgs)).map((l) => [l.step.n, l.afterStep, l.tookUs])).toEqual([[2, 1, 35_000]]);
  });
});

describe('the longest alignment', () => {
  it('a repeated message: the first stands in for the missing step, the second matches', () => {
    const [info, msg] = [request('INFO'), request('MESSAGE')];
    const steps = [step(1, 0, 1, { request: 'INFO' }), step(2, 0, 1, { request: 'MESSAGE' })];
    const rows = alignSteps(steps, trace([0, 1, msg], [0, 1, msg]));
    expect(kinds(rows)).toEqual(['mismatch1', 'ok2']);
    expect(kinds(alignSteps(steps, trace([0, 1, info], [0, 1, msg])))).toEqual(['ok1', 'ok2']);
  });
});

describe('unordered groups, which message each step takes', () => {
  it('where each step finds a message first come, first served, nothing moves: the steps keep their order', () => {
    const invite = request('INVITE');
    // Step 1 matches any request, step 2 only an INVITE: three INVITEs, the first two taken in step order.
    const steps: ExpectedStep[] = [{ ...step(1, 0, 1), unordered: 'g' }, { ...step(2, 0, 1, { request: 'INVITE' }), unordered: 'g' }];
    const rows = alignSteps(steps, trace([0, 1, invite], [0, 1, invite], [0, 1, invite]));
    expect(rows.map((r) => `${r.kind}${'step' in r ? r.step.n : ''}@${'actual' in r ? r.actual.eventId : ''}`)).toEqual(['ok1@0', 'ok2@1', 'unexpected@2']);
  });

  it('an optional step left without a message of its own takes none from the steps that need theirs: the run passes', () => {
    // Step 1 matches either MESSAGE, step 2 only Carol's, optional step 3 only Bob's. Bob's and
    // Carol's messages came: steps 1 and 2 can both have one, in any order among themselves, and
    // step 3 may be left out (docs/scenarios.md, `unordered` and `optional`).
    const steps: ExpectedStep[] = [
      { ...step(1, 0, 1, { request: 'MESSAGE' }), unordered: 'g' },
      { ...step(2, 0, 1, { user: 'sip:carol@b.example' }), unordered: 'g' },
      { ...step(3, 0, 1, { user: 'sip:bob@b.example', optional: true }), unordered: 'g' },
    ];
    const rows = alignSteps(steps, trace([0, 1, request('MESSAGE', 'bob')], [0, 1, request('MESSAGE', 'carol')]));
    expect(kinds(rows)).toEqual(['ok1', 'ok2', 'missing3']);
    expect(passed(rows)).toBe(true);
  });
});
