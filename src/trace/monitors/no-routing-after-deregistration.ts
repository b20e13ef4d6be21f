import { header } from '../../sip/message.js';
import type { Monitor, MonitorInput, Violation } from './monitor.js';
import { arrivals, sipOf } from './sip-facts.js';

/**
 * RFC 3261 10.2.2 and CPM 5.1.1: once a device's de-registration (Expires: 0) is accepted, the
 * network keeps no binding for it: no element routes a new request to it. A NOTIFY is still
 * allowed, since ending a subscription is itself a NOTIFY (RFC 6665 4.2.2), and so is a request
 * sent before the 200 OK reached the device.
 */
export const noRoutingAfterDeregistration: Monitor = {
  name: 'no-state-after-deregistration',
  holds: 'no request other than NOTIFY reaches a device after its de-registration was accepted',
  check({ events, clients }: MonitorInput): Violation[] {
    const arrived = arrivals(events);
    const deregistering = new Set<string>();
    const gone = new Map<string, number>();
    const out: Violation[] = [];
    for (const e of events) {
      if (e.type !== 'transmit') continue;
      const msg = sipOf(e.payload);
      if (msg === undefined) continue;
      if (msg.type === 'request' && msg.method === 'REGISTER' && clients.has(e.from)) {
        if (header(msg, 'Expires') === '0') deregistering.add(e.from);
        else {
          deregistering.delete(e.from);
          gone.delete(e.from);
        }
        continue;
      }
      if (!clients.has(e.to) || !arrived.has(e.id)) continue;
      if (msg.type === 'response') {
        if (msg.status >= 200 && msg.status < 300 && deregistering.has(e.to) && header(msg, 'CSeq')?.endsWith('REGISTER')) gone.set(e.to, e.arriveAt);
        continue;
      }
      const since = gone.get(e.to);
      if (since !== undefined && e.at > since && msg.method !== 'NOTIFY' && msg.method !== 'ACK') {
        out.push({ monitor: 'no-state-after-deregistration', at: e.at, eventId: e.id, message: `${msg.method} sent to ${e.to} after its de-registration was accepted` });
      }
    }
    return out;
  },
};
