import { BodyParseError } from '../../bodies/errors.js';
import { buildXml, parseXml, type XmlElement } from '../../bodies/xml.js';
import type { GroupPolicy, PredefinedGroup } from '../conversation-server/controlling-function.js';
import type { Permitted } from '../conversation-server/group-policy.js';

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
      policy: encodePolicy(group.policy),
    },
  });
}

/** The policy element; what the group leaves at its default is not written. */
function encodePolicy(policy: GroupPolicy): Record<string, unknown> {
  return {
    '@_senders': policy.allowedSenders,
    ...(policy.rejoin === false && { '@_rejoin': 'refused' }),
    ...(policy.maxParticipants !== undefined && { '@_max-participants': String(policy.maxParticipants) }),
    ...(policy.mayAdd !== undefined && { '@_may-add': policy.mayAdd }),
    ...(policy.mayRemove !== undefined && { '@_may-remove': policy.mayRemove }),
    ...(policy.mayModify !== undefined && { '@_may-modify': policy.mayModify }),
    ...(policy.banned !== undefined && policy.banned.length > 0 && { banned: { entry: policy.banned.map((uri) => ({ '@_uri': uri })) } }),
  };
}

function permitted(policy: XmlElement, name: string): Permitted | undefined {
  const value = policy.attr(name);
  if (value === undefined || value === 'participants' || value === 'originator') return value;
  throw new BodyParseError(GROUP_TYPE, `<policy> ${name}="${value}" is not participants or originator`);
}

/** @throws BodyParseError for a document that is not a group document. */
export function decodeGroup(text: string): PredefinedGroup {
  const root = parseXml(GROUP_TYPE, text, 'group', GROUP_NS);
  const policy = root.one('policy');
  const senders = policy.attr('senders') ?? 'members';
  if (senders !== 'members' && senders !== 'anyone') throw new BodyParseError(GROUP_TYPE, `<policy> senders="${senders}" is not members or anyone`);
  const max = policy.attr('max-participants');
  if (max !== undefined && !/^[1-9]\d*$/.test(max)) throw new BodyParseError(GROUP_TYPE, `<policy> max-participants="${max}" is not a positive integer`);
  const banned = policy.optional('banned')?.children('entry').map((e) => e.requiredAttr('uri'));
  const rejoin = policy.attr('rejoin') ?? 'allowed';
  if (rejoin !== 'allowed' && rejoin !== 'refused') throw new BodyParseError(GROUP_TYPE, `<policy> rejoin="${rejoin}" is not allowed or refused`);
  const mayAdd = permitted(policy, 'may-add');
  const mayRemove = permitted(policy, 'may-remove');
  const mayModify = permitted(policy, 'may-modify');
  return {
    uri: root.requiredAttr('uri'),
    members: root.one('members').children('entry').map((e) => e.requiredAttr('uri')),
    policy: {
      allowedSenders: senders,
      ...(banned !== undefined && { banned }),
      ...(max !== undefined && { maxParticipants: Number(max) }),
      ...(mayAdd !== undefined && { mayAdd }),
      ...(mayRemove !== undefined && { mayRemove }),
      ...(mayModify !== undefined && { mayModify }),
      ...(rejoin === 'refused' && { rejoin: false }),
    },
  };
}
