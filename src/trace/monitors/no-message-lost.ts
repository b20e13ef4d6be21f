import type { Micros } from '../../kernel/time.js';
import type { WirePayload } from '../../wire/payload.js';
import type { Monitor, MonitorInput, Violation } from './monitor.js';
import { arrivals, callIdOf, isPagerMessage, messageIdOf, notificationsIn, sipOf } from './sip-facts.js';

/** RFC 5438 statuses that tell the sender its message did not get through. */
const NEGATIVE = new Set(['failed', 'forbidden', 'error']);

interface Pager {
  eventId: number;
  at: Micros;
  host: string;
  callId: string;
  messageId: string | undefined;
}

/** An outcome the trace shows only as an event with no message identity (a note, a handover): each settles one message. */
interface Claim {
  at: Micros;
  host?: string;
  used: boolean;
}

/**
 * CPM 5.2.2 and issue 7: every pager message a user sends ends delivered to a device of its
 * recipient, deferred or moved to network storage (CPM 5.2.2.2), handed to a non-CPM service that
 * accepted it (CPM 5.3), or reported to its sender as an error response, a failure the sending
 * client noted (its transaction timed out, RFC 3261 17.1.2.2) or a negative delivery notification
 * (RFC 5438). A mail an Interworking Function queued (answering 202 before its relay did) is
 * stored: the function keeps it on disk until it is relayed, or bounced to its sender (RFC 5321
 * 6.1). Deferrals, queued mails, handovers and failure notes carry no message identity in the
 * trace, so each settles one message, the earliest unsettled one before it.
 */
export const noMessageLost: Monitor = {
  name: 'no-message-lost',
  holds: 'every pager message is delivered, deferred, stored, handed over, or answered with an error',
  check({ events, clients }: MonitorInput): Violation[] {
    const arrived = arrivals(events);
    const pagers: Pager[] = [];
    const seen = new Set<string>();
    const settled = new Set<string>();
    const stored: Claim[] = [];
    const failures: Claim[] = [];
    const handovers: Claim[] = [];
    const smtpContent = new Set<string>();
    for (const e of events) {
      if (e.type === 'note') {
        if (/\bdeferred \(|moved to network storage|the mail is queued for relay/.test(e.text)) stored.push({ at: e.at, used: false });
        if (clients.has(e.host) && e.text.startsWith('message failed')) failures.push({ at: e.at, host: e.host, used: false });
        continue;
      }
      const handover = acceptedByNonCpm(e.payload, e.to, smtpContent);
      if (handover && arrived.has(e.id)) handovers.push({ at: e.at, used: false });
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
    const claim = (list: Claim[], p: Pager): boolean => {
      const c = list.find((x) => !x.used && x.at >= p.at && (x.host === undefined || x.host === p.host));
      if (c !== undefined) c.used = true;
      return c !== undefined;
    };
    const deliveredElsewhere = (p: Pager): boolean =>
      p.messageId !== undefined && [...clients.keys()].some((h) => h !== p.host && settled.has(`delivered|${p.messageId}|${h}`));
    const out: Violation[] = [];
    for (const p of pagers) {
      if (deliveredElsewhere(p) || settled.has(`error|${p.host}|${p.callId}`)) continue;
      if (p.messageId !== undefined && settled.has(`negative|${p.messageId}|${p.host}`)) continue;
      if (claim(failures, p) || claim(stored, p) || claim(handovers, p)) continue;
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

/**
 * A non-CPM system took the message (CPM 5.3.1): an SMS centre's positive submit_sm_resp (SMPP 3.4
 * 4.4.2), or a mail system's 250 to the content of a mail transaction (RFC 5321 4.1.1.4).
 */
function acceptedByNonCpm(payload: WirePayload, to: string, smtpContent: Set<string>): boolean {
  if (!('protocol' in payload)) return false;
  if (payload.protocol === 'smpp') return payload.command === 'submit_sm_resp' && payload.status === 0;
  if (payload.protocol !== 'smtp') return false;
  if (payload.role === 'client') {
    if ('content' in payload) smtpContent.add(payload.client);
    return false;
  }
  if (!smtpContent.has(to) || !payload.replies.some((r) => r.code === 250)) return false;
  smtpContent.delete(to);
  return true;
}
