import { cpimHeader } from '../bodies/cpim-codec.js';
import { header, type SipRequest } from '../sip/message.js';

/**
 * Which pager message a request is, for the notes an element makes about it: its imdn.Message-ID
 * (RFC 5438 6.3, the same at every hop), else the Call-ID of the MESSAGE (RFC 3261 8.1.1.4).
 */
export function messageIdentity(req: SipRequest): string | undefined {
  return (req.body?.kind === 'cpim' ? cpimHeader(req.body.cpim, 'imdn.Message-ID') : undefined) ?? header(req, 'Call-ID');
}
