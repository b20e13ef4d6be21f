import { cpimHeader } from '../../bodies/cpim-codec.js';
import { SipParseError } from '../../sip/errors.js';
import type { SipRequest } from '../../sip/message.js';
import { parseNameAddr } from '../../sip/name-addr.js';
import { ANONYMOUS, wantsIdentityPrivacy } from '../../sip/privacy.js';
import { aorOf } from '../../sip/uri.js';

/**
 * The CPIM From of a message whose sender the core asserted as `asserted`, when it names someone
 * else (or cannot be read); undefined when it is the sender or the body is not CPIM. RFC 3862 7
 * and RFC 5438 14: the CPIM From is what a recipient answers with delivery notifications, so a
 * forged one would send them to a third party; only the sender's own server can check it.
 */
export function foreignCpimFrom(req: SipRequest, asserted: string): string | undefined {
  if (req.body?.kind !== 'cpim') return undefined;
  const from = cpimHeader(req.body.cpim, 'From');
  if (from === undefined) return undefined;
  try {
    const aor = aorOf(parseNameAddr(from).uri);
    // RFC 3323 4.1.1.3: a sender asking for privacy names no one rather than someone else.
    return aor === asserted || (aor === ANONYMOUS && wantsIdentityPrivacy(req)) ? undefined : aor;
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
    return from;
  }
}
