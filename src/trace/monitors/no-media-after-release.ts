import { formatMsrpUri } from '../../msrp/uri.js';
import { msrpPeer, sdpOf } from '../../cpm/session-sdp.js';
import type { Monitor, MonitorInput, Violation } from './monitor.js';
import { arrivals, callIdOf, sipOf } from './sip-facts.js';

/**
 * CPM 5.2.3.2.2 and 5.2.3.2.4: once a Participant left or was released (a BYE in its session's
 * dialog, sent or received), no message of the session's stream is sent to it. A device's end of
 * the stream is the MSRP URI it gave in its own SDP (RFC 4975 8.2, a=path); a SEND is for it when
 * its To-Path ends there. A SEND already on its way when the BYE went out is not counted. The
 * same holds for RTP (RFC 3550): a device's end of an audio or video stream is the port of its
 * own m-line; a packet sent to that port of the device after the BYE is media after release.
 */
export const noMediaAfterRelease: Monitor = {
  name: 'no-media-after-release',
  holds: 'no device is sent session media after its session was released',
  check({ events, clients }: MonitorInput): Violation[] {
    const arrived = arrivals(events);
    const ends = new Map<string, { host: string; callId: string }>();
    const released = new Map<string, number>();
    const out: Violation[] = [];
    for (const e of events) {
      if (e.type === 'note') continue;
      const msg = sipOf(e.payload);
      if (msg !== undefined) {
        const callId = callIdOf(msg);
        if (callId === undefined) continue;
        if (clients.has(e.from)) {
          const own = sdpOf(msg);
          const path = own === undefined ? undefined : msrpPeer(own);
          const end = path?.at(-1);
          if (end !== undefined) ends.set(formatMsrpUri(end), { host: e.from, callId });
          for (const m of own?.media ?? []) if ((m.type === 'audio' || m.type === 'video') && m.port !== 0) ends.set(`rtp|${e.from}|${m.port}`, { host: e.from, callId });
        }
        if (msg.type === 'request' && msg.method === 'BYE') {
          for (const host of [e.from, e.to]) if (clients.has(host) && !released.has(`${host}|${callId}`)) released.set(`${host}|${callId}`, e.at);
        }
        continue;
      }
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
