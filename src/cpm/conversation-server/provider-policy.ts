import { encodeBodyOctets } from '../../bodies/codec.js';
import type { SipRequest } from '../../sip/message.js';
import type { ServicePolicy } from '../preferences.js';
import type { MediaType } from '../session-media.js';
import { mediaTypes, sdpOf } from '../session-sdp.js';

/** The octets of a pager-mode message's body past the provider's maximum, or undefined. */
export function oversize(req: SipRequest, policy: ServicePolicy): number | undefined {
  if (policy.maxMessageSize === undefined || req.method !== 'MESSAGE' || req.body === undefined) return undefined;
  const size = encodeBodyOctets(req.body).length;
  return size > policy.maxMessageSize ? size : undefined;
}

/**
 * CPM 5.2.3.8.1 and 5.2.3.8.2: the Media Stream Types an invitation or modification offers that the
 * provider's policy does not allow (none when it names no list, or for any other request).
 */
export function refusedMedia(req: SipRequest, policy: ServicePolicy): MediaType[] {
  const allowed = policy.sessionMedia;
  if (allowed === undefined || req.method !== 'INVITE') return [];
  const sdp = sdpOf(req);
  return sdp === undefined ? [] : mediaTypes(sdp).filter((m) => !allowed.includes(m));
}
