/** Octets that are not a well-formed SMPP 3.4 PDU of a command cpmsim speaks. */
export class SmppParseError extends Error {
  override readonly name = 'SmppParseError';
}
