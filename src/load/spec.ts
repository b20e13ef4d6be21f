/** The validated form of a load file (docs/load.md): a generated population and its traffic models. */
import type { DispositionRequest } from '../bodies/imdn.js';
import type { ServicePolicy, UserPreferences } from '../cpm/preferences.js';
import type { Micros } from '../kernel/time.js';

export interface LoadSpec {
  file: string;
  title: string;
  seed: number;
  /** Virtual time the traffic runs for, from 0. */
  durationUs: Micros;
  population: PopulationSpec;
  traffic: TrafficSpec;
  /** How often the deferred store and memory are sampled. */
  sampleUs: Micros;
  maxEvents: number;
}

export interface PopulationSpec {
  domains: number;
  usersPerDomain: number;
  /** Device names every user has, e.g. `[phone, laptop]`. */
  devices: string[];
  /** Each user has a telephone-number alias (implicitly registered, published in ENUM). */
  aliases: boolean;
  preferences: Partial<UserPreferences>;
  policy: Partial<ServicePolicy>;
  /** Pre-defined Groups per domain and members each, drawn from the domain's users. */
  groups?: { perDomain: number; members: number };
  /** Subscribers of an SMS centre and of a mail system, reached through interworking. */
  nonCpm?: { sms: number; email: number };
  /** Every device registers at a random instant of [0, registration). */
  registrationUs: Micros;
}

/** Per-user models: each user does this on average once every `everyUs`, as a Poisson process. */
export interface TrafficSpec {
  pager: PagerModel[];
  group?: GroupModel;
  sessions?: SessionModel;
  churn?: ChurnModel;
  nonCpm?: PagerModel;
}

export interface PagerModel {
  everyUs: Micros;
  notify: DispositionRequest[];
  /** Characters of text in each message. */
  length: number;
}

/** A member sends to one of its Pre-defined Groups, as a pager-mode message does to a user. */
export type GroupModel = PagerModel;

export interface SessionModel {
  everyUs: Micros;
  /** How long a session lasts from the invitation to the BYE. */
  durationUs: Micros;
  /** MSRP messages the inviting user sends in it, evenly spread. */
  messages: number;
  length: number;
}

export interface ChurnModel {
  everyUs: Micros;
  /** Mean length of an offline period (exponentially distributed). */
  offlineUs: Micros;
  /** Whether the user de-registers before going offline, or just loses its connection. */
  deregister: boolean;
}
