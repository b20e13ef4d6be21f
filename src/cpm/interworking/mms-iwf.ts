import type { Timer } from '../../kernel/simulator.js';
import { SECOND } from '../../kernel/time.js';
import { MM7_STATUS, mm7ToTel, telToMm7, type Mm7Message, type Mm7Request, type Mm7Response } from '../../mm7/message.js';
import { MM7_RESPONSE_TIMER } from '../../mm7/timers.js';
import type { SipRequest } from '../../sip/message.js';
import { popOwnRoute } from '../../sip/routing.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { aorOf } from '../../sip/uri.js';
import type { OtherPayload } from '../../wire/payload.js';
import { SipActor, type ActorContext } from '../actor.js';
import { messageIdentity } from '../message-identity.js';
import { coreHost, iwfHost } from '../naming.js';
import { reportedOf, type Reported } from '../notification.js';
import { originatorAddress, validFor } from './addresses.js';
import { contentOf, inboundRequest, isNotification } from './conversion.js';
import { recipientNotification } from './recipient-notification.js';

/**
 * How long an accepted submission waits for its delivery report before it counts as failed: longer
 * than the relay's expiry (10 min for cpmsim's relay, TS 23.140 7.1.2.1), after which a relay that
 * still answers has reported the message expired.
 */
const REPORT_WAIT = 15 * 60 * SECOND;

/** A submission waiting for its SubmitRsp. */
interface Pending {
  tx: ServerTransaction;
  recipient: string;
  reported?: Reported;
  timer: Timer;
}

/** An accepted submission whose delivery report becomes an IMDN to the CPM sender. */
interface Awaiting {
  reported: Reported;
  recipient: string;
  timer: Timer;
}

/**
 * CPM Interworking Function for MMS (CPM 5.3): a value-added service of an MMS Relay/Server over
 * MM7 (3GPP TS 23.140 8.7). Outbound, a CPM Message becomes a SubmitReq whose content is the
 * message's content, asking for a delivery report when the sender asked for delivery
 * notifications; the relay's SubmitRsp is the 202 Accepted (or the error), and its
 * DeliveryReportReq becomes the IMDN (RFC 5438). Inbound, a DeliverReq becomes a pager-mode CPM
 * Message with the Non-CPM Communication Service Identifier (CPM 5.3.2), answered by DeliverRsp
 * once the CPM side has answered.
 */
export class MmsInterworkingFunction extends SipActor {
  private readonly pending = new Map<string, Pending>();
  /** Accepted submissions whose report will become an IMDN, by the relay's MessageID. */
  private readonly awaitingReport = new Map<string, Awaiting>();
  private readonly ids;

  constructor(
    domain: string,
    private readonly relay: string,
    ctx: ActorContext,
  ) {
    super(iwfHost('mms', domain), domain, ctx);
    this.ids = ctx.streams.stream(`${this.host}/ids`);
  }

  protected onRequest(req: SipRequest, tx: ServerTransaction): void {
    popOwnRoute(req, this.host);
    if (req.method !== 'MESSAGE') return this.respond(tx, 405, { extra: [{ name: 'Allow', value: 'MESSAGE' }] });
    const to = aorOf(req.uri);
    if (!validFor('mms', to)) return this.respond(tx, 404, { reason: 'Not A Telephone Number' });
    const from = originatorAddress('mms', req);
    if (from === undefined) return this.respond(tx, 403, { reason: 'No Routable Originator Number' });
    // MM7 has no report a value-added service sends for a delivered message (TS 23.140 8.7.3).
    if (isNotification(req)) return this.respond(tx, 404, { reason: 'No MMS To Report On' });
    const content = contentOf(req);
    if (content === undefined) return this.respond(tx, 415, { reason: 'Only Textual Content Converts To MMS' });
    const reported = req.body?.kind === 'cpim' ? reportedOf(req.body.cpim) : undefined;
    const wantsReport = reported !== undefined && reported.requested.some((r) => r === 'positive-delivery' || r === 'negative-delivery');
    this.note(`converts the CPM Message to an MMS for ${to}`);
    const request = this.request({
      kind: 'SubmitReq',
      vaspId: `cpm-${this.domain}`,
      sender: telToMm7(from),
      recipient: telToMm7(to),
      deliveryReport: wantsReport,
      subject: `CPM message from ${from.replace(/^tel:/, '')}`,
      content,
    });
    // No SubmitRsp within the response timer is a failed submission, and the CPM sender hears of it
    // (504 Server Time-out, RFC 3261 21.5.5) rather than nothing.
    const timer = this.ctx.sim.schedule(MM7_RESPONSE_TIMER, () => {
      if (!this.pending.delete(request.transactionId)) return;
      this.note(`no SubmitRsp from the MMS Relay/Server for the MMS to ${to}`);
      this.respond(tx, 504);
    });
    this.pending.set(request.transactionId, { tx, recipient: to, timer, ...(wantsReport ? { reported } : {}) });
  }

  protected override onOther(payload: OtherPayload, fromHost: string): void {
    if (payload.protocol !== 'mm7' || fromHost !== this.relay) return super.onOther(payload, fromHost);
    if (payload.type === 'mm7-response') return this.answered(payload);
    const op = payload.operation;
    if (op.kind === 'DeliveryReportReq') return this.report(payload, op.messageId, op.mmStatus);
    if (op.kind === 'DeliverReq') return this.delivered(payload);
    this.answer(payload, { kind: 'SubmitRsp', statusCode: MM7_STATUS.CLIENT_ERROR, statusText: 'Operation not supported by a value-added service' });
  }

  private answered(res: Mm7Response): void {
    const p = this.pending.get(res.transactionId);
    if (p === undefined || res.operation.kind !== 'SubmitRsp') return;
    this.pending.delete(res.transactionId);
    p.timer.cancel();
    const { statusCode, messageId } = res.operation;
    if (statusCode !== MM7_STATUS.SUCCESS) {
      this.note(`the MMS Relay/Server refused the MMS to ${p.recipient}: ${statusCode} ${res.operation.statusText}`);
      // CPM 5.3.1.1: the failure goes back towards the CPM originator (or to the next service).
      return statusCode === MM7_STATUS.ADDRESS_ERROR ? this.respond(p.tx, 404, { reason: 'Unknown MMS Recipient' }) : this.respond(p.tx, 502);
    }
    if (p.reported !== undefined && messageId !== undefined) this.awaitReport(messageId, p.reported, p.recipient);
    // Stored by the relay, not yet retrieved: Accepted (RFC 3428 7, C.4.1.1 steps 7-8).
    this.note('converts the acknowledgement into 202 Accepted', messageIdentity(p.tx.request));
    this.respond(p.tx, 202);
  }

  /** TS 23.140 8.7.3.2: the delivery report, as the IMDN the CPM sender asked for (C.4.1.1 steps 11-12). */
  private report(req: Mm7Request, messageId: string, status: string): void {
    const waiting = this.awaitingReport.get(messageId);
    if (waiting === undefined) return this.answer(req, { kind: 'DeliveryReportRsp', statusCode: MM7_STATUS.CLIENT_ERROR, statusText: 'No such message' });
    const delivered = status === 'Retrieved';
    // Indeterminate (and Deferred, Forwarded) say nothing final: the report that settles it is still to come.
    if (!delivered && status !== 'Expired' && status !== 'Rejected') return this.answer(req, { kind: 'DeliveryReportRsp', statusCode: MM7_STATUS.SUCCESS, statusText: 'Success' });
    this.awaitingReport.delete(messageId);
    waiting.timer.cancel();
    if (!waiting.reported.requested.includes(delivered ? 'positive-delivery' : 'negative-delivery')) {
      // RFC 5438: a sender hears only of the outcomes asked for; the trace still shows the one that came.
      this.note(`the MMS to ${waiting.recipient} ${delivered ? 'was retrieved' : 'failed'}; no notification was asked for`, waiting.reported.messageId);
      return this.answer(req, { kind: 'DeliveryReportRsp', statusCode: MM7_STATUS.SUCCESS, statusText: 'Success' });
    }
    this.note(`maps the MMS delivery report to an IMDN (${delivered ? 'delivered' : 'failed'})`);
    this.notify(waiting, delivered, () => this.answer(req, { kind: 'DeliveryReportRsp', statusCode: MM7_STATUS.SUCCESS, statusText: 'Success' }));
  }

  private awaitReport(messageId: string, reported: Reported, recipient: string): void {
    const timer = this.ctx.sim.schedule(REPORT_WAIT, () => {
      if (!this.awaitingReport.delete(messageId)) return;
      this.note(`no delivery report from the MMS Relay/Server for the MMS to ${recipient}: reports it failed`);
      if (reported.requested.includes('negative-delivery')) this.notify({ reported, recipient }, false, () => undefined);
    });
    this.awaitingReport.set(messageId, { reported, recipient, timer });
  }

  /** CPM 5.3.2, C.4.2: an MMS to a CPM user as a pager-mode CPM Message; DeliverRsp once CPM answered. */
  private delivered(req: Mm7Request): void {
    const op = req.operation;
    if (op.kind !== 'DeliverReq') return;
    const from = mm7ToTel(op.sender);
    const plain = /^text\/plain\b/i.test(op.content.contentType);
    const request = inboundRequest(
      { service: 'mms', from, to: mm7ToTel(op.recipient), text: op.content.text, ...(plain ? {} : { contentType: op.content.contentType }), deliveryReport: false, dateTime: this.dateTime() },
      { rng: this.ids, callId: this.stack.newCallId(), tag: this.stack.newTag(), messageId: this.ids.hex(12) },
    );
    this.note(`converts the MMS from ${from} to a CPM Message`);
    this.stack.request(request, coreHost(this.domain), (res) => {
      if (res.status < 200) return;
      const code = res.status < 300 ? MM7_STATUS.SUCCESS : res.status === 404 || res.status === 480 ? MM7_STATUS.ADDRESS_ERROR : MM7_STATUS.SERVER_ERROR;
      this.answer(req, { kind: 'DeliverRsp', statusCode: code, statusText: code === MM7_STATUS.SUCCESS ? 'Success' : code === MM7_STATUS.ADDRESS_ERROR ? 'Address Error' : 'Server Error' });
    });
  }

  /** CPM 5.2.2.3, 5.3: a delivery notification to the CPM sender, from the MMS recipient. */
  private notify(waiting: { reported: Reported; recipient: string }, delivered: boolean, then: () => void): void {
    const notification = recipientNotification(waiting.reported, waiting.recipient, delivered, { stack: this.stack, ids: this.ids, dateTime: this.dateTime() });
    this.stack.request(notification, coreHost(this.domain), (res) => {
      if (res.status >= 200) then();
    });
  }

  private request(operation: Mm7Request['operation']): Mm7Request {
    const request: Mm7Request = { protocol: 'mm7', type: 'mm7-request', client: this.host, host: this.relay, transactionId: this.ids.hex(12), operation };
    this.send(request);
    return request;
  }

  private answer(req: Mm7Request, operation: Mm7Response['operation']): void {
    this.send({ protocol: 'mm7', type: 'mm7-response', client: req.client, status: 200, transactionId: req.transactionId, operation });
  }

  private send(m: Mm7Message): void {
    this.ctx.net.send(this.host, this.relay, m);
  }
}
