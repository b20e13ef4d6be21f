import { header, type SipRequest } from './message.js';

/** RFC 3323 4.1.1.3: the From of a user who withholds its identity. */
export const ANONYMOUS = 'sip:anonymous@anonymous.invalid';

/** RFC 3325 9.3: whether the request asks the network to withhold the identity it asserts (Privacy: id). */
export function wantsIdentityPrivacy(req: SipRequest): boolean {
  const value = header(req, 'Privacy');
  return value !== undefined && value.split(';').some((v) => v.trim().toLowerCase() === 'id');
}
