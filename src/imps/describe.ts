import type { CspParty, CspPrimitive, ImpsMessage } from './message.js';

const partyIds = (p: CspParty): string[] => [p.user, p.group].filter((id): id is string => id !== undefined);
const quoted = (text: string): string => `"${text.length > 24 ? `${text.slice(0, 23)}…` : text}"`;

/** One line for a CSP transaction: its primitive, the text of a message, the code of a result. */
export function cspSummary(m: ImpsMessage): string {
  if (m.type === 'imps-response' && m.csp === undefined) return `HTTP ${m.status} ${m.reason}`;
  const p = m.csp!.primitive;
  if (p.name === 'SendMessage-Request' || p.name === 'NewMessage') return `${p.name} ${quoted(p.content)}`;
  if ('result' in p) return `${p.name} ${p.result.code}${p.result.description === undefined ? '' : ` ${p.result.description}`}`;
  return p.name;
}

/** Transactions that report on a message rather than carry one. */
export function isCspNotification(p: CspPrimitive): boolean {
  return p.name === 'MessageDelivered' || p.name === 'DeliveryReport-Request';
}

/** A response whose CSP Result is not success (WV-CSP 1.2: 2xx codes succeed). */
export function isCspError(m: ImpsMessage): boolean {
  const p = m.csp?.primitive;
  return p !== undefined && 'result' in p && (p.result.code < 200 || p.result.code >= 300);
}

/** The users and groups a transaction names. */
export function cspParties(p: CspPrimitive): string[] {
  if ('info' in p) return [...partyIds(p.info.sender), ...partyIds(p.info.recipient)];
  if (p.name === 'JoinGroup-Request') return [p.userId, p.groupId];
  if (p.name === 'Login-Request') return [p.userId];
  return [];
}
