import { header, type SipRequest } from './message.js';
import { parseNameAddr } from './name-addr.js';
import { aorOf } from './uri.js';

/**
 * The originator the network asserts (RFC 3325 9.1 P-Asserted-Identity, the first of them: the SIP
 * address when a tel URI follows), as an address of record; undefined when none is asserted.
 */
export function assertedIdentity(req: SipRequest): string | undefined {
  const identity = header(req, 'P-Asserted-Identity');
  return identity === undefined ? undefined : aorOf(parseNameAddr(identity).uri);
}
