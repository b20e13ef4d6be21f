/** The `expect:` section: the numbered steps of the spec figure that the run must reproduce. */
import { BFCP_PRIMITIVES, REQUEST_STATUSES } from '../bfcp/message.js';
import { COMMAND_IDS } from '../smpp/pdu.js';
import type { Directory } from './refs.js';
import type { ActionStepSpec, ExpectSpec, MatcherSpec, StepSpec } from './spec.js';
import { hint } from './suggest.js';
import type { Mapping, Value } from './yaml-reader.js';

const STEP_FIELDS = ['n', 'from', 'to', 'request', 'response', 'of', 'body', 'note', 'at', 'action', 'after'];
const METHOD = /^[A-Z]+$/;
/** SMPP 3.4 command names, e.g. submit_sm (their responses end in _resp), and an SMTP client's connect and content. */
const SMPP_COMMANDS = [...Object.keys(COMMAND_IDS), 'connect', 'content'];
const STATUS_CLASS = /^[1-6]xx$/i;
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

export function readExpect(value: Value, lifelines: string[], directory: Directory): ExpectSpec {
  const expect = value.map(['from', 'steps', 'ignore', 'under-faults']);
  const steps: StepSpec[] = [];
  const actions: ActionStepSpec[] = [];
  let last = 0;
  for (const item of expect.require('steps').list()) {
    const step = readStep(item, last, lifelines);
    last = step.n;
    if ('action' in step) actions.push(step);
    else steps.push(step);
  }
  const ignore = (expect.get('ignore')?.list() ?? []).map((item) => readMatcher(item, lifelines, directory));
  return { fromUs: expect.get('from')?.duration() ?? 0, steps, actions, ignore, underFaults: expect.get('under-faults')?.boolean() ?? false };
}

const MATCHER_FIELDS = ['from', 'to', 'request', 'response', 'of', 'body', 'user'];

export function readMatcher(value: Value, lifelines: string[], directory: Directory): MatcherSpec {
  const m = value.map(MATCHER_FIELDS);
  if (m.entries.length === 0) value.fail(`a message pattern needs at least one of: ${MATCHER_FIELDS.join(', ')}`);
  const from = m.get('from');
  const to = m.get('to');
  const request = m.get('request');
  const response = m.get('response');
  const body = m.get('body');
  const user = m.get('user');
  const of = m.get('of');
  if (request && response) m.failAtKey('response', 'a pattern is a request or a response, not both');
  return {
    ...(of && { of: method(of) }),
    ...(from && { from: lifeline(from, lifelines) }),
    ...(to && { to: lifeline(to, lifelines) }),
    ...(request && { request: method(request) }),
    ...(response && { response: status(response) }),
    ...(body && { body: mediaType(body) }),
    ...(user && { user: directory.userAddress(user) }),
    path: value.path,
  };
}

/**
 * One step; `previous` is the number of the step before it. Numbers run 1, 2, 3..., and a number
 * repeats for a step the figure draws as several arrows (C.2.1.2.3 step 12).
 */
function readStep(value: Value, previous: number, lifelines: string[]): StepSpec | ActionStepSpec {
  const step = value.map(STEP_FIELDS);
  const nValue = step.require('n');
  const n = nValue.integer();
  if (n !== previous + 1 && (n !== previous || previous === 0)) {
    nValue.fail(`step numbers must run 1, 2, 3... (a number may repeat for a step of several arrows): expected ${previous === 0 ? 1 : `${previous} or ${previous + 1}`}, found ${n}`);
  }
  const afterValue = step.get('after');
  const after = afterValue?.integer();
  if (afterValue !== undefined && (after! < 1 || after! >= n)) afterValue.fail(`after names an earlier step, 1 to ${n - 1}`);
  const actionValue = step.get('action');
  if (actionValue !== undefined || step.get('at') !== undefined) {
    for (const name of ['from', 'to', 'request', 'response', 'of', 'body']) {
      if (step.get(name) !== undefined) step.failAtKey(name, `an action step (at, action) is not a message: '${name}' does not belong here`);
    }
    const action = (actionValue ?? step.value.fail("an action step needs 'action': text of the entity's note, e.g. deferred")).text();
    return { n, at: lifeline(step.require('at'), lifelines), action, ...(after === undefined ? {} : { after }), path: value.path };
  }
  const from = lifeline(step.require('from'), lifelines);
  const to = lifeline(step.require('to'), lifelines);
  const message = readMessage(step);
  const body = step.get('body');
  const note = step.get('note')?.text();
  const of = step.get('of');
  return {
    n,
    from,
    to,
    ...message,
    ...(of && { of: method(of) }),
    ...(body && { body: mediaType(body) }),
    ...(note !== undefined && { note }),
    ...(after === undefined ? {} : { after }),
    path: value.path,
  };
}

function lifeline(value: Value, lifelines: string[]): string {
  const name = value.string();
  if (!lifelines.includes(name)) value.fail(`unknown lifeline '${name}'${hint(name, lifelines, 'lifelines are')}`);
  return name;
}

function readMessage(step: Mapping): { request: string } | { response: number | string } {
  const request = step.get('request');
  const response = step.get('response');
  if (request && response) step.failAtKey('response', 'a step is a request or a response, not both');
  if (request) return { request: method(request) };
  if (response) return { response: status(response) };
  return step.value.fail('a step needs a request (e.g. MESSAGE) or a response (e.g. 200)');
}

function method(value: Value): string {
  const text = value.string();
  if (METHOD.test(text) || (SMPP_COMMANDS.includes(text) && !text.endsWith('_resp')) || text in BFCP_PRIMITIVES) return text;
  const upper = text.toUpperCase();
  const suggestion = METHOD.test(upper) ? `; did you mean '${upper}'?` : '';
  return value.fail(`'${text}' is not a SIP method (uppercase letters, e.g. MESSAGE) or an SMPP command (e.g. submit_sm)${suggestion}`);
}

/** A status code (also when quoted) or a class such as `2xx`. */
function status(value: Value): number | string {
  const text = value.scalarText() ?? '';
  if (STATUS_CLASS.test(text)) return text.toLowerCase();
  if (SMPP_COMMANDS.includes(text) && text.endsWith('_resp')) return text;
  // RFC 4582 5.2.5: a FloorRequestStatus is matched by its request status.
  if (text in REQUEST_STATUSES) return text;
  const code = /^\d{3}$/.test(text) ? Number(text) : NaN;
  if (code >= 100 && code <= 699) return code;
  return value.fail(`expected a status code from 100 to 699, a class like 2xx or an SMPP response like submit_sm_resp, got ${value.describe()}`);
}

function mediaType(value: Value): string {
  const text = value.string();
  if (!MEDIA_TYPE.test(text)) value.fail(`'${text}' is not a media type like message/cpim`);
  return text;
}
