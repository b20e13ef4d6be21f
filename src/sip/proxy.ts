import { createResponse } from './builders.js';
import { header, setHeader, type SipRequest, type SipResponse } from './message.js';
import type { SipStack } from './stack.js';
import type { ServerTransaction } from './transactions/server-transaction.js';

export interface Branch {
  /** The request to send on this branch (the caller has already set its Request-URI and Route). */
  request: SipRequest;
  nextHop: string;
}

/** RFC 3261 16.7 step 6: when no branch succeeds, the lowest class wins, 6xx excepted. */
function better(a: SipResponse, b: SipResponse): boolean {
  const rank = (s: number): number => (s >= 600 ? 0 : s);
  return rank(a.status) < rank(b.status);
}

/**
 * Forwards a request statefully on one or more branches (RFC 3261 16.6) and relays responses
 * upstream: provisionals and the first 2xx at once, otherwise the best final once all branches
 * have answered (16.7).
 */
export function proxyRequest(stack: SipStack, tx: ServerTransaction, branches: Branch[]): void {
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
        tx.respond(res);
        return;
      }
      if (best === undefined || better(res, best)) best = res;
      if (pending === 0) tx.respond(best);
    });
  }
}
