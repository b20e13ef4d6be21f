/** The `timeline:` section: user actions at virtual times. */
import type { DispositionRequest } from '../bodies/imdn.js';
import { formatDuration } from './duration.js';
import type { Directory } from './refs.js';
import type { Action, TimelineEntry } from './spec.js';
import type { Value } from './yaml-reader.js';

const ACTIONS = ['register', 'deregister', 'subscribe-reg', 'send'] as const;
const DISPOSITIONS = [
  'positive-delivery',
  'negative-delivery',
  'display',
  'processing',
] as const satisfies readonly DispositionRequest[];

function isDisposition(text: string): text is DispositionRequest {
  return (DISPOSITIONS as readonly string[]).includes(text);
}

/** Entries sorted by time; same-time entries keep their file order. */
export function readTimeline(value: Value, directory: Directory, untilUs: number): TimelineEntry[] {
  const entries = value.list().map((item: Value): TimelineEntry => {
    const fields = item.map(['at', ...ACTIONS]);
    const atValue = fields.require('at');
    const atUs = atValue.duration();
    if (atUs > untilUs) atValue.fail(`${formatDuration(atUs)} is after limits.until (${formatDuration(untilUs)})`);
    const actions = fields.entries.filter((entry) => entry.name !== 'at');
    const [first, second] = actions;
    if (!first) item.fail(`a timeline entry needs an action: ${ACTIONS.join(', ')}`);
    if (second) {
      const found = actions.map((action) => action.name).join(' and ');
      fields.failAtKey(second.name, `a timeline entry has one action, found ${found}`);
    }
    return { atUs, action: readAction(first.name, first.value, directory), path: item.path };
  });
  return entries.sort((a, b) => a.atUs - b.atUs);
}

function readAction(kind: string, value: Value, directory: Directory): Action {
  if (kind === 'register' && value.isMap) {
    const fields = value.map(['devices', 'password']);
    const password = fields.get('password')?.text();
    return { kind, devices: directory.devices(fields.require('devices')), ...(password !== undefined && { password }) };
  }
  if (kind === 'register' || kind === 'deregister' || kind === 'subscribe-reg') return { kind, devices: directory.devices(value) };
  const send = value.map(['from', 'to', 'text', 'notify']);
  return {
    kind: 'send',
    from: directory.device(send.require('from')),
    to: directory.target(send.require('to')),
    text: send.require('text').text(),
    notify: readNotify(send.get('notify')),
  };
}

function readNotify(value: Value | undefined): DispositionRequest[] {
  const requests: DispositionRequest[] = [];
  for (const item of value?.oneOrMany() ?? []) {
    const request = disposition(item);
    if (requests.includes(request)) item.fail(`${request} is listed twice`);
    requests.push(request);
  }
  return requests;
}

function disposition(value: Value): DispositionRequest {
  const text = value.string();
  if (isDisposition(text)) return text;
  return value.fail(`unknown notify value '${text}'; allowed: ${DISPOSITIONS.join(', ')}`);
}
