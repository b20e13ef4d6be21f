import { isDeepStrictEqual } from 'node:util';
import { parse, write } from 'sdp-transform';
import type { SessionDescription } from 'sdp-transform';
import { BodyParseError } from './errors.js';
import { MAX_SDP_OCTETS } from './limits.js';

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
 *
 * sdp-transform reads each line with a pattern and quietly drops or reshapes what the pattern does
 * not fit, so a description that would not be written back as it was read is refused: what an
 * element relays must be what it received.
 * @throws BodyParseError when a mandatory line is missing or malformed, or a line would not survive.
 */
export function decodeSdp(contentType: string, text: string): SessionDescription {
  if (text.length > MAX_SDP_OCTETS) throw new BodyParseError(contentType, `SDP of ${text.length} characters exceeds the limit of ${MAX_SDP_OCTETS}`);
  const result = readSdp(contentType, text);
  for (const m of result.media) {
    // RFC 4566 5.14: m=<media> <port> <proto> <fmt> ..., one format at least.
    if (m.payloads === undefined || m.payloads === '') throw new BodyParseError(contentType, `m=${m.type} line has no format (RFC 4566 5.14)`);
  }
  // RFC 4566 5.9: t= times are decimal NTP seconds; beyond 2^53 a JavaScript number loses digits.
  if (!Number.isSafeInteger(result.timing.start) || !Number.isSafeInteger(result.timing.stop)) {
    throw new BodyParseError(contentType, 't= line times must be integers below 2^53');
  }
  let again: SessionDescription;
  try {
    again = readSdp(contentType, write(structuredClone(result)));
  } catch (e) {
    if (!(e instanceof BodyParseError)) throw e;
    throw new BodyParseError(contentType, `a line does not follow the RFC 4566 grammar: ${e.message}`, { cause: e });
  }
  if (!isDeepStrictEqual(again, result)) throw new BodyParseError(contentType, 'a line does not follow the RFC 4566 grammar and would not be relayed as received');
  return result;
}

/** sdp-transform's reading, with the mandatory lines checked and the digit fields as strings. */
function readSdp(contentType: string, text: string): SessionDescription {
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
