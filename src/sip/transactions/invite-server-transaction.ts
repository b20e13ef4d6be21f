import type { Timer } from '../../kernel/simulator.js';
import { createResponse } from '../builders.js';
import type { SipRequest, SipResponse } from '../message.js';
import { ServerTransaction, type ServerTransport } from './server-transaction.js';
import { T2, TIMER_G, TIMER_H, TIMER_I, TIMER_L, TRYING_DELAY } from './timers.js';

/** `accepted` is RFC 3261's Terminated after a 2xx, kept for Timer L as RFC 6026 7.1 does. */
type State = 'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated';

/**
 * RFC 3261 17.2.1 INVITE server transaction over an unreliable transport. Sends a 100 Trying if the
 * TU has not answered within 200 ms (a proxy TU sends its own at once). A 2xx ends it: the TU
 * retransmits the 2xx until the ACK (13.3.1.4), and retransmitted INVITEs are absorbed meanwhile
 * (RFC 6026). A 3xx-6xx is retransmitted on Timer G until the ACK, which it absorbs (Confirmed, for
 * Timer I), or until Timer H, which it reports to the TU.
 */
export class InviteServerTransaction extends ServerTransaction {
  private state: State = 'proceeding';
  private readonly trying: Timer;
  private timerG: Timer | undefined;
  private timerH: Timer | undefined;
  private interval = TIMER_G;
  private cancelled = false;
  private onCancel: (toTag: string) => void = () => undefined;
  private onNoAck: () => void = () => undefined;

  constructor(key: string, request: SipRequest, transport: ServerTransport) {
    super(key, request, transport);
    this.trying = transport.schedule(TRYING_DELAY, () => {
      if (this.lastResponse === undefined) this.respond(createResponse(request, 100));
    });
  }

  /** Whether a CANCEL for this INVITE arrived before its final response (9.2). */
  get isCancelled(): boolean {
    return this.cancelled;
  }

  /**
   * Whether a 2xx ended it (3261's Terminated): a CANCEL no longer matches it (9.2, 17.2.3) even
   * while it lingers to absorb retransmitted INVITEs.
   */
  get isAccepted(): boolean {
    return this.state === 'accepted';
  }

  /**
   * What the TU does on a CANCEL (9.2: answer 487; 16.10: a proxy cancels its branches), told the
   * To tag the CANCEL's 200 carried, which 9.2 has the INVITE's response carry too.
   */
  whenCancelled(action: (toTag: string) => void): void {
    this.onCancel = action;
  }

  /** Told when Timer H fires: the 3xx-6xx was never acknowledged (17.2.1). */
  whenAckTimedOut(action: () => void): void {
    this.onNoAck = action;
  }

  override respond(res: SipResponse): void {
    this.trying.cancel();
    super.respond(res);
  }

  override retransmitted(): void {
    // 17.2.1: Confirmed absorbs retransmitted INVITEs; so does Accepted (RFC 6026 7.1).
    if (this.state === 'proceeding' || this.state === 'completed') super.retransmitted();
  }

  /** The stack matched a CANCEL to this INVITE (9.2) and already answered the CANCEL itself. */
  cancel(toTag: string): void {
    if (this.answered || this.cancelled) return;
    this.cancelled = true;
    this.onCancel(toTag);
  }

  /**
   * An ACK with this transaction's branch: the ACK of its 3xx-6xx, absorbed here (17.2.1). Returns
   * false when the ACK is not ours to absorb, and belongs to the TU.
   */
  ackReceived(): boolean {
    if (this.state === 'confirmed') return true;
    if (this.state !== 'completed') return false;
    this.state = 'confirmed';
    this.timerG?.cancel();
    this.timerH?.cancel();
    this.transport.schedule(TIMER_I, () => this.terminate());
    return true;
  }

  protected override finalSent(res: SipResponse): void {
    if (res.status < 300) {
      this.state = 'accepted';
      this.transport.schedule(TIMER_L, () => this.terminate());
      return;
    }
    this.state = 'completed';
    this.armG(res);
    this.timerH = this.transport.schedule(TIMER_H, () => {
      if (this.state !== 'completed') return;
      this.timerG?.cancel();
      this.terminate();
      this.onNoAck();
    });
  }

  private armG(res: SipResponse): void {
    this.timerG = this.transport.schedule(this.interval, () => {
      if (this.state !== 'completed') return;
      this.transport.sendResponse(res);
      this.interval = Math.min(2 * this.interval, T2);
      this.armG(res);
    });
  }

  private terminate(): void {
    this.state = 'terminated';
    this.transport.forget(this.key);
  }
}
