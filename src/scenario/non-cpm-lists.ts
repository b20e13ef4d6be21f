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
  const groupsValue = fields.get('groups');
  if (groupsValue === undefined || service !== 'email') return {};
  const lists: MailingList[] = [];
  for (const { name, keyOffset, value } of groupsValue.map().entries) {
    const fail = (reason: string): never => groupsValue.source.fail(keyOffset, groupsValue.path, reason);
    if (!MAILTO.test(name) || !name.endsWith(`@${domain}`)) fail(`'${name}' is not a mailing list address of ${domain} like mailto:team@${domain}`);
    if (users.includes(name)) fail(`${name} is a mailbox of this system; a list needs an address of its own`);
    const g = value.isNull ? undefined : value.map(fieldNames(IMPS_GROUP));
    const access = g?.get('access');
    if (access !== undefined) access.fail('access is an IMPS group setting; a mailing list takes any post');
    const members = (g?.get('members')?.oneOrMany() ?? []).map((item) => {
      const member = item.string();
      if (!MAILTO.test(member)) item.fail(`'${member}' is not a mail address like mailto:carol@${domain}`);
      if (member.endsWith(`@${domain}`) && !users.includes(member)) item.fail(`${member} is not a mailbox of this system`);
      return member;
    });
    lists.push({ address: name, members });
  }
  return { lists };
}

/**
 * The distribution lists of an sms system, its `groups` (CPM 5.1.2.5 Non-CPM Groups in tel: form):
 * each a global number that is not one of its subscribers', with `members`, each a number (a
 * subscriber of the system, or a number elsewhere such as a CPM user's).
 */
export function readDistributionLists(fields: Mapping, service: string, users: string[]): { distributionLists?: DistributionList[] } {
  const groupsValue = fields.get('groups');
  if (groupsValue === undefined || service !== 'sms') return {};
  const lists: DistributionList[] = [];
  for (const { name, keyOffset, value } of groupsValue.map().entries) {
    const fail = (reason: string): never => groupsValue.source.fail(keyOffset, groupsValue.path, reason);
    if (!GLOBAL_TEL.test(name)) fail(`'${name}' is not a global tel URI like tel:+15550100, the number of a distribution list`);
    if (users.includes(name)) fail(`${name} is a subscriber of this system; a list needs a number of its own`);
    const g = value.isNull ? undefined : value.map(fieldNames(IMPS_GROUP));
    const access = g?.get('access');
    if (access !== undefined) access.fail('access is an IMPS group setting; a distribution list takes any message');
    const members = (g?.get('members')?.oneOrMany() ?? []).map((item) => {
      const member = item.string();
      if (!GLOBAL_TEL.test(member)) item.fail(`'${member}' is not a global tel URI like tel:+15559870001`);
      return member;
    });
    lists.push({ number: name, members });
  }
  return { distributionLists: lists };
}
