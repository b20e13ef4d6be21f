/** A message body that does not conform to the syntax of its media type. */
export class BodyParseError extends Error {
  override readonly name = 'BodyParseError';

  /** The Content-Type the body was decoded as (full wire value, with parameters). */
  readonly contentType: string;

  constructor(contentType: string, message: string, options?: { cause?: unknown }) {
    super(`invalid ${contentType} body: ${message}`, options);
    this.contentType = contentType;
  }
}
