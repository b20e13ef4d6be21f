import type { Simulator, Timer } from '../kernel/simulator.js';
import { SECOND } from '../kernel/time.js';
import { cloneMessage, header, removeHeaders, setHeader, type Header, type SipMessage, type SipRequest, type SipResponse } from '../sip/message.js';
import { getParam } from '../sip/uri.js';
import { parseHeaderParams } from '../sip/params.js';
import { SipParseError } from '../sip/errors.js';

/** RFC 4028 4 and 5: no session interval may be shorter than 90 s, the default Min-SE. */
export const MIN_SE_SECONDS = 90;

/** RFC 4028 4: Session-Expires, the session interval and which end refreshes it, if it says. */
export interface SessionExpires {
  seconds: number;
  refresher?: 'uac' | 'uas';
}

/** Session-Expires of a request or response (RFC 4028 4), if it has a valid one. */
export function sessionExpiresOf(msg: SipMessage): SessionExpires | undefined {
  const value = header(msg, 'Session-Expires');
  if (value === undefined) return undefined;
  const semi = value.indexOf(';');
  const delta = (semi < 0 ? value : value.slice(0, semi)).trim();
  if (!/^\d+$/.test(delta) || Number(delta) < 1) return undefined;
  const seconds = Number(delta);
  let refresher: string | true | undefined;
  try {
    refresher = semi < 0 ? undefined : getParam(parseHeaderParams(value.slice(semi)), 'refresher');
  } catch (e) {
    if (e instanceof SipParseError) return undefined;
    throw e;
  }
  return { seconds, ...(refresher === 'uac' || refresher === 'uas' ? { refresher } : {}) };
}

/** RFC 4028 5: Min-SE of a request or 422 response, if any. */
export function minSeOf(msg: SipMessage): number | undefined {
  const value = header(msg, 'Min-SE')?.split(';')[0]?.trim();
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Whether the request's sender supports session timers (RFC 4028 9: Supported: timer). */
export function supportsTimer(msg: SipMessage): boolean {
  return (header(msg, 'Supported') ?? '').split(',').some((t) => t.trim().toLowerCase() === 'timer');
}

/** The headers that ask for a session timer of `seconds`, or answer with one (RFC 4028 7.1, 9). */
export function timerHeaders(expires: SessionExpires, kind: 'request' | 'response'): Header[] {
  const value = `${expires.seconds}${expires.refresher === undefined ? '' : `;refresher=${expires.refresher}`}`;
  return [{ name: kind === 'request' ? 'Supported' : 'Require', value: 'timer' }, { name: 'Session-Expires', value }];
}

/**
 * RFC 4028 7.4: the headers of a session refresh (a re-INVITE or UPDATE): the current interval and
 * who refreshes, and once a 422 in the dialog gave one, the largest Min-SE it gave.
 */
export function refreshHeaders(expires: SessionExpires, minSe: number | undefined): Header[] {
  return [...timerHeaders(expires, 'request'), ...(minSe === undefined ? [] : [{ name: 'Min-SE', value: String(minSe) }])];
}

/**
 * RFC 4028 7.3, which 7.4 applies to session refreshes: a refresh refused 422 (Session Interval
 * Too Small) is sent again in its dialog asking for at least the Min-SE of the 422. The interval
 * to ask for then, or undefined when the 422 gives no Min-SE above the `asked` one: the same
 * refresh would only be refused again.
 */
export function intervalAfterRefusal(res: SipResponse, asked: number): number | undefined {
  const min = minSeOf(res);
  return res.status === 422 && min !== undefined && min > asked ? min : undefined;
}

/** What a 422 changes of a dialog's session timer: the interval it asks for and the Min-SE it carries. */
export interface RefusedInterval {
  interval?: number;
  minSe?: number;
}

/**
 * RFC 4028 7.4: the interval a 422 asks for, taken by the dialog as its interval and its Min-SE
 * from now on; undefined (and nothing changed) when the refusal is not one to retry.
 */
export function adoptRefusal(dialog: RefusedInterval, res: SipResponse, asked: number): number | undefined {
  const longer = intervalAfterRefusal(res, asked);
  if (longer === undefined) return undefined;
  dialog.interval = longer;
  dialog.minSe = longer;
  return longer;
}

/**
 * One end's session timer (RFC 4028 10): the refresher refreshes at half the interval; the other
 * end, hearing no refresh, ends the session at the interval less the smaller of 32 s and a third
 * of it. Every refresh (a 2xx to a re-INVITE or UPDATE) starts it again.
 */
export class SessionTimer {
  private timer: Timer | undefined;

  constructor(
    private readonly sim: Simulator,
    private readonly onRefresh: () => void,
    private readonly onExpiry: () => void,
  ) {}

  start(seconds: number, refreshesHere: boolean): void {
    this.stop();
    const due = refreshesHere ? (seconds * SECOND) / 2 : (seconds - Math.min(32, seconds / 3)) * SECOND;
    this.timer = this.sim.schedule(Math.floor(due), refreshesHere ? this.onRefresh : this.onExpiry);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }
}

/**
 * RFC 4028 7.3: an INVITE refused 422 (Session Interval Too Small) is sent again with the Min-SE
 * the refusal gave as its Session-Expires and its Min-SE; once only, so a second 422 stands.
 */
export function retryWithMinSe(sent: SipRequest, res: SipResponse): SipRequest | undefined {
  const min = minSeOf(res);
  if (res.status !== 422 || min === undefined || header(sent, 'Min-SE') !== undefined) return undefined;
  const retry = cloneMessage(sent);
  // A new request of the same call (RFC 3261 8.1.3.5): the stack writes a fresh Via, the CSeq grows.
  removeHeaders(retry, 'Via');
  const [seq, method] = (header(sent, 'CSeq') ?? `1 ${sent.method}`).split(' ');
  setHeader(retry, 'CSeq', `${Number(seq) + 1} ${method}`);
  setHeader(retry, 'Session-Expires', String(min));
  setHeader(retry, 'Min-SE', String(min));
  return retry;
}
