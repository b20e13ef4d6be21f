import type { FaultyLinksConfig } from '../net/link-model.js';
import type { ScenarioError } from './errors.js';
/** The validated, typed form of a scenario file, as the loader hands it to the simulator. */
import type { DispositionRequest } from '../bodies/imdn.js';
import type { InterworkingService } from '../cpm/interworking/addresses.js';
import type { ServicePolicy, UserPreferences } from '../cpm/preferences.js';
import type { ApplicationProfile } from '../cpm/conversation-server/application-profile.js';
import type { DeviceSettings, MediaType } from '../cpm/session-media.js';
import type { MailingList } from '../cpm/non-cpm/mail-system.js';
import type { DistributionList } from '../cpm/non-cpm/smsc.js';

/**
 * Server roles a lifeline can name per domain, as `core.a.example`: SIP/IP core, conversation server,
 * XDMS, Interworking Selection Function, Interworking Functions; in a non-CPM domain, its SMS centre or
 * mail host.
 */
export const SERVER_ROLES = ['core', 'cs', 'xdms', 'isf', 'iwf-sms', 'iwf-email', 'iwf-mms', 'iwf-imps', 'smsc', 'mx', 'mmsc', 'imps'] as const;
export type ServerRole = (typeof SERVER_ROLES)[number];

/** Keys and list indexes leading from the document root to a node, e.g. `['timeline', 1, 'send', 'to']`. */
export type SpecPath = (string | number)[];

/** A place in a scenario file; line and col are 1-based. */
export interface Location {
  file: string;
  line: number;
  col: number;
}

export interface ScenarioSpec {
  file: string;
  title: string;
  description?: string;
  spec?: { section: string; figure?: number };
  /** Normative statements of section 5 the scenario exercises (ids of spec/normative.json). */
  covers?: string[];
  /** Non-negative integer; 1 when the file gives none. */
  seed: number;
  /** How long to run; by default until every transaction the last action started has ended. */
  durationUs?: number;
  network: NetworkSpec;
  /** In file order: the columns of the figure. */
  lifelines: LifelineSpec[];
  /** Sorted by `atUs`; entries at the same time keep their file order. */
  timeline: TimelineEntry[];
  expect: ExpectSpec;
  /** Present when the file has a `monitors:` section. */
  monitors?: MonitorSpec[];
  /**
   * Guards: events and virtual time of the run, and the real time (ms) and heap growth (MiB) it
   * may take; a run that trips one fails with a message saying which.
   */
  limits: { maxEvents: number; untilUs: number; wallClockMs: number; memoryMiB: number };
  /** Things that are allowed but probably not meant, each located (printed by the CLI before it runs). */
  warnings?: ScenarioError[];
  /** Where the node at `path` is in the source file (its nearest existing ancestor if there is none). */
  locate(path: SpecPath): Location;
}

export interface DomainSpec {
  name: string;
  /** false: a domain without CPM service (its users are reached through interworking). */
  cpm: boolean;
  /** `digest`: the SIP/IP Core challenges REGISTER (RFC 3261 22); `none` (default), as the figures draw it. */
  auth: 'digest' | 'none';
  /** The service provider's policy where it differs from the defaults. */
  policy: Partial<ServicePolicy>;
  /** CPM 5.8.1: the Application Profile of its Application Control Function; absent, it knows no application. */
  applicationProfile?: ApplicationProfile;
  /** What the SIP/IP Core enforces besides registration; empty: nothing more. */
  core: CorePolicy;
}

export interface CorePolicy {
  /** Methods whose requests from a client the core challenges (407, RFC 3261 22.3). */
  challengeRequests?: string[];
  floodLimit?: { requests: number; per: number };
  /** The longest reg-event subscription the core grants, in seconds (3GPP TS 24.229 5.4.2.1.2). */
  regSubscriptionSeconds?: number;
}

export interface UserSpec {
  /** `alice@a.example` */
  address: string;
  local: string;
  domain: string;
  password?: string;
  /** Implicitly registered addresses, e.g. `tel:+15551234567`. */
  aliases: string[];
  /** The user's XDMS preferences where they differ from the defaults. */
  preferences: Partial<UserPreferences>;
  devices: DeviceSpec[];
  path: SpecPath;
}

export interface DeviceSpec extends DeviceSettings {
  name: string;
  /** Canonical id: `alice.phone`, or `alice@a.example/phone` when another domain also has an `alice`. */
  id: string;
  /** Address of the owning user. */
  user: string;
  /** Played by a real client through cpmsim live (docs/live.md): a CPM client, or a plain SIP one. */
  external?: 'cpm' | 'plain-sip';
}

export interface NetworkSpec {
  domains: DomainSpec[];
  users: UserSpec[];
  links: { delayUs: number; interDomainDelayUs: number };
  /** Present when the file declares link faults, partitions or crashes. */
  faults?: FaultsSpec;
  /** Present when the file has a `groups:` section. */
  groups?: GroupSpec[];
  /** Present when the file has a `non-cpm:` section. */
  nonCpm?: NonCpmSystemSpec[];
  /** Present when the file has an `applications:` section. */
  applications?: ApplicationSpec[];
  /** `rtp: true`: devices and Controlling Functions send RTP and RTCP in audio and video streams. */
  rtp?: boolean;
}

/** Links beyond constant delays, partitions and crashes (src/net/link-model.ts). */
export interface FaultsSpec extends FaultyLinksConfig {
  crashes: CrashSpec[];
}

/**
 * A node crashes at `atUs` and, if `restartUs` is given, comes back then: with its run-time state
 * `lost` (it restarts from its provisioning) or `kept` (it was only unreachable).
 */
export interface CrashSpec {
  host: string;
  atUs: number;
  restartUs?: number;
  state: 'lost' | 'kept';
  path: SpecPath;
}

/** A non-CPM system (CPM 5.3) in a domain of its own, with its subscribers. */
export interface NonCpmSystemSpec {
  domain: string;
  service: InterworkingService;
  /** Subscriber addresses: `tel:+...` numbers for SMS, `mailto:` mailboxes for e-mail. */
  users: string[];
  /** SMS only: the enquire_link_timer its ESMEs keep (SMPP 3.4 7.2); absent, they never probe the link. */
  enquireLinkUs?: number;
  /** SMS only: the centre's own enquire_link_timer (SMPP 3.4 4.11); absent, it never probes. */
  centreEnquireLinkUs?: number;
  /** SMS only: the longest back-off between two binds of an ESME (RFC 5626 4.5); absent, one response timer. */
  rebindBackoffUs?: number;
  /** IMPS only: the groups the server hosts (CPM 5.1.2.5 Non-CPM Groups). */
  groups?: ImpsGroupSpec[];
  /** IMPS only: users who are not logged in; the server keeps their messages until they expire. */
  loggedOut?: string[];
  /** E-mail only: the mailing lists the system hosts (CPM 5.1.2.5 Non-CPM Groups), from its `groups`. */
  lists?: MailingList[];
  /** SMS only: the distribution lists the centre hosts under numbers of their own (Non-CPM Groups), from its `groups`. */
  distributionLists?: DistributionList[];
  path: SpecPath;
}

/** An IMPS group: its WV address, who may join (open: anyone; restricted: its members), and its members, joined from the start. */
export interface ImpsGroupSpec {
  id: string;
  access: 'open' | 'restricted';
  members: string[];
}

/** A value-added-service application using a provider's Application Control Function (CPM 5.8.1). */
export interface ApplicationSpec {
  name: string;
  /** The CPM domain whose Conversation Server it uses. */
  provider: string;
  vasp: string;
  host: string;
  path: SpecPath;
}

/** A CPM Pre-defined Group (CPM 5.2.2.1), hosted by the Conversation Server of its domain. */
export interface GroupSpec {
  /** `friends@x.example` */
  address: string;
  /** Addresses of users of the network. */
  members: string[];
  /** Who may send to the group: the group policy the Controlling Function applies (C.3.1.2 step 6). */
  senders: 'members' | 'anyone';
  /** The rest of the group policy, where it differs from the defaults. */
  policy: GroupPolicySpec;
  path: SpecPath;
}

export interface GroupPolicySpec {
  banned?: string[];
  maxParticipants?: number;
  mayAdd?: 'participants' | 'originator';
  mayRemove?: 'participants' | 'originator';
  mayModify?: 'participants' | 'originator';
  /** CPM 5.2.3.2.1.1: members may re-join the group's sessions by their CPM Session Identity (default true). */
  rejoin?: boolean;
}

export interface LifelineSpec {
  name: string;
  /** Canonical device ids, `*@domain` or `role.domain` (role from SERVER_ROLES). */
  refs: string[];
  path: SpecPath;
}

export type Action =
  | { kind: 'register'; devices: string[]; password?: string; media?: MediaType[] }
  | { kind: 'subscribe-reg'; devices: string[] }
  | { kind: 'deregister'; devices: string[] }
  | { kind: 'send'; from: string; to: string; text: string; notify: DispositionRequest[]; id?: string; expiresSeconds?: number; privacy?: boolean; contentType?: string }
  /** Reply to the message labelled `to` (CPM 5.2.1.1), to its sender. */
  | { kind: 'reply'; from: string; to: string; text: string; notify: DispositionRequest[]; id?: string }
  /** The user reads the message labelled `message` (read report, CPM 5.2.2.3.2). */
  | { kind: 'read'; device: string; message: string }
  | { kind: 'retrieve-deferred'; devices: string[] }
  /** Fault injection: the device sends these bytes to its core as they are (a Via is added). */
  | { kind: 'inject'; from: string; wire: string }
  /** A non-CPM user sends from its own service (C.4.2 step 1), asking for a delivery report or not. */
  | { kind: 'non-cpm-send'; from: string; to: string; text: string; deliveryReport: boolean; id?: string }
  /** An SMS subscriber switches its handset off or on. */
  | { kind: 'handset-off' | 'handset-on'; users: string[] }
  /** The device loses or regains its connection. */
  | { kind: 'offline'; devices: string[] }
  | { kind: 'online'; devices: string[] }
  /** CPM 5.2.3: invite a user, a Pre-defined Group, or several users (an Ad-hoc Group) to a CPM Session, labelled `id`. */
  | { kind: 'invite'; from: string; to: string | string[]; media: MediaType[]; id: string; simplex?: boolean; floorControl?: boolean; replyTo?: string; privacy?: boolean }
  /** CPM 5.2.3.2.2: the device leaves the session labelled `session`. */
  | { kind: 'leave'; device: string; session: string }
  /** CPM 5.2.3.2.1.1: the device re-joins the group session labelled `session` by its CPM Session Identity. */
  | { kind: 'rejoin'; device: string; session: string }
  /** The inviting user gives up before anyone answers (RFC 3261 9.1 CANCEL). */
  | { kind: 'cancel'; device: string; session: string }
  /** CPM 5.2.3.2.3 and 5.2.3.2.4: ask the Controlling Function to invite or release users. */
  | { kind: 'add' | 'remove'; from: string; session: string; users: string[] }
  /** CPM 5.2.3.2.6.1: offer a new set of Media Streams. */
  | { kind: 'modify'; from: string; session: string; media: MediaType[] }
  /** CPM 5.2.3.6: subscribe to the Participant Information of the session. */
  | { kind: 'subscribe-participants'; from: string; session: string; expiresSeconds?: number }
  /** CPM 5.2.3.9: a message in the session's message stream (MSRP). */
  | { kind: 'say'; from: string; session: string; text: string; successReport?: boolean }
  /** RFC 3550: the user talks for a while: RTP in the session's audio and video streams. */
  | { kind: 'talk'; from: string; session: string; durationUs: number }
  /** CPM 5.8.1: an application sends through its provider's Application Control Function, as itself or for a user. */
  | { kind: 'app-send'; from: string; to: string; text: string; onBehalfOf?: string }
  /** The application answers the latest user that wrote to it (at the address it was shown). */
  | { kind: 'app-reply'; from: string; text: string };

export interface TimelineEntry {
  atUs: number;
  action: Action;
  path: SpecPath;
}

/** A header or body matcher as written: a value, a regular expression (its source), present or absent. */
export type TextMatchSpec = { kind: 'exact'; value: string } | { kind: 'regex'; source: string } | { kind: 'present' } | { kind: 'absent' } | { kind: 'captured'; name: string };

export interface HeaderMatchSpec {
  name: string;
  match: TextMatchSpec;
}

/** A numbered step of the figure that is a message between two lifelines. */
export interface StepSpec {
  n: number;
  /** Lifeline names. */
  from: string;
  to: string;
  /** An uppercase SIP method (or SMTP command), or an SMPP command name such as submit_sm. */
  request?: string;
  /** A status code, a class such as `2xx`, or an SMPP response name such as submit_sm_resp. */
  response?: number | string;
  /** Media type of the expected body. */
  body?: string;
  /** The method the expected response answers (its CSeq method). */
  of?: string;
  note?: string;
  /** The step runs in a branch alongside the steps after step `after` (see ExpectedStep.after). */
  after?: number;
  headers?: HeaderMatchSpec[];
  bodyText?: TextMatchSpec;
  /** Microseconds: sent at most this long after the message of the step it follows. */
  within?: number;
  /** The run passes without it. */
  optional?: boolean;
  /** Neighbouring steps with the same label may happen in any order among themselves. */
  unordered?: string;
  /** Header values kept by name for later steps (`{ captured: name }`). */
  capture?: { name: string; header: string }[];
  path: SpecPath;
}

/**
 * A numbered step that is an action inside one entity, not a message (C.3.1.4.3 step 3 "CPM
 * Conversation Server B defers the message"): matched against the entity's notes in the trace.
 */
export interface ActionStepSpec {
  n: number;
  /** Lifeline name. */
  at: string;
  /** The kind of the entity's note, e.g. `deferred` (src/trace/note-kinds.ts). */
  action: string;
  /** The note's whole text, when the step pins it (`selects the sms Interworking Function for tel:+15559870002`). */
  text?: string;
  /** The action runs in a branch after step `after` (see StepSpec.after). */
  after?: number;
  path: SpecPath;
}

/** A message pattern: every field given must match. */
export interface MatcherSpec {
  from?: string;
  to?: string;
  request?: string;
  response?: number | string;
  body?: string;
  /** `bob@b.example`: the message's SIP From or To names this user (its share of a group's flows). */
  user?: string;
  /** The method a request has, or a response answers: `{ response: 200, of: NOTIFY }`. */
  of?: string;
  headers?: HeaderMatchSpec[];
  bodyText?: TextMatchSpec;
  path: SpecPath;
}

export interface ExpectSpec {
  /** Only messages sent at or after this virtual time are matched against the steps. */
  fromUs: number;
  steps: StepSpec[];
  actions: ActionStepSpec[];
  /** Messages the figure does not draw (e.g. its acknowledgements): shown, but not matched. */
  ignore: MatcherSpec[];
  /** Messages that must not happen at all (after `fromUs`). */
  never: MatcherSpec[];
  /** `under-faults: true`: the steps hold on every run `cpmsim explore` perturbs, not only on the clean one. */
  underFaults: boolean;
}

/**
 * A scenario's own invariant for `cpmsim explore` (`monitors:`): how many distinct messages
 * matching the pattern a run may have (retransmissions of one message count once).
 */
export interface MonitorSpec {
  name: string;
  match: MatcherSpec;
  atMost?: number;
  atLeast?: number;
  path: SpecPath;
}
