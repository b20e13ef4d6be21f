/**
 * The shape of a scenario file: every mapping, its fields in order, and the type of each leaf. The
 * readers take the fields they accept from here (a field missing here is refused as unknown), and
 * `cpmsim schema` / schema/scenario.schema.json is generated from it, so the two cannot drift. A new
 * field is one line in the mapping it belongs to, plus the code that reads it.
 */
import { SERVER_ROLES } from './spec.js';
import { NOTE_KIND_NAMES } from '../trace/note-kinds.js';
import { MEDIA_TYPES } from '../cpm/session-media.js';
import { APPLICATION_FUNCTIONS } from '../cpm/conversation-server/application-profile.js';
import { BFCP_STATUSES, IMPS_RESPONSES, MM7_RESPONSES, REQUEST_NAMES, SIP_METHODS, SMPP_RESPONSES } from './vocabulary.js';

export type Shape =
  | { kind: 'string'; enum?: readonly string[]; pattern?: string; description?: string }
  /** Any scalar, kept as written (`text: 42`). */
  | { kind: 'text'; description?: string; nonEmpty?: boolean }
  | { kind: 'integer'; minimum?: number; maximum?: number; description?: string }
  | { kind: 'boolean'; description?: string }
  | { kind: 'duration'; description?: string }
  | { kind: 'probability'; description?: string }
  | {
      kind: 'object';
      fields: Fields;
      required?: readonly string[];
      nullable?: boolean;
      /** How many fields it must have, at least and at most. */
      minFields?: number;
      maxFields?: number;
      /** It is one of these forms: each names fields it needs and fields it may not have. */
      forms?: readonly { required: readonly string[]; forbidden: readonly string[] }[];
      description?: string;
    }
  /** A mapping whose keys the author chooses (user addresses, lifeline names). */
  | { kind: 'map'; values: Shape; keyPattern?: string; description?: string }
  | { kind: 'list'; items: Shape; minItems?: number; description?: string }
  | { kind: 'one-or-many'; item: Shape; description?: string }
  | { kind: 'any-of'; options: readonly Shape[]; description?: string };

export type Fields = Readonly<Record<string, Shape>>;

const string = (description?: string, extra: { enum?: readonly string[]; pattern?: string } = {}): Shape => ({ kind: 'string', ...extra, ...(description === undefined ? {} : { description }) });
const oneOf = (values: readonly string[], description?: string): Shape => string(description, { enum: values });
const text = (description?: string): Shape => ({ kind: 'text', ...(description === undefined ? {} : { description }) });
const integer = (minimum?: number, description?: string): Shape => ({ kind: 'integer', ...(minimum === undefined ? {} : { minimum }), ...(description === undefined ? {} : { description }) });
const boolean = (description?: string): Shape => ({ kind: 'boolean', ...(description === undefined ? {} : { description }) });
const duration = (description?: string): Shape => ({ kind: 'duration', ...(description === undefined ? {} : { description }) });
const probability: Shape = { kind: 'probability', description: 'a probability: 5% or 0.05' };
type ObjectExtra = { nullable?: boolean; minFields?: number; maxFields?: number; forms?: readonly { required: readonly string[]; forbidden: readonly string[] }[]; description?: string };
const object = (fields: Fields, required: readonly string[] = [], extra: ObjectExtra = {}): Shape => ({ kind: 'object', fields, ...(required.length > 0 && { required }), ...extra });
const map = (values: Shape, description?: string): Shape => ({ kind: 'map', values, ...(description === undefined ? {} : { description }) });
const list = (items: Shape, minItems?: number): Shape => ({ kind: 'list', items, ...(minItems === undefined ? {} : { minItems }) });
const oneOrMany = (item: Shape, description?: string): Shape => ({ kind: 'one-or-many', item, ...(description === undefined ? {} : { description }) });
const anyOf = (...options: Shape[]): Shape => ({ kind: 'any-of', options });

const DEVICE = string('a device: alice.phone, or alice@a.example/phone');
const DEVICES = oneOrMany(string('a device (alice.phone) or a user address (all of its devices)'));
const ADDRESS = string('a user address like bob@b.example, or a URI (sip:, tel:, mailto:)');
const MEDIA = oneOrMany(oneOf(MEDIA_TYPES));
const NOTIFY = oneOrMany(oneOf(['positive-delivery', 'negative-delivery', 'display', 'processing']));
export const NORMAL: Fields = { mean: duration(), sd: duration() };
/** A delay: constant, or one of these distributions (src/net/delay-distribution.ts). */
export const DISTRIBUTION_KINDS: Fields = { uniform: list(duration(), 2), normal: object(NORMAL, ['mean', 'sd']), exponential: duration(), empirical: list(duration(), 1) };
const DISTRIBUTION = anyOf(duration(), object(DISTRIBUTION_KINDS));

const NODE_PAIR = list(string('a host, a domain or *'), 2);

/** A rule of `links.between`: the behaviour of the links between two nodes. */
export const RULE: Fields = { nodes: NODE_PAIR, delay: DISTRIBUTION, jitter: duration(), loss: probability, duplicate: probability, reorder: probability, 'reorder-delay': duration() };

export const LINKS: Fields = {
  delay: DISTRIBUTION,
  'inter-domain-delay': DISTRIBUTION,
  jitter: duration(),
  loss: probability,
  duplicate: probability,
  reorder: probability,
  'reorder-delay': duration(),
  between: list(object(RULE, ['nodes'])),
};

export const PARTITION: Fields = { between: NODE_PAIR, from: duration(), until: duration() };
export const CRASH: Fields = { node: string('a host or a device'), at: duration(), restart: duration(), state: oneOf(['lost', 'kept']) };

export const USER_PREFERENCES: Fields = {
  'when-unavailable': oneOf(['defer', 'reject', 'interwork']),
  'deferred-delivery': oneOf(['push', 'notify']),
  'delivery-notifications': boolean(),
  'read-reports': boolean(),
  'notification-devices': oneOf(['sending', 'all']),
  interworking: oneOrMany(string('tel:+..., mailto:... or wv:...')),
  'session-devices': oneOrMany(string("names of the user's devices that take session invitations")),
};

export const SERVICE_POLICY: Fields = {
  'max-deferred': integer(0),
  'max-hold': duration(),
  'on-expiry': oneOf(['discard', 'store', 'extend']),
  'imdn-aggregation': oneOf(['first', 'priority']),
  'aggregation-window': duration(),
  'group-imdn': oneOf(['forward', 'aggregate']),
  interworking: list(oneOf(['sms', 'email', 'mms', 'imps'])),
  'sms-max-segments': integer(1),
  'on-no-sip-core': oneOf(['reject', 'interwork']),
  'on-no-cpm': oneOf(['reject', 'interwork']),
  'non-cpm-service-id': oneOf(['follow', 'ignore']),
  'media-path': oneOf(['leave', 'stay']),
  'max-message-size': integer(1, 'octets of a pager-mode message body (a larger one is refused SIP 413), and of a session message through this server (MSRP 413, advertised as a=max-size)'),
  'max-session-devices': integer(1, "of a user's clients, how many at most receive a session invitation (the earliest registered)"),
  'session-media': MEDIA,
  'test-flaw': oneOf(['ack-first-answer-only']),
};

export const FLOOD_LIMIT: Fields = { requests: integer(1, 'requests one source host may send'), per: duration('in any window this long') };
/** What the operator's SIP/IP Core enforces besides registration (CPM 5.1.1.3). */
export const CORE_POLICY: Fields = {
  'challenge-requests': list(oneOf(['MESSAGE', 'INVITE', 'SUBSCRIBE'], 'a method whose requests the core challenges with 407')),
  'flood-limit': object(FLOOD_LIMIT, ['requests', 'per']),
  'reg-subscription': duration('the longest reg-event subscription the core grants, whole seconds (600000s by default, 3GPP TS 24.229 5.4.2.1.2)'),
};

/** An entry of the Application Profile (CPM 5.8.1): what an application, or a provider's applications, may do. */
export const APPLICATION_GRANT: Fields = {
  functions: list(oneOf(APPLICATION_FUNCTIONS, 'a functionality of the Conversation Server the application may use')),
  'on-behalf-of': oneOrMany(string('a user address the application may send as')),
  'mask-identity': boolean("the application sees users' pseudonyms, never their addresses"),
};
export const APPLICATION_PROFILE: Fields = {
  applications: map(object(APPLICATION_GRANT, ['functions']), 'application name -> what it may use'),
  providers: map(object(APPLICATION_GRANT, ['functions']), "Value Added Service Provider (its domain) -> what its applications may use"),
};

export const DOMAIN: Fields = { cpm: boolean(), auth: oneOf(['digest', 'none']), policy: object(SERVICE_POLICY), core: object(CORE_POLICY), 'application-profile': object(APPLICATION_PROFILE) };
export const DEVICE_SETTINGS: Fields = {
  answer: string('a delay such as 2s, reject, decline or never'),
  alert: duration(),
  media: MEDIA,
  'session-timer': duration('RFC 4028: the device supports session timers and asks for this session interval (whole seconds)'),
  external: anyOf(boolean('true: a real CPM client plays this device in cpmsim live (docs/live.md)'), oneOf(['plain-sip'], 'a real SIP client without CPM (no +sip.instance, no CPM feature tag)')),
};
export const USER: Fields = {
  devices: anyOf(oneOrMany(string('a device name')), map(object(DEVICE_SETTINGS, [], { nullable: true }))),
  password: text(),
  aliases: oneOrMany(string('tel:+...')),
  preferences: object(USER_PREFERENCES),
};
const PERMITTED = (what: string): Shape => oneOf(['participants', 'originator'], `who may ${what}: any Participant, or the originator of the session`);
export const GROUP: Fields = {
  members: oneOrMany(string('a user address')),
  senders: oneOf(['members', 'anyone']),
  banned: oneOrMany(string('a user address the group refuses')),
  'max-participants': integer(2, 'Participants a session of the group may have at most'),
  'may-add': PERMITTED('add users to a session (default participants)'),
  'may-remove': PERMITTED('remove Participants (default originator)'),
  'may-modify': PERMITTED("change a session's Media Streams (default participants)"),
  rejoin: boolean(),
};
/**
 * A Non-CPM Group (CPM 5.1.2.5) of an imps or email system: an IMPS group (who may join it, and
 * who has joined from the start), a mailing list or an SMS distribution list (its members; no access).
 */
export const IMPS_GROUP: Fields = {
  access: oneOf(['open', 'restricted'], 'open: anyone may join; restricted: only its members'),
  members: oneOrMany(string('a WV user, wv:carol@imps.example; a mail address, mailto:carol@mail.example; or a number, tel:+15559870001')),
};
export const NON_CPM_SYSTEM: Fields = {
  service: oneOf(['sms', 'email', 'mms', 'imps']),
  users: oneOrMany(string('tel:+..., mailto:... or wv:...')),
  'enquire-link': duration('sms: how long the link to the centre may stay silent before an Interworking Function sends enquire_link (SMPP 3.4 4.11)'),
  'centre-enquire-link': duration('sms: how long a bound session may stay silent before the SMS centre sends enquire_link to the Interworking Function (SMPP 3.4 4.11)'),
  'rebind-backoff': duration('sms: the longest wait between two binds of an Interworking Function to a silent centre (RFC 5626 4.5 back-off); absent, one response timer'),
  groups: map(object(IMPS_GROUP, [], { nullable: true }), 'imps: group address (wv:owner/name@domain) -> settings; email: mailing list (mailto:team@domain) -> its members; sms: distribution list (tel:+...) -> its members'),
  'logged-out': oneOrMany(string('imps: a user who is not logged in')),
};

/** A value-added-service application outside the operators' networks (CPM 5.8.1). */
export const APPLICATION: Fields = {
  provider: string('the CPM domain whose Application Control Function it uses; its address is name@provider'),
  vasp: string('the domain of its Value Added Service Provider (default vas.example)'),
  host: string('where it sends from (default <name>.<vasp>)'),
};

export const NETWORK: Fields = {
  domains: anyOf(list(string('a domain name')), map(object(DOMAIN, [], { nullable: true }))),
  users: map(object(USER, [], { nullable: true }), 'user address -> settings'),
  links: object(LINKS),
  groups: map(object(GROUP, [], { nullable: true })),
  'non-cpm': map(object(NON_CPM_SYSTEM, ['service', 'users'])),
  applications: map(object(APPLICATION, ['provider']), 'application name -> where it is'),
  partitions: list(object(PARTITION, ['between', 'from', 'until'])),
  crashes: list(object(CRASH, ['node', 'at'])),
  rtp: boolean(),
};

/** The fields of each timeline action that takes a mapping; the others take devices or users. */
export const ACTION_FIELDS = {
  register: { devices: DEVICES, password: text(), media: MEDIA },
  read: { device: DEVICE, message: string('the id of a sent message') },
  reply: { from: DEVICE, to: string('the id of a received message'), text: text(), notify: NOTIFY, id: string() },
  send: { from: DEVICE, to: ADDRESS, text: text(), notify: NOTIFY, id: string(), expires: duration('whole seconds'), privacy: boolean('the sender withholds its identity from the recipient (RFC 3323 Privacy: id)'), 'content-type': string('the media type of the text, e.g. image/svg+xml for a picture (default text/plain)', { pattern: '^[\\w.+-]+/[\\w.+-]+$' }) },
  inject: { from: DEVICE, wire: text('the request as it goes on the wire') },
  'non-cpm-send': { from: string('tel:+..., mailto:... or wv:...'), to: ADDRESS, text: text(), 'delivery-report': boolean(), id: string('a label a reply can name') },
  invite: { from: DEVICE, to: oneOrMany(ADDRESS), media: MEDIA, id: string('the session label'), simplex: boolean(), 'floor-control': boolean(), 'reply-to': string('the id of a received message whose conversation the session continues'), privacy: boolean('the inviter withholds its identity from the other participants (RFC 3323 Privacy: id)') },
  leave: { device: DEVICE, session: string() },
  cancel: { device: DEVICE, session: string() },
  rejoin: { device: DEVICE, session: string() },
  add: { from: DEVICE, session: string(), users: oneOrMany(ADDRESS) },
  remove: { from: DEVICE, session: string(), users: oneOrMany(ADDRESS) },
  modify: { from: DEVICE, session: string(), media: MEDIA },
  'subscribe-participants': { from: DEVICE, session: string(), expires: duration('how long the subscription lasts, whole seconds (RFC 6665; 3600s by default, the most the focus grants)') },
  say: { from: DEVICE, session: string(), text: text(), 'success-report': boolean('ask for a REPORT once the message is delivered (RFC 4975 7.1.2 Success-Report: yes)') },
  talk: { from: DEVICE, session: string(), for: duration('how long the talkspurt lasts') },
  'app-send': { from: string('an application of network.applications'), to: ADDRESS, text: text(), 'on-behalf-of': string('a user address the application sends as') },
  'app-reply': { from: string('an application of network.applications'), text: text() },
} as const satisfies Record<string, Fields>;

const REQUIRED: Record<keyof typeof ACTION_FIELDS, readonly string[]> = {
  register: ['devices'],
  read: ['device', 'message'],
  reply: ['from', 'to', 'text'],
  send: ['from', 'to', 'text'],
  inject: ['from', 'wire'],
  'non-cpm-send': ['from', 'to', 'text'],
  invite: ['from', 'to', 'id'],
  leave: ['device', 'session'],
  cancel: ['device', 'session'],
  rejoin: ['device', 'session'],
  add: ['from', 'session', 'users'],
  remove: ['from', 'session', 'users'],
  modify: ['from', 'session', 'media'],
  'subscribe-participants': ['from', 'session'],
  say: ['from', 'session', 'text'],
  talk: ['from', 'session', 'for'],
  'app-send': ['from', 'to', 'text'],
  'app-reply': ['from', 'text'],
};

/** Every action a timeline entry may name, with what it takes. */
export const ACTIONS: Fields = {
  register: anyOf(DEVICES, object(ACTION_FIELDS.register, REQUIRED.register)),
  deregister: DEVICES,
  'subscribe-reg': DEVICES,
  send: object(ACTION_FIELDS.send, REQUIRED.send),
  reply: object(ACTION_FIELDS.reply, REQUIRED.reply),
  read: object(ACTION_FIELDS.read, REQUIRED.read),
  'retrieve-deferred': DEVICES,
  offline: DEVICES,
  online: DEVICES,
  inject: object(ACTION_FIELDS.inject, REQUIRED.inject),
  'non-cpm-send': object(ACTION_FIELDS['non-cpm-send'], REQUIRED['non-cpm-send']),
  'handset-off': oneOrMany(string('an SMS subscriber, tel:+...')),
  'handset-on': oneOrMany(string('an SMS subscriber, tel:+...')),
  invite: object(ACTION_FIELDS.invite, REQUIRED.invite),
  cancel: object(ACTION_FIELDS.cancel, REQUIRED.cancel),
  leave: object(ACTION_FIELDS.leave, REQUIRED.leave),
  rejoin: object(ACTION_FIELDS.rejoin, REQUIRED.rejoin),
  add: object(ACTION_FIELDS.add, REQUIRED.add),
  remove: object(ACTION_FIELDS.remove, REQUIRED.remove),
  modify: object(ACTION_FIELDS.modify, REQUIRED.modify),
  'subscribe-participants': object(ACTION_FIELDS['subscribe-participants'], REQUIRED['subscribe-participants']),
  say: object(ACTION_FIELDS.say, REQUIRED.say),
  talk: object(ACTION_FIELDS.talk, REQUIRED.talk),
  'app-send': object(ACTION_FIELDS['app-send'], REQUIRED['app-send']),
  'app-reply': object(ACTION_FIELDS['app-reply'], REQUIRED['app-reply']),
};

export const TIMELINE_ENTRY: Fields = { at: duration('when, in virtual time'), ...ACTIONS };

const LIFELINE = string('a lifeline name');
const REQUEST = oneOf(REQUEST_NAMES, 'a SIP, MSRP or HTTP method, an SMTP verb or an SMPP command');
const RESPONSE = anyOf({ kind: 'integer', minimum: 100, maximum: 699, description: 'a status code' }, string('a status code, a class like 2xx, an SMPP, MM7 or IMPS response, or a BFCP request status', { pattern: `^(?:[1-6]\\d\\d|[1-6][xX][xX]|${[...SMPP_RESPONSES, ...BFCP_STATUSES, ...MM7_RESPONSES, ...IMPS_RESPONSES].join('|')})$` }));
const OF = oneOf(SIP_METHODS, 'the SIP method a response answers');
const MEDIA_TYPE = string('a media type like message/cpim', { pattern: '^[\\w.+-]+/[\\w.+-]+$' });
/** A value exactly, or { regex }, { present: true } or { absent: true }. */
export const TEXT_MATCH_FORMS: Fields = { regex: string('a regular expression'), present: boolean(), absent: boolean(), captured: string('the name under which an earlier step captured a value') };
const TEXT_MATCH = anyOf(text('the value exactly'), object(TEXT_MATCH_FORMS, [], { minFields: 1, maxFields: 1 }));
const HEADERS = map(TEXT_MATCH, 'header name -> the value, { regex }, { present: true } or { absent: true }');

/** One step: a message (from, to, request or response) or an action (at, action). */
export const STEP: Fields = {
  n: integer(1, 'the step number of the figure'),
  from: LIFELINE,
  to: LIFELINE,
  request: REQUEST,
  response: RESPONSE,
  of: OF,
  body: MEDIA_TYPE,
  note: text('a comment on the step'),
  at: LIFELINE,
  action: oneOf(NOTE_KIND_NAMES, 'the kind of note the entity writes'),
  text: text("the note's exact text"),
  after: integer(1, 'the step this branch follows'),
  headers: HEADERS,
  'body-text': TEXT_MATCH,
  within: duration('sent at most this long after the step it follows'),
  optional: boolean('the run passes without this step'),
  unordered: string('a label: neighbouring steps with the same label may happen in any order'),
  capture: map(string('a header name'), 'name -> the header whose value later steps compare with { captured: name }'),
};

const MESSAGE_ONLY = ['from', 'to', 'request', 'response', 'of', 'body', 'note', 'headers', 'body-text', 'within', 'optional', 'unordered', 'capture'];
const ACTION_ONLY = ['at', 'action', 'text'];
/** A message step is a request or a response between two lifelines; an action step is a note at one. */
const STEP_FORMS = [
  { required: ['from', 'to', 'request'], forbidden: [...ACTION_ONLY, 'response'] },
  { required: ['from', 'to', 'response'], forbidden: [...ACTION_ONLY, 'request'] },
  { required: ['at', 'action'], forbidden: MESSAGE_ONLY },
];

export const MATCHER: Fields = { from: LIFELINE, to: LIFELINE, request: REQUEST, response: RESPONSE, of: OF, body: MEDIA_TYPE, user: string('a user address'), headers: HEADERS, 'body-text': TEXT_MATCH };

export const EXPECT: Fields = {
  from: duration('match messages sent from this virtual time on'),
  steps: list(object(STEP, ['n'], { forms: STEP_FORMS })),
  ignore: list(object(MATCHER, [], { minFields: 1 })),
  never: list(object(MATCHER, [], { minFields: 1 })),
  'under-faults': boolean(),
};

export const MONITOR: Fields = { name: string(), match: object(MATCHER), 'at-most': integer(0), 'at-least': integer(0) };
export const SPEC_REF: Fields = { section: text('e.g. C.3.1.1.1'), figure: integer(1) };
export const LIMITS: Fields = { 'max-events': integer(1), until: duration(), 'wall-clock': duration(), memory: integer(1, 'MiB of heap growth') };

export const ROOT: Fields = {
  title: { kind: 'text', nonEmpty: true },
  description: text(),
  spec: object(SPEC_REF, ['section']),
  covers: list(string('a normative statement id of spec/normative.json, e.g. 5.2.2.1-3', { pattern: '^5(?:\\.\\d+)*-\\d+$' })),
  seed: integer(0),
  duration: duration('how long to run; default: until Timer F after the last action'),
  network: object(NETWORK, ['users']),
  lifelines: map(oneOrMany(string(`a device, *@domain, rest of domain, or a server (${SERVER_ROLES.join(', ')}).domain`)), 'the figure columns, left to right'),
  timeline: list(object(TIMELINE_ENTRY, ['at'], { minFields: 2, maxFields: 2, description: 'at, and one action' })),
  expect: object(EXPECT, ['steps']),
  monitors: list(object(MONITOR, ['name', 'match'])),
  limits: object(LIMITS),
};

export const ROOT_REQUIRED = ['title', 'network', 'lifelines', 'timeline', 'expect'] as const;

/** The field names of a mapping, in order: what a reader passes to `Value.map`. */
export function fieldNames(fields: Fields): string[] {
  return Object.keys(fields);
}
