import type { RandomStream, RandomStreams } from '../kernel/random.js';
import type { Micros } from '../kernel/time.js';
import { drawDelay, type DelayDistribution } from './delay-distribution.js';
import type { Endpoint, Fate, LinkModel } from './links.js';

/** One side of a link rule or a partition: every node of a domain, or one host. */
export type NodeSelector = { domain: string } | { host: string };

/** How packets fare on a link; each probability is from 0 to 1. */
export interface LinkBehaviour {
  delay: DelayDistribution;
  /** Extra delay drawn uniformly from 0 to this, per packet. */
  jitter: Micros;
  loss: number;
  /** A duplicated packet arrives twice, each copy after its own delay. */
  duplicate: number;
  /** A reordered packet is held back `reorderDelay` more, so packets sent after it overtake it. */
  reorder: number;
  reorderDelay: Micros;
}

/**
 * A link rule: the behaviour of the links between two selections of nodes, in both directions;
 * what it leaves out is the behaviour the link has without it.
 */
export interface LinkRule {
  between: [NodeSelector, NodeSelector];
  behaviour: Partial<LinkBehaviour>;
}

/** Between `from` (inclusive) and `until` (exclusive), nothing sent between the two sides arrives. */
export interface Partition {
  between: [NodeSelector, NodeSelector];
  from: Micros;
  until: Micros;
}

export interface FaultyLinksConfig {
  /** Behaviour inside a domain and between domains, where no rule says otherwise. */
  intraDomain: LinkBehaviour;
  interDomain: LinkBehaviour;
  rules: readonly LinkRule[];
  partitions: readonly Partition[];
}

const selects = (s: NodeSelector, node: Endpoint): boolean => ('host' in s ? s.host === node.host : s.domain === node.domain);
const joins = (between: [NodeSelector, NodeSelector], a: Endpoint, b: Endpoint): boolean =>
  (selects(between[0], a) && selects(between[1], b)) || (selects(between[1], a) && selects(between[0], b));
/** A rule naming hosts is more specific than one naming domains: it wins. */
const specificity = (rule: LinkRule): number => rule.between.filter((s) => 'host' in s).length;

/**
 * Links with delay distributions, jitter, loss, duplication, reordering and partitions. Each
 * directed pair of hosts draws from its own stream (`link/<from>/<to>`), so adding a node or a link
 * shifts nothing the others draw; a link with no random behaviour draws nothing at all.
 */
export class FaultyLinks implements LinkModel {
  private readonly rules: LinkRule[];
  private readonly chosen = new Map<string, LinkBehaviour>();

  constructor(
    private readonly config: FaultyLinksConfig,
    private readonly streams: RandomStreams,
  ) {
    this.rules = [...config.rules].sort((a, b) => specificity(b) - specificity(a));
  }

  fate(from: Endpoint, to: Endpoint, now: Micros): Fate {
    if (this.config.partitions.some((p) => now >= p.from && now < p.until && joins(p.between, from, to))) return { lost: 'partitioned' };
    const b = this.behaviour(from, to);
    const rng = (): RandomStream => this.streams.stream(`link/${from.host}/${to.host}`);
    if (b.loss > 0 && rng().next() < b.loss) return { lost: 'lost' };
    const first = this.delay(b, rng);
    if (b.duplicate > 0 && rng().next() < b.duplicate) return { arrivals: [first, this.delay(b, rng)] };
    return { arrivals: [first] };
  }

  private delay(b: LinkBehaviour, rng: () => RandomStream): Micros {
    let delay = drawDelay(b.delay, () => rng().next());
    if (b.jitter > 0) delay += Math.round(rng().next() * b.jitter);
    if (b.reorder > 0 && rng().next() < b.reorder) delay += b.reorderDelay;
    return delay;
  }

  private behaviour(from: Endpoint, to: Endpoint): LinkBehaviour {
    const key = `${from.host}\n${to.host}`;
    let b = this.chosen.get(key);
    if (b === undefined) {
      const base = from.domain === to.domain ? this.config.intraDomain : this.config.interDomain;
      b = { ...base, ...this.rules.find((r) => joins(r.between, from, to))?.behaviour };
      this.chosen.set(key, b);
    }
    return b;
  }
}
