import type { Timer } from '../../kernel/simulator.js';
import { SECOND } from '../../kernel/time.js';
import { createRequest, createResponse } from '../../sip/builders.js';
import { Dialog } from '../../sip/dialog.js';
import { header, type SipRequest, type SipResponse } from '../../sip/message.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { parseUri, type Uri } from '../../sip/uri.js';
import { CONFERENCE_EVENT, participantChanges } from '../session-requests.js';
import { cpmSessionHeaders } from '../service.js';
import { CONFERENCE_SUBSCRIPTION_SECONDS, expiresOf, refreshAfterSeconds, subscriptionStateOf } from '../subscription-lifetime.js';
import type { SessionPorts } from './sessions.js';

interface Subscription {
  /** Set once the 2xx has come (RFC 6665 4.1.2.1). */
  dialog?: Dialog;
  seconds: number;
  refresh?: Timer;
  /** The refresh goes out only while this holds: the device is still in the session it is about. */
  wanted: () => boolean;
}

/**
 * A device's subscriptions to the Participant Information of sessions (CPM 5.2.3.6, RFC 4575 over
 * RFC 6665): subscribed, refreshed before they run out while the device takes part in the session,
 * left to lapse once it does not, and forgotten when a NOTIFY says they are terminated.
 */
export class ParticipantSubscriptions {
  /** By Call-ID. */
  private readonly subscriptions = new Map<string, Subscription>();

  constructor(private readonly ports: Pick<SessionPorts, 'stack' | 'sim' | 'aor' | 'contact' | 'coreHost' | 'credentials' | 'note'>) {}

  /** CPM 5.2.3.6: subscribe at a CPM Session Identity for `seconds` (RFC 4575's hour by default). */
  subscribe(identityUri: string | Uri, wanted: () => boolean = () => true, seconds = CONFERENCE_SUBSCRIPTION_SECONDS): void {
    const identity = typeof identityUri === 'string' ? parseUri(identityUri) : identityUri;
    const { stack } = this.ports;
    const self = parseUri(this.ports.aor);
    const callId = stack.newCallId();
    const subscription: Subscription = { seconds, wanted };
    this.subscriptions.set(callId, subscription);
    const req = createRequest({
      method: 'SUBSCRIBE',
      uri: identity,
      from: { uri: self, params: [{ name: 'tag', value: stack.newTag() }] },
      to: { uri: identity, params: [] },
      callId,
      cseq: 1,
      contact: { uri: this.ports.contact.uri, params: [] },
      extra: [...cpmSessionHeaders(), ...subscribeHeaders(seconds)],
    });
    const send = (sent: SipRequest): void => {
      stack.request(sent, this.ports.coreHost, (res) => {
        const retry = this.ports.credentials.retry(sent, res);
        if (retry === undefined) this.answered(callId, subscription, sent, res);
        else send(retry);
      });
    };
    send(req);
  }

  /** Whether `req` is a NOTIFY of one of these subscriptions. */
  owns(req: SipRequest): boolean {
    return this.subscriptions.has(header(req, 'Call-ID') ?? '');
  }

  /** RFC 6665 4.1.3: a NOTIFY is answered 200; one that says the subscription is terminated ends it here. */
  notified(req: SipRequest, tx: ServerTransaction): void {
    const callId = header(req, 'Call-ID') ?? '';
    tx.respond(createResponse(req, 200, { toTag: this.ports.stack.newTag() }));
    if (req.body?.kind === 'conference-info') this.ports.note(`participants: ${participantChanges(req.body.conference)}`);
    const state = subscriptionStateOf(req);
    if (state?.state !== 'terminated') return;
    this.subscriptions.get(callId)?.refresh?.cancel();
    this.subscriptions.delete(callId);
    this.ports.note(`participant subscription terminated: ${state.reason ?? 'no reason given'}`);
  }

  private answered(callId: string, s: Subscription, sent: SipRequest, res: SipResponse): void {
    if (res.status < 200) return;
    if (res.status >= 300) {
      this.subscriptions.delete(callId);
      return this.ports.note(`participant subscription refused: ${res.status}`);
    }
    if (!this.subscriptions.has(callId)) return;
    s.dialog ??= Dialog.asUac(sent, res);
    // RFC 6665 4.1.2.1: the 2xx's Expires is the duration granted, which may be shorter.
    s.seconds = expiresOf(res) ?? s.seconds;
    s.refresh?.cancel();
    if (s.seconds > 0) s.refresh = this.ports.sim.schedule(Math.floor(refreshAfterSeconds(s.seconds) * SECOND), () => this.refresh(callId, s));
  }

  /** RFC 6665 4.1.2.2: a SUBSCRIBE in the subscription's dialog before it runs out; unwanted, it lapses. */
  private refresh(callId: string, s: Subscription): void {
    if (!s.wanted() || s.dialog === undefined) return;
    const dialog = s.dialog;
    const req = dialog.createRequest('SUBSCRIBE', { contact: { uri: this.ports.contact.uri, params: [] }, extra: [...cpmSessionHeaders(), ...subscribeHeaders(s.seconds)] });
    this.ports.stack.request(req, dialog.nextHop(), (res) => {
      if (res.status < 200 || !this.subscriptions.has(callId)) return;
      if (res.status < 300) return this.answered(callId, s, req, res);
      // RFC 6665 4.1.2.2: a refused refresh leaves no subscription.
      this.subscriptions.delete(callId);
      this.ports.note(`participant subscription refresh refused: ${res.status}`);
    });
  }
}

function subscribeHeaders(seconds: number): { name: string; value: string }[] {
  return [
    { name: 'Event', value: CONFERENCE_EVENT },
    { name: 'Accept', value: 'application/conference-info+xml' },
    { name: 'Expires', value: String(seconds) },
  ];
}
