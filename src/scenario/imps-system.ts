import { isWvAddress, isWvGroup, wvDomain } from '../cpm/interworking/wv-addresses.js';
import { IMPS_GROUP, fieldNames } from './shape.js';
import type { ImpsGroupSpec } from './spec.js';
import type { Mapping, Value } from './yaml-reader.js';

/** A user of the IMPS system of `domain`: `wv:carol@imps.example`. */
export function readImpsUser(item: Value, domain: string): string {
  const user = item.string();
  if (!isWvAddress(user) || isWvGroup(user) || wvDomain(user) !== domain) item.fail(`'${user}' is not a WV user of ${domain} like wv:carol@${domain}`);
  return user;
}

/**
 * The IMPS settings of a non-CPM system: its groups (CPM 5.1.2.5 Non-CPM Groups, `wv:owner/name@domain`)
 * and the users not logged in. Only an imps system has them.
 */
export function readImpsSettings(fields: Mapping, service: string, domain: string, users: string[]): { groups?: ImpsGroupSpec[]; loggedOut?: string[] } {
  const groupsValue = fields.get('groups');
  const loggedOutValue = fields.get('logged-out');
  if (loggedOutValue !== undefined && service !== 'imps') loggedOutValue.fail('logged-out is an IMPS setting: only an imps system has it');
  if (groupsValue !== undefined && service === 'mms') groupsValue.fail('groups are IMPS groups, mailing lists or SMS distribution lists: an mms system has none');
  const out: { groups?: ImpsGroupSpec[]; loggedOut?: string[] } = {};
  if (groupsValue !== undefined && service === 'imps') {
    out.groups = [];
    for (const { name, keyOffset, value } of groupsValue.map().entries) {
      if (!isWvGroup(name) || wvDomain(name) !== domain) groupsValue.source.fail(keyOffset, groupsValue.path, `'${name}' is not a WV group of ${domain} like wv:carol/friends@${domain}`);
      const g = value.isNull ? undefined : value.map(fieldNames(IMPS_GROUP));
      const members = (g?.get('members')?.oneOrMany() ?? []).map((item) => {
        const member = item.string();
        if (!isWvAddress(member) || isWvGroup(member)) item.fail(`'${member}' is not a WV user address like wv:carol@${domain}`);
        if (wvDomain(member) === domain && !users.includes(member)) item.fail(`${member} is not a user of this IMPS system`);
        return member;
      });
      const access = g?.get('access')?.string() ?? 'open';
      if (access !== 'open' && access !== 'restricted') g!.get('access')!.fail(`unknown value '${access}'; allowed: open, restricted`);
      out.groups.push({ id: name, access: access as 'open' | 'restricted', members });
    }
  }
  if (loggedOutValue !== undefined) {
    out.loggedOut = loggedOutValue.oneOrMany().map((item) => {
      const user = item.string();
      if (!users.includes(user)) item.fail(`${user} is not a user of this IMPS system`);
      return user;
    });
  }
  return out;
}
