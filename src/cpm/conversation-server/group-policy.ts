import type { PredefinedGroup } from './controlling-function.js';

/** Who may do something the group policy governs. */
export type Permitted = 'participants' | 'originator';

/**
 * The decisions of a group's policy (CPM 5.2.2.1, 5.2.3.2.3, 5.2.3.2.4, 5.2.3.2.6.1: the Controlling
 * Function "SHALL authorize the request according to the CPM Group policy"): undefined when the
 * request is authorized, else the reason phrase of the 403 that refuses it.
 */
export function bannedReason(group: PredefinedGroup, user: string): string | undefined {
  return group.policy.banned?.includes(user) === true ? 'Banned From The Group' : undefined;
}

/** CPM 5.2.3.2.3: may `requester` invite `targets` into a session with `present` Participants? */
export function addRefusal(group: PredefinedGroup, requester: string, originator: string, targets: string[], present: number): string | undefined {
  if ((group.policy.mayAdd ?? 'participants') === 'originator' && requester !== originator) return 'Only The Originator May Add';
  if (targets.some((t) => bannedReason(group, t) !== undefined)) return 'Banned From The Group';
  const max = group.policy.maxParticipants;
  if (max !== undefined && present + targets.length > max) return `At Most ${max} Participants`;
  return undefined;
}

/** CPM 5.2.3.2.4: may `requester` remove Participants? By default only the originator may. */
export function removeRefusal(group: PredefinedGroup, requester: string, originator: string): string | undefined {
  return (group.policy.mayRemove ?? 'originator') === 'originator' && requester !== originator ? 'Only The Originator May Remove' : undefined;
}

/** CPM 5.2.3.2.6.1: may `requester` change the session's Media Streams? */
export function modifyRefusal(group: PredefinedGroup, requester: string, originator: string): string | undefined {
  return (group.policy.mayModify ?? 'participants') === 'originator' && requester !== originator ? 'Only The Originator May Modify' : undefined;
}
