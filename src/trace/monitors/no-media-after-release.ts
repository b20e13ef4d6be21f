import { formatMsrpUri } from '../../msrp/uri.js';
import { msrpPeer, sdpOf } from '../../cpm/session-sdp.js';
import type { Monitor, MonitorInput, Violation } from './monitor.js';
import { arrivals, callIdOf, sipOf } from './sip-facts.js';

/**
 * CPM 5.2.3.2.2 and 5.2.3.2.4: once a Participant left or was released, no message of the
 * session's stream is sent to it. A device's end of the stream is the MSRP URI it gave in its own
 * SDP (RFC 4975 8.2, a=path); a SEND is for it when its To-Path ends there. What the network knows
 * is what counts: a Participant that leaves has left once its BYE reached the end of its path (a
 * SEND the focus relayed while that BYE was on its way was sent in good faith); one the network
 * releases is released when the network sends it the BYE. A SEND already on its way then is not
 * counted either.
 * The same holds for RTP (RFC 3550): a device's end of an audio or video stream is the port of its
 * own m-line; a packet sent to that port of the device after the release is media after release.
 */
export const noMediaAfterRelease: Monitor = {
  name: 'no-media-after-release',
  holds: 'no device is sent session media after its session was released',
  check({ events, clients }: MonitorInput): Violation[] {
    const arrived = arrivals(events);
    const ends = new Map<string, { host: string; callId: string }>();
    const leaving = new Map<string, { host: string; known: number }>();
    const released = new Map<string, number>();
    for (const e of events) {
      if (e.type === 'note') continue;
      const msg = sipOf(e.payload);
      const callId = msg === undefined ? undefined : callIdOf(msg);
      if (msg === undefined || callId === undefined) continue;
      if (clients.has(e.from)) {
        const own = sdpOf(msg);
        const path = own === undefined ? undefined : msrpPeer(own);
        const end = path?.at(-1);
        if (end !== undefined) ends.set(formatMsrpUri(end), { host: e.from, callId });
        for (const m of own?.media ?? []) if ((m.type === 'audio' || m.type === 'video') && m.port !== 0) ends.set(`rtp|${e.from}|${m.port}`, { host: e.from, callId });
      }
      if (msg.type !== 'request' || msg.method !== 'BYE' || e.type !== 'transmit') continue;
      const leaver = leaving.get(callId);
      if (leaver !== undefined) leaver.known = Math.max(leaver.known, e.arriveAt);
      else if (clients.has(e.from) && !released.has(`${e.from}|${callId}`)) leaving.set(callId, { host: e.from, known: e.arriveAt });
      else if (clients.has(e.to) && !released.has(`${e.to}|${callId}`)) released.set(`${e.to}|${callId}`, e.at);
    }
    for (const [callId, { host, known }] of leaving) if (!released.has(`${host}|${callId}`)) released.set(`${host}|${callId}`, known);
    const out: Violation[] = [];
    for (const e of events) {
      if (e.type === 'note') continue;
      const p = e.payload;
      const rtp = 'protocol' in p && p.protocol === 'rtp' && p.type === 'rtp';
      if (!rtp && (!('protocol' in p) || p.protocol !== 'msrp' || p.type !== 'msrp-request' || p.method !== 'SEND')) continue;
      if (!arrived.has(e.id)) continue;
      const last = p.protocol === 'msrp' && p.type === 'msrp-request' ? p.toPath.at(-1) : undefined;
      const end = p.protocol === 'rtp' ? ends.get(`rtp|${e.to}|${p.dstPort}`) : last === undefined ? undefined : ends.get(formatMsrpUri(last));
      if (end === undefined || end.host !== e.to) continue;
      const at = released.get(`${end.host}|${end.callId}`);
      if (at !== undefined && e.at > at) {
        out.push({ monitor: 'no-media-after-release', at: e.at, eventId: e.id, message: `${e.to} was sent session media after its session (Call-ID ${end.callId}) was released` });
      }
    }
    return out;
  },
};
