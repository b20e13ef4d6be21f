/** The `timeline:` section: user actions at virtual times. */
import { ACTIONS as ACTION_SHAPES, ACTION_FIELDS, TIMELINE_ENTRY, fieldNames } from './shape.js';
import type { DispositionRequest } from '../bodies/imdn.js';
import { formatDuration } from './duration.js';
import type { Directory } from './refs.js';
import type { Action, TimelineEntry } from './spec.js';
import { ScenarioError } from './errors.js';
import type { SpecPath } from './spec.js';
import { readMediaTypes } from './network.js';
import { formatPath, type Value } from './yaml-reader.js';

const ACTIONS = fieldNames(ACTION_SHAPES);
const DISPOSITIONS = [
  'positive-delivery',
  'negative-delivery',
  'display',
  'processing',
] as const satisfies readonly DispositionRequest[];

function isDisposition(text: string): text is DispositionRequest {
  return (DISPOSITIONS as readonly string[]).includes(text);
}

/** Entries in file order, which must be time order: a timeline is read top to bottom, as it runs. */
export function readTimeline(value: Value, directory: Directory, untilUs: number, rtp = false): TimelineEntry[] {
  let previousUs = 0;
  const entries = value.list().map((item: Value): TimelineEntry => {
    const fields = item.map(fieldNames(TIMELINE_ENTRY));
    const atValue = fields.require('at');
    const atUs = atValue.duration();
    if (atUs > untilUs) atValue.fail(`${formatDuration(atUs)} is after limits.until (${formatDuration(untilUs)})`);
    if (atUs < previousUs) atValue.fail(`${formatDuration(atUs)} is earlier than the entry before it (${formatDuration(previousUs)}); list the timeline in time order`);
    previousUs = atUs;
    const actions = fields.entries.filter((entry) => entry.name !== 'at');
    const [first, second] = actions;
    if (!first) item.fail(`a timeline entry needs an action: ${ACTIONS.join(', ')}`);
    if (second) {
      const found = actions.map((action) => action.name).join(' and ');
      fields.failAtKey(second.name, `a timeline entry has one action, found ${found}`);
    }
    if (first.name === 'talk' && !rtp) fields.failAtKey('talk', 'talk sends RTP, which a network sends only with rtp: true (network.rtp)');
    return { atUs, action: readAction(first.name, first.value, directory), path: item.path };
  });
  checkLabels(entries, value);
  return entries;
}

/**
 * Message labels are unique, and a reply or a read names a message sent before it; session labels
 * are unique, and every session action names a session invited before it.
 */
function checkLabels(entries: TimelineEntry[], timeline: Value): void {
  const labels = new Set<string>();
  const sessions = new Set<string>();
  for (const entry of entries) {
    const a = entry.action;
    if (a.kind === 'invite') {
      if (sessions.has(a.id)) failAt(timeline, [...entry.path, a.kind, 'id'], `session label '${a.id}' is used twice`);
      sessions.add(a.id);
    }
    if ('session' in a && !sessions.has(a.session)) {
      failAt(timeline, [...entry.path, a.kind, 'session'], `no session labelled '${a.session}' is invited before this (give an invite an id: ${a.session})`);
    }
    const ref = a.kind === 'reply' ? a.to : a.kind === 'read' ? a.message : a.kind === 'invite' ? a.replyTo : undefined;
    if (ref !== undefined && !labels.has(ref)) {
      const field = a.kind === 'reply' ? 'to' : a.kind === 'invite' ? 'reply-to' : 'message';
      failAt(timeline, [...entry.path, a.kind, field], `no message labelled '${ref}' is sent before this (give a send an id: ${ref})`);
    }
    if ((a.kind === 'send' || a.kind === 'reply' || a.kind === 'non-cpm-send') && a.id !== undefined) {
      if (labels.has(a.id)) failAt(timeline, [...entry.path, a.kind, 'id'], `message label '${a.id}' is used twice`);
      labels.add(a.id);
    }
  }
}

/** An error at a node found by path after reading (the timeline is checked as a whole). */
function failAt(timeline: Value, path: SpecPath, reason: string): never {
  const { file, line, col } = timeline.source.locate(path);
  throw new ScenarioError(file, line, col, `${formatPath(path)}: ${reason}`);
}

function readAction(kind: string, value: Value, directory: Directory): Action {
  if (kind === 'register' && value.isMap) {
    const fields = value.map(fieldNames(ACTION_FIELDS.register));
    const password = fields.get('password')?.text();
    const media = fields.get('media');
    return {
      kind,
      devices: directory.simulatedDevices(fields.require('devices')),
      ...(password !== undefined && { password }),
      ...(media !== undefined && { media: readMediaTypes(media) }),
    };
  }
  if (kind === 'register' || kind === 'deregister' || kind === 'subscribe-reg') return { kind, devices: directory.simulatedDevices(value) };
  switch (kind) {
    case 'read': {
      const read = value.map(fieldNames(ACTION_FIELDS.read));
      return { kind, device: directory.simulatedDevice(read.require('device')), message: read.require('message').string() };
    }
    case 'reply': {
      const reply = value.map(fieldNames(ACTION_FIELDS.reply));
      const id = reply.get('id')?.string();
      return {
        kind,
        from: directory.simulatedDevice(reply.require('from')),
        to: reply.require('to').string(),
        text: reply.require('text').text(),
        notify: readNotify(reply.get('notify')),
        ...(id !== undefined && { id }),
      };
    }
    case 'send': {
      const send = value.map(fieldNames(ACTION_FIELDS.send));
      const id = send.get('id')?.string();
      const expiresValue = send.get('expires');
      const contentType = send.get('content-type')?.string();
      return {
        kind,
        from: directory.simulatedDevice(send.require('from')),
        to: directory.target(send.require('to')),
        text: send.require('text').text(),
        notify: readNotify(send.get('notify')),
        ...(id !== undefined && { id }),
        ...(expiresValue !== undefined && { expiresSeconds: wholeSeconds(expiresValue) }),
        ...(send.get('privacy')?.boolean() === true && { privacy: true }),
        ...(contentType !== undefined && { contentType }),
      };
    }
    case 'inject': {
      const inject = value.map(fieldNames(ACTION_FIELDS.inject));
      const wireValue = inject.require('wire');
      const wire = wireValue.text();
      if (!/^[A-Z]+ \S+ SIP\/2\.0\r?\n/.test(wire)) wireValue.fail('wire must start with a request line, e.g. MESSAGE sip:bob@b.example SIP/2.0');
      return { kind, from: directory.simulatedDevice(inject.require('from')), wire };
    }
    case 'non-cpm-send': {
      const send = value.map(fieldNames(ACTION_FIELDS['non-cpm-send']));
      const id = send.get('id')?.string();
      return {
        kind,
        from: directory.nonCpmUser(send.require('from')),
        to: directory.target(send.require('to')),
        text: send.require('text').text(),
        deliveryReport: send.get('delivery-report')?.boolean() ?? false,
        ...(id !== undefined && { id }),
      };
    }
    case 'handset-off':
    case 'handset-on':
      return { kind, users: value.oneOrMany().map((item) => directory.nonCpmUser(item, 'sms')) };
    case 'retrieve-deferred':
    case 'offline':
    case 'online':
      return { kind, devices: directory.simulatedDevices(value) };
    case 'invite': {
      const invite = value.map(fieldNames(ACTION_FIELDS.invite));
      const media = invite.get('media');
      const simplex = invite.get('simplex')?.boolean() === true;
      const floorControl = invite.get('floor-control')?.boolean() === true;
      const replyTo = invite.get('reply-to')?.string();
      const privacy = invite.get('privacy')?.boolean() === true;
      return {
        kind,
        from: directory.simulatedDevice(invite.require('from')),
        to: inviteTargets(invite.require('to'), directory),
        media: media === undefined ? ['message'] : readMediaTypes(media),
        id: invite.require('id').string(),
        ...(simplex && { simplex: true }),
        ...(floorControl && { floorControl: true }),
        ...(replyTo !== undefined && { replyTo }),
        ...(privacy && { privacy: true }),
      };
    }
    case 'leave':
    case 'rejoin':
    case 'cancel': {
      const fields = value.map(fieldNames(ACTION_FIELDS[kind]));
      return { kind, device: directory.simulatedDevice(fields.require('device')), session: fields.require('session').string() };
    }
    case 'add':
    case 'remove': {
      const change = value.map(fieldNames(ACTION_FIELDS[kind]));
      const users = change.require('users');
      const targets = users.oneOrMany().map((item) => directory.target(item));
      if (targets.length === 0) users.fail('lists no users');
      return { kind, from: directory.simulatedDevice(change.require('from')), session: change.require('session').string(), users: targets };
    }
    case 'modify': {
      const modify = value.map(fieldNames(ACTION_FIELDS.modify));
      return { kind, from: directory.simulatedDevice(modify.require('from')), session: modify.require('session').string(), media: readMediaTypes(modify.require('media')) };
    }
    case 'subscribe-participants': {
      const subscribe = value.map(fieldNames(ACTION_FIELDS['subscribe-participants']));
      const expires = subscribe.get('expires');
      return {
        kind,
        from: directory.simulatedDevice(subscribe.require('from')),
        session: subscribe.require('session').string(),
        ...(expires !== undefined && { expiresSeconds: wholeSeconds(expires) }),
      };
    }
    case 'say': {
      const say = value.map(fieldNames(ACTION_FIELDS.say));
      const report = say.get('success-report')?.boolean();
      return { kind, from: directory.simulatedDevice(say.require('from')), session: say.require('session').string(), text: say.require('text').text(), ...(report === true && { successReport: true }) };
    }
    case 'talk': {
      const talk = value.map(fieldNames(ACTION_FIELDS.talk));
      const forValue = talk.require('for');
      const durationUs = forValue.duration();
      if (durationUs <= 0) forValue.fail('a talkspurt lasts longer than 0s');
      return { kind, from: directory.simulatedDevice(talk.require('from')), session: talk.require('session').string(), durationUs };
    }
    case 'app-send': {
      const send = value.map(fieldNames(ACTION_FIELDS['app-send']));
      const behalf = send.get('on-behalf-of');
      return {
        kind,
        from: directory.application(send.require('from')),
        to: directory.target(send.require('to')),
        text: send.require('text').text(),
        ...(behalf !== undefined && { onBehalfOf: `sip:${directory.userAddress(behalf)}` }),
      };
    }
    case 'app-reply': {
      const reply = value.map(fieldNames(ACTION_FIELDS['app-reply']));
      return { kind, from: directory.application(reply.require('from')), text: reply.require('text').text() };
    }

    default:
      return value.fail(`unknown action '${kind}'`);
  }
}

/** One address, or a list of at least two users: an Ad-hoc Group (CPM 5.2.3.2.1.1). */
function inviteTargets(value: Value, directory: Directory): string | string[] {
  if (!value.isList) return directory.target(value);
  const targets = value.list().map((item) => directory.target(item));
  if (targets.length < 2) value.fail('an Ad-hoc Group session invites at least two users; name one user without a list');
  return targets;
}

/** RFC 3428 8: Expires counts whole seconds. */
function wholeSeconds(value: Value): number {
  const us = value.duration();
  if (us % 1_000_000 !== 0) value.fail(`expires is a whole number of seconds, got ${formatDuration(us)}`);
  return us / 1_000_000;
}

export function readNotify(value: Value | undefined): DispositionRequest[] {
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
