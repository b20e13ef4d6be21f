/**
 * The one view every output format draws (src/trace/view.ts): which rows a run gives, in what
 * order, how each is numbered and marked, the text on its arrow or note, the lifelines' home
 * networks and the one-line verdict.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { arrowText, describeAction, describeStep, figureHeading, flowRows, flowView, noteText, type FlowRun, type FlowView, type ViewMessage, type ViewNote, type ViewRow } from '../../src/trace/view.js';
import { handRun } from './fixtures.js';

const NAMES = ['Client A', 'Core A', 'Server B'];

/** Each row as a reader of a diagram sees it: its arrow's text (numbered in order when asked) or its note's. */
const texts = (rows: ViewRow[], numbered = false): string[] => rows.map((r) => (r.type === 'message' ? arrowText(r, numbered) : noteText(r)));
const rowsOf = (run: FlowRun, checked = true): ViewRow[] => flowRows(run.alignment, run.projection, NAMES, run.actions, checked);
const messageRows = (rows: ViewRow[]): ViewMessage[] => rows.filter((r): r is ViewMessage => r.type === 'message');

describe('how a figure and its steps read', () => {
  it('the heading names the section, and the figure when there is one', () => {
    expect(figureHeading('Pager', undefined)).toBe('Pager');
    expect(figureHeading('Pager', { section: 'C.3.1.1.1', figure: 16 })).toBe('Pager — C.3.1.1.1, Figure 16');
    expect(figureHeading('Pager', { section: '5.2' })).toBe('Pager — 5.2');
  });

  it('a step names its lifelines, its message and its body', () => {
    expect(describeStep({ n: 5, from: 1, to: 0, response: 202 }, NAMES)).toBe('step 5: Core A -> Client A 202');
    expect(describeStep({ n: 2, from: 0, to: 2, request: 'MESSAGE', body: 'text/plain' }, NAMES)).toBe('step 2: Client A -> Server B MESSAGE [text/plain]');
  });

  it('an action step names its lifeline, its kind and the text it pins', () => {
    expect(describeAction({ n: 4, lifeline: 2, action: 'deferred' }, NAMES)).toBe('step 4: Server B deferred');
    expect(describeAction({ n: 4, lifeline: 2, action: 'deferred', text: 'deferred (1 held)' }, NAMES)).toBe('step 4: Server B deferred "deferred (1 held)"');
  });
});

describe('the rows of a checked run', () => {
  const rows = rowsOf(handRun());

  it('in event order, missing steps right after the message of the step before them, each marked', () => {
    expect(texts(rows)).toEqual([
      '1. MESSAGE',
      '8. ✗ missing: routed',
      '2. MESSAGE',
      '3. deferred (1 held)',
      '4. 200 OK (MESSAGE) ✗ figure: 202 [text/plain]',
      '5. 200 OK (MESSAGE)',
      '6. ✗ missing: BYE [text/plain]',
      '7. ✗ missing: shown to Alice',
      '+ OPTIONS (not in the figure)',
      'routed Via core',
      'OPTIONS',
    ]);
  });

  it('message rows numbered 1.. in order, missing steps included, notes not', () => {
    expect(messageRows(rows).map((r) => [r.seq, r.label])).toEqual([
      [1, 'MESSAGE'],
      [2, 'MESSAGE'],
      [3, '200 OK (MESSAGE)'],
      [4, '200 OK (MESSAGE)'],
      [5, 'BYE'],
      [6, 'OPTIONS'],
      [7, 'OPTIONS'],
    ]);
    expect(texts(rows, true).at(-1)).toBe('7. OPTIONS');
  });

  it('a missing step: drawn where its message should be, with the kind its status gives, and the figure step in full', () => {
    const bye = messageRows(rows)[4]!;
    expect(bye).toStrictEqual({
      type: 'message',
      seq: 5,
      step: 6,
      at: 5000,
      from: 0,
      to: 1,
      label: 'BYE',
      kind: 'request',
      response: false,
      mark: 'missing',
      expected: 'step 6: Client A -> Core A BYE [text/plain]',
      expectedLabel: 'BYE [text/plain]',
    });
  });

  it('a matched message: its event, the step it matched, its wire text; a mismatch also the figure step', () => {
    const [first, , differs] = messageRows(rows);
    expect(first).toMatchObject({ eventId: 1, step: 1, mark: 'ok', at: 1000, from: 0, to: 1, kind: 'request', response: false });
    expect(first!.wire).toMatch(/^MESSAGE sip:bob@b\.example SIP\/2\.0\r\n/);
    expect(first).not.toHaveProperty('expected');
    expect(differs).toMatchObject({ eventId: 4, step: 4, mark: 'mismatch', kind: 'success', response: true, expected: 'step 4: Server B -> Core A 202 [text/plain]', expectedLabel: '202 [text/plain]' });
  });

  it('an unexpected message is marked but numbered by no step; an ignored one is neither', () => {
    const [unexpected, ignored] = messageRows(rows).slice(5);
    expect(unexpected).toMatchObject({ eventId: 6, mark: 'unexpected' });
    expect(unexpected).not.toHaveProperty('step');
    expect(ignored).toMatchObject({ eventId: 8 });
    expect(ignored).not.toHaveProperty('step');
    expect(ignored).not.toHaveProperty('mark');
  });

  it('notes: a found action step numbered and marked, any other note plain, each on one line', () => {
    const notes = rows.filter((r): r is ViewNote => r.type === 'note');
    expect(notes.find((n) => n.eventId === 3)).toStrictEqual({ type: 'note', eventId: 3, at: 3000, lifeline: 2, text: 'deferred (1 held)', step: 3, mark: 'ok' });
    expect(notes.find((n) => n.eventId === 7)).toStrictEqual({ type: 'note', eventId: 7, at: 7000, lifeline: 1, text: 'routed Via core' });
  });

  it('a missing action step at the time of the message it follows, with the figure step in full', () => {
    const notes = rows.filter((r): r is ViewNote => r.type === 'note' && r.mark === 'missing');
    expect(notes).toStrictEqual([
      { type: 'note', at: 1000, lifeline: 1, text: 'routed', step: 8, mark: 'missing', expected: 'step 8: Core A routed' },
      { type: 'note', at: 5000, lifeline: 0, text: 'shown to Alice', step: 7, mark: 'missing', expected: 'step 7: Client A displayed "shown to Alice"' },
    ]);
  });

  it('a missing action step with no matched step before it stands first', () => {
    const run = handRun();
    const first = rowsOf({ ...run, actions: [{ step: { n: 0, lifeline: 0, action: 'composed' } }] });
    expect(texts(first).slice(0, 2)).toEqual(['0. ✗ missing: composed', '1. MESSAGE']);
    expect(first[0]).toMatchObject({ at: 0 });
  });

  it('a missing action step sharing its number with a message step stands before that message', () => {
    const run = handRun();
    const rows = rowsOf({ ...run, actions: [{ step: { n: 5, lifeline: 1, action: 'routed' } }] });
    expect(texts(rows).slice(0, 4)).toEqual(['1. MESSAGE', '2. MESSAGE', '5. ✗ missing: routed', 'deferred (1 held)']);
  });

  it('a missing action step in a branch follows the message of the step it names, wherever that stands', () => {
    // Steps 1 and 2 of an unordered pair, 2 sent first: the branch after step 2 starts at its message.
    const run = handRun();
    const [m1, m2] = run.projection.messages;
    const rows = rowsOf({
      ...run,
      alignment: [
        { kind: 'ok', step: { n: 2, from: 0, to: 1, request: 'MESSAGE' }, actual: m1! },
        { kind: 'ok', step: { n: 1, from: 1, to: 2, request: 'MESSAGE' }, actual: m2! },
      ],
      actions: [{ step: { n: 3, lifeline: 1, action: 'routed', after: 2 } }],
    });
    expect(texts(rows).slice(0, 3)).toEqual(['2. MESSAGE', '3. ✗ missing: routed', '1. MESSAGE']);
  });

  it('rows come in event order whatever order the alignment lists them in', () => {
    const run = handRun();
    const reversed = rowsOf({ ...run, alignment: [...run.alignment.filter((a) => a.kind !== 'missing')].reverse() });
    expect(messageRows(reversed).map((r) => r.eventId)).toEqual([1, 2, 4, 5, 6, 8]);
  });
});

describe('the rows of a run with no figure steps', () => {
  // With no steps every message is unexpected; the actions' notes found in a run that had steps stay unnumbered.
  const run = handRun();
  const rows = rowsOf({ ...run, alignment: run.projection.messages.map((actual) => ({ kind: 'unexpected', actual })) }, false);

  it('every message and note as it happened: nothing marked, numbered in order, no missing action drawn', () => {
    expect(texts(rows, true)).toEqual(['1. MESSAGE', '2. MESSAGE', 'deferred (1 held)', '3. 200 OK (MESSAGE)', '4. 200 OK (MESSAGE)', '5. OPTIONS', 'routed Via core', '6. OPTIONS']);
    for (const r of rows) {
      expect(r).not.toHaveProperty('step');
      expect(r).not.toHaveProperty('mark');
    }
  });

  it('the view of such a run: a figure of no steps draws its messages unmarked', () => {
    const view = flowView({ ...run, steps: 0, alignment: run.projection.messages.map((actual) => ({ kind: 'unexpected', actual })) });
    expect(texts(view.rows, !view.checked).slice(0, 2)).toEqual(['1. MESSAGE', '2. MESSAGE']);
  });
});

describe('the kind a missing response step draws with', () => {
  const kindOf = (response: number | string): string => {
    const run = handRun();
    const rows = rowsOf({ ...run, alignment: [{ kind: 'missing', step: { n: 1, from: 1, to: 0, response } }], actions: [] });
    const row = messageRows(rows)[0]!;
    expect(row.response).toBe(true);
    return row.kind;
  };

  it('from its status or class', () => {
    expect([100, 180, '1xx', 200, '2xx', 302, '3xx', 404, '4xx', 503, 603].map(kindOf)).toEqual([
      'provisional',
      'provisional',
      'provisional',
      'success',
      'success',
      'redirect',
      'redirect',
      'error',
      'error',
      'error',
      'error',
    ]);
  });
});

describe('the view of a run', () => {
  // Built before each test, not once for the describe: Stryker credits a test only with the code
  // that runs while it runs.
  let view: FlowView;
  beforeEach(() => {
    view = flowView(handRun());
  });

  it('heading, title and figure apart, source and seed', () => {
    expect(view).toMatchObject({ heading: 'Hand-made — C.9, Figure 99', title: 'Hand-made', figureRef: 'C.9, Figure 99', source: 'hand.yaml', seed: 7, checked: true, passed: false });
    const bare = flowView({ ...handRun(), figure: undefined });
    expect(bare.heading).toBe('Hand-made');
    expect(bare).not.toHaveProperty('figureRef');
    expect(bare).not.toHaveProperty('error');
  });

  it('each row with the hosts of its event: a message its sender, receiver and arrival, a note its writer', () => {
    const first = view.rows[0] as ViewMessage;
    expect(first).toMatchObject({ fromHost: 'phone.alice.a.example', toHost: 'core.a.example', at: 1000, arriveAt: 1500 });
    const note = view.rows.find((r) => r.type === 'note' && r.eventId === 3);
    expect(note).toMatchObject({ host: 'cs.b.example' });
    const missing = view.rows.find((r) => r.type === 'message' && r.mark === 'missing');
    expect(missing).not.toHaveProperty('fromHost');
    expect(view.rows.find((r) => r.type === 'note' && r.mark === 'missing')).not.toHaveProperty('host');
  });

  it('the whole trace', () => {
    expect(view.events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('home networks', () => {
  const run = handRun();
  const withHosts = (hosts: string[][], domains = run.domains): FlowRun => ({
    ...run,
    domains,
    lifelines: hosts.map((h, i) => ({ name: NAMES[i] ?? `L${i}`, hosts: h, domains: [] })),
  });

  it('a lifeline is in the domain all its hosts end with; neighbours of one domain share a box', () => {
    const view = flowView(run);
    expect(view.lifelines.map((l) => l.domain)).toEqual(['a.example', 'a.example', 'b.example']);
    expect(view.lifelines[0]).toStrictEqual({ name: 'Client A', hosts: ['phone.alice.a.example'], domains: [], domain: 'a.example' });
    expect(view.groups).toEqual([
      { domain: 'a.example', first: 0, last: 1 },
      { domain: 'b.example', first: 2, last: 2 },
    ]);
  });

  it('the longest domain a host ends with, or is', () => {
    const view = flowView(withHosts([['cs.b.example'], ['b.example'], ['x.example']], ['b.example', 'example']));
    expect(view.lifelines.map((l) => l.domain)).toEqual(['b.example', 'b.example', 'example']);
    expect(flowView(withHosts([['cs.b.example']], ['example', 'b.example'])).lifelines[0]!.domain).toBe('b.example');
  });

  it('a lifeline with a host in another domain, or in none, is in no domain and in no box', () => {
    const view = flowView(withHosts([['phone.alice.a.example', 'cs.b.example'], ['core.a.example', 'elsewhere.net'], ['notb.example']]));
    for (const l of view.lifelines) expect(l).not.toHaveProperty('domain');
    expect(view.groups).toEqual([]);
  });

  it('a lifeline named by domain takes that domain', () => {
    const view = flowView({ ...run, lifelines: [{ name: 'B', hosts: [], domains: ['b.example'] }] });
    expect(view.lifelines[0]!.domain).toBe('b.example');
  });

  it('lifelines of one domain either side of one in no domain get a box each', () => {
    const view = flowView(withHosts([['phone.alice.a.example'], ['elsewhere.net'], ['core.a.example']]));
    expect(view.groups).toEqual([
      { domain: 'a.example', first: 0, last: 0 },
      { domain: 'a.example', first: 2, last: 2 },
    ]);
  });

  it('lifelines of one domain apart from each other get a box each', () => {
    const view = flowView(withHosts([['phone.alice.a.example'], ['cs.b.example'], ['core.a.example']]));
    expect(view.groups).toEqual([
      { domain: 'a.example', first: 0, last: 0 },
      { domain: 'b.example', first: 1, last: 1 },
      { domain: 'a.example', first: 2, last: 2 },
    ]);
  });
});

describe('the verdict', () => {
  const run = handRun();
  const verdictOf = (changes: Partial<FlowRun>): string => flowView({ ...run, ...changes }).verdict;
  const ok = run.alignment.filter((a) => a.kind === 'ok');

  it('a failed run counts missing steps (action steps among them), differing steps and unexpected messages', () => {
    expect(flowView(run).verdict).toBe('differs from the figure: 3 steps missing, 1 step differs, 1 unexpected message');
  });

  it('one of each, and two of each, in the singular and plural', () => {
    const [m4, m6] = [run.alignment[2]!, run.alignment[5]!];
    expect(verdictOf({ alignment: [...ok, run.alignment[4]!], actions: [] })).toBe('differs from the figure: 1 step missing');
    expect(verdictOf({ alignment: [m4, m4, m6, m6], actions: [] })).toBe('differs from the figure: 2 steps differ, 2 unexpected messages');
  });

  it('an optional step left out is not counted missing', () => {
    const optional = { kind: 'missing' as const, step: { n: 9, from: 0, to: 1, request: 'INFO', optional: true } };
    expect(verdictOf({ alignment: [...run.alignment, optional] })).toBe('differs from the figure: 3 steps missing, 1 step differs, 1 unexpected message');
  });

  it('the rules broken beyond the steps, and the error, after the counts', () => {
    expect(verdictOf({ broken: ['never: a BYE was sent', 'within: step 2 late'], error: 'run stopped' })).toBe(
      'differs from the figure: 3 steps missing, 1 step differs, 1 unexpected message, never: a BYE was sent, within: step 2 late, run stopped',
    );
    expect(verdictOf({ alignment: ok, actions: [], error: 'run stopped' })).toBe('differs from the figure: run stopped');
    expect(flowView({ ...run, error: 'run stopped' }).error).toBe('run stopped');
  });

  it('a passed run: how many steps, less the optional ones left out, which it names', () => {
    const found = run.actions.slice(0, 1);
    expect(verdictOf({ alignment: ok, actions: found, steps: 4, passed: true })).toBe('4 steps as in the figure');
    expect(verdictOf({ alignment: ok.slice(0, 1), actions: [], steps: 1, passed: true })).toBe('1 step as in the figure');
    const left = (n: number) => ({ kind: 'missing' as const, step: { n, from: 0, to: 1, request: 'INFO', optional: true } });
    expect(verdictOf({ alignment: [...ok, left(6)], actions: found, steps: 5, passed: true })).toBe('4 steps as in the figure (1 optional step left out)');
    expect(verdictOf({ alignment: [...ok, left(6), left(7)], actions: found, steps: 6, passed: true })).toBe('4 steps as in the figure (2 optional steps left out)');
    expect(verdictOf({ alignment: [left(1)], actions: [], steps: 1, passed: true })).toBe('0 steps as in the figure (1 optional step left out)');
  });

  it('a run with no figure steps says so, with its error', () => {
    expect(verdictOf({ steps: 0 })).toBe('no figure steps to check');
    expect(verdictOf({ steps: 0, error: 'run stopped' })).toBe('no figure steps to check; run stopped');
    expect(flowView({ ...run, steps: 0 }).checked).toBe(false);
  });
});

describe('the text on an arrow or a note', () => {
  const message = (row: Partial<ViewMessage>): ViewMessage => ({ type: 'message', seq: 3, at: 0, from: 0, to: 1, label: '200 OK (MESSAGE)', kind: 'success', response: true, ...row });

  it('numbered by the figure step, else by position when asked, else not at all', () => {
    expect(arrowText(message({ step: 7 }), true)).toBe('7. 200 OK (MESSAGE)');
    expect(arrowText(message({}), true)).toBe('3. 200 OK (MESSAGE)');
    expect(arrowText(message({}), false)).toBe('200 OK (MESSAGE)');
  });

  it('a failure in words, unless the format marks it beside the arrow', () => {
    const mismatch = message({ step: 7, mark: 'mismatch', expectedLabel: '202' });
    expect(arrowText(mismatch, false)).toBe('7. 200 OK (MESSAGE) ✗ figure: 202');
    expect(arrowText(mismatch, false, false)).toBe('7. 200 OK (MESSAGE)');
    expect(arrowText(message({ step: 7, mark: 'mismatch' }), false)).toBe('7. 200 OK (MESSAGE) ✗ figure: ');
    expect(arrowText(message({ mark: 'unexpected' }), true)).toBe('+ 200 OK (MESSAGE) (not in the figure)');
    expect(arrowText(message({ step: 7, mark: 'ok' }), false)).toBe('7. 200 OK (MESSAGE)');
  });

  it('a missing step by what the figure names, its body included', () => {
    expect(arrowText(message({ step: 6, mark: 'missing', label: 'BYE', expectedLabel: 'BYE [text/plain]' }), false)).toBe('6. ✗ missing: BYE [text/plain]');
    expect(arrowText(message({ step: 6, mark: 'missing', label: 'BYE', expectedLabel: 'BYE [text/plain]' }), false, false)).toBe('6. BYE [text/plain]');
    expect(arrowText(message({ step: 6, mark: 'missing', label: 'BYE' }), false)).toBe('6. ✗ missing: BYE');
    expect(arrowText(message({ step: 6, label: 'BYE', expectedLabel: 'BYE [text/plain]' }), false)).toBe('6. BYE');
  });

  it('a note numbered by its action step; a missing one says so unless the format marks it', () => {
    const note: ViewNote = { type: 'note', at: 0, lifeline: 0, text: 'deferred' };
    expect(noteText(note)).toBe('deferred');
    expect(noteText({ ...note, step: 4, mark: 'ok' })).toBe('4. deferred');
    expect(noteText({ ...note, step: 4, mark: 'missing' })).toBe('4. ✗ missing: deferred');
    expect(noteText({ ...note, step: 4, mark: 'missing' }, false)).toBe('4. deferred');
  });
});
