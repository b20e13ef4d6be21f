import type { MailingList } from '../cpm/non-cpm/mail-system.js';
import type { DistributionList } from '../cpm/non-cpm/smsc.js';
import { IMPS_GROUP, fieldNames } from './shape.js';
import type { Mapping } from './yaml-reader.js';

const MAILTO = /^mailto:[A-Za-z0-9._%+-]+@[a-z0-9.-]+$/;
const GLOBAL_TEL = /^tel:\+[1-9][0-9]{5,14}$/;

/**
 * The mailing lists of an email system, its `groups` (CPM 5.1.2.5 Non-CPM Groups): each a
 * `mailto:` address of the system's domain that is not one of its mailboxes, with `members`, each
 * a mailbox of the system or a mail address elsewhere (`mailto:alice@a.example`, a CPM user).
 */
export function readMailLists(fields: Mapping, service: string, domain: string, users: string[]): { lists?: MailingList[] } {
  if (service !== 'email') return {};
  const lists = readGroups(fields, {
    badName: (name) => (!MAILTO.test(name) || !name.endsWith(`@${domain}`) ? `'${name}' is not a mailing list address of ${domain} like mailto:team@${domain}` : undefined),
    taken: (name) => `${name} is a mailbox of this system; a list needs an address of its own`,
    anyPost: 'a mailing list takes any post',
    badMember: (member) => {
      if (!MAILTO.test(member)) return `'${member}' is not a mail address like mailto:carol@${domain}`;
      return member.endsWith(`@${domain}`) && !users.includes(member) ? `${member} is not a mailbox of this system` : undefined;
    },
    users,
  });
  return lists === undefined ? {} : { lists: lists.map(({ name, members }) => ({ address: name, members })) };
}

/**
 * The distribution lists of an sms system, its `groups` (CPM 5.1.2.5 Non-CPM Groups in tel: form):
 * each a global number that is not one of its subscribers', with `members`, each a number (a
 * subscriber of the system, or a number elsewhere such as a CPM user's).
 */
export function readDistributionLists(fields: Mapping, service: string, users: string[]): { distributionLists?: DistributionList[] } {
  if (service !== 'sms') return {};
  const lists = readGroups(fields, {
    badName: (name) => (GLOBAL_TEL.test(name) ? undefined : `'${name}' is not a global tel URI like tel:+15550100, the number of a distribution list`),
    taken: (name) => `${name} is a subscriber of this system; a list needs a number of its own`,
    anyPost: 'a distribution list takes any message',
    badMember: (member) => (GLOBAL_TEL.test(member) ? undefined : `'${member}' is not a global tel URI like tel:+15559870001`),
    users,
  });
  return lists === undefined ? {} : { distributionLists: lists.map(({ name, members }) => ({ number: name, members })) };
}

/** What makes a list's address or a member wrong, as the error that says so (undefined: right). */
interface ListRules {
  badName(name: string): string | undefined;
  /** The error for a list address that is one of the system's own users. */
  taken(name: string): string;
  /** Why a list takes no `access` (an IMPS group setting). */
  anyPost: string;
  badMember(member: string): string | undefined;
  users: string[];
}

/** The `groups` of a non-CPM system, each list's address with its members; undefined without them. */
function readGroups(fields: Mapping, rules: ListRules): { name: string; members: string[] }[] | undefined {
  const groupsValue = fields.get('groups');
  if (groupsValue === undefined) return undefined;
  const lists: { name: string; members: string[] }[] = [];
  for (const { name, keyOffset, value } of groupsValue.map().entries) {
    const fail = (reason: string): never => groupsValue.source.fail(keyOffset, groupsValue.path, reason);
    const badName = rules.badName(name);
    if (badName !== undefined) fail(badName);
    if (rules.users.includes(name)) fail(rules.taken(name));
    const g = value.isNull ? undefined : value.map(fieldNames(IMPS_GROUP));
    const access = g?.get('access');
    if (access !== undefined) access.fail(`access is an IMPS group setting; ${rules.anyPost}`);
    const members = (g?.get('members')?.oneOrMany() ?? []).map((item) => {
      const member = item.string();
      const badMember = rules.badMember(member);
      if (badMember !== undefined) item.fail(badMember);
      return member;
    });
    lists.push({ name, members });
  }
  return lists;
}
