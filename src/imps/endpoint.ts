import type { Simulator, Timer } from '../kernel/simulator.js';
import type { Micros } from '../kernel/time.js';
import type { CspMessage, CspPrimitive, ImpsMessage } from './message.js';

/** The path the HTTP binding POSTs CSP transactions to (WV-CSP 1.2 HTTP binding: the server's URL). */
export const CSP_PATH = '/wv-csp';

/** What an end does with a transaction the other end started: it answers it once. */
export type CspHandler = (csp: CspMessage, fromHost: string, answer: (primitive: CspPrimitive) => void) => void;

/**
 * One end of the CSP binding (WV-CSP 1.2, HTTP transport): it POSTs its transactions' requests
 * and reads their responses in the HTTP responses, with a timer per transaction so a peer that
 * never answers is noticed; and it answers the requests the other end POSTs to it.
 */
export class CspEndpoint {
  private readonly pending = new Map<string, { answered: (p: CspPrimitive | undefined) => void; timer: Timer }>();
  private transaction = 0;

  constructor(
    private readonly host: string,
    private readonly send: (toHost: string, m: ImpsMessage) => void,
    private readonly sim: Simulator,
    private readonly handle: CspHandler,
  ) {}

  /**
   * Starts a transaction with `toHost`; `answered` gets the response's primitive, or undefined
   * when none came within `timeout`.
   */
  request(toHost: string, sessionId: string | undefined, primitive: CspPrimitive, timeout: Micros, answered: (p: CspPrimitive | undefined) => void): void {
    this.transaction += 1;
    const transactionId = String(this.transaction);
    const key = `${toHost} ${transactionId}`;
    const timer = this.sim.schedule(timeout, () => {
      this.pending.delete(key);
      answered(undefined);
    });
    this.pending.set(key, { answered, timer });
    const csp: CspMessage = { ...(sessionId === undefined ? {} : { sessionId }), mode: 'Request', transactionId, primitive };
    this.send(toHost, { protocol: 'imps', type: 'imps-request', client: this.host, host: toHost, path: CSP_PATH, csp });
  }

  received(m: ImpsMessage, fromHost: string): void {
    if (m.type === 'imps-response') {
      const key = `${fromHost} ${m.csp?.transactionId ?? ''}`;
      const p = this.pending.get(key);
      if (p === undefined || m.csp === undefined) return;
      this.pending.delete(key);
      p.timer.cancel();
      return p.answered(m.csp.primitive);
    }
    const request = m.csp;
    let done = false;
    this.handle(request, fromHost, (primitive) => {
      if (done) return;
      done = true;
      const csp: CspMessage = { ...(request.sessionId === undefined ? {} : { sessionId: request.sessionId }), mode: 'Response', transactionId: request.transactionId, primitive };
      this.send(fromHost, { protocol: 'imps', type: 'imps-response', client: fromHost, status: 200, reason: 'OK', csp });
    });
  }
}
