import type { Timer } from '../../kernel/simulator.js';
import type { Header, SipRequest, SipResponse } from '../message.js';
import { TIMER_J } from './timers.js';

export interface ServerTransport {
  sendResponse(res: SipResponse): void;
  schedule(delay: number, action: () => void): Timer;
  forget(key: string): void;
  /**
   * The transaction `key` is Completed: for `delay`, a retransmitted request is answered with
   * `last` and nothing else of the transaction is needed (17.2.2), so its state can go. `arrived`
   * is the request's lines as it arrived, which `last` may share.
   */
  linger(key: string, last: SipResponse, delay: number, arrived: readonly Header[]): void;
}

/**
 * RFC 3261 17.2.2 non-INVITE server transaction: answers retransmitted requests with the last
 * response, and stays in Completed for Timer J so late retransmissions are absorbed, not re-handled.
 * The INVITE server transaction extends it with what 17.2.1 does after the final response.
 */
export class ServerTransaction {
  private last: SipResponse | undefined;
  private final = false;
  /** The request's lines as it arrived: its handler may change them (a proxy's Route), a retransmission does not. */
  private readonly arrived: readonly Header[];

  constructor(
    readonly key: string,
    readonly request: SipRequest,
    protected readonly transport: ServerTransport,
  ) {
    this.arrived = request.headers;
  }

  get answered(): boolean {
    return this.final;
  }

  get lastResponse(): SipResponse | undefined {
    return this.last;
  }

  respond(res: SipResponse): void {
    if (this.final) throw new Error(`transaction ${this.key} already has a final response`);
    this.last = res;
    this.transport.sendResponse(res);
    if (res.status >= 200) {
      this.final = true;
      this.finalSent(res);
    }
  }

  /** The same request arrived again (its sender retransmitted it). */
  retransmitted(): void {
    if (this.last !== undefined) this.transport.sendResponse(this.last);
  }

  protected finalSent(res: SipResponse): void {
    this.transport.linger(this.key, res, TIMER_J, this.arrived);
  }
}
