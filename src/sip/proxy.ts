import { createResponse } from './builders.js';
import { header, setHeader, type SipRequest, type SipResponse } from './message.js';
import type { SipStack } from './stack.js';
import type { ServerTransaction } from './transactions/server-transaction.js';

export interface Branch {
  /** The request to send on this branch (the caller has already set its Request-URI and Route). */
  request: SipRequest;
  nextHop: string;
}

/** RFC 3261 16.7 step 6: 4xx responses that tell the client how to resubmit are preferred. */
const RESUBMIT = new Set([401, 407, 415, 420, 484]);

/**
 * RFC 3261 16.7 step 6: when no branch succeeds, the lowest class wins, 6xx excepted. Within the
 * class, prefer the resubmission 4xx, and a 503 last (it SHOULD NOT go upstream); then lowest code.
 */
function better(a: SipResponse, b: SipResponse): boolean {
  const rank = (s: number): number => {
    const cls = s >= 600 ? 0 : Math.floor(s / 100);
    const within = RESUBMIT.has(s) ? 0 : s === 503 ? 2 : 1;
    return cls * 10_000 + within * 1_000 + s;
  };
  return rank(a.status) < rank(b.status);
}

/**
 * Forwards a request statefully on one or more branches (RFC 3261 16.6) and relays responses
 * upstream: provisionals and the first 2xx at once, otherwise the best final once all branches
 * have answered (16.7).
 */
export interface ProxyOptions {
  /**
   * Sees the final response before it is relayed; returning true means the caller answers the
   * server transaction itself (a B2BUA-like element that defers instead of relaying a failure).
   */
  onFinal?: (res: SipResponse) => boolean;
}

export function proxyRequest(stack: SipStack, tx: ServerTransaction, branches: Branch[], options: ProxyOptions = {}): void {
  const relay = (res: SipResponse): void => {
    if (options.onFinal?.(res) !== true) tx.respond(res);
  };
  let pending = branches.length;
  let best: SipResponse | undefined;
  for (const b of branches) {
    const maxForwards = Number(header(b.request, 'Max-Forwards') ?? '70');
    if (maxForwards <= 0) {
      // RFC 3261 16.3 step 3.
      if (!tx.answered) tx.respond(createResponse(tx.request, 483));
      return;
    }
    setHeader(b.request, 'Max-Forwards', String(maxForwards - 1));
  }
  for (const b of branches) {
    stack.request(b.request, b.nextHop, (res) => {
      if (tx.answered) return;
      if (res.status < 200) {
        if (res.status > 100) tx.respond(res);
        return;
      }
      pending--;
      if (res.status < 300) {
        relay(res);
        return;
      }
      if (best === undefined || better(res, best)) best = res;
      // RFC 3261 16.7 step 6: a 503 (also one made up for a transport failure, 16.9) is not
      // forwarded; when it is the best there is, the proxy answers 500 itself.
      if (pending === 0) relay(best.status === 503 ? createResponse(tx.request, 500) : best);
    });
  }
}
