import { SECOND, type Micros } from '../kernel/time.js';

/** CPM 5.2.3.8: the Media Stream Types a CPM Session can carry; `message` is an MSRP stream. */
export const MEDIA_TYPES = ['message', 'audio', 'video'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/**
 * How the scripted user of a device answers a CPM Session Invitation: accepts after ringing for
 * a while (the client alerts at once), rejects (busy or declined), or lets it ring.
 */
export type Answer = { kind: 'accept'; after: Micros } | { kind: 'reject'; status: 486 | 603 } | { kind: 'ignore' };

export const DEFAULT_ANSWER: Answer = { kind: 'accept', after: 1 * SECOND };

/** What a device can do in sessions, and how its user answers. */
export interface DeviceSettings {
  name: string;
  answer?: Answer;
  /** How long the device takes from an invitation to alerting its user (its ALERTING response). */
  alert?: Micros;
  /** The Media Stream Types the device supports (its capabilities, CPM 5.2.3.2.1.3). */
  media?: MediaType[];
  /** RFC 4028: the device supports session timers and asks for this session interval, in seconds. */
  sessionTimer?: number;
}

/**
 * Contact feature tags for the Media Stream Types a device supports: RFC 3840 `audio` and
 * `video`, and for an MSRP message stream the OMA SIMPLE IM tag that CPM reuses (Appendix D).
 */
const MESSAGE_STREAM_TAG = '+g.oma.sip-im';

/** One frozen tag per type, shared by every device's Contact: a population keeps millions of them. */
const FEATURE_TAGS = new Map(MEDIA_TYPES.map((m) => [m, Object.freeze({ name: m === 'message' ? MESSAGE_STREAM_TAG : m })]));

export function mediaFeatureTags(media: readonly MediaType[]): { readonly name: string }[] {
  return media.map((m) => FEATURE_TAGS.get(m)!);
}
