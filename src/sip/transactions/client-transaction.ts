import type { Alarm, Timer } from '../../kernel/simulator.js';
import type { SipRequest, SipResponse } from '../message.js';
import { T2, TIMER_F, TIMER_K, T1 } from './timers.js';

export interface ClientTransport {
  sendRequest(req: SipRequest, nextHop: string): void;
  schedule(delay: number, action: () => void): Timer;
  /** Arms `alarm` to fire after `delay` (`Simulator.arm`): a timer that keeps no closure. */
  arm(alarm: Alarm, delay: number): void;
  disarm(alarm: Alarm): void;
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

/** Timer E of one transaction: an alarm of its own, so a retransmission allocates nothing. */
class TimerE implements Alarm {
  slot = -1;

  constructor(private readonly tx: ClientTransaction) {}

  fire(): void {
    this.tx.retransmit();
  }
}

/**
 * RFC 3261 17.1.2 non-INVITE client transaction over an unreliable transport: retransmits on
 * Timer E (doubling up to T2), gives up with a 408 on Timer F; once Completed, the stack absorbs
 * duplicates for Timer K.
 * The transaction user sees each final response exactly once.
 * It is Timer F's alarm itself, and Timer E's is a small object: a transaction is started on
 * every hop, and two timers with their closures were a tenth of what a hop allocated.
 */
export class ClientTransaction implements Alarm {
  slot = -1;
  private state: State = 'trying';
  private readonly timerE = new TimerE(this);
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
    this.transport.arm(this.timerE, this.interval);
    this.transport.arm(this, TIMER_F);
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

  /** Timer E fired. */
  retransmit(): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    this.transport.sendRequest(this.request, this.nextHop);
    // RFC 3261 17.1.2.2: in Proceeding, retransmit every T2.
    this.interval = this.state === 'proceeding' ? T2 : Math.min(2 * this.interval, T2);
    this.transport.arm(this.timerE, this.interval);
  }

  /** Timer F fired. */
  fire(): void {
    if (this.state === 'completed') return;
    this.complete();
    this.onResponse(this.transport.synthesize(this.request, 408));
  }

  private complete(): void {
    this.state = 'completed';
    this.transport.disarm(this.timerE);
    this.transport.disarm(this);
    this.transport.absorb(this.key, TIMER_K);
  }
}
