import type { ImdnNotification } from '../../bodies/imdn.js';
import type { Timer } from '../../kernel/simulator.js';
import { cloneMessage, pushHeader, removeHeaders, setHeader, type SipRequest } from '../../sip/message.js';
import type { ServicePolicy } from '../preferences.js';
import type { ServerPorts } from './ports.js';

/** What became of one device's notification at the recipient's server. */
export type Verdict = 'forward' | 'absorb';

interface Pending {
  /** How many of the recipient's devices the message reached (its active registrations then). */
  expected: number;
  seen: number;
  best?: { request: SipRequest; rank: number };
  sent: boolean;
  timer?: Timer;
}

/** The outcomes a sender most wants to hear first: delivered or displayed beat any failure. */
const RANK: Record<string, number> = { delivered: 3, displayed: 3, processed: 2, stored: 2, forbidden: 1, failed: 1, error: 0 };

/**
 * CPM 5.2.2.3 (editor's note) and C.3.1.4.4: when a message reached several devices of its
 * recipient, the recipient's server lets exactly one notification per request type reach the
 * sender, under the provider's policy: the first one received, or the most favourable one (sent
 * at once if it is "delivered", else once every device answered or the window closed).
 */
export class RecipientDevices {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly ports: ServerPorts,
    private readonly policy: ServicePolicy,
  ) {}

  /** The terminating side forwarded a message asking for notifications to `devices` clients. */
  delivered(recipient: string, messageId: string, devices: number): void {
    for (const type of ['delivery', 'display', 'processing']) {
      const key = `${recipient}|${messageId}|${type}`;
      // One device's notification goes on as it is: nothing to remember (most messages).
      if (devices < 2) this.pending.delete(key);
      else this.pending.set(key, { expected: devices, seen: 0, sent: false });
    }
  }

  /**
   * A notification from one of `recipient`'s devices. `forward`: send it on as it is. `absorb`: the
   * caller answers it here; this class sends the chosen notification itself when it decides.
   */
  notification(recipient: string, imdn: ImdnNotification, req: SipRequest): Verdict {
    const entry = this.pending.get(`${recipient}|${imdn.messageId}|${imdn.notification.type}`);
    if (entry === undefined || entry.expected < 2) return 'forward';
    entry.seen++;
    if (entry.sent) {
      this.ports.note(`withheld ${imdn.notification.status} (already reported)`);
      return 'absorb';
    }
    if (this.policy.imdnAggregation === 'first') {
      entry.sent = true;
      return 'forward';
    }
    const rank = RANK[imdn.notification.status] ?? 0;
    if (entry.best === undefined || rank > entry.best.rank) entry.best = { request: cloneMessage(req), rank };
    if (rank === 3 || entry.seen >= entry.expected) this.decide(entry);
    else entry.timer ??= this.ports.sim.schedule(this.policy.aggregationWindow, () => this.decide(entry));
    return 'absorb';
  }

  private decide(entry: Pending): void {
    if (entry.sent || entry.best === undefined) return;
    entry.sent = true;
    entry.timer?.cancel();
    const req = entry.best.request;
    this.ports.note('sends the chosen notification');
    // A new request from this server continuing the originating chain of the recipient's core.
    for (const name of ['Via', 'Route', 'P-Served-User']) removeHeaders(req, name);
    setHeader(req, 'Call-ID', this.ports.stack.newCallId());
    pushHeader(req, 'Route', `<sip:${this.ports.coreHost};lr;odi=orig>`);
    this.ports.stack.request(req, this.ports.coreHost, (res) => {
      if (res.status >= 300) this.ports.note(`chosen notification failed: ${res.status}`);
    });
  }
}

/**
 * C.3.1.4.5: which device of a sender sent a message, so that its notifications go to that device
 * (by its +sip.instance, RFC 3841 Accept-Contact) unless the user prefers all its devices.
 */
export class SenderDevices {
  private readonly sentBy = new Map<string, string>();

  sent(messageId: string, instance: string): void {
    this.sentBy.set(messageId, instance);
  }

  instanceFor(messageId: string): string | undefined {
    return this.sentBy.get(messageId);
  }
}
