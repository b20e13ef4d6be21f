import { BodyParseError } from './errors.js';
import type {
  ConferenceEndpoint,
  ConferenceInfo,
  ConferenceMedia,
  ConferenceUser,
  DisconnectionMethod,
  ElementState,
  EndpointStatus,
  JoiningMethod,
} from './conference-info.js';
import { buildXml, parseXml, type XmlElement, type XmlNode } from './xml.js';

/** RFC 4575 5 namespace. */
const CONFERENCE_NS = 'urn:ietf:params:xml:ns:conference-info';

const STATES: readonly ElementState[] = ['full', 'partial', 'deleted'];
const STATUSES: readonly EndpointStatus[] = [
  'pending',
  'dialing-out',
  'dialing-in',
  'alerting',
  'on-hold',
  'connected',
  'muted-via-focus',
  'disconnecting',
  'disconnected',
];
const JOINING: readonly JoiningMethod[] = ['dialed-in', 'dialed-out', 'focus-owner'];
const DISCONNECTION: readonly DisconnectionMethod[] = ['departed', 'booted', 'failed', 'busy'];
const MEDIA_STATUSES = ['recvonly', 'sendonly', 'sendrecv', 'inactive'] as const;

/** Writes `value` under `key` only when present: XML Schema minOccurs="0". */
function put(node: Record<string, XmlNode | XmlNode[]>, key: string, value: XmlNode | undefined): void {
  if (value !== undefined) node[key] = value;
}

function mediaNode(m: ConferenceMedia): XmlNode {
  const node: Record<string, XmlNode> = { '@_id': m.id };
  put(node, 'type', m.type);
  put(node, 'status', m.status);
  return node;
}

function endpointNode(e: ConferenceEndpoint): XmlNode {
  const node: Record<string, XmlNode | XmlNode[]> = { '@_entity': e.entity, '@_state': e.state };
  // RFC 4575 5.6 schema order: display-text, referred, status, joining-method, joining-info,
  // disconnection-method, disconnection-info, media, call-info.
  put(node, 'display-text', e.displayText);
  put(node, 'status', e.status);
  put(node, 'joining-method', e.joiningMethod);
  put(node, 'disconnection-method', e.disconnectionMethod);
  if (e.media.length > 0) node['media'] = e.media.map(mediaNode);
  return node;
}

function userNode(u: ConferenceUser): XmlNode {
  const node: Record<string, XmlNode | XmlNode[]> = { '@_entity': u.entity, '@_state': u.state };
  put(node, 'display-text', u.displayText);
  if (u.roles.length > 0) node['roles'] = { entry: u.roles };
  if (u.endpoints.length > 0) node['endpoint'] = u.endpoints.map(endpointNode);
  return node;
}

/** Serialises a conference state document in the element order of the RFC 4575 schema. */
export function encodeConferenceInfo(info: ConferenceInfo): string {
  const root: Record<string, XmlNode | XmlNode[]> = {
    '@_xmlns': CONFERENCE_NS,
    '@_entity': info.entity,
    '@_state': info.state,
    '@_version': String(info.version),
  };
  if (info.subject !== undefined) root['conference-description'] = { subject: info.subject };
  if (info.userCount !== undefined || info.active !== undefined) {
    const state: Record<string, XmlNode> = {};
    put(state, 'user-count', info.userCount === undefined ? undefined : String(info.userCount));
    put(state, 'active', info.active === undefined ? undefined : String(info.active));
    root['conference-state'] = state;
  }
  if (info.users.length > 0) root['users'] = { user: info.users.map(userNode) };
  return buildXml({ 'conference-info': root });
}

function oneOf<T extends string>(contentType: string, el: XmlElement, allowed: readonly T[]): T {
  const text = el.text().trim();
  const found = allowed.find((a) => a === text);
  if (found === undefined) throw new BodyParseError(contentType, `<${el.name}> "${text}" is not one of ${allowed.join(', ')}`);
  return found;
}

function unsigned(contentType: string, el: XmlElement): number {
  const text = el.text().trim();
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new BodyParseError(contentType, `<${el.name}> "${text}" is not a non-negative integer`);
  }
  return Number(text);
}

/** RFC 4575 5.1: the state attribute is optional and defaults to "full". */
function stateOf(el: XmlElement): ElementState {
  return el.attr('state') === undefined ? 'full' : el.enumAttr('state', STATES);
}

function readMedia(contentType: string, el: XmlElement): ConferenceMedia {
  const media: ConferenceMedia = { id: el.requiredAttr('id') };
  const type = el.optional('type')?.text().trim();
  if (type !== undefined) media.type = type;
  const status = el.optional('status');
  if (status !== undefined) media.status = oneOf(contentType, status, MEDIA_STATUSES);
  return media;
}

function readEndpoint(contentType: string, el: XmlElement): ConferenceEndpoint {
  const endpoint: ConferenceEndpoint = { entity: el.requiredAttr('entity'), state: stateOf(el), media: [] };
  const displayText = el.optional('display-text')?.text();
  if (displayText !== undefined) endpoint.displayText = displayText;
  const status = el.optional('status');
  if (status !== undefined) endpoint.status = oneOf(contentType, status, STATUSES);
  const joining = el.optional('joining-method');
  if (joining !== undefined) endpoint.joiningMethod = oneOf(contentType, joining, JOINING);
  const disconnection = el.optional('disconnection-method');
  if (disconnection !== undefined) endpoint.disconnectionMethod = oneOf(contentType, disconnection, DISCONNECTION);
  endpoint.media = el.children('media').map((m) => readMedia(contentType, m));
  return endpoint;
}

function readUser(contentType: string, el: XmlElement): ConferenceUser {
  const user: ConferenceUser = {
    entity: el.requiredAttr('entity'),
    state: stateOf(el),
    roles: el.optional('roles')?.children('entry').map((r) => r.text().trim()) ?? [],
    endpoints: el.children('endpoint').map((e) => readEndpoint(contentType, e)),
  };
  const displayText = el.optional('display-text')?.text();
  if (displayText !== undefined) user.displayText = displayText;
  return user;
}

/**
 * Parses application/conference-info+xml (RFC 4575 5). Elements the type does not model
 * (host-info, sidebars, joining-info, call-info, extensions) are ignored.
 * @throws BodyParseError for malformed XML, a wrong root or namespace, a missing entity or
 * version, or a value outside a schema enumeration.
 */
export function decodeConferenceInfo(contentType: string, text: string): ConferenceInfo {
  const root = parseXml(contentType, text, 'conference-info', CONFERENCE_NS);
  const version = root.requiredAttr('version');
  if (!/^\d+$/.test(version)) throw new BodyParseError(contentType, `<conference-info> attribute version="${version}" is not a non-negative integer`);
  const info: ConferenceInfo = {
    entity: root.requiredAttr('entity'),
    state: stateOf(root),
    version: Number(version),
    users: root.optional('users')?.children('user').map((u) => readUser(contentType, u)) ?? [],
  };
  const subject = root.optional('conference-description')?.optional('subject')?.text();
  if (subject !== undefined) info.subject = subject;
  const state = root.optional('conference-state');
  const count = state?.optional('user-count');
  if (count !== undefined) info.userCount = unsigned(contentType, count);
  const active = state?.optional('active');
  if (active !== undefined) info.active = oneOf(contentType, active, ['true', 'false'] as const) === 'true';
  return info;
}
