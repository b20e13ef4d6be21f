import { createResponse } from '../../sip/builders.js';
import { createDialogResponse, Dialog } from '../../sip/dialog.js';
import { header, type SipRequest } from '../../sip/message.js';
import type { NameAddr } from '../../sip/name-addr.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { CONFERENCE_EVENT } from '../session-requests.js';
import type { ServerPorts } from './ports.js';
import type { SessionRoster } from './session-roster.js';

interface Subscription {
  dialog: Dialog;
  version: number;
  /** The roster revision the last notification showed; -1 before the first. */
  seen: number;
}

/**
 * The Participant Information service of one CPM Session (CPM 5.2.3.6, C.2.5): subscriptions to
 * the conference event package (RFC 4575), a full document first, then on each change one naming
 * the Participants that changed, along each subscription's reverse path.
 */
export class ParticipantInformation {
  private readonly subscriptions: Subscription[] = [];

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

  /** C.2.5.1 step 6: check the subscription against the group policy, answer, then notify. */
  subscribe(req: SipRequest, tx: ServerTransaction, subscriber: string | undefined): void {
    if (!new RegExp(`^${CONFERENCE_EVENT}\\b`).test(header(req, 'Event') ?? '')) return this.refuse(tx, 489);
    if (subscriber === undefined || !this.allowed(subscriber)) return this.refuse(tx, 403);
    const res = createDialogResponse(req, 200, { toTag: this.ports.stack.newTag(), contact: this.contact, extra: [{ name: 'Expires', value: header(req, 'Expires') ?? '3600' }] });
    tx.respond(res);
    const subscription: Subscription = { dialog: Dialog.asUas(req, res), version: 0, seen: -1 };
    this.subscriptions.push(subscription);
    this.notify(subscription);
  }

  /** C.2.5.2: "upon detecting changes in the Participant Information". */
  changed(): void {
    for (const s of this.subscriptions) if (s.seen < this.roster.current) this.notify(s);
  }

  /** A full document first, then what changed since the last one (RFC 4575 4.1). */
  private notify(s: Subscription): void {
    const info = this.roster.document(s.version++, s.seen < 0 ? undefined : s.seen);
    s.seen = this.roster.current;
    const req = s.dialog.createRequest('NOTIFY', {
      contact: this.contact,
      extra: [
        { name: 'Event', value: CONFERENCE_EVENT },
        { name: 'Subscription-State', value: 'active;expires=3600' },
      ],
      body: { kind: 'conference-info', contentType: 'application/conference-info+xml', conference: info },
    });
    this.ports.stack.request(req, s.dialog.nextHop(), (res) => {
      if (res.status >= 300) this.ports.note(`participant notification answered ${res.status}`);
    });
  }

  private refuse(tx: ServerTransaction, status: number): void {
    tx.respond(createResponse(tx.request, status, { toTag: this.ports.stack.newTag() }));
  }
}
