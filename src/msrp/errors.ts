/** What part of an MSRP message was malformed. */
export type MsrpParseWhat = 'start-line' | 'header' | 'uri' | 'end-line' | 'body';

/** An MSRP message that does not follow the RFC 4975 9 grammar. */
export class MsrpParseError extends Error {
  override readonly name = 'MsrpParseError';

  constructor(
    readonly what: MsrpParseWhat,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
