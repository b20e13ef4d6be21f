import { parse, write } from 'sdp-transform';
import type { SessionDescription } from 'sdp-transform';
import { BodyParseError } from './errors.js';

/**
 * Serialises a session description. sdp-transform's `write` fills in missing defaults on the
 * object it is given, so it writes a copy: encoding must not change the caller's body.
 */
export function encodeSdp(sdp: SessionDescription): string {
  return write(structuredClone(sdp));
}

/**
 * Parses application/sdp with sdp-transform. The v=, o=, s= and t= lines are mandatory (RFC 4566
 * 5) and the decoded `SessionDescription` type requires them, so their absence is an error.
 *
 * sdp-transform turns every all-digit field into a number, including fields that are strings by
 * type: the m= line's format list ("0" for a single PCMU payload, RFC 4566 5.14), the o= line's
 * sess-id (an opaque numeric string that may exceed 2^53, which sdp-transform then keeps as a
 * string) and the s= session name. These are normalised back to strings so the decoded value has
 * one stable shape and a description built with strings survives an encode/decode round trip.
 * @throws BodyParseError when a mandatory line is missing or malformed.
 */
export function decodeSdp(contentType: string, text: string): SessionDescription {
  if (!text.startsWith('v=')) {
    throw new BodyParseError(contentType, 'SDP must start with a v= line (RFC 4566 5)');
  }
  const sdp = parse(text) as Partial<SessionDescription> & Pick<SessionDescription, 'media'>;
  if (sdp.version !== 0) {
    throw new BodyParseError(contentType, 'v= line must be "v=0"');
  }
  if (sdp.origin === undefined) {
    throw new BodyParseError(contentType, 'missing or malformed o= line');
  }
  if (sdp.name === undefined) {
    throw new BodyParseError(contentType, 'missing s= line');
  }
  if (sdp.timing === undefined) {
    throw new BodyParseError(contentType, 'missing or malformed t= line');
  }
  const result: SessionDescription = {
    ...sdp,
    version: sdp.version,
    origin: { ...sdp.origin, sessionId: String(sdp.origin.sessionId) },
    name: String(sdp.name),
    timing: sdp.timing,
  };
  for (const m of result.media) {
    if (m.payloads !== undefined) m.payloads = String(m.payloads);
  }
  return result;
}
