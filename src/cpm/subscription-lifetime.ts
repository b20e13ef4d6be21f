import { header, type SipMessage } from '../sip/message.js';

/** RFC 4575 (Subscription Duration): a conference-event subscription lasts an hour unless asked otherwise. */
export const CONFERENCE_SUBSCRIPTION_SECONDS = 3600;

/**
 * When a subscriber refreshes a subscription of `seconds` (3GPP TS 24.229 5.1.1.3, written for the
 * reg event and applied to every subscription here): 600 s before it runs out if it was for more
 * than 1200 s, else once half of it has passed. RFC 6665 4.1.2.2 asks only that it be before.
 */
export function refreshAfterSeconds(seconds: number): number {
  return seconds > 1200 ? seconds - 600 : seconds / 2;
}

/** RFC 6665 4.1.3: the Subscription-State of a NOTIFY: its state, and its expires and reason if given. */
export interface SubscriptionState {
  state: string;
  expires?: number;
  reason?: string;
}

export function subscriptionStateOf(msg: SipMessage): SubscriptionState | undefined {
  const value = header(msg, 'Subscription-State');
  if (value === undefined) return undefined;
  const [state = '', ...params] = value.split(';').map((p) => p.trim());
  const out: SubscriptionState = { state: state.toLowerCase() };
  for (const p of params) {
    const [name = '', v = ''] = p.split('=').map((s) => s.trim());
    if (name.toLowerCase() === 'expires' && /^\d+$/.test(v)) out.expires = Number(v);
    if (name.toLowerCase() === 'reason' && v !== '') out.reason = v.toLowerCase();
  }
  return out;
}

/** The Expires of a SUBSCRIBE or its 2xx, if it is delta-seconds (RFC 6665 4.1.2.1). */
export function expiresOf(msg: SipMessage): number | undefined {
  const value = header(msg, 'Expires')?.trim();
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}
