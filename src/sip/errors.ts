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
  /** Where in the message, when the parser knows: 1-based line and column (of the text as UTF-8 read). */
  readonly line?: number;
  readonly column?: number;

  constructor(what: SipParseWhat, message: string, options?: ErrorOptions & { line?: number; column?: number }) {
    super(message, options);
    this.name = 'SipParseError';
    this.what = what;
    if (options?.line !== undefined) this.line = options.line;
    if (options?.column !== undefined) this.column = options.column;
  }
}

/** `run()`, its SipParseError placed at `line`:`column` unless it already has a place. */
export function locatedAt<T>(line: number, column: number, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof SipParseError) || e.line !== undefined) throw e;
    throw new SipParseError(e.what, e.message, { cause: e.cause, line, column });
  }
}
