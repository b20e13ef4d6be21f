import type { Timer } from '../../kernel/simulator.js';
import { SECOND } from '../../kernel/time.js';
import { createResponse } from '../../sip/builders.js';
import { createDialogResponse, Dialog } from '../../sip/dialog.js';
import { header, type SipRequest } from '../../sip/message.js';
import type { NameAddr } from '../../sip/name-addr.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { CONFERENCE_EVENT } from '../session-requests.js';
import { CONFERENCE_SUBSCRIPTION_SECONDS, expiresOf } from '../subscription-lifetime.js';
import type { ServerPorts } from './ports.js';
import type { SessionRoster } from './session-roster.js';

interface Subscription {
  dialog: Dialog;
  subscriber: string;
  version: number;
  /** The roster revision the last notification showed; -1 before the first. */
  seen: number;
  /** RFC 6665 4.2.1: when the subscription runs out unless it is refreshed, and the timer of that. */
  expiresAt: number;
  expiry?: Timer;
}

/**
 * The Participant Information service of one CPM Session (CPM 5.2.3.6, C.2.5): subscriptions to
 * the conference event package (RFC 4575), a full document first, then on each change one naming
 * the Participants that changed, along each subscription's reverse path, "until the Participant
 * Information subscription becomes invalid": it runs out unrefreshed, is ended by its subscriber,
 * or the session ends (RFC 6665 4.2.2).
 */
export class ParticipantInformation {
  private readonly subscriptions: Subscription[] = [];
  private ended = false;

  constructor(
    private readonly ports: ServerPorts,
    readonly roster: SessionRoster,
    /** Who may subscribe: the group's members (the group policy cpmsim models). */
    private readonly allowed: (aor: string) => boolean,
    private readonly contact: NameAddr,
  ) {}

  /** Whether `req` is within one of these subscriptions' dialogs. */
  owns(req: SipRequest): boolean {
    return this.subscriptions.some((s) => s.dialog.matches(req));
  }

  /**
   * C.2.5.1 step 6: check a new subscription against the group policy, answer, then notify; a
   * SUBSCRIBE within one refreshes it or, with Expires: 0, ends it (RFC 6665 4.2.1.2).
   */
  subscribe(req: SipRequest, tx: ServerTransaction, subscriber: string | undefined): void {
    const existing = this.subscriptions.find((s) => s.dialog.matches(req));
    if (existing !== undefined) return this.refreshed(existing, req, tx);
    if (!new RegExp(`^${CONFERENCE_EVENT}\\b`).test(header(req, 'Event') ?? '')) return this.refuse(tx, 489);
    if (subscriber === undefined || !this.allowed(subscriber)) return this.refuse(tx, 403);
    // RFC 6665 4.2.1.1: the resource is gone once the session has ended.
    if (this.ended) return this.refuse(tx, 404, 'Session Has Ended');
    const seconds = granted(req);
    const res = createDialogResponse(req, 200, { toTag: this.ports.stack.newTag(), contact: this.contact, extra: [{ name: 'Expires', value: String(seconds) }] });
    tx.respond(res);
    const subscription: Subscription = { dialog: Dialog.asUas(req, res), subscriber, version: 0, seen: -1, expiresAt: this.ports.sim.now };
    // RFC 6665 4.4.3: Expires: 0 fetches the state once; no subscription is left.
    if (seconds === 0) return this.notify(subscription, 'terminated;reason=timeout');
    this.subscriptions.push(subscription);
    this.runsFor(subscription, seconds);
    this.notify(subscription);
  }

  /** C.2.5.2: "upon detecting changes in the Participant Information". */
  changed(): void {
    for (const s of [...this.subscriptions]) if (s.seen < this.roster.current) this.notify(s);
  }

  /**
   * The session has ended: each subscriber gets the last changes with its subscription
   * terminated, the resource being gone (RFC 6665 4.1.3, reason noresource).
   */
  end(): void {
    this.ended = true;
    for (const s of [...this.subscriptions]) this.close(s, 'noresource');
  }

  /** RFC 6665 4.2.1.2: a refresh answered with its duration and followed by a NOTIFY of the full state. */
  private refreshed(s: Subscription, req: SipRequest, tx: ServerTransaction): void {
    if (s.dialog.receiveRequest(req) !== undefined) return this.refuse(tx, 500, undefined, s.dialog.localTag);
    const seconds = granted(req);
    tx.respond(createDialogResponse(req, 200, { toTag: s.dialog.localTag, contact: this.contact, extra: [{ name: 'Expires', value: String(seconds) }] }));
    if (seconds === 0) return this.close(s, 'timeout');
    this.runsFor(s, seconds);
    s.seen = -1;
    this.notify(s);
  }

  private runsFor(s: Subscription, seconds: number): void {
    s.expiry?.cancel();
    s.expiresAt = this.ports.sim.now + seconds * SECOND;
    s.expiry = this.ports.sim.schedule(seconds * SECOND, () => {
      this.ports.note(`participant subscription of ${short(s.subscriber)} expired`);
      this.close(s, 'timeout');
    });
  }

  /** The subscription ends: the last NOTIFY says so, with what changed since the one before. */
  private close(s: Subscription, reason: string): void {
    this.forget(s);
    this.notify(s, `terminated;reason=${reason}`);
  }

  private forget(s: Subscription): void {
    s.expiry?.cancel();
    const i = this.subscriptions.indexOf(s);
    if (i >= 0) this.subscriptions.splice(i, 1);
  }

  /** A full document first, then what changed since the last one (RFC 4575 4.1). */
  private notify(s: Subscription, state?: string): void {
    const info = this.roster.document(s.version++, s.seen < 0 ? undefined : s.seen, s.subscriber);
    s.seen = this.roster.current;
    // RFC 6665 4.2.2: an active subscription's NOTIFY says how long it has left.
    const left = Math.max(0, Math.floor((s.expiresAt - this.ports.sim.now) / SECOND));
    const req = s.dialog.createRequest('NOTIFY', {
      contact: this.contact,
      extra: [
        { name: 'Event', value: CONFERENCE_EVENT },
        { name: 'Subscription-State', value: state ?? `active;expires=${left}` },
      ],
      body: { kind: 'conference-info', contentType: 'application/conference-info+xml', conference: info },
    });
    this.ports.stack.request(req, s.dialog.nextHop(), (res) => {
      if (res.status < 300) return;
      this.ports.note(`participant notification answered ${res.status}`);
      // RFC 6665 4.2.2: a NOTIFY answered 481, or timed out, ends the subscription without another.
      if (res.status === 481 || res.status === 408) this.forget(s);
    });
  }

  private refuse(tx: ServerTransaction, status: number, reason?: string, toTag = this.ports.stack.newTag()): void {
    tx.respond(createResponse(tx.request, status, { toTag, ...(reason === undefined ? {} : { reason }) }));
  }
}

/** RFC 6665 4.2.1.1: the duration asked for, the package's default if none, never longer. */
function granted(req: SipRequest): number {
  return Math.min(expiresOf(req) ?? CONFERENCE_SUBSCRIPTION_SECONDS, CONFERENCE_SUBSCRIPTION_SECONDS);
}

const short = (uri: string): string => uri.replace(/^sip:/, '');
