import { SECOND, type Micros } from '../../kernel/time.js';

/** At most `requests` requests from one source host in any `per` of virtual time. */
export interface FloodLimitConfig {
  requests: number;
  per: Micros;
}

/**
 * A per-source sliding window (CPM 5.1.1.3 leaves overload to the operator; RFC 3261 21.5.4):
 * past the limit a request is refused with 503 and a Retry-After naming when the oldest request
 * of the window leaves it, so the element's state per source stays bounded by `requests`.
 */
export class FloodLimit {
  private readonly seen = new Map<string, Micros[]>();

  constructor(
    private readonly config: FloodLimitConfig,
    private readonly now: () => Micros,
  ) {}

  /** undefined: admitted (and counted); otherwise the whole seconds to wait (Retry-After). */
  check(host: string): number | undefined {
    const now = this.now();
    const window = (this.seen.get(host) ?? []).filter((t) => now - t < this.config.per);
    if (window.length >= this.config.requests) {
      this.seen.set(host, window);
      return Math.max(1, Math.ceil((window[0]! + this.config.per - now) / SECOND));
    }
    window.push(now);
    this.seen.set(host, window);
    return undefined;
  }
}
