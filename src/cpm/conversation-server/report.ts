import type { ImdnStatus } from '../../bodies/imdn.js';
import type { SipRequest } from '../../sip/message.js';
import { notificationRequest, reportedOf, type Reported } from '../notification.js';
import type { ServerPorts } from './ports.js';

/**
 * CPM 5.2.2.3.1: a server that could not deliver a message tells its sender, on behalf of the
 * recipient, if the sender asked for that kind of notification.
 */
export function reportOn(ports: ServerPorts, req: SipRequest, kind: 'negative-delivery' | 'processing', status: ImdnStatus): void {
  const reported = asked(req, kind);
  if (reported === undefined) return;
  const notification = notificationRequest(reported, reported.recipient, status, {
    callId: ports.stack.newCallId(),
    fromTag: ports.stack.newTag(),
    imdnMessageId: ports.rng.hex(12),
    dateTime: ports.dateTime(),
  });
  ports.note(`reports ${status.status} to the sender`);
  ports.stack.request(notification, ports.coreHost, (res) => {
    if (res.status >= 300) ports.note(`notification failed: ${res.status}`);
  });
}

/** The message's notification facts, if its sender asked for `kind`. */
export function asked(req: SipRequest, kind: 'negative-delivery' | 'processing'): Reported | undefined {
  if (req.body?.kind !== 'cpim') return undefined;
  const reported = reportedOf(req.body.cpim);
  return reported !== undefined && reported.requested.includes(kind) ? reported : undefined;
}

/**
 * RFC 3261 20.43 warning 399 on an error response whose sender has already notified the message's
 * sender, so that the originating server does not report the same failure twice.
 */
export const REPORTED_WARNING = 'negative delivery notification sent';

export function reportedWarning(host: string): { name: string; value: string } {
  return { name: 'Warning', value: `399 ${host} "${REPORTED_WARNING}"` };
}
