/** The validated, typed form of a scenario file, as the loader hands it to the simulator. */
import type { DispositionRequest } from '../bodies/imdn.js';

/** Server roles a lifeline can name per domain, as `core.a.example`: SIP/IP core, conversation server, XDMS. */
export const SERVER_ROLES = ['core', 'cs', 'xdms'] as const;
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
  /** Non-negative integer; 1 when the file gives none. */
  seed: number;
  network: NetworkSpec;
  /** In file order: the columns of the figure. */
  lifelines: LifelineSpec[];
  /** Sorted by `atUs`; entries at the same time keep their file order. */
  timeline: TimelineEntry[];
  expect: ExpectSpec;
  limits: { maxEvents: number; untilUs: number };
  /** Where the node at `path` is in the source file (its nearest existing ancestor if there is none). */
  locate(path: SpecPath): Location;
}

export interface DomainSpec {
  name: string;
  /** false: a domain without CPM service (its users are reached through interworking). */
  cpm: boolean;
  /** `digest`: the SIP/IP Core challenges REGISTER (RFC 3261 22); `none` (default), as the figures draw it. */
  auth: 'digest' | 'none';
}

export interface UserSpec {
  /** `alice@a.example` */
  address: string;
  local: string;
  domain: string;
  password?: string;
  /** Implicitly registered addresses, e.g. `tel:+15551234567`. */
  aliases: string[];
  devices: DeviceSpec[];
  path: SpecPath;
}

export interface DeviceSpec {
  name: string;
  /** Canonical id: `alice.phone`, or `alice@a.example/phone` when another domain also has an `alice`. */
  id: string;
  /** Address of the owning user. */
  user: string;
}

export interface NetworkSpec {
  domains: DomainSpec[];
  users: UserSpec[];
  links: { delayUs: number; interDomainDelayUs: number };
}

export interface LifelineSpec {
  name: string;
  /** Canonical device ids, `*@domain` or `role.domain` (role from SERVER_ROLES). */
  refs: string[];
  path: SpecPath;
}

export type Action =
  | { kind: 'register'; devices: string[]; password?: string }
  | { kind: 'subscribe-reg'; devices: string[] }
  | { kind: 'deregister'; devices: string[] }
  | { kind: 'send'; from: string; to: string; text: string; notify: DispositionRequest[] };

export interface TimelineEntry {
  atUs: number;
  action: Action;
  path: SpecPath;
}

export interface StepSpec {
  n: number;
  /** Lifeline names. */
  from: string;
  to: string;
  /** Uppercase SIP method. */
  request?: string;
  /** A status code, or a class such as `2xx`. */
  response?: number | string;
  /** Media type of the expected body. */
  body?: string;
  note?: string;
  path: SpecPath;
}

export interface ExpectSpec {
  /** Only messages sent at or after this virtual time are matched against the steps. */
  fromUs: number;
  steps: StepSpec[];
}
