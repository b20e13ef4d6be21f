import { SECOND, type Micros } from '../kernel/time.js';
import { INTERWORKING_SERVICES, type InterworkingService } from './interworking/addresses.js';
import type { MediaType } from './session-media.js';

/**
 * A CPM User's preferences as the XDMS holds them (CPM 5.4). The Participating Function reads the
 * deferral ones (5.2.2.2); the user's clients apply the notification ones (5.2.2.3).
 */
export interface UserPreferences {
  /**
   * CPM 5.2.2.2.1: what to do with a message while no client of the user is reachable; CPM
   * 5.3.1.1.1 and CPM-CONV-002: `interwork` delivers it through a Non-CPM Communication Service.
   */
  whenUnavailable: 'defer' | 'reject' | 'interwork';
  /** CPM 5.3.1.1.1: the user's addresses in non-CPM services (`tel:`, `mailto:`), most preferred first. */
  interworking: string[];
  /** CPM 5.2.2.2: on registration, push deferred messages, or notify the user who retrieves them. */
  deferredDelivery: 'push' | 'notify';
  /** CPM 5.2.2.3.1 and 5.2.2.3.2: whether the recipient authorizes these notifications. */
  deliveryNotifications: boolean;
  readReports: boolean;
  /** C.3.1.4.5: notifications about a message go to the device that sent it, or to all devices. */
  notificationDevices: 'sending' | 'all';
  /**
   * CPM 5.2.3.2.1.3: the clients the user takes CPM Session Invitations on (the others are not
   * eligible); none: every client that can take part. The document names them by their Unique User
   * Agent Identifiers; `CpmNetwork.addUser` takes the device names and writes their identifiers.
   */
  sessionDevices?: string[];
}

/** The service provider's policy for one domain (CPM 5.2.2.2, 5.2.2.3). */
export interface ServicePolicy {
  /** At most this many deferred messages per user; more are refused. */
  maxDeferred: number;
  /** How long a deferred message is held at most; a sender's shorter Expires wins. */
  maxHold: Micros;
  /** When a deferred message's hold time ends: discard (negative notification), move to network storage, or hold once more. */
  onExpiry: 'discard' | 'store' | 'extend';
  /** C.3.1.4.4: with several devices, report the first notification, or the most favourable one. */
  imdnAggregation: 'first' | 'priority';
  /** How long the priority policy waits for the other devices' notifications, and a group's Controlling Function for its members' answers. */
  aggregationWindow: Micros;
  /** CPM 5.2.2.3, 5.2.2.3.1: a group's Controlling Function forwards each member's delivery notification, or sends the sender one aggregated notification. */
  groupImdn: 'forward' | 'aggregate';
  /** CPM 5.3.1.1, 5.3.1.2: the Non-CPM Communication Services the provider interworks with, in its order; none: reject. */
  interworking: InterworkingService[];
  /** CPM 5.3.1.1.1 "message size": a text that takes more SMS than this goes by another service. */
  smsMaxSegments: number;
  /** CPM 5.3.1.2.2: when the target network has no SIP/IP Core, return the error or interwork. */
  onNoSipCore: 'reject' | 'interwork';
  /** CPM 5.3.1.2.1: when the target network has a SIP/IP Core but no CPM enabler, return the error or interwork. */
  onNoCpm: 'reject' | 'interwork';
  /**
   * CPM 5.3.1.2.4: the Interworking Selection Function routes a reply to the Interworking Function
   * of the Non-CPM Communication Service Identifier it carries (when the selection criteria allow
   * that service), or ignores the identifier and selects as for any other message.
   */
  nonCpmServiceId: 'follow' | 'ignore';
  /**
   * C.2.1.1: whether the Participating Function stays in the media path of its users' sessions
   * (an MSRP relay, RFC 4976) or leaves the media to the clients and the Controlling Function.
   */
  mediaPath: 'leave' | 'stay';
  /**
   * CPM 5.2.3.2.1.3: at most this many of a user's eligible clients receive a CPM Session
   * Invitation, the earliest registered first; none: all of them.
   */
  maxSessionDevices?: number;
  /** RFC 3261 21.4.11: a pager-mode CPM Message whose body has more octets than this is refused 413; none: no limit. */
  maxMessageSize?: number;
  /**
   * CPM 5.2.3.8.1 and 5.2.3.8.2: the Media Stream Types the provider lets its users use in sessions;
   * an invitation or a modification that offers another is refused 488. None: every type.
   */
  sessionMedia?: MediaType[];
  /**
   * A deliberately wrong behaviour, only to show that `cpmsim explore` finds the race it opens
   * (docs/explore.md): `ack-first-answer-only`, the Controlling Function answers a second device's
   * 2xx to a forked invitation by re-sending the first dialog's ACK, leaving that dialog half-open.
   */
  testFlaw?: 'ack-first-answer-only';
}

export const DEFAULT_PREFERENCES: UserPreferences = {
  whenUnavailable: 'defer',
  deferredDelivery: 'push',
  deliveryNotifications: true,
  readReports: true,
  notificationDevices: 'sending',
  interworking: [],
};

export const DEFAULT_POLICY: ServicePolicy = {
  maxDeferred: 100,
  maxHold: 7 * 24 * 3600 * SECOND,
  onExpiry: 'discard',
  imdnAggregation: 'first',
  aggregationWindow: 5 * SECOND,
  groupImdn: 'forward',
  interworking: [...INTERWORKING_SERVICES],
  smsMaxSegments: 10,
  onNoSipCore: 'reject',
  onNoCpm: 'reject',
  nonCpmServiceId: 'follow',
  mediaPath: 'leave',
};
