import type { SessionDescription } from 'sdp-transform';
import { encodeBodyOctets } from '../../bodies/codec.js';
import { contentOctets, parseByteRange } from '../../msrp/codec.js';
import { msrpHeader, type MsrpRequest } from '../../msrp/message.js';
import { withMaxSize } from '../../msrp/sdp.js';
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
 * The octets of a session message (an MSRP SEND) past the provider's maximum, or undefined: the
 * whole message's, which the Byte-Range total gives even for its first chunk (RFC 4975 7.1.1).
 */
export function oversizeSend(send: MsrpRequest, maxMessageSize: number | undefined): number | undefined {
  if (maxMessageSize === undefined || send.method !== 'SEND') return undefined;
  const range = msrpHeader(send, 'Byte-Range');
  const total = range === undefined ? undefined : parseByteRange(range).total;
  const size = total ?? contentOctets(send);
  return size > maxMessageSize ? size : undefined;
}

/** RFC 4975 8.6: a description of the element that enforces the maximum advertises it as a=max-size. */
export function advertisingLimit(sdp: SessionDescription, maxMessageSize: number | undefined): SessionDescription {
  return maxMessageSize === undefined ? sdp : { ...sdp, media: sdp.media.map((m) => withMaxSize(m, maxMessageSize)) };
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
