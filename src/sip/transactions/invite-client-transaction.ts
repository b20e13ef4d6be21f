import type { Timer } from '../../kernel/simulator.js';
import { createNon2xxAck } from '../builders.js';
import type { SipRequest, SipResponse } from '../message.js';
import type { ClientTransport } from './client-transaction.js';
import { T1, TIMER_A, TIMER_B, TIMER_D, TIMER_M } from './timers.js';

type State = 'calling' | 'proceeding' | 'completed' | 'terminated';

/**
 * RFC 3261 17.1.1 INVITE client transaction over an unreliable transport. Retransmits on Timer A
 * (doubling from T1, no cap) while Calling, times out with a 408 on Timer B, ACKs a 3xx-6xx itself
 * and re-ACKs its retransmissions for Timer D. A 2xx terminates it (17.1.1.2) and goes to the TU,
 * which ACKs it; retransmitted 2xx still reach the TU for Timer M (RFC 6026 7.2) so it can re-ACK.
 */
export class InviteClientTransaction {
  private state: State = 'calling';
  private accepted = false;
  private provisional = false;
  private interval = TIMER_A;
  private timerA: Timer | undefined;
  private timerB: Timer | undefined;
  private ack: SipRequest | undefined;
  private cancelRequested = false;
  private pendingCancel: (() => void) | undefined;
  private cancelTimer: Timer | undefined;

  constructor(
    readonly key: string,
    readonly request: SipRequest,
    readonly nextHop: string,
    private readonly transport: ClientTransport,
    private readonly onResponse: (res: SipResponse) => void,
  ) {}

  /** Whether a final response (or a timeout, or a transport failure) ended the INVITE. */
  get finalReceived(): boolean {
    return this.state === 'completed' || this.state === 'terminated';
  }

  start(): void {
    this.transport.sendRequest(this.request, this.nextHop);
    this.armA();
    this.timerB = this.transport.schedule(TIMER_B, () => {
      // 17.1.1.2: only a transaction still Calling times out; in Proceeding the TU decides (CANCEL).
      if (this.state === 'calling') this.end(this.transport.synthesize(this.request, 408));
    });
  }

  receive(res: SipResponse): void {
    if (this.state === 'terminated') {
      // 13.2.2.4: every retransmitted 2xx is passed up so the TU can send its ACK again.
      if (this.accepted && res.status >= 200 && res.status < 300) this.onResponse(res);
      return;
    }
    if (this.state === 'completed') {
      // 17.1.1.2: a retransmitted final makes us send the same ACK again, without telling the TU.
      if (res.status >= 300 && this.ack !== undefined) this.transport.sendRequest(this.ack, this.nextHop);
      return;
    }
    if (res.status < 200) return this.proceed(res);
    if (res.status < 300) return this.accept(res);
    this.complete(res);
  }

  /** RFC 3261 8.1.3.1 and 17.1.4: a transport failure is a 503 from the next hop. */
  transportFailed(): void {
    if (this.finalReceived) return;
    this.end(this.transport.synthesize(this.request, 503));
  }

  /**
   * RFC 3261 9.1: the CANCEL is sent once, not before a provisional response arrived and never after
   * a final one. `send` sends it; if no final response follows within 64*T1, the INVITE is given up
   * with a 408 to the TU.
   */
  cancel(send: () => void): void {
    if (this.cancelRequested || this.finalReceived) return;
    this.cancelRequested = true;
    if (this.provisional) this.sendCancel(send);
    else this.pendingCancel = send;
  }

  private sendCancel(send: () => void): void {
    send();
    this.cancelTimer = this.transport.schedule(64 * T1, () => {
      if (!this.finalReceived) this.end(this.transport.synthesize(this.request, 408));
    });
  }

  private proceed(res: SipResponse): void {
    // 17.1.1.2: in Proceeding the request is no longer retransmitted.
    this.state = 'proceeding';
    this.provisional = true;
    this.timerA?.cancel();
    this.timerB?.cancel();
    const send = this.pendingCancel;
    this.pendingCancel = undefined;
    if (send !== undefined) this.sendCancel(send);
    this.onResponse(res);
  }

  private accept(res: SipResponse): void {
    this.accepted = true;
    this.state = 'terminated';
    this.stopTimers();
    this.transport.schedule(TIMER_M, () => this.transport.forget(this.key));
    this.onResponse(res);
  }

  private complete(res: SipResponse): void {
    this.state = 'completed';
    this.stopTimers();
    this.ack = createNon2xxAck(this.request, res);
    this.transport.sendRequest(this.ack, this.nextHop);
    this.transport.schedule(TIMER_D, () => {
      this.state = 'terminated';
      this.transport.forget(this.key);
    });
    this.onResponse(res);
  }

  /** Ends without an ACK to send: a timeout or a transport failure the TU learns as a response. */
  private end(res: SipResponse): void {
    this.state = 'terminated';
    this.stopTimers();
    this.transport.forget(this.key);
    this.onResponse(res);
  }

  /** A final outcome: no more retransmissions, and no CANCEL left to send. */
  private stopTimers(): void {
    this.timerA?.cancel();
    this.timerB?.cancel();
    this.cancelTimer?.cancel();
    this.pendingCancel = undefined;
  }

  private armA(): void {
    this.timerA = this.transport.schedule(this.interval, () => {
      if (this.state !== 'calling') return;
      this.transport.sendRequest(this.request, this.nextHop);
      this.interval *= 2;
      this.armA();
    });
  }
}
