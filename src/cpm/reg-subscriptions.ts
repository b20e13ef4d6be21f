import type { Alarm, Simulator } from '../kernel/simulator.js';
import { SECOND } from '../kernel/time.js';
import { createRequest } from '../sip/builders.js';
import { Dialog } from '../sip/dialog.js';
import { header, type SipRequest, type SipResponse } from '../sip/message.js';
import type { NameAddr } from '../sip/name-addr.js';
import type { SipStack } from '../sip/stack.js';
import { parseUri, type Uri } from '../sip/uri.js';
import { REG_SUBSCRIPTION_SECONDS } from './core/reg-event-notifier.js';
import { expiresOf, refreshAfterSeconds, subscriptionStateOf } from './subscription-lifetime.js';

/** What a subscriber to registration state uses of its element. */
export interface RegSubscriberPorts {
  stack: SipStack;
  sim: Simulator;
  /** Where its requests go: the SIP/IP Core of its domain. */
  coreHost: string;
  /** Who subscribes (the From) and where the NOTIFYs come (the Contact). */
  subscriber: Uri;
  contact: NameAddr;
  note(text: string): void;
}

/** A subscription is its own refresh timer (an alarm), so it keeps no timer or closure. */
class Subscription implements Alarm {
  slot = -1;
  /** Set once the 2xx has come. */
  dialog: Dialog | undefined;

  constructor(
    private readonly owner: RegSubscriptions,
    readonly callId: string,
    readonly aor: string,
  ) {}

  fire(): void {
    this.owner.refresh(this);
  }
}

/**
 * Subscriptions to users' registration state (RFC 3680): the Conversation Server's, one per user
 * (CPM 5.1.1.1, C.1.1 step 5), and a client's to its own user's (C.1.2.1). Each is refreshed
 * before it runs out (3GPP TS 24.229 5.1.1.3's timing) and forgotten when it is refused or
 * terminated, so that the Conversation Server subscribes again at the user's next third-party
 * registration.
 */
export class RegSubscriptions {
  /** By Call-ID. */
  private readonly byCallId = new Map<string, Subscription>();
  /** The AORs subscribed to, so a third-party registration checks without a scan. */
  private readonly aors = new Set<string>();

  constructor(private readonly ports: RegSubscriberPorts) {}

  has(aor: string): boolean {
    return this.aors.has(aor);
  }

  /** Whether `req` (a NOTIFY) is of one of these subscriptions. */
  owns(req: SipRequest): boolean {
    return this.byCallId.has(header(req, 'Call-ID') ?? '');
  }

  /** `ids`: the dialog's Call-ID and From tag, when the subscriber draws them itself (in its own order). */
  subscribe(aor: string, ids?: { tag: string; callId: string }): void {
    const { stack } = this.ports;
    const callId = ids?.callId ?? stack.newCallId();
    const tag = ids?.tag ?? stack.newTag();
    const sub = new Subscription(this, callId, aor);
    this.byCallId.set(callId, sub);
    this.aors.add(aor);
    const req = createRequest({
      method: 'SUBSCRIBE',
      uri: parseUri(aor),
      from: { uri: this.ports.subscriber, params: [{ name: 'tag', value: tag }] },
      to: { uri: parseUri(aor), params: [] },
      callId,
      cseq: 1,
      contact: this.ports.contact,
      extra: regHeaders(),
    });
    stack.request(req, this.ports.coreHost, (res) => this.answered(callId, sub, req, res, 'subscription'));
  }

  /**
   * RFC 6665 4.1.3: a NOTIFY saying the subscription is terminated ends it here (its body, the last
   * state, still counts).
   */
  notified(req: SipRequest): void {
    const callId = header(req, 'Call-ID') ?? '';
    const sub = this.byCallId.get(callId);
    const state = subscriptionStateOf(req);
    if (sub === undefined || state?.state !== 'terminated') return;
    this.forget(callId, sub);
    this.ports.note(`reg-event subscription for ${sub.aor} terminated: ${state.reason ?? 'no reason given'}`);
  }

  private answered(callId: string, sub: Subscription, sent: SipRequest, res: SipResponse, what: 'subscription' | 'refresh'): void {
    if (res.status < 200 || this.byCallId.get(callId) !== sub) return;
    if (res.status >= 300) {
      this.forget(callId, sub);
      return this.ports.note(`reg-event ${what} for ${sub.aor} refused: ${res.status}`);
    }
    sub.dialog ??= Dialog.asUac(sent, res);
    // RFC 6665 4.1.2.1: the 2xx's Expires is the duration the notifier granted.
    const seconds = expiresOf(res) ?? REG_SUBSCRIPTION_SECONDS;
    const { sim } = this.ports;
    sim.disarm(sub);
    if (seconds > 0) sim.arm(sub, sim.now + Math.floor(refreshAfterSeconds(seconds) * SECOND));
  }

  /** RFC 6665 4.1.2.2: a SUBSCRIBE within the subscription's dialog before it runs out (its alarm calls this). */
  refresh(sub: Subscription): void {
    const dialog = sub.dialog!;
    const req = dialog.createRequest('SUBSCRIBE', { contact: this.ports.contact, extra: regHeaders() });
    this.ports.stack.request(req, dialog.nextHop(), (res) => this.answered(sub.callId, sub, req, res, 'refresh'));
  }

  private forget(callId: string, sub: Subscription): void {
    this.ports.sim.disarm(sub);
    this.byCallId.delete(callId);
    this.aors.delete(sub.aor);
  }
}

function regHeaders(): { name: string; value: string }[] {
  return [
    { name: 'Event', value: 'reg' },
    { name: 'Accept', value: 'application/reginfo+xml' },
    { name: 'Expires', value: String(REG_SUBSCRIPTION_SECONDS) },
  ];
}
