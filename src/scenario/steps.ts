/** The `expect:` section: the numbered steps of the spec figure that the run must reproduce. */
import type { ExpectSpec, StepSpec } from './spec.js';
import { hint } from './suggest.js';
import type { Mapping, Value } from './yaml-reader.js';

const STEP_FIELDS = ['n', 'from', 'to', 'request', 'response', 'body', 'note'];
const METHOD = /^[A-Z]+$/;
const STATUS_CLASS = /^[1-6]xx$/i;
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

export function readExpect(value: Value, lifelines: string[]): ExpectSpec {
  const expect = value.map(['from', 'steps']);
  const steps = expect
    .require('steps')
    .list()
    .map((item, index) => readStep(item, index + 1, lifelines));
  return { fromUs: expect.get('from')?.duration() ?? 0, steps };
}

function readStep(value: Value, expectedN: number, lifelines: string[]): StepSpec {
  const step = value.map(STEP_FIELDS);
  const nValue = step.require('n');
  const n = nValue.integer();
  if (n !== expectedN) nValue.fail(`step numbers must run 1, 2, 3...: expected ${expectedN}, found ${n}`);
  const from = lifeline(step.require('from'), lifelines);
  const to = lifeline(step.require('to'), lifelines);
  const message = readMessage(step);
  const body = step.get('body');
  const note = step.get('note')?.text();
  return {
    n,
    from,
    to,
    ...message,
    ...(body && { body: mediaType(body) }),
    ...(note !== undefined && { note }),
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
  if (METHOD.test(text)) return text;
  const upper = text.toUpperCase();
  const suggestion = METHOD.test(upper) ? `; did you mean '${upper}'?` : '';
  return value.fail(`'${text}' is not a SIP method: methods are uppercase letters, e.g. MESSAGE${suggestion}`);
}

/** A status code (also when quoted) or a class such as `2xx`. */
function status(value: Value): number | string {
  const text = value.scalarText() ?? '';
  if (STATUS_CLASS.test(text)) return text.toLowerCase();
  const code = /^\d{3}$/.test(text) ? Number(text) : NaN;
  if (code >= 100 && code <= 699) return code;
  return value.fail(`expected a status code from 100 to 699 or a class like 2xx, got ${value.describe()}`);
}

function mediaType(value: Value): string {
  const text = value.string();
  if (!MEDIA_TYPE.test(text)) value.fail(`'${text}' is not a media type like message/cpim`);
  return text;
}
