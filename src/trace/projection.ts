import type { Micros } from '../kernel/time.js';
import type { WirePayload } from '../wire/payload.js';
import { wireFormat } from './wire-format.js';
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
  message: WirePayload;
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

interface Origin {
  lifeline: number;
  at: Micros;
}

/** What identifies one message along its hops (for SIP: proxies keep Call-ID and CSeq, and the method or status). */
function hopKey(m: WirePayload): string {
  return wireFormat(m).hopKey(m);
}

/**
 * Views the trace the way a figure draws the network: messages between two different lifelines,
 * sent at or after `from`. A message inside one lifeline (e.g. within "CPM System B") is not drawn.
 * Nodes no lifeline names are transparent: a message that a lifeline sends through them and that
 * they forward to another lifeline is drawn as one arrow between the two lifelines (Figure 23 draws
 * "CPM Conversation Server A routes the message to CPM Conversation Server B" across both cores).
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
  /** Messages held by a transparent node, by hop key: where they entered the unmapped part. */
  const carried = new Map<string, Map<string, Origin>>();
  const carry = (host: string, key: string, origin: Origin): void => {
    const held = carried.get(host) ?? new Map<string, Origin>();
    held.set(key, origin);
    carried.set(host, held);
  };
  const messages: ProjectedMessage[] = [];
  const notes: ProjectedNote[] = [];
  for (const e of events) {
    if (e.type === 'note') {
      const lifeline = lifelineOf(e.host);
      if (lifeline !== undefined && e.at >= from) notes.push({ eventId: e.id, at: e.at, lifeline, text: e.text });
      continue;
    }
    if (e.type !== 'transmit') continue;
    const key = hopKey(e.payload);
    const f = lifelineOf(e.from);
    const origin: Origin | undefined = f !== undefined ? { lifeline: f, at: e.at } : carried.get(e.from)?.get(key);
    const t = lifelineOf(e.to);
    if (origin === undefined) continue;
    if (t === undefined) {
      carry(e.to, key, origin);
      continue;
    }
    if (origin.lifeline === t || origin.at < from) continue;
    messages.push({ eventId: e.id, at: origin.at, from: origin.lifeline, to: t, message: e.payload });
  }
  return { messages, notes };
}
