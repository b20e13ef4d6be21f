import type { Micros } from '../kernel/time.js';

/** What a link model needs to know of each end of a packet's path. */
export interface Endpoint {
  host: string;
  domain: string;
}

/** Why the network dropped a packet it could have delivered. */
export type LossReason = 'lost' | 'partitioned';

/**
 * What becomes of one packet: the delays after which its copies arrive (one copy normally, two when
 * the link duplicates it), or the reason it never arrives.
 */
export type Fate = { arrivals: readonly Micros[] } | { lost: LossReason };

export interface LinkModel {
  /** The fate of a packet sent now from one node to another. */
  fate(from: Endpoint, to: Endpoint, now: Micros): Fate;
}

/** Constant delays: one inside a domain, a longer one between domains; nothing lost, no randomness. */
export function constantLinks(intraDomain: Micros, interDomain: Micros): LinkModel {
  const inside: Fate = { arrivals: [intraDomain] };
  const across: Fate = { arrivals: [interDomain] };
  return { fate: (from, to) => (from.domain === to.domain ? inside : across) };
}
