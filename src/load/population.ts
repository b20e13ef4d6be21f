/**
 * A population generated from a few parameters: domains `d1.example`..., users `u1@dN.example`...
 * with the same devices and preferences, optional telephone aliases, Pre-defined Groups of
 * consecutive users of a domain, and subscribers of an SMS centre and a mail system.
 */
import type { CpmNetwork } from '../cpm/cpm-network.js';
import type { PopulationSpec } from './spec.js';

export const SMS_DOMAIN = 'sms.example';
export const MAIL_DOMAIN = 'mail.example';

export interface Population {
  /** Domain names in the order they were added, non-CPM systems last (they number pcap subnets). */
  domains: string[];
  /** Every user's address, domain by domain. */
  users: string[];
  devices: string[];
  /** Group addresses and their members' indexes in `users`. */
  groups: { uri: string; members: number[] }[];
  /** Addresses outside CPM: `tel:` numbers of the SMS centre, `mailto:` boxes of the mail system. */
  nonCpm: string[];
}

export const domainName = (n: number): string => `d${n}.example`;
export const userAddress = (domain: number, user: number): string => `sip:u${user}@${domainName(domain)}`;
/** tel:+1DDDUUUUUUU: the domain in three digits, the user in seven. */
export const aliasOf = (domain: number, user: number): string => `tel:+1${String(domain).padStart(3, '0')}${String(user).padStart(7, '0')}`;

export function buildPopulation(net: CpmNetwork, spec: PopulationSpec): Population {
  const domains: string[] = [];
  for (let d = 1; d <= spec.domains; d++) {
    domains.push(domainName(d));
    net.addDomain(domainName(d), { policy: spec.policy });
  }
  const nonCpm: string[] = [];
  // Non-CPM systems come after the domains and before the users (CpmNetwork.addNonCpmSystem).
  if (spec.nonCpm !== undefined && spec.nonCpm.sms > 0) {
    const numbers = Array.from({ length: spec.nonCpm.sms }, (_, i) => `tel:+2${String(i + 1).padStart(8, '0')}`);
    net.addNonCpmSystem('sms', SMS_DOMAIN, numbers);
    domains.push(SMS_DOMAIN);
    nonCpm.push(...numbers);
  }
  if (spec.nonCpm !== undefined && spec.nonCpm.email > 0) {
    const boxes = Array.from({ length: spec.nonCpm.email }, (_, i) => `mailto:m${i + 1}@${MAIL_DOMAIN}`);
    net.addNonCpmSystem('email', MAIL_DOMAIN, boxes);
    domains.push(MAIL_DOMAIN);
    nonCpm.push(...boxes);
  }
  const users: string[] = [];
  for (let d = 1; d <= spec.domains; d++) {
    for (let u = 1; u <= spec.usersPerDomain; u++) {
      const aor = userAddress(d, u);
      net.addUser(aor, spec.devices, { ...(spec.aliases && { aliases: [aliasOf(d, u)] }), preferences: spec.preferences });
      users.push(aor);
    }
  }
  const groups: Population['groups'] = [];
  if (spec.groups !== undefined) {
    const { perDomain, members } = spec.groups;
    for (let d = 1; d <= spec.domains; d++) {
      const first = (d - 1) * spec.usersPerDomain;
      for (let g = 0; g < perDomain; g++) {
        const indexes = Array.from({ length: members }, (_, j) => first + ((g * members + j) % spec.usersPerDomain));
        const uri = `sip:g${g + 1}@${domainName(d)}`;
        net.addGroup(uri, { members: indexes.map((i) => users[i]!) });
        groups.push({ uri, members: indexes });
      }
    }
  }
  return { domains, users, devices: spec.devices, groups, nonCpm };
}
