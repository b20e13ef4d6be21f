/** Reads a load file (docs/load.md) into a validated LoadSpec; every problem is a located ScenarioError. */
import { readFileSync } from 'node:fs';
import { MS, SECOND } from '../kernel/time.js';
import { ScenarioError } from '../scenario/errors.js';
import { readPolicy, readPreferences } from '../scenario/network.js';
import { readNotify } from '../scenario/timeline.js';
import { Source, type Mapping, type Value } from '../scenario/yaml-reader.js';
import type { ChurnModel, LoadSpec, PagerModel, PopulationSpec, SessionModel, TrafficSpec } from './spec.js';

const FIELDS = ['title', 'description', 'seed', 'duration', 'population', 'traffic', 'metrics', 'limits'];
const DEVICE_NAME = /^[A-Za-z0-9_-]+$/;
/** Aliases are tel:+1DDDUUUUUUU: three digits of domain, seven of user (E.164 allows 15 digits). */
export const MAX_DOMAINS = 999;
export const MAX_USERS_PER_DOMAIN = 9_999_999;
const DEFAULT_LENGTH = 20;
const DEFAULT_MAX_EVENTS = 2_000_000_000;

export function loadLoadFile(path: string): LoadSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ScenarioError(path, 1, 1, 'no such file');
    if (code === 'EISDIR') throw new ScenarioError(path, 1, 1, 'is a folder, not a load file');
    throw new ScenarioError(path, 1, 1, `cannot read the file (${code ?? String(err)})`);
  }
  return loadLoadText(text, path);
}

export function loadLoadText(text: string, file: string): LoadSpec {
  const root = Source.parse(text, file).root().map(FIELDS);
  const titleValue = root.require('title');
  const title = titleValue.text();
  if (title.trim() === '') titleValue.fail('the title is empty');
  const seedValue = root.get('seed');
  const seed = seedValue?.integer() ?? 1;
  if (seedValue && seed < 0) seedValue.fail('the seed must not be negative');
  const durationValue = root.require('duration');
  const durationUs = durationValue.duration();
  if (durationUs === 0) durationValue.fail('the duration must be longer than 0s');
  const population = readPopulation(root.require('population'));
  const traffic = readTraffic(root.require('traffic'), population, durationUs);
  const metrics = root.get('metrics')?.map(['sample']);
  const sampleValue = metrics?.get('sample');
  const sampleUs = sampleValue?.duration() ?? 10 * SECOND;
  if (sampleValue && sampleUs < 1 * MS) sampleValue.fail('sample at most every 1ms');
  const limits = root.get('limits')?.map(['max-events']);
  const maxValue = limits?.get('max-events');
  const maxEvents = maxValue?.integer() ?? DEFAULT_MAX_EVENTS;
  if (maxValue && maxEvents < 1) maxValue.fail('max-events must be at least 1');
  return { file, title, seed, durationUs, population, traffic, sampleUs, maxEvents };
}

function count(fields: Mapping, name: string, min: number, max: number, fallback?: number): number {
  const value = fields.get(name);
  if (value === undefined) {
    if (fallback === undefined) return fields.value.fail(`missing required field '${name}'`);
    return fallback;
  }
  const n = value.integer();
  if (n < min || n > max) value.fail(`${name} must be from ${min} to ${max}`);
  return n;
}

function readPopulation(value: Value): PopulationSpec {
  const p = value.map(['domains', 'users-per-domain', 'devices', 'aliases', 'preferences', 'policy', 'groups', 'non-cpm', 'registration']);
  const domains = count(p, 'domains', 1, MAX_DOMAINS);
  const usersPerDomain = count(p, 'users-per-domain', 1, MAX_USERS_PER_DOMAIN);
  const devices: string[] = [];
  for (const item of p.get('devices')?.oneOrMany() ?? []) {
    const name = item.string();
    if (!DEVICE_NAME.test(name)) item.fail(`'${name}' is not a device name: use letters, digits, '-' and '_'`);
    if (devices.includes(name)) item.fail(`device ${name} is listed twice`);
    devices.push(name);
  }
  if (devices.length === 0) devices.push('phone');
  const aliases = p.get('aliases')?.boolean() ?? false;
  const prefsValue = p.get('preferences');
  const preferences = prefsValue === undefined ? {} : readPreferences(prefsValue, devices);
  if (preferences.interworking !== undefined) prefsValue!.fail('interworking addresses are per user; a population cannot share them');
  const policyValue = p.get('policy');
  const policy = policyValue === undefined ? {} : readPolicy(policyValue);
  const groupsValue = p.get('groups');
  let groups: PopulationSpec['groups'];
  if (groupsValue) {
    const g = groupsValue.map(['per-domain', 'members']);
    const perDomain = count(g, 'per-domain', 1, usersPerDomain);
    const members = count(g, 'members', 2, usersPerDomain);
    groups = { perDomain, members };
  }
  const nonCpmValue = p.get('non-cpm');
  let nonCpm: PopulationSpec['nonCpm'];
  if (nonCpmValue) {
    const n = nonCpmValue.map(['sms', 'email']);
    nonCpm = { sms: count(n, 'sms', 0, 99_999_999, 0), email: count(n, 'email', 0, 99_999_999, 0) };
    if (nonCpm.sms + nonCpm.email === 0) nonCpmValue.fail('a non-CPM population needs sms or email subscribers');
  }
  const registrationUs = p.get('registration')?.duration() ?? 10 * SECOND;
  return {
    domains,
    usersPerDomain,
    devices,
    aliases,
    preferences,
    policy,
    ...(groups && { groups }),
    ...(nonCpm && { nonCpm }),
    registrationUs,
  };
}

function readTraffic(value: Value, population: PopulationSpec, durationUs: number): TrafficSpec {
  const t = value.map(['pager', 'group', 'sessions', 'churn', 'non-cpm']);
  const pager = (t.get('pager')?.oneOrMany() ?? []).map((v) => readPager(v));
  const traffic: TrafficSpec = { pager };
  const group = t.get('group');
  if (group) {
    if (population.groups === undefined) group.fail('group traffic needs population.groups');
    traffic.group = readPager(group);
  }
  const sessions = t.get('sessions');
  if (sessions) traffic.sessions = readSessions(sessions, durationUs);
  const churn = t.get('churn');
  if (churn) traffic.churn = readChurn(churn);
  const nonCpm = t.get('non-cpm');
  if (nonCpm) {
    if (population.nonCpm === undefined) nonCpm.fail('non-CPM traffic needs population.non-cpm');
    traffic.nonCpm = readPager(nonCpm);
  }
  if (pager.length === 0 && !group && !sessions && !churn && !nonCpm) value.fail('traffic needs at least one model (pager, group, sessions, churn, non-cpm)');
  return traffic;
}

function every(fields: Mapping): number {
  const value = fields.require('every');
  const us = value.duration();
  if (us === 0) value.fail('every must be longer than 0s');
  return us;
}

function length(fields: Mapping): number {
  return count(fields, 'length', 1, 60_000, DEFAULT_LENGTH);
}

function readPager(value: Value): PagerModel {
  const m = value.map(['every', 'notify', 'length']);
  return { everyUs: every(m), notify: readNotify(m.get('notify')), length: length(m) };
}

function readSessions(value: Value, durationUs: number): SessionModel {
  const m = value.map(['every', 'duration', 'messages', 'length']);
  const durationValue = m.require('duration');
  const sessionUs = durationValue.duration();
  if (sessionUs < 5 * SECOND) durationValue.fail('a session lasts at least 5s (it is answered after 1s)');
  if (sessionUs > durationUs) durationValue.fail('a session cannot last longer than the run');
  return { everyUs: every(m), durationUs: sessionUs, messages: count(m, 'messages', 0, 10_000, 1), length: length(m) };
}

function readChurn(value: Value): ChurnModel {
  const m = value.map(['every', 'offline', 'deregister']);
  const offlineValue = m.require('offline');
  const offlineUs = offlineValue.duration();
  if (offlineUs === 0) offlineValue.fail('offline must be longer than 0s');
  return { everyUs: every(m), offlineUs, deregister: m.get('deregister')?.boolean() ?? true };
}
