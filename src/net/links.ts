import type { Micros } from '../kernel/time.js';

export interface LinkModel {
  /** One-way delay of a message from one node to another. */
  delay(from: { domain: string }, to: { domain: string }): Micros;
}

/** Constant delays: one inside a domain, a longer one between domains. */
export function constantLinks(intraDomain: Micros, interDomain: Micros): LinkModel {
  return { delay: (from, to) => (from.domain === to.domain ? intraDomain : interDomain) };
}
