import { TIMER_C, TIMER_F } from '../../sip/transactions/timers.js';
import type { Monitor, MonitorInput, Violation } from './monitor.js';
import { arrivals, sipOf, transactionKey } from './sip-facts.js';

/**
 * RFC 3261 8.2.6 and 17.2: an element that receives a request (ACK excepted) answers it with a
 * final response, in time or by a timeout of its own (a proxy's 408, 16.7 step 6). A request
 * counts as answered once the element tried to send the final response, even if the network then
 * lost it (the client retransmits, 17.1, and is answered again). A request is owed an answer only
 * if it arrived long enough before the run stopped for the element's own timers to have run out:
 * Timer F for a non-INVITE (17.1.2.2), Timer C for an INVITE (16.6 step 11).
 */
export const transactionsAnswered: Monitor = {
  name: 'transactions-end',
  holds: 'every request that reached an element got a final response from it',
  check({ events, endUs }: MonitorInput): Violation[] {
    const arrived = arrivals(events);
    const waiting = new Map<string, { at: number; eventId: number; label: string }>();
    const answered = new Set<string>();
    for (const e of events) {
      if (e.type === 'note') continue;
      const msg = sipOf(e.payload);
      if (msg === undefined) continue;
      const key = transactionKey(msg);
      if (key === undefined) continue;
      if (msg.type === 'request') {
        const id = `${e.to}|${key}`;
        const owed = e.type === 'transmit' && e.arriveAt + (msg.method === 'INVITE' ? TIMER_C : TIMER_F) <= endUs;
        if (msg.method !== 'ACK' && owed && arrived.has(e.id) && !waiting.has(id) && !answered.has(id)) waiting.set(id, { at: e.at, eventId: e.id, label: `${msg.method} from ${e.from}` });
      } else if (msg.status >= 200) {
        const id = `${e.from}|${key}`;
        answered.add(id);
        waiting.delete(id);
      }
    }
    return [...waiting].map(([id, w]) => ({
      monitor: 'transactions-end',
      at: w.at,
      eventId: w.eventId,
      message: `${id.slice(0, id.indexOf('|'))} never answered the ${w.label}`,
    }));
  },
};
