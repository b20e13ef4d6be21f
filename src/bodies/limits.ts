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

/**
 * Octets of one body: a pager-mode message is limited to 1300 octets of SIP (RFC 3428 8) and a
 * large message goes by MSRP in chunks; 1 MiB bounds any body the codecs read at once.
 */
export const MAX_BODY_OCTETS = 1024 * 1024;

/**
 * Octets of an XML body. fast-xml-parser spends up to 3 ms per KiB on attribute-heavy XML (it
 * looks for entities in every value) and a message must be read in well under 50 ms; the largest
 * document the bundled flows send, a reginfo, is under 2 KiB.
 */
export const MAX_XML_OCTETS = 8 * 1024;

/** Octets of an SDP body: a CPM session description is a few hundred octets (RFC 4975 8); sdp-transform reads about 1 KiB a millisecond, twice here. */
export const MAX_SDP_OCTETS = 4 * 1024;

/** Parts of a multipart body: CPM sends two (a resource list and the message, RFC 5365 4). */
export const MAX_MULTIPART_PARTS = 64;

/** Header lines of a CPIM message or of its content: CPM writes about eight (RFC 3862, RFC 5438). */
export const MAX_CPIM_HEADER_LINES = 256;
