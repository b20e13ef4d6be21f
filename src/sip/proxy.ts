import { createResponse, MAX_FORWARDS } from './builders.js';
import { cloneMessage, header, pushHeader, setHeader, type SipRequest, type SipResponse } from './message.js';
import { hostOf, popLastRoute, popOwnRoute, topRoute } from './routing.js';
import type { SipStack } from './stack.js';
import type { Timer } from '../kernel/simulator.js';
import type { InviteClientTransaction } from './transactions/invite-client-transaction.js';
import { TIMER_C } from './transactions/timers.js';
import { InviteServerTransaction } from './transactions/invite-server-transaction.js';
import type { ServerTransaction } from './transactions/server-transaction.js';
import { isSipUri } from './uri.js';

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

export interface ProxyOptions {
  /**
   * Sees the final response before it is relayed; returning true means the caller answers the
   * server transaction itself (a B2BUA-like element that defers instead of relaying a failure).
   */
  onFinal?: (res: SipResponse) => boolean;
  /** RFC 3261 16.6 step 4: stay on the path of the dialog the request creates (`<sip:HOST;lr>`). */
  recordRoute?: boolean;
  /**
   * Whether to relay a provisional response upstream (default: all but 100, 16.7 step 5). Only an
   * application server acting for the user may hold some back (CPM C.2.1.2.3 step 12).
   */
  relayProvisional?: (res: SipResponse) => boolean;
}

/**
 * Forwards a request statefully on one or more branches (RFC 3261 16.6) and relays responses
 * upstream: provisionals and the first 2xx at once, otherwise the best final once all branches
 * have answered (16.7). An INVITE is forked with CANCEL of the other branches (see forkInvite).
 */
export function proxyRequest(stack: SipStack, tx: ServerTransaction, branches: Branch[], options: ProxyOptions = {}): void {
  for (const b of branches) {
    const maxForwards = forwardedMaxForwards(b.request);
    if (maxForwards < 0) {
      // RFC 3261 16.3 step 3.
      if (!tx.answered) tx.respond(createResponse(tx.request, 483));
      return;
    }
    setHeader(b.request, 'Max-Forwards', String(maxForwards));
    if (options.recordRoute === true) pushHeader(b.request, 'Record-Route', `<sip:${stack.host};lr>`);
  }
  if (tx instanceof InviteServerTransaction) return forkInvite(stack, tx, branches, options);
  const relay = (res: SipResponse): void => {
    if (options.onFinal?.(res) !== true) tx.respond(res);
  };
  let pending = branches.length;
  let best: SipResponse | undefined;
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

/**
 * RFC 3261 16.7 for INVITE: a 100 Trying at once (the proxy cannot know when downstream answers,
 * 17.2.1); provisionals but 100 relayed; every 2xx relayed (16.7 step 5), the first on the server
 * transaction and later ones (other branches, retransmissions) statelessly, since that transaction
 * has ended, and the other pending branches cancelled (step 10); a 6xx cancels them too; otherwise
 * the best final when all branches ended (step 6). A CANCEL from upstream cancels every pending
 * branch (16.10). Timer C (16.6 step 11, reset by each provisional, 16.7 step 2) cancels a branch
 * that rings and never answers (16.8), so the caller always gets a final response.
 */
function forkInvite(stack: SipStack, tx: InviteServerTransaction, branches: Branch[], options: ProxyOptions): void {
  if (tx.lastResponse === undefined) tx.respond(createResponse(tx.request, 100));
  const pending = new Set<InviteClientTransaction>();
  let best: SipResponse | undefined;
  const relay = (res: SipResponse): void => {
    if (options.onFinal?.(res) !== true) tx.respond(res);
  };
  const cancelPending = (): void => {
    for (const client of pending) stack.cancel(client);
  };
  tx.whenCancelled(cancelPending);
  for (const b of branches) {
    let timerC: Timer | undefined;
    const armC = (): void => {
      timerC?.cancel();
      timerC = stack.schedule(TIMER_C, () => {
        if (pending.has(client)) stack.cancel(client);
      });
    };
    const client: InviteClientTransaction = stack.invite(b.request, b.nextHop, (res) => {
      if (res.status < 200) {
        if (res.status > 100) armC();
        if (res.status > 100 && !tx.answered && options.relayProvisional?.(res) !== false) tx.respond(res);
        return;
      }
      timerC?.cancel();
      pending.delete(client);
      if (res.status < 300) {
        if (tx.answered) stack.sendResponse(res);
        else relay(res);
        cancelPending();
        return;
      }
      if (res.status >= 600) cancelPending();
      if (best === undefined || better(res, best)) best = res;
      if (pending.size === 0 && !tx.answered) relay(best.status === 503 ? createResponse(tx.request, 500) : best);
    });
    pending.add(client);
    armC();
  }
}

/**
 * RFC 3261 16.4 and 16.6 steps 6-7 (loose routing): the top Route is removed when it names this
 * proxy; the request then goes to the host of the next Route, or of the Request-URI when no Route
 * is left. A Request-URI naming this proxy comes from a strict router: it is replaced by the last
 * Route (16.4). Undefined when the next hop is not a SIP URI. The request given is not changed.
 */
export function routeByRoute(host: string, req: SipRequest): Branch | undefined {
  const request = cloneMessage(req);
  if (isSipUri(request.uri) && request.uri.host === host) {
    const last = popLastRoute(request);
    if (last !== undefined) request.uri = last;
  }
  popOwnRoute(request, host);
  const nextHop = hostOf(topRoute(request) ?? request.uri);
  return nextHop === undefined ? undefined : { request, nextHop };
}

/**
 * Forwards a request within a dialog (BYE, re-INVITE, NOTIFY, ...) by its Route (16.4),
 * statefully: it gets a transaction on each side like any proxied request.
 */
export function proxyInDialog(stack: SipStack, tx: ServerTransaction, options: ProxyOptions = {}): void {
  const branch = routeByRoute(stack.host, tx.request);
  if (branch === undefined) return tx.respond(createResponse(tx.request, 416, { toTag: stack.newTag() }));
  proxyRequest(stack, tx, [branch], options);
}

/**
 * Forwards the ACK for a 2xx by its Route (16.4), statelessly: it has no transaction and is never
 * answered (17.2.3, 16.6 step 8). Returns false when it could not be forwarded.
 */
export function forwardAck(stack: SipStack, ack: SipRequest): boolean {
  const branch = routeByRoute(stack.host, ack);
  const maxForwards = forwardedMaxForwards(ack);
  if (branch === undefined || maxForwards < 0) return false;
  setHeader(branch.request, 'Max-Forwards', String(maxForwards));
  stack.sendAck(branch.request, branch.nextHop);
  return true;
}

/**
 * RFC 3261 16.6 step 3: the Max-Forwards a forwarded copy carries, one less than it came with, or
 * MAX_FORWARDS added when it came without one; below 0 when it came with 0 and may not go on (16.3 step 3).
 */
function forwardedMaxForwards(req: SipRequest): number {
  const value = header(req, 'Max-Forwards');
  return value === undefined ? MAX_FORWARDS : Number(value) - 1;
}
