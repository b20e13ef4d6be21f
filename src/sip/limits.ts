/**
 * Bounds on what the SIP parser reads, so that no message can take more than linear time or
 * unbounded memory. RFC 3261 sets no maximum; these are far above any message a CPM element sends
 * (a REGISTER with its long Contact is under 1 KB a line) and a message over them is refused with a
 * SipParseError, which the receiving element answers with 400 as for any malformed request.
 */

/** One header line, folded continuation lines counted separately (RFC 3261 7.3.1 folding). */
export const MAX_LINE_OCTETS = 16 * 1024;

/** Header lines of one message: CPM messages carry about twenty. */
export const MAX_HEADER_LINES = 256;

/**
 * A whole message, headers and body: over UDP a message is at most 65,535 octets, and RFC 3261
 * 18.1.1 moves anything near the path MTU to TCP; large CPM content goes by MSRP (RFC 4975).
 */
export const MAX_MESSAGE_OCTETS = 1024 * 1024;
