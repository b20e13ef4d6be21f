import { BodyParseError } from '../../bodies/errors.js';
import { buildXml, parseXml } from '../../bodies/xml.js';
import type { PredefinedGroup } from '../conversation-server/controlling-function.js';

/**
 * The XCAP application usage of CPM Pre-defined Groups (CPM 5.1.2.4): the members and the group
 * policy the Controlling Function applies (C.3.1.2 step 6). The draft gives no schema; cpmsim's
 * lists the members as resource-list entries do (RFC 4826) in a namespace of its own.
 */
const GROUPS_AUID = 'org.openmobilealliance.groups';
export const GROUP_TYPE = 'application/vnd.cpmsim.cpm-group+xml';
const GROUP_NS = 'urn:cpmsim:params:xml:ns:cpm-group';

/** RFC 4825 6: the group's document, in the user tree of the group's own URI. */
export function groupPath(uri: string): string {
  return `/${GROUPS_AUID}/users/${encodeURIComponent(uri)}/index`;
}

export function encodeGroup(group: PredefinedGroup): string {
  return buildXml({
    group: {
      '@_xmlns': GROUP_NS,
      '@_uri': group.uri,
      members: { entry: group.members.map((uri) => ({ '@_uri': uri })) },
      policy: { '@_senders': group.policy.allowedSenders, ...(group.policy.rejoin === false ? { '@_rejoin': 'refused' } : {}) },
    },
  });
}

/** @throws BodyParseError for a document that is not a group document. */
export function decodeGroup(text: string): PredefinedGroup {
  const root = parseXml(GROUP_TYPE, text, 'group', GROUP_NS);
  const senders = root.one('policy').attr('senders') ?? 'members';
  if (senders !== 'members' && senders !== 'anyone') throw new BodyParseError(GROUP_TYPE, `<policy> senders="${senders}" is not members or anyone`);
  const rejoin = root.one('policy').attr('rejoin') ?? 'allowed';
  if (rejoin !== 'allowed' && rejoin !== 'refused') throw new BodyParseError(GROUP_TYPE, `<policy> rejoin="${rejoin}" is not allowed or refused`);
  return {
    uri: root.requiredAttr('uri'),
    members: root.one('members').children('entry').map((e) => e.requiredAttr('uri')),
    policy: { allowedSenders: senders, ...(rejoin === 'refused' ? { rejoin: false } : {}) },
  };
}
