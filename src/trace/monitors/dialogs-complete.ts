import type { Monitor, MonitorInput, Violation } from './monitor.js';
import { arrivals, callIdOf, cseqMethod, fromTag, sipOf, toTag } from './sip-facts.js';

/**
 * A dialog that was set up is not left half-open: every 2xx to an INVITE is acknowledged (RFC 3261
 * 13.2.2.4) or the dialog is ended with a BYE (13.3.1.4: a UAS that never gets the ACK ends it);
 * every accepted SUBSCRIBE is followed by a NOTIFY in its dialog (RFC 6665 4.2.1.2: the notifier
 * sends one at once). Dialogs are named by Call-ID and the answering side's tag, which every hop keeps.
 */
export const dialogsComplete: Monitor = {
  name: 'dialogs-complete',
  holds: 'every accepted INVITE is ACKed or ended with BYE; every accepted SUBSCRIBE gets a NOTIFY',
  check({ events }: MonitorInput): Violation[] {
    const arrived = arrivals(events);
    const accepted = new Map<string, { at: number; eventId: number; method: string; from: string }>();
    const completed = new Set<string>();
    const byCall = new Set<string>();
    for (const e of events) {
      if (e.type === 'note') continue;
      const msg = sipOf(e.payload);
      const callId = msg === undefined ? undefined : callIdOf(msg);
      if (msg === undefined || callId === undefined) continue;
      if (msg.type === 'response') {
        const method = cseqMethod(msg);
        const tag = toTag(msg);
        if (msg.status >= 200 && msg.status < 300 && (method === 'INVITE' || method === 'SUBSCRIBE') && tag !== undefined) {
          const key = `${callId}|${tag}`;
          if (!accepted.has(key)) accepted.set(key, { at: e.at, eventId: e.id, method, from: e.from });
        }
        continue;
      }
      if (!arrived.has(e.id)) continue;
      if (msg.method === 'ACK' || msg.method === 'BYE') {
        for (const tag of [toTag(msg), fromTag(msg)]) if (tag !== undefined) completed.add(`${callId}|${tag}`);
      }
      // RFC 6665 4.4.1: the NOTIFY's From tag is the tag the notifier gave in its 2xx, but a NOTIFY
      // may also come first (4.1.2.4); either way the Call-ID ties it to the subscription.
      if (msg.method === 'NOTIFY') byCall.add(callId);
    }
    const out: Violation[] = [];
    for (const [key, a] of accepted) {
      const callId = key.slice(0, key.lastIndexOf('|'));
      if (a.method === 'INVITE' ? completed.has(key) : byCall.has(callId)) continue;
      out.push({
        monitor: 'dialogs-complete',
        at: a.at,
        eventId: a.eventId,
        message: a.method === 'INVITE' ? `the 2xx to INVITE (Call-ID ${callId}) from ${a.from} was neither ACKed nor ended with BYE` : `the accepted SUBSCRIBE (Call-ID ${callId}) got no NOTIFY`,
      });
    }
    return out;
  },
};

