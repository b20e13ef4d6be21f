import { header } from '../../sip/message.js';
import type { Monitor, MonitorInput, Violation } from './monitor.js';
import { arrivals, callIdOf, notificationsIn, sipOf } from './sip-facts.js';

/**
 * CPM 5.2.2.3 (editor's note) and C.3.1.4.4: however many devices of a recipient got a message, its
 * sender's device hears at most one notification of each type (delivery, display, processing)
 * about it from that recipient. Retransmissions of one MESSAGE (same Call-ID) count once.
 */
export const oneNotification: Monitor = {
  name: 'one-notification-per-kind',
  holds: 'a sender hears at most one notification of each kind per message per recipient',
  check({ events, clients }: MonitorInput): Violation[] {
    const arrived = arrivals(events);
    const first = new Map<string, string>();
    const out: Violation[] = [];
    for (const e of events) {
      if (e.type !== 'transmit' || !arrived.has(e.id) || !clients.has(e.to)) continue;
      const msg = sipOf(e.payload);
      if (msg?.type !== 'request' || msg.method !== 'MESSAGE') continue;
      const callId = callIdOf(msg) ?? `event ${e.id}`;
      for (const n of notificationsIn(msg.body)) {
        const recipient = n.recipientUri ?? n.originalRecipientUri ?? header(msg, 'From') ?? '?';
        const key = `${e.to}|${n.messageId}|${n.notification.type}|${recipient}`;
        const earlier = first.get(key);
        if (earlier === undefined) first.set(key, callId);
        else if (earlier !== callId) {
          out.push({
            monitor: 'one-notification-per-kind',
            at: e.at,
            eventId: e.id,
            message: `${e.to} got a second ${n.notification.type} notification (${n.notification.status}) about ${n.messageId} from ${recipient}`,
          });
        }
      }
    }
    return out;
  },
};
