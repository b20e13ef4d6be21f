import type { RegContact } from '../../bodies/reginfo.js';
import { intern } from '../../kernel/intern.js';

type ContactParam = RegContact['unknownParams'][number];

/** Feature tags without a value (`+g.oma.sip-im`) are the same few for every device: one frozen object each. */
const TAGS = new Map<string, ContactParam>();

function keptParam(p: ContactParam): ContactParam {
  if (p.value !== undefined) return { name: intern(p.name), value: intern(p.value) };
  let tag = TAGS.get(p.name);
  if (tag === undefined) TAGS.set(p.name, (tag = Object.freeze({ name: intern(p.name) })));
  return tag;
}

function kept(c: RegContact): RegContact {
  return {
    id: intern(c.id),
    state: c.state,
    event: c.event,
    ...(c.expires !== undefined && { expires: c.expires }),
    uri: intern(c.uri),
    ...(c.displayName !== undefined && { displayName: intern(c.displayName) }),
    unknownParams: c.unknownParams.map(keptParam),
  };
}

/**
 * The active contacts of a reg-event NOTIFY (RFC 3680), as the Conversation Server keeps them for
 * as long as the user is registered: copies of interned strings and shared tags, in lists of their
 * own length, not the parsed document's objects (which hold the body's strings and lists grown
 * with spare capacity).
 */
export function keptContacts(contacts: readonly RegContact[]): RegContact[] {
  return contacts.filter((c) => c.state === 'active').map(kept);
}
