/** The `network:` section: domains, users with their devices, link delays and Pre-defined Groups. */
import { CORE_POLICY, DEVICE_SETTINGS, DOMAIN, FLOOD_LIMIT, NETWORK, NON_CPM_SYSTEM, SERVICE_POLICY, USER, USER_PREFERENCES, fieldNames } from './shape.js';
import { INTERWORKING_SERVICES } from '../cpm/interworking/addresses.js';
import type { ServicePolicy, UserPreferences } from '../cpm/preferences.js';
import { MEDIA_TYPES, type Answer, type DeviceSettings, type MediaType } from '../cpm/session-media.js';
import { LINK_FIELDS } from './faults.js';
import { readGroups } from './groups.js';
import { readImpsSettings, readImpsUser } from './imps-system.js';
import { readDistributionLists, readMailLists } from './non-cpm-lists.js';
import { checkProfiles, readApplicationProfile, readApplications } from './applications.js';
import type { CorePolicy, DeviceSpec, DomainSpec, NetworkSpec, NonCpmSystemSpec, UserSpec } from './spec.js';
import type { Value } from './yaml-reader.js';

const DOMAIN_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const LOCAL_PART = /^[A-Za-z0-9_+-]+(\.[A-Za-z0-9_+-]+)*$/;
// No dots, so `alice.phone` splits unambiguously at its last dot.
const DEVICE_NAME = /^[A-Za-z0-9_-]+$/;

const DEFAULT_DELAY = 1_000;
const DEFAULT_INTER_DOMAIN_DELAY = 10_000;

export function isDomainName(text: string): boolean {
  return DOMAIN_NAME.test(text);
}

/** `alice@a.example` as its parts, if it is a well-formed address. */
export function splitAddress(text: string): { local: string; domain: string } | undefined {
  const at = text.indexOf('@');
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (at < 0 || !LOCAL_PART.test(local) || !isDomainName(domain)) return undefined;
  return { local, domain };
}

export function readNetwork(value: Value): NetworkSpec {
  // `links` beyond its two delays, `partitions` and `crashes` are read by readFaults.
  const network = value.map(fieldNames(NETWORK));
  const domainsValue = network.get('domains');
  const declared = domainsValue ? readDomains(domainsValue) : undefined;
  const users = readUsers(network.require('users'), declared);
  // Without a `domains:` list, the users' domains are the network, all with CPM service.
  const domains = declared ?? [...new Set(users.map((user) => user.domain))].map((name): DomainSpec => ({ name, cpm: true, auth: 'none', policy: {}, core: {} }));
  const groupsValue = network.get('groups');
  const nonCpmValue = network.get('non-cpm');
  const appsValue = network.get('applications');
  const applications = appsValue === undefined ? [] : readApplications(appsValue, domains, users.map((u) => u.address));
  checkProfiles(domainsValue, domains, applications);
  return {
    domains,
    users,
    links: readLinks(network.get('links')),
    ...(groupsValue && { groups: readGroups(groupsValue, users, domains) }),
    ...(nonCpmValue && { nonCpm: readNonCpm(nonCpmValue, domains) }),
    ...(appsValue && { applications }),
    ...(network.get('rtp')?.boolean() === true && { rtp: true }),
  };
}

/** Services a non-CPM system can offer in a scenario. */
const NON_CPM_SERVICES = ['sms', 'email', 'mms', 'imps'] as const;

function readNonCpm(value: Value, domains: DomainSpec[]): NonCpmSystemSpec[] {
  const systems: NonCpmSystemSpec[] = [];
  const subscribers = new Set<string>();
  for (const { name, keyOffset, value: settings } of value.map().entries) {
    const fail = (reason: string): never => value.source.fail(keyOffset, value.path, reason);
    checkDomainName(name, fail);
    // CPM 5.3.1.2.1: a domain with a SIP/IP Core but no CPM may also run a mail system.
    if (domains.some((d) => d.name === name && d.cpm)) fail(`${name} is a CPM domain of network.domains; a non-CPM system needs a domain of its own or one with cpm: false`);
    const fields = settings.map(fieldNames(NON_CPM_SYSTEM));
    const serviceValue = fields.require('service');
    const service = oneOf(serviceValue, NON_CPM_SERVICES);
    if (systems.some((s) => s.service === service)) serviceValue.fail(`there is already a ${service} system (${systems.find((s) => s.service === service)!.domain})`);
    const users: string[] = [];
    for (const item of fields.require('users').oneOrMany()) {
      const user = service === 'imps' ? readImpsUser(item, name) : item.string();
      if ((service === 'sms' || service === 'mms') && !GLOBAL_TEL.test(user)) item.fail(`'${user}' is not a global tel URI like tel:+15559870001, the address of an ${service.toUpperCase()} subscriber`);
      if (service === 'email' && !(MAILTO.test(user) && user.endsWith(`@${name}`))) item.fail(`'${user}' is not a mailbox of ${name} like mailto:carol@${name}`);
      if (subscribers.has(user)) item.fail(`${user} is listed twice`);
      subscribers.add(user);
      users.push(user);
    }
    const smpp = (field: string): number | undefined => {
      const v = fields.get(field);
      if (v !== undefined && service !== 'sms') v.fail(`${field} is an SMPP setting: only an sms system has it`);
      const us = v?.duration();
      if (us !== undefined && us <= 0) v!.fail(`${field} must be longer than 0 s`);
      return us;
    };
    const enquireLinkUs = smpp('enquire-link');
    const centreEnquireLinkUs = smpp('centre-enquire-link');
    const rebindBackoffUs = smpp('rebind-backoff');
    const imps = readImpsSettings(fields, service, name, users);
    const lists = { ...readMailLists(fields, service, name, users), ...readDistributionLists(fields, service, users) };
    systems.push({
      domain: name,
      service,
      users,
      ...(enquireLinkUs === undefined ? {} : { enquireLinkUs }),
      ...(centreEnquireLinkUs === undefined ? {} : { centreEnquireLinkUs }),
      ...(rebindBackoffUs === undefined ? {} : { rebindBackoffUs }),
      ...imps,
      ...lists,
      path: [...value.path, name],
    });
  }
  return systems;
}

function readDomains(value: Value): DomainSpec[] {
  const domains: DomainSpec[] = [];
  if (value.isList) {
    for (const item of value.list()) {
      const name = item.string();
      checkDomainName(name, (reason) => item.fail(reason));
      if (domains.some((domain) => domain.name === name)) item.fail(`domain ${name} is named twice`);
      domains.push({ name, cpm: true, auth: 'none', policy: {}, core: {} });
    }
    return domains;
  }
  if (!value.isMap) value.expected('a list of domain names or a mapping of domain name to settings');
  // Duplicate keys in the mapping form are already refused by the YAML parser.
  for (const { name, keyOffset, value: settings } of value.map().entries) {
    checkDomainName(name, (reason) => value.source.fail(keyOffset, value.path, reason));
    const fields = settings.isNull ? undefined : settings.map(fieldNames(DOMAIN));
    const cpm = fields?.get('cpm')?.boolean();
    const authValue = fields?.get('auth');
    const auth = authValue === undefined ? 'none' : oneOf(authValue, AUTH_MODES);
    const policyValue = fields?.get('policy');
    const coreValue = fields?.get('core');
    const profileValue = fields?.get('application-profile');
    if (profileValue !== undefined && cpm === false) fields!.failAtKey('application-profile', `${name} has no CPM Conversation Server, whose Application Control Function the profile is for (cpm: false)`);
    domains.push({
      name,
      cpm: cpm ?? true,
      auth,
      policy: policyValue === undefined ? {} : readPolicy(policyValue),
      core: coreValue === undefined ? {} : readCorePolicy(coreValue),
      ...(profileValue !== undefined && { applicationProfile: readApplicationProfile(profileValue, name) }),
    });
  }
  return domains;
}

function checkDomainName(name: string, fail: (reason: string) => never): void {
  if (!isDomainName(name)) fail(`'${name}' is not a domain name: use lowercase letters, digits, '-' and '.'`);
}

function readUsers(value: Value, domains: DomainSpec[] | undefined): UserSpec[] {
  const entries = value.map().entries;
  const drafts = entries.map(({ name: address, keyOffset, value: settings }) => {
    const fail = (reason: string): never => value.source.fail(keyOffset, value.path, reason);
    const parts = splitAddress(address) ?? fail(`user '${address}' is not an address like alice@a.example`);
    if (domains && !domains.some((domain) => domain.name === parts.domain)) {
      fail(`user ${address} is in ${parts.domain}, which is not in network.domains`);
    }
    const fields = settings.isNull ? undefined : settings.map(fieldNames(USER));
    const devicesValue = fields?.get('devices');
    const deviceDrafts = devicesValue ? readDevices(devicesValue) : [{ name: 'device' }];
    const preferencesValue = fields?.get('preferences');
    const preferences = preferencesValue === undefined ? {} : readPreferences(preferencesValue, deviceDrafts.flatMap((d) => ('external' in d ? [] : [d.name])));
    const password = fields?.get('password')?.text();
    const aliasesValue = fields?.get('aliases');
    const aliases = aliasesValue === undefined ? [] : readAliases(aliasesValue);
    return { address, ...parts, ...(password !== undefined && { password }), aliases, preferences, deviceDrafts };
  });
  const usersPerLocal = new Map<string, number>();
  for (const draft of drafts) usersPerLocal.set(draft.local, (usersPerLocal.get(draft.local) ?? 0) + 1);
  return drafts.map(({ deviceDrafts, ...user }) => {
    const unique = usersPerLocal.get(user.local) === 1;
    const devices = deviceDrafts.map((draft): DeviceSpec => {
      const id = unique ? `${user.local}.${draft.name}` : `${user.address}/${draft.name}`;
      return { ...draft, id, user: user.address };
    });
    return { ...user, devices, path: [...value.path, user.address] };
  });
}

/** `devices:` is a list of names, or a mapping of name to the device's session settings. */
function readDevices(value: Value): DeviceDraft[] {
  if (value.isMap) {
    const entries = value.map().entries;
    if (entries.length === 0) value.fail('a user needs at least one device');
    return entries.map(({ name, keyOffset, value: settings }) => {
      if (!DEVICE_NAME.test(name)) value.source.fail(keyOffset, value.path, `'${name}' is not a device name: use letters, digits, '-' and '_'`);
      return { name, ...(settings.isNull ? {} : readDeviceSettings(settings)) };
    });
  }
  const items = value.oneOrMany();
  if (items.length === 0) value.fail('a user needs at least one device');
  const names: string[] = [];
  for (const item of items) {
    const name = item.string();
    if (!DEVICE_NAME.test(name)) item.fail(`'${name}' is not a device name: use letters, digits, '-' and '_'`);
    if (names.includes(name)) item.fail(`device ${name} is named twice`);
    names.push(name);
  }
  return names.map((name) => ({ name }));
}

type DeviceDraft = Omit<DeviceSettings, 'name'> & { name: string; external?: 'cpm' | 'plain-sip' };

/** A device's session behaviour: `answer: 2s | reject | decline | never`, `alert: 100ms` and its `media`. */
function readDeviceSettings(value: Value): Omit<DeviceDraft, 'name'> {
  const fields = value.map(fieldNames(DEVICE_SETTINGS));
  const out: Omit<DeviceDraft, 'name'> = {};
  const external = fields.get('external');
  if (external) out.external = readExternal(external);
  const answer = fields.get('answer');
  if (answer) out.answer = readAnswer(answer);
  const alert = fields.get('alert');
  if (alert) out.alert = alert.duration();
  if (out.alert !== undefined && out.answer?.kind === 'accept' && out.answer.after < out.alert) {
    fields.failAtKey('answer', 'the user cannot answer before the device alerts (answer is counted from the invitation, like alert)');
  }
  const media = fields.get('media');
  if (media) out.media = readMediaTypes(media);
  const timer = fields.get('session-timer');
  if (timer) {
    // RFC 4028 4: Session-Expires counts whole seconds, at least one.
    const us = timer.duration();
    if (us % 1_000_000 !== 0 || us === 0) timer.fail('session-timer is a whole number of seconds, at least 1s');
    out.sessionTimer = us / 1_000_000;
  }
  return out;
}

/** `external: true` (a real CPM client) or `external: plain-sip`; `false` is the default, a simulated device. */
function readExternal(value: Value): 'cpm' | 'plain-sip' | undefined {
  const written = value.scalarText();
  if (written === 'plain-sip') return 'plain-sip';
  if (written !== 'true' && written !== 'false') value.fail(`external is true, false or plain-sip, not ${written ?? 'that'}`);
  return value.boolean() ? 'cpm' : undefined;
}

function readAnswer(value: Value): Answer {
  const text = value.string();
  if (text === 'reject') return { kind: 'reject', status: 486 };
  if (text === 'decline') return { kind: 'reject', status: 603 };
  if (text === 'never') return { kind: 'ignore' };
  if (!/^\d/.test(text)) value.fail(`unknown answer '${text}'; allowed: a delay such as 2s, reject (486 Busy Here), decline (603 Decline), never`);
  return { kind: 'accept', after: value.duration() };
}

/** Media Stream Types (CPM 5.2.3.8), one or a list, each once. */
export function readMediaTypes(value: Value): MediaType[] {
  const types = distinctOf(value.oneOrMany(), MEDIA_TYPES);
  if (types.length === 0) value.fail(`needs at least one of ${MEDIA_TYPES.join(', ')}`);
  return types;
}

const AUTH_MODES = ['digest', 'none'] as const;
// RFC 3966 global number: the only alias form ENUM can publish.
const GLOBAL_TEL = /^tel:\+[0-9][0-9.()-]*$/;

/** One of a closed set of words, or a located error listing them. */
export function oneOf<T extends string>(value: Value, allowed: readonly T[]): T {
  const text = value.string();
  return (allowed as readonly string[]).includes(text) ? (text as T) : value.fail(`unknown value '${text}'; allowed: ${allowed.join(', ')}`);
}

/** Words of a closed set, each at most once (`label` names an item in the error). */
function distinctOf<T extends string>(items: Value[], allowed: readonly T[], label = (word: T): string => word): T[] {
  const out: T[] = [];
  for (const item of items) {
    const word = oneOf(item, allowed);
    if (out.includes(word)) item.fail(`${label(word)} is listed twice`);
    out.push(word);
  }
  return out;
}

/**
 * CPM 5.4 user preferences, in the scenario's kebab-case. `session-devices` names some of
 * `devices`, the names of the user's (or each population user's) devices.
 */
export function readPreferences(value: Value, devices: readonly string[]): Partial<UserPreferences> {
  const p = value.map(fieldNames(USER_PREFERENCES));
  const out: Partial<UserPreferences> = {};
  const whenUnavailable = p.get('when-unavailable');
  if (whenUnavailable) out.whenUnavailable = oneOf(whenUnavailable, ['defer', 'reject', 'interwork'] as const);
  const interworking = p.get('interworking');
  if (interworking) out.interworking = readInterworkingAddresses(interworking);
  const deferredDelivery = p.get('deferred-delivery');
  if (deferredDelivery) out.deferredDelivery = oneOf(deferredDelivery, ['push', 'notify'] as const);
  const deliveryNotifications = p.get('delivery-notifications');
  if (deliveryNotifications) out.deliveryNotifications = deliveryNotifications.boolean();
  const readReports = p.get('read-reports');
  if (readReports) out.readReports = readReports.boolean();
  const notificationDevices = p.get('notification-devices');
  if (notificationDevices) out.notificationDevices = oneOf(notificationDevices, ['sending', 'all'] as const);
  const sessionDevices = p.get('session-devices');
  if (sessionDevices) out.sessionDevices = distinctOf(sessionDevices.oneOrMany(), devices, (name) => `device ${name}`);
  return out;
}

/** CPM 5.3.1.1.1: the user's non-CPM addresses, most preferred first. */
function readInterworkingAddresses(value: Value): string[] {
  const addresses: string[] = [];
  for (const item of value.oneOrMany()) {
    const address = item.string();
    if (!GLOBAL_TEL.test(address) && !MAILTO.test(address) && !address.startsWith('wv:')) item.fail(`'${address}' is not a tel:+... number, a mailto: or a wv: address`);
    if (addresses.includes(address)) item.fail(`${address} is listed twice`);
    addresses.push(address);
  }
  return addresses;
}

const MAILTO = /^mailto:[^@\s]+@[^@\s]+$/;

/** What a domain's SIP/IP Core enforces besides registration (`core:`). */
function readCorePolicy(value: Value): CorePolicy {
  const c = value.map(fieldNames(CORE_POLICY));
  const out: CorePolicy = {};
  const challenge = c.get('challenge-requests');
  if (challenge) out.challengeRequests = distinctOf(challenge.list(), ['MESSAGE', 'INVITE', 'SUBSCRIBE'] as const);
  const flood = c.get('flood-limit');
  if (flood) {
    const f = flood.map(fieldNames(FLOOD_LIMIT));
    const per = f.require('per');
    out.floodLimit = { requests: f.require('requests').integer(), per: per.duration() };
    if (out.floodLimit.requests < 1) f.require('requests').fail('requests must be 1 or more');
    if (out.floodLimit.per <= 0) per.fail('per must be longer than 0s');
  }
  const reg = c.get('reg-subscription');
  if (reg) {
    const us = reg.duration();
    if (us % 1_000_000 !== 0 || us === 0) reg.fail('reg-subscription is a whole number of seconds, at least 1s');
    out.regSubscriptionSeconds = us / 1_000_000;
  }
  return out;
}

/** The service provider's policy for a domain, in the scenario's kebab-case. */
export function readPolicy(value: Value): Partial<ServicePolicy> {
  const p = value.map(fieldNames(SERVICE_POLICY));
  const out: Partial<ServicePolicy> = {};
  const onNoSipCore = p.get('on-no-sip-core');
  if (onNoSipCore) out.onNoSipCore = oneOf(onNoSipCore, ['reject', 'interwork'] as const);
  const onNoCpm = p.get('on-no-cpm');
  if (onNoCpm) out.onNoCpm = oneOf(onNoCpm, ['reject', 'interwork'] as const);
  const serviceId = p.get('non-cpm-service-id');
  if (serviceId) out.nonCpmServiceId = oneOf(serviceId, ['follow', 'ignore'] as const);
  const mediaPath = p.get('media-path');
  if (mediaPath) out.mediaPath = oneOf(mediaPath, ['leave', 'stay'] as const);
  const interworking = p.get('interworking');
  if (interworking) out.interworking = distinctOf(interworking.list(), INTERWORKING_SERVICES);
  const smsMax = p.get('sms-max-segments');
  if (smsMax) {
    out.smsMaxSegments = smsMax.integer();
    if (out.smsMaxSegments < 1 || out.smsMaxSegments > 255) smsMax.fail('sms-max-segments must be from 1 to 255 (TS 23.040 9.2.3.24.1)');
  }
  const maxDeferred = p.get('max-deferred');
  if (maxDeferred) {
    out.maxDeferred = maxDeferred.integer();
    if (out.maxDeferred < 0) maxDeferred.fail('max-deferred must be 0 or more');
  }
  const maxHold = p.get('max-hold');
  if (maxHold) out.maxHold = maxHold.duration();
  const onExpiry = p.get('on-expiry');
  if (onExpiry) out.onExpiry = oneOf(onExpiry, ['discard', 'store', 'extend'] as const);
  const aggregation = p.get('imdn-aggregation');
  if (aggregation) out.imdnAggregation = oneOf(aggregation, ['first', 'priority'] as const);
  const window = p.get('aggregation-window');
  if (window) out.aggregationWindow = window.duration();
  const flaw = p.get('test-flaw');
  if (flaw) out.testFlaw = oneOf(flaw, ['ack-first-answer-only'] as const);
  const maxSessionDevices = p.get('max-session-devices');
  if (maxSessionDevices) {
    out.maxSessionDevices = maxSessionDevices.integer();
    if (out.maxSessionDevices < 1) maxSessionDevices.fail('max-session-devices must be 1 or more');
  }
  const maxSize = p.get('max-message-size');
  if (maxSize) {
    out.maxMessageSize = maxSize.integer();
    if (out.maxMessageSize < 1) maxSize.fail('max-message-size must be 1 octet or more');
  }
  const sessionMedia = p.get('session-media');
  if (sessionMedia) out.sessionMedia = distinctOf(sessionMedia.oneOrMany(), MEDIA_TYPES);
  const groupImdn = p.get('group-imdn');
  if (groupImdn) out.groupImdn = oneOf(groupImdn, ['forward', 'aggregate'] as const);
  return out;
}

function readAliases(value: Value): string[] {
  const aliases: string[] = [];
  for (const item of value.oneOrMany()) {
    const alias = item.string();
    if (!GLOBAL_TEL.test(alias)) item.fail(`alias '${alias}' is not a global tel URI like tel:+15551234567`);
    if (aliases.includes(alias)) item.fail(`alias ${alias} is listed twice`);
    aliases.push(alias);
  }
  return aliases;
}

function readLinks(value: Value | undefined): NetworkSpec['links'] {
  const links = value?.map(LINK_FIELDS);
  const constant = (field: string): number | undefined => {
    const delay = links?.get(field);
    return delay === undefined || delay.isMap ? undefined : delay.duration();
  };
  return {
    delayUs: constant('delay') ?? DEFAULT_DELAY,
    interDomainDelayUs: constant('inter-domain-delay') ?? DEFAULT_INTER_DOMAIN_DELAY,
  };
}
