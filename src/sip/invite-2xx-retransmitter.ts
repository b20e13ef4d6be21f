import type { Timer } from '../kernel/simulator.js';
import { parseCSeq } from './header-values.js';
import { header, type SipRequest, type SipResponse } from './message.js';
import { tagOf } from './name-addr.js';
import { T1, T2 } from './transactions/timers.js';
import type { ServerTransport } from './transactions/server-transaction.js';

/**
 * RFC 3261 13.3.1.4: the UAS core, not the transaction, makes a 2xx to an INVITE reliable. Once the
 * server transaction has sent it, this resends it after T1, doubling up to T2, until the ACK comes;
 * after 64*T1 without an ACK it gives up and tells the TU, which should then send a BYE.
 */
export class Invite2xxRetransmitter {
  private interval = T1;
  private timer: Timer;
  private readonly giveUp: Timer;
  private state: 'waiting' | 'acknowledged' | 'gave-up' = 'waiting';

  constructor(
    private readonly response: SipResponse,
    private readonly transport: Pick<ServerTransport, 'sendResponse' | 'schedule'>,
    private readonly onNoAck: () => void,
  ) {
    this.timer = this.arm();
    this.giveUp = transport.schedule(64 * T1, () => {
      // Stryker disable next-line StringLiteral: any state but 'waiting' and 'acknowledged' is giving up.
      this.state = 'gave-up';
      this.timer.cancel();
      this.onNoAck();
    });
  }

  /** Whether `ack` acknowledges this 2xx: same Call-ID, tags and CSeq number (13.3.1.4). */
  matches(ack: SipRequest): boolean {
    const seq = (m: SipRequest | SipResponse): number | undefined => {
      const cseq = header(m, 'CSeq');
      return cseq === undefined ? undefined : parseCSeq(cseq).seq;
    };
    return (
      ack.method === 'ACK' &&
      header(ack, 'Call-ID') === header(this.response, 'Call-ID') &&
      tagOf(header(ack, 'From')) === tagOf(header(this.response, 'From')) &&
      tagOf(header(ack, 'To')) === tagOf(header(this.response, 'To')) &&
      seq(ack) === seq(this.response)
    );
  }

  get acknowledged(): boolean {
    return this.state === 'acknowledged';
  }

  /** The ACK arrived: no more retransmissions. */
  ackReceived(): void {
    if (this.state !== 'waiting') return;
    this.state = 'acknowledged';
    this.timer.cancel();
    this.giveUp.cancel();
  }

  /** The next retransmission; the ACK and the give-up both cancel it, so it runs only while waiting. */
  private arm(): Timer {
    return this.transport.schedule(this.interval, () => {
      this.transport.sendResponse(this.response);
      this.interval = Math.min(2 * this.interval, T2);
      this.timer = this.arm();
    });
  }
}
