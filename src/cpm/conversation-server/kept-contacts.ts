import type { RegContact } from '../../bodies/reginfo.js';
import { intern } from '../../kernel/intern.js';
import { internParam } from '../../sip/interned.js';

function kept(c: RegContact): RegContact {
  return {
    id: intern(c.id),
    state: c.state,
    event: c.event,
    ...(c.expires !== undefined && { expires: c.expires }),
    uri: intern(c.uri),
    ...(c.displayName !== undefined && { displayName: intern(c.displayName) }),
    unknownParams: c.unknownParams.map(internParam),
  };
}

/**
 * The active contacts of a reg-event NOTIFY (RFC 3680), as the Conversation Server keeps them for
 * as long as the user is registered: copies of interned strings and shared parameters
 * (internParam), in lists of their own length, not the parsed document's objects (which hold the
 * body's strings, and lists grown with spare capacity).
 */
export function keptContacts(contacts: readonly RegContact[]): RegContact[] {
  return contacts.filter((c) => c.state === 'active').map(kept);
}
