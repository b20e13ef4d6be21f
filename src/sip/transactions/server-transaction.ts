import type { Timer } from '../../kernel/simulator.js';
import type { SipRequest, SipResponse } from '../message.js';
import { TIMER_J } from './timers.js';

export interface ServerTransport {
  sendResponse(res: SipResponse): void;
  schedule(delay: number, action: () => void): Timer;
  forget(key: string): void;
}

/**
 * RFC 3261 17.2.2 non-INVITE server transaction: answers retransmitted requests with the last
 * response, and stays in Completed for Timer J so late retransmissions are absorbed, not re-handled.
 */
export class ServerTransaction {
  private last: SipResponse | undefined;
  private final = false;

  constructor(
    readonly key: string,
    readonly request: SipRequest,
    private readonly transport: ServerTransport,
  ) {}

  get answered(): boolean {
    return this.final;
  }

  respond(res: SipResponse): void {
    if (this.final) throw new Error(`transaction ${this.key} already has a final response`);
    this.last = res;
    this.transport.sendResponse(res);
    if (res.status >= 200) {
      this.final = true;
      this.transport.schedule(TIMER_J, () => this.transport.forget(this.key));
    }
  }

  /** The same request arrived again (its sender retransmitted it). */
  retransmitted(): void {
    if (this.last !== undefined) this.transport.sendResponse(this.last);
  }
}
