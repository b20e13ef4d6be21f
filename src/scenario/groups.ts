/** The `network.groups:` section: CPM Pre-defined Groups, their members and who may send to them. */
// network.ts reads this section and this file uses its address helpers: a cycle of functions
// only, called after both modules have loaded.
import { GROUP, fieldNames } from './shape.js';
import { oneOf, splitAddress } from './network.js';
import type { DomainSpec, GroupPolicySpec, GroupSpec, UserSpec } from './spec.js';
import { hint } from './suggest.js';
import type { Value } from './yaml-reader.js';

const SENDERS = ['members', 'anyone'] as const;
const PERMITTED = ['participants', 'originator'] as const;

export function readGroups(value: Value, users: UserSpec[], domains: DomainSpec[]): GroupSpec[] {
  const userAddresses = users.map((user) => user.address);
  return value.map().entries.map(({ name: address, keyOffset, value: settings }): GroupSpec => {
    const fail = (reason: string): never => value.source.fail(keyOffset, value.path, reason);
    const parts = splitAddress(address) ?? fail(`group '${address}' is not an address like friends@x.example`);
    const domain = domains.find((candidate) => candidate.name === parts.domain) ?? fail(`group ${address} is in ${parts.domain}, which is not in network.domains`);
    // CPM 5.2.2.1: the Controlling Function hosting the group is part of a CPM Conversation Server.
    if (!domain.cpm) fail(`group ${address} is in ${parts.domain}, which has no CPM Conversation Server to host it (cpm: false)`);
    if (userAddresses.includes(address)) fail(`${address} is already a user; a group needs an address of its own`);
    const fields = settings.isNull ? undefined : settings.map(fieldNames(GROUP));
    const membersValue = fields?.get('members');
    const members = membersValue === undefined ? [] : readMembers(membersValue, userAddresses);
    if (members.length === 0) {
      const reason = 'a group needs at least one member';
      return membersValue?.fail(reason) ?? (fields === undefined ? fail(reason) : settings.fail(reason));
    }
    const sendersValue = fields?.get('senders');
    const policy: GroupPolicySpec = {};
    const bannedValue = fields?.get('banned');
    if (bannedValue !== undefined) policy.banned = readMembers(bannedValue, userAddresses);
    const max = fields?.get('max-participants');
    if (max !== undefined) {
      policy.maxParticipants = max.integer();
      if (policy.maxParticipants < 2) max.fail('max-participants must be 2 or more: a session needs two Participants');
    }
    const permitted = (field: string): 'participants' | 'originator' | undefined => {
      const v = fields?.get(field);
      return v === undefined ? undefined : oneOf(v, PERMITTED);
    };
    const mayAdd = permitted('may-add');
    if (mayAdd !== undefined) policy.mayAdd = mayAdd;
    const mayRemove = permitted('may-remove');
    if (mayRemove !== undefined) policy.mayRemove = mayRemove;
    const mayModify = permitted('may-modify');
    if (mayModify !== undefined) policy.mayModify = mayModify;
    if (fields?.get('rejoin')?.boolean() === false) policy.rejoin = false;
    return { address, members, senders: sendersValue === undefined ? 'members' : oneOf(sendersValue, SENDERS), policy, path: [...value.path, address] };
  });
}

function readMembers(value: Value, userAddresses: string[]): string[] {
  const members: string[] = [];
  for (const item of value.oneOrMany()) {
    const address = item.string();
    // Members are CPM Users: each copy goes to the member's own Conversation Server (CPM 5.2.2.1).
    if (!userAddresses.includes(address)) item.fail(`unknown user ${address}${hint(address, userAddresses, 'users are')}`);
    if (members.includes(address)) item.fail(`${address} is listed twice`);
    members.push(address);
  }
  return members;
}
