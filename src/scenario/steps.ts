/** The `expect:` section: the numbered steps of the spec figure that the run must reproduce. */
import { EXPECT, MATCHER, STEP, TEXT_MATCH_FORMS, fieldNames } from './shape.js';
import { NOTE_KIND_NAMES, isNoteKind } from '../trace/note-kinds.js';
import type { Directory } from './refs.js';
import type { ActionStepSpec, ExpectSpec, HeaderMatchSpec, MatcherSpec, StepSpec, TextMatchSpec } from './spec.js';
import { hint } from './suggest.js';
import type { Mapping, Value } from './yaml-reader.js';

import { BFCP_STATUSES, IMPS_RESPONSES, MM7_RESPONSES, REQUEST_NAMES, SIP_METHODS, SMPP_RESPONSES, isKnownStatus } from './vocabulary.js';
import { formatPath } from './yaml-reader.js';

const STEP_FIELDS = fieldNames(STEP);
const STATUS_CLASS = /^[1-6]xx$/i;
/** RFC 3261 25.1 token. */
const HEADER_NAME = /^[A-Za-z0-9!%*_+`'~.-]+$/;
const CAPTURE_NAME = /^[a-z][a-z0-9-]*$/;
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[*+?}](?:[^()\\]|\\.)*\)(?:[*+?]|\{\d)/;
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

export function readExpect(value: Value, lifelines: string[], directory: Directory): ExpectSpec {
  const expect = value.map(fieldNames(EXPECT));
  const steps: StepSpec[] = [];
  const actions: ActionStepSpec[] = [];
  let last = 0;
  const closedGroups = new Set<string>();
  let openGroup: string | undefined;
  const captures = new Set<string>();
  for (const item of expect.require('steps').list()) {
    const step = readStep(item, last, lifelines, captures);
    last = step.n;
    // An unordered group is one run of neighbouring steps: its label may not come back later.
    const group = 'unordered' in step ? step.unordered : undefined;
    if (group !== openGroup && openGroup !== undefined) closedGroups.add(openGroup);
    if (group !== undefined && closedGroups.has(group)) item.map().get('unordered')!.fail(`the steps of unordered group '${group}' must stand next to each other`);
    openGroup = group;
    if ('action' in step) actions.push(step);
    else steps.push(step);
  }
  const ignoreValues = expect.get('ignore')?.list() ?? [];
  const ignore = ignoreValues.map((item) => readMatcher(item, lifelines, directory));
  ignore.forEach((pattern, i) => {
    const hidden = steps.find((step) => covers(pattern, step));
    if (hidden !== undefined) {
      ignoreValues[i]!.fail(`this pattern matches every message step ${hidden.n} (${formatPath(hidden.path)}) expects, so the step could never be matched; narrow the pattern or drop the step`);
    }
  });
  const never = (expect.get('never')?.list() ?? []).map((item) => readMatcher(item, lifelines, directory));
  return { fromUs: expect.get('from')?.duration() ?? 0, steps, actions, ignore, never, underFaults: expect.get('under-faults')?.boolean() ?? false };
}

const MATCHER_FIELDS = fieldNames(MATCHER);

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
    ...readContent(m, undefined),
    ...(of && { of: method(of, SIP_METHODS) }),
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
function readStep(value: Value, previous: number, lifelines: string[], captures: Set<string>): StepSpec | ActionStepSpec {
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
    for (const name of ['from', 'to', 'request', 'response', 'of', 'body', 'headers', 'body-text', 'within', 'optional', 'unordered', 'capture']) {
      if (step.get(name) !== undefined) step.failAtKey(name, `an action step (at, action) is not a message: '${name}' does not belong here`);
    }
    const kindValue = actionValue ?? step.value.fail("an action step needs 'action': the kind of the entity's note, e.g. deferred");
    const action = kindValue.string();
    if (!isNoteKind(action)) kindValue.fail(`unknown note kind '${action}'${hint(action, NOTE_KIND_NAMES, 'kinds are')}`);
    const textValue = step.get('text');
    const text = textValue?.text();
    return { n, at: lifeline(step.require('at'), lifelines), action, ...(text !== undefined && { text }), ...(after === undefined ? {} : { after }), path: value.path };
  }
  if (step.get('text') !== undefined) step.failAtKey('text', "'text' is the note text of an action step (at, action); a message step has no such field");
  const from = lifeline(step.require('from'), lifelines);
  const to = lifeline(step.require('to'), lifelines);
  const message = readMessage(step);
  const body = step.get('body');
  const note = step.get('note')?.text();
  const of = step.get('of');
  const withinValue = step.get('within');
  const within = withinValue?.duration();
  const optional = step.get('optional')?.boolean();
  const content = readContent(step, captures);
  const capture = readCapture(step.get('capture'), captures);
  const unorderedValue = step.get('unordered');
  const unordered = unorderedValue?.string();
  if (unorderedValue !== undefined && after !== undefined) unorderedValue.fail('a step of a branch (after) runs in order; unordered is for steps of the main line');
  return {
    ...(unordered !== undefined && { unordered }),
    ...content,
    ...(capture !== undefined && { capture }),
    ...(within !== undefined && { within }),
    ...(optional === true && { optional }),
    n,
    from,
    to,
    ...message,
    ...(of && { of: method(of, SIP_METHODS) }),
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

/** A request name of a simulated protocol: a SIP, MSRP or HTTP method, an SMTP verb, or an SMPP command. */
function method(value: Value, names: readonly string[] = REQUEST_NAMES): string {
  const text = value.string();
  if (names.includes(text)) return text;
  const what = names === SIP_METHODS ? 'a SIP method' : 'a request of a simulated protocol (SIP, MSRP or HTTP method, SMTP verb, SMPP command, RTP or RTCP packet, BFCP, MM7 or IMPS CSP primitive)';
  const upper = text.toUpperCase();
  const suggestion = names.includes(upper) ? `; did you mean '${upper}'?` : hint(text, names, 'known are');
  return value.fail(`'${text}' is not ${what}${suggestion}`);
}

/** A status code (also when quoted) a simulated protocol defines, a class such as `2xx`, or an SMPP response. */
function status(value: Value): number | string {
  // Stryker disable next-line StringLiteral: any fallback text that is no class, name or three digits gives the same error, which describes the value itself
  const text = value.scalarText() ?? '';
  if (STATUS_CLASS.test(text)) return text.toLowerCase();
  if (SMPP_RESPONSES.includes(text) || BFCP_STATUSES.includes(text) || MM7_RESPONSES.includes(text) || IMPS_RESPONSES.includes(text)) return text;
  const code = /^\d{3}$/.test(text) ? Number(text) : NaN;
  if (code >= 100 && code <= 699) {
    if (isKnownStatus(code)) return code;
    return value.fail(`${code} is not a status code of SIP (RFC 3261 21 and its extensions), SMTP, HTTP or MSRP; use a class like ${text[0]}xx for any of them`);
  }
  return value.fail(`expected a status code from 100 to 699, a class like 2xx or an SMPP response like submit_sm_resp, got ${value.describe()}`);
}

/**
 * Whether every message matching `step` also matches the ignore `pattern`: then the ignore rule
 * removes the step's messages before the steps are matched, and the step can never pass.
 */
function covers(pattern: MatcherSpec, step: StepSpec): boolean {
  if (pattern.user !== undefined || pattern.headers !== undefined || pattern.bodyText !== undefined) return false;
  if (pattern.from !== undefined && pattern.from !== step.from) return false;
  if (pattern.to !== undefined && pattern.to !== step.to) return false;
  if (pattern.request !== undefined && pattern.request !== step.request) return false;
  if (pattern.of !== undefined && pattern.of !== step.of) return false;
  if (pattern.body !== undefined && pattern.body.toLowerCase() !== step.body?.toLowerCase()) return false;
  if (pattern.response !== undefined) {
    if (step.response === undefined) return false;
    const want = String(pattern.response);
    const got = String(step.response);
    if (want !== got && !(/^\dxx$/.test(want) && /^\d/.test(got) && want[0] === got[0])) return false;
  }
  return true;
}

/** `capture: { name: Header }`: values this step keeps for later steps; names are new. */
function readCapture(value: Value | undefined, captures: Set<string>): { name: string; header: string }[] | undefined {
  if (value === undefined) return undefined;
  const entries = value.map().entries;
  if (entries.length === 0) value.fail('capture: name at least one header, as name: Header');
  return entries.map(({ name, keyOffset, value: header }) => {
    if (!CAPTURE_NAME.test(name)) value.source.fail(keyOffset, value.path, `'${name}' is not a capture name: lowercase letters, digits and dashes`);
    if (captures.has(name)) value.source.fail(keyOffset, value.path, `a value named '${name}' is already captured by an earlier step`);
    const headerName = header.string();
    if (!HEADER_NAME.test(headerName)) header.fail(`'${headerName}' is not a header name`);
    captures.add(name);
    return { name, header: headerName };
  });
}

/** `headers:` and `body-text:` of a step or pattern; `captures`: the values earlier steps captured (none for a pattern). */
function readContent(fields: Mapping, captures: Set<string> | undefined): { headers?: HeaderMatchSpec[]; bodyText?: TextMatchSpec } {
  const headersValue = fields.get('headers');
  const bodyValue = fields.get('body-text');
  const headers = headersValue?.map().entries.map(({ name, value }) => {
    if (!HEADER_NAME.test(name)) value.fail(`'${name}' is not a header name`);
    return { name, match: readTextMatch(value, captures) };
  });
  if (headers !== undefined && headers.length === 0) headersValue!.fail('headers: name at least one header');
  return { ...(headers !== undefined && { headers }), ...(bodyValue !== undefined && { bodyText: readTextMatch(bodyValue, undefined) }) };
}

/** A value exactly, or `{ regex: ... }`, `{ present: true }`, `{ absent: true }`. */
function readTextMatch(value: Value, captures: Set<string> | undefined): TextMatchSpec {
  if (!value.isMap) return { kind: 'exact', value: value.text() };
  const fields = value.map(fieldNames(TEXT_MATCH_FORMS));
  const [entry, extra] = fields.entries;
  if (entry === undefined || extra !== undefined) value.fail('a matcher is a value, or one of { regex: ... }, { present: true }, { absent: true }');
  if (entry.name === 'regex') return { kind: 'regex', source: regexSource(entry.value) };
  if (entry.name === 'captured') {
    const name = entry.value.string();
    if (captures === undefined) return entry.value.fail('only a step header can compare with a captured value');
    if (!captures.has(name)) entry.value.fail(`no step before this captures a value named '${name}'${hint(name, [...captures], 'captured are')}`);
    return { kind: 'captured', name };
  }
  if (!entry.value.boolean()) entry.value.fail(`write ${entry.name === 'present' ? '{ absent: true }' : '{ present: true }'} rather than ${entry.name}: false`);
  return { kind: entry.name === 'present' ? 'present' : 'absent' };
}

/**
 * A regular expression that compiles and has no quantified group holding a quantifier: JavaScript
 * backtracks, and `(a+)+` can take exponential time on a header of a run.
 */
function regexSource(value: Value): string {
  const source = value.string();
  try {
    new RegExp(source);
  } catch (e) {
    value.fail(`not a regular expression: ${(e as Error).message}`);
  }
  if (NESTED_QUANTIFIER.test(source)) value.fail('a quantified group holding a quantifier (like (a+)+) can take exponential time; write it without nesting');
  return source;
}

function mediaType(value: Value): string {
  const text = value.string();
  if (!MEDIA_TYPE.test(text)) value.fail(`'${text}' is not a media type like message/cpim`);
  return text;
}
