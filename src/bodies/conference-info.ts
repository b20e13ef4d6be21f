/** RFC 4575 application/conference-info+xml: the state of a conference, as a focus reports it. */

/** RFC 4575 5.1: a full document, a partial update, or the removal of an element. */
export type ElementState = 'full' | 'partial' | 'deleted';

/** RFC 4575 5.6.4 endpoint status. */
export type EndpointStatus =
  | 'pending'
  | 'dialing-out'
  | 'dialing-in'
  | 'alerting'
  | 'on-hold'
  | 'connected'
  | 'muted-via-focus'
  | 'disconnecting'
  | 'disconnected';

/** RFC 4575 5.6.5 and 5.6.7. */
export type JoiningMethod = 'dialed-in' | 'dialed-out' | 'focus-owner';
export type DisconnectionMethod = 'departed' | 'booted' | 'failed' | 'busy';

/** RFC 4575 5.6.9: one media stream of an endpoint. */
export interface ConferenceMedia {
  id: string;
  /** `audio`, `video`, `message` (an MSRP stream), ... */
  type?: string;
  status?: 'recvonly' | 'sendonly' | 'sendrecv' | 'inactive';
}

/** RFC 4575 5.6: one device (signalling leg) of a participant. */
export interface ConferenceEndpoint {
  entity: string;
  state: ElementState;
  displayText?: string;
  status?: EndpointStatus;
  joiningMethod?: JoiningMethod;
  disconnectionMethod?: DisconnectionMethod;
  media: ConferenceMedia[];
}

/** RFC 4575 5.6: a participant, by its address of record. */
export interface ConferenceUser {
  entity: string;
  state: ElementState;
  displayText?: string;
  /** RFC 4575 5.6.2 roles, e.g. `participant`, `chairman`. */
  roles: string[];
  endpoints: ConferenceEndpoint[];
}

/** RFC 4575 5.1 `<conference-info>`. */
export interface ConferenceInfo {
  /** The conference URI: the CPM Session Identity (CPM 5.2.3.1.3). */
  entity: string;
  state: ElementState;
  version: number;
  /** RFC 4575 5.3 conference-description/subject. */
  subject?: string;
  /** RFC 4575 5.5 conference-state. */
  userCount?: number;
  active?: boolean;
  users: ConferenceUser[];
}
