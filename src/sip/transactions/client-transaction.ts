import type { Timer } from '../../kernel/simulator.js';
import type { SipRequest, SipResponse } from '../message.js';
import { T2, TIMER_F, TIMER_K, T1 } from './timers.js';

export interface ClientTransport {
  sendRequest(req: SipRequest, nextHop: string): void;
  schedule(delay: number, action: () => void): Timer;
  forget(key: string): void;
  /**
   * The transaction `key` is Completed: for `delay`, retransmitted responses are absorbed (17.1.2.2
   * Timer K) and nothing else of the transaction is needed, so its state can go.
   */
  absorb(key: string, delay: number): void;
  /** A response the element makes up itself (408 on timeout, 503 on transport failure). */
  synthesize(req: SipRequest, status: number): SipResponse;
}

type State = 'trying' | 'proceeding' | 'completed';

/**
 * RFC 3261 17.1.2 non-INVITE client transaction over an unreliable transport: retransmits on
 * Timer E (doubling up to T2), gives up with a 408 on Timer F; once Completed, the stack absorbs
 * duplicates for Timer K.
 * The transaction user sees each final response exactly once.
 */
export class ClientTransaction {
  private state: State = 'trying';
  private timerE: Timer | undefined;
  private timerF: Timer | undefined;
  private interval = T1;

  constructor(
    readonly key: string,
    readonly request: SipRequest,
    private readonly nextHop: string,
    private readonly transport: ClientTransport,
    private readonly onResponse: (res: SipResponse) => void,
  ) {}

  start(): void {
    this.transport.sendRequest(this.request, this.nextHop);
    this.armE();
    this.timerF = this.transport.schedule(TIMER_F, () => this.timeout());
  }

  receive(res: SipResponse): void {
    if (this.state === 'completed') return;
    if (res.status < 200) {
      this.state = 'proceeding';
      this.onResponse(res);
      return;
    }
    this.complete();
    this.onResponse(res);
  }

  /** RFC 3261 8.1.3.1: a transport failure is treated as a 503 from the next hop. */
  transportFailed(): void {
    if (this.state === 'completed') return;
    this.complete();
    this.onResponse(this.transport.synthesize(this.request, 503));
  }

  private armE(): void {
    this.timerE = this.transport.schedule(this.interval, () => {
      if (this.state !== 'trying' && this.state !== 'proceeding') return;
      this.transport.sendRequest(this.request, this.nextHop);
      // RFC 3261 17.1.2.2: in Proceeding, retransmit every T2.
      this.interval = this.state === 'proceeding' ? T2 : Math.min(2 * this.interval, T2);
      this.armE();
    });
  }

  private timeout(): void {
    if (this.state === 'completed') return;
    this.complete();
    this.onResponse(this.transport.synthesize(this.request, 408));
  }

  private complete(): void {
    this.state = 'completed';
    this.timerE?.cancel();
    this.timerF?.cancel();
    this.transport.absorb(this.key, TIMER_K);
  }
}
