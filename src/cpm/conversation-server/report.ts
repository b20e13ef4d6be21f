import type { ImdnStatus } from '../../bodies/imdn.js';
import type { SipRequest } from '../../sip/message.js';
import { notificationRequest, reportedOf } from '../notification.js';
import type { ServerPorts } from './ports.js';

/**
 * CPM 5.2.2.3.1: a server that could not deliver a message tells its sender, on behalf of the
 * recipient, if the sender asked for that kind of notification.
 */
export function reportOn(ports: ServerPorts, req: SipRequest, kind: 'negative-delivery' | 'processing', status: ImdnStatus): void {
  if (req.body?.kind !== 'cpim') return;
  const reported = reportedOf(req.body.cpim);
  if (reported === undefined || !reported.requested.includes(kind)) return;
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
