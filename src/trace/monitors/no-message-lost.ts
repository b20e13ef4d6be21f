import type { Micros } from '../../kernel/time.js';
import type { Monitor, MonitorInput, Violation } from './monitor.js';
import { arrivals, callIdOf, isPagerMessage, messageIdOf, notificationsIn, sipOf } from './sip-facts.js';

/** RFC 5438 statuses that tell the sender its message did not get through. */
const NEGATIVE = new Set(['failed', 'forbidden', 'error']);
/** Notes of an element that keeps the message: deferred, moved to network storage, or queued for relay. */
const STORED = /^deferred \(|^moved to network storage$|the mail is queued for relay$/;
/** An Interworking Function's note that the non-CPM system took the message, or the Application Control Function's that its application did (CPM 5.8.1). */
const HANDED_OVER = /^converts the acknowledgement into 202 Accepted$|^application control hands the message to \S+$/;

interface Pager {
  eventId: number;
  at: Micros;
  host: string;
  callId: string;
  messageId: string | undefined;
}

/**
 * CPM 5.2.2 and issue 7: every pager message a user sends ends delivered to a device of its
 * recipient, deferred or moved to network storage (CPM 5.2.2.2), handed to a non-CPM service that
 * accepted it (CPM 5.3), or reported to its sender as an error response, a failure the sending
 * client noted (its transaction timed out, RFC 3261 17.1.2.2) or a negative delivery notification
 * (RFC 5438). A mail an Interworking Function queued (answering 202 before its relay did) is
 * stored: the function keeps it on disk until it is relayed, or bounced to its sender (RFC 5321
 * 6.1). A deferral, a queued mail, a handover (an Interworking Function's note on the positive
 * submit_sm_resp, SMPP 3.4 4.4.2, or the 250 to the mail's content, RFC 5321 4.1.1.4) and a
 * sender's failure note each name the message they settle (its imdn.Message-ID, else its Call-ID),
 * so one message's outcome is never counted for another.
 */
export const noMessageLost: Monitor = {
  name: 'no-message-lost',
  holds: 'every pager message is delivered, deferred, stored, handed over, or answered with an error',
  check({ events, clients }: MonitorInput): Violation[] {
    const arrived = arrivals(events);
    const pagers: Pager[] = [];
    const seen = new Set<string>();
    const settled = new Set<string>();
    for (const e of events) {
      if (e.type === 'note') {
        if (e.message === undefined) continue;
        if (STORED.test(e.text) || HANDED_OVER.test(e.text)) settled.add(`outcome|${e.message}`);
        if (clients.has(e.host) && e.text.startsWith('message failed')) settled.add(`failed|${e.message}|${e.host}`);
        continue;
      }
      const msg = sipOf(e.payload);
      if (msg === undefined) continue;
      const callId = callIdOf(msg);
      if (callId === undefined) continue;
      if (clients.has(e.from) && isPagerMessage(msg) && !seen.has(callId)) {
        seen.add(callId);
        pagers.push({ eventId: e.id, at: e.at, host: e.from, callId, messageId: messageIdOf(msg.body) });
      }
      if (!arrived.has(e.id) || !clients.has(e.to)) continue;
      if (msg.type === 'response' && msg.status >= 300) settled.add(`error|${e.to}|${callId}`);
      if (msg.type !== 'request' || msg.method !== 'MESSAGE') continue;
      const id = messageIdOf(msg.body);
      if (isPagerMessage(msg) && id !== undefined) settled.add(`delivered|${id}|${e.to}`);
      for (const n of notificationsIn(msg.body)) if (NEGATIVE.has(n.notification.status)) settled.add(`negative|${n.messageId}|${e.to}`);
    }
    const deliveredElsewhere = (p: Pager): boolean =>
      p.messageId !== undefined && [...clients.keys()].some((h) => h !== p.host && settled.has(`delivered|${p.messageId}|${h}`));
    const noted = (p: Pager): boolean =>
      [p.messageId, p.callId].some((id) => id !== undefined && (settled.has(`outcome|${id}`) || settled.has(`failed|${id}|${p.host}`)));
    const out: Violation[] = [];
    for (const p of pagers) {
      if (deliveredElsewhere(p) || settled.has(`error|${p.host}|${p.callId}`) || noted(p)) continue;
      if (p.messageId !== undefined && settled.has(`negative|${p.messageId}|${p.host}`)) continue;
      out.push({
        monitor: 'no-message-lost',
        at: p.at,
        eventId: p.eventId,
        message: `the message ${p.messageId ?? p.callId} from ${p.host} was neither delivered, deferred, handed over nor reported as failed`,
      });
    }
    return out;
  },
};
