import type { Micros } from '../kernel/time.js';
import type { SipMessage } from '../sip/message.js';
import type { TraceEvent } from './recorder.js';

/** A figure column and the hosts it stands for. */
export interface Lifeline {
  name: string;
  /** Hosts named exactly (a device, a server). */
  hosts: string[];
  /** Whole domains (`*@b.example`), matched only by hosts no lifeline names exactly. */
  domains: string[];
}

export interface ProjectedMessage {
  eventId: number;
  at: Micros;
  from: number;
  to: number;
  message: SipMessage;
}

export interface ProjectedNote {
  eventId: number;
  at: Micros;
  lifeline: number;
  text: string;
}

export interface Projection {
  messages: ProjectedMessage[];
  notes: ProjectedNote[];
}

/**
 * Views the trace the way a figure draws the network: messages between two different lifelines,
 * sent at or after `from`. A message inside one lifeline (e.g. within "CPM System B") is not drawn.
 */
export function project(events: TraceEvent[], lifelines: Lifeline[], from: Micros): Projection {
  const exact = new Map<string, number>();
  const byDomain = new Map<string, number>();
  lifelines.forEach((l, i) => {
    for (const h of l.hosts) exact.set(h, i);
    for (const d of l.domains) byDomain.set(d, i);
  });
  const lifelineOf = (host: string): number | undefined => {
    const hit = exact.get(host);
    if (hit !== undefined) return hit;
    for (const [domain, i] of byDomain) if (host.endsWith(`.${domain}`) || host === domain) return i;
    return undefined;
  };
  const messages: ProjectedMessage[] = [];
  const notes: ProjectedNote[] = [];
  for (const e of events) {
    if (e.at < from) continue;
    if (e.type === 'note') {
      const lifeline = lifelineOf(e.host);
      if (lifeline !== undefined) notes.push({ eventId: e.id, at: e.at, lifeline, text: e.text });
      continue;
    }
    if (e.type !== 'transmit') continue;
    const f = lifelineOf(e.from);
    const t = lifelineOf(e.to);
    if (f === undefined || t === undefined || f === t) continue;
    messages.push({ eventId: e.id, at: e.at, from: f, to: t, message: e.payload });
  }
  return { messages, notes };
}
