/**
 * What part of a SIP message was malformed. Kept short and stable so callers (and tests) can branch
 * on it; the human-readable detail goes in the message.
 */
export type SipParseWhat =
  | 'start-line'
  | 'version'
  | 'uri'
  | 'header'
  | 'missing-header'
  | 'method-mismatch'
  | 'content-length'
  | 'body';

/** A message, URI or header value that does not follow the SIP grammar (RFC 3261 25). */
export class SipParseError extends Error {
  readonly what: SipParseWhat;

  constructor(what: SipParseWhat, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SipParseError';
    this.what = what;
  }
}
