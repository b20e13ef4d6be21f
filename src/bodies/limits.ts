/**
 * Bounds on what a body decoder reads, so that no input can exhaust the stack or take more than
 * linear time. Each is far above anything a CPM element sends (OMA CPM bodies are at most a
 * multipart of a few CPIM messages, each wrapping a short text, IMDN or SDP) and each is refused
 * with a BodyParseError, as a real element refuses a body it cannot handle (RFC 3261 21.4.1 415/400).
 */

/**
 * How deep bodies may encapsulate bodies (CPIM in multipart in CPIM ...). A CPM MESSAGE nests at
 * most three levels (multipart/mixed, message/cpim, message/imdn+xml); decoding is recursive, so an
 * unbounded depth would overflow the stack.
 */
export const MAX_BODY_NESTING = 16;

/**
 * Element nesting of an XML body. The CPM documents (IMDN, reginfo, conference-info,
 * resource-lists) nest under ten deep; the XML parser recurses per level.
 */
export const XML_MAX_DEPTH = 100;

/** Octets of one body: a pager-mode message is limited to 1300 octets of SIP (RFC 3428 8) and a
 * large message goes by MSRP in chunks; 4 MiB bounds any body the codecs read at once. */
export const MAX_BODY_OCTETS = 4 * 1024 * 1024;
