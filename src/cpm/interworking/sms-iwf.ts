import type { ImdnStatus } from '../../bodies/imdn.js';
import { shortMessage } from '../../smpp/codec.js';
import { ESM_CLASS, MESSAGE_STATE, SMPP_STATUS, isSmppResponse, smppToTel, type ShortMessage, type SmppPdu } from '../../smpp/pdu.js';
import { parseReceipt } from '../../smpp/receipt.js';
import { RESPONSE_TIMER } from '../../smpp/timers.js';
import type { Timer } from '../../kernel/simulator.js';
import { SECOND, type Micros } from '../../kernel/time.js';
import type { SipRequest } from '../../sip/message.js';
import { popOwnRoute } from '../../sip/routing.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { aorOf, parseUri } from '../../sip/uri.js';
import { inDialog } from '../../sip/dialog.js';
import type { OtherPayload } from '../../wire/payload.js';
import { SipActor, type ActorContext } from '../actor.js';
import { coreHost, iwfHost } from '../naming.js';
import { messageIdentity } from '../message-identity.js';
import { reportedOf, type Reported } from '../notification.js';
import { originatorAddress, validFor } from './addresses.js';
import { inboundRequest, textOf } from './conversion.js';
import { InterworkedSessions, type Outcome } from './interworked-sessions.js';
import { recipientNotification } from './recipient-notification.js';

/**
 * How long an accepted submission waits for its delivery receipt before the SMS counts as failed:
 * longer than an SMS centre's validity period (3GPP TS 23.040 9.2.3.12; 10 min for cpmsim's
 * centre), after which a centre that still answers has sent its EXPIRED receipt.
 */
const RECEIPT_WAIT = 15 * 60 * SECOND;

/** A submission waiting for its submit_sm_resp: the SIP request it converts, or the session message. */
interface Pending {
  tx?: ServerTransaction;
  /** A message of an interworked session: told the SMSC's answer and the receipt instead of a SIP response. */
  outcome?: Outcome;
  /** A session message whose receipt was asked for (registered_delivery). */
  receipt?: boolean;
  /** The CPM Message's notification facts, when its sender asked for delivery notifications. */
  reported?: Reported;
  /** The SMS recipient's number: who the delivery notification comes from. */
  recipient: string;
  kind: 'message' | 'acknowledgement' | 'session';
  timer?: Timer;
}

/** An accepted submission whose receipt becomes an IMDN (a CPM Message) or a REPORT (a session message). */
interface Awaiting {
  reported?: Reported;
  outcome?: Outcome;
  recipient: string;
  timer: Timer;
}

/** How this function keeps its bind to the SMS centre alive. */
export interface SmppLinkSettings {
  /**
   * SMPP 3.4 7.2 enquire_link_timer: how long the link may stay silent before this function asks the
   * centre whether its session is still up (SMPP 3.4 4.11). Absent: it never asks, and a dead centre
   * shows only in the response timers and the receipt wait.
   */
  enquireLink?: Micros;
  /**
   * The longest wait between two binds while the centre stays silent. Absent: each unanswered bind
   * is followed at once by the next, one response timer apart. Set: the waits grow as RFC 5626 4.5
   * has a SIP user agent's flow recovery grow them, min(this, 10 s × 2^failures), each a random 50
   * to 100 % of that (stream `HOST/rebind`), so the binds of many functions do not fall on a
   * centre that is coming back all at once: 20, 40, 80, 160 s, ... up to this (before the draw).
   */
  rebindBackoff?: Micros;
  /** The SMS centre's own enquire_link_timer (SMPP 3.4 4.11: either side may probe); absent, it never asks. */
  centreEnquireLink?: Micros;
}

/** An SMS this function turned into a CPM Message: where the recipient's IMDN must go back to. */
interface Inbound {
  sender: string;
  recipient: string;
  reference?: number;
}

/**
 * CPM Interworking Function for SMS (CPM 5.3): an ESME bound to an SMS centre as a transceiver
 * (SMPP 3.4 2.2). Outbound, a CPM Message becomes a submit_sm, and the SMSC's acceptance a 202
 * Accepted (the SMSC stores and forwards); its delivery receipt becomes an IMDN to the sender
 * (C.4.1.1 steps 11-12). Inbound, a deliver_sm becomes a CPM Message whose delivery report request
 * is an IMDN request, and the recipient's IMDN becomes an ESME delivery acknowledgement (C.4.2).
 */
export class SmsInterworkingFunction extends SipActor {
  private readonly pending = new Map<number, Pending>();
  /** Accepted submissions whose receipt will become an IMDN, by the SMSC's message_id. */
  private readonly awaitingReceipt = new Map<string, Awaiting>();
  /** CPM Messages made from SMS, by their imdn.Message-ID. */
  private readonly inbound = new Map<string, Inbound>();
  private readonly ids;
  private readonly rebind;
  private sequence = 0;
  /** The response timer of a bind in progress. */
  private binding: Timer | undefined;
  /** While bound: the enquire_link_timer, or the response timer of the enquire_link it sent. */
  private probe: Timer | undefined;
  /** Binds in a row the centre has not answered. */
  private failedBinds = 0;
  /**
   * SMS this function reported failed without their receipt (the link broke, or the receipt wait
   * ran out), by the SMSC's message_id, until the centre's validity period is surely over: a
   * centre cut off by a partition still holds them and may deliver them, and its late receipt
   * must not pass unseen (see lateReceipt).
   */
  private readonly reportedFailed = new Map<string, { reported: Reported; recipient: string; negativeSent: boolean; timer: Timer }>();
  /** CPM Sessions with SMS users, this function their end (CPM 5.3.1). */
  private readonly sessions: InterworkedSessions;

  constructor(
    domain: string,
    private readonly smsc: string,
    ctx: ActorContext,
    private readonly link: SmppLinkSettings = {},
  ) {
    super(iwfHost('sms', domain), domain, ctx);
    this.ids = ctx.streams.stream(`${this.host}/ids`);
    this.rebind = ctx.streams.stream(`${this.host}/rebind`);
    // SMPP 3.4 2.2: one transceiver session carries submissions and deliveries both ways.
    ctx.sim.schedule(0, () => this.bind());
    this.sessions = new InterworkedSessions({
      host: this.host,
      service: 'sms',
      stack: this.stack,
      sim: ctx.sim,
      rng: this.ids,
      contact: { uri: parseUri(`sip:${this.host}`), params: [] },
      note: (text) => this.note(text),
      sendMedia: (toHost, msg) => ctx.net.send(this.host, toHost, msg),
      dateTime: () => this.dateTime(),
      toNonCpm: (m, outcome) => {
        this.note(`converts the session message to an SMS for ${m.to}`);
        this.submit(shortMessage(m.from, m.to, m.text, { receipt: m.report }), { recipient: m.to, kind: 'session', outcome, receipt: m.report });
      },
    });
  }

  /** The ACK of a 2xx to an invitation this function answered as the session's far end. */
  handleAck(ack: SipRequest, fromHost: string): void {
    if (!this.sessions.ack(ack)) this.note(`dropped an ACK from ${fromHost} with nowhere to go`);
  }

  protected onRequest(req: SipRequest, tx: ServerTransaction): void {
    popOwnRoute(req, this.host);
    if (inDialog(req) && this.sessions.withinSession(req, tx)) return;
    if (req.method !== 'MESSAGE' && req.method !== 'INVITE') return this.respond(tx, 405, { extra: [{ name: 'Allow', value: 'MESSAGE, INVITE, ACK, BYE' }] });
    const to = aorOf(req.uri);
    if (!validFor('sms', to)) return this.respond(tx, 404, { reason: 'Not A Telephone Number' });
    if (req.method === 'INVITE') return inDialog(req) ? this.respond(tx, 481) : this.sessions.invited(req, tx);
    const from = originatorAddress('sms', req);
    if (from === undefined) return this.respond(tx, 403, { reason: 'No Routable Originator Number' });
    const imdn = req.body?.kind === 'cpim' && req.body.cpim.content.kind === 'imdn' ? req.body.cpim.content.imdn : undefined;
    if (imdn !== undefined) return this.acknowledge(tx, imdn.messageId, imdn.notification);
    const text = textOf(req);
    if (text === undefined) return this.respond(tx, 415, { reason: 'Only Text Converts To SMS' });
    const reported = req.body?.kind === 'cpim' ? reportedOf(req.body.cpim) : undefined;
    const wantsReport = reported !== undefined && reported.requested.some((r) => r === 'positive-delivery' || r === 'negative-delivery');
    this.note(`converts the CPM Message to an SMS for ${to}`);
    const message = shortMessage(from, to, text, { receipt: wantsReport });
    this.submit(message, { tx, recipient: to, kind: 'message', ...(wantsReport ? { reported } : {}) });
  }

  /** C.4.2 steps 14-16: the CPM recipient's delivery notification, as an ESME delivery acknowledgement. */
  private acknowledge(tx: ServerTransaction, messageId: string, status: ImdnStatus): void {
    const origin = this.inbound.get(messageId);
    if (origin === undefined) return this.respond(tx, 404, { reason: 'No SMS To Acknowledge' });
    this.inbound.delete(messageId);
    const message = shortMessage(origin.recipient, origin.sender, status.status, {
      esmClass: ESM_CLASS.ESME_DELIVERY_ACK,
      ...(origin.reference === undefined ? {} : { tlvs: { userMessageReference: origin.reference } }),
    });
    this.submit(message, { tx, recipient: origin.sender, kind: 'acknowledgement' });
  }

  private submit(message: ShortMessage, pending: Pending): void {
    const sequence = this.nextSequence();
    // SMPP 3.4 7.2: no submit_sm_resp within the response timer is a failed submission, and
    // the CPM sender hears of it (504 Server Time-out, RFC 3261 21.5.5) rather than nothing.
    const timer = this.ctx.sim.schedule(RESPONSE_TIMER, () => this.submissionLost(sequence, 'no submit_sm_resp from the SMSC'));
    this.pending.set(sequence, { ...pending, timer });
    this.sendPdu({ protocol: 'smpp', command: 'submit_sm', sequence, message });
  }

  private submissionLost(sequence: number, why: string): void {
    const p = this.pending.get(sequence);
    if (p === undefined) return;
    this.pending.delete(sequence);
    p.timer?.cancel();
    this.note(`${why} for the SMS to ${p.recipient}`);
    if (p.outcome !== undefined) return p.outcome.accepted(408, 'No Answer From The SMS Centre');
    this.respond(p.tx!, 504);
  }

  protected override onOther(payload: OtherPayload, fromHost: string): void {
    if (payload.protocol === 'msrp') return this.sessions.media(payload, fromHost);
    if (payload.protocol !== 'smpp' || fromHost !== this.smsc) return super.onOther(payload, fromHost);
    if (payload.command === 'bind_transceiver_resp') {
      this.binding?.cancel();
      this.binding = undefined;
      this.failedBinds = 0;
      if (payload.status === SMPP_STATUS.ESME_ROK) this.idle();
    } else if (this.probe !== undefined) this.idle();
    if (payload.command === 'enquire_link') return this.sendPdu({ protocol: 'smpp', command: 'enquire_link_resp', sequence: payload.sequence, status: SMPP_STATUS.ESME_ROK });
    // SMPP 3.4 4.11.2, 5.1.3: a centre that restarted has no session for this function: bind anew.
    if (payload.command === 'enquire_link_resp' && payload.status === SMPP_STATUS.ESME_RINVBNDSTS) return this.linkBroken('the SMSC has no session for this function: it lost what it held');
    if (payload.command === 'submit_sm_resp') return this.submitAnswered(payload.sequence, payload.status, payload.messageId);
    if (payload.command === 'deliver_sm') return this.delivered(payload.sequence, payload.message);
    if (isSmppResponse(payload) && payload.status !== SMPP_STATUS.ESME_ROK) this.note(`${payload.command} error 0x${payload.status.toString(16)}`);
  }

  private submitAnswered(sequence: number, status: number, messageId: string): void {
    const p = this.pending.get(sequence);
    if (p === undefined) return;
    this.pending.delete(sequence);
    p.timer?.cancel();
    if (status !== SMPP_STATUS.ESME_ROK) {
      this.note(`the SMSC refused the SMS to ${p.recipient}: 0x${status.toString(16).padStart(8, '0')}`);
      // SMPP 3.4 5.1.3: the SMSC has no session for this ESME (it restarted, say): bind anew.
      if (status === SMPP_STATUS.ESME_RINVBNDSTS) this.unbound();
      if (p.outcome !== undefined) return p.outcome.accepted(403, status === SMPP_STATUS.ESME_RINVDSTADR ? 'Unknown SMS Recipient' : 'Refused By The SMS Centre');
      // CPM 5.3.1.1: the failure goes back towards the CPM originator.
      return status === SMPP_STATUS.ESME_RINVDSTADR ? this.respond(p.tx!, 404, { reason: 'Unknown SMS Recipient' }) : this.respond(p.tx!, 502);
    }
    if (p.outcome !== undefined) {
      // A receipt was asked for only when the SEND wanted a REPORT: it becomes one.
      if (p.receipt === true) this.awaitReceipt(messageId, { outcome: p.outcome, recipient: p.recipient });
      return p.outcome.accepted(200);
    }
    const tx = p.tx!;
    if (p.kind === 'acknowledgement') return this.respond(tx, 200);
    if (p.reported !== undefined) this.awaitReceipt(messageId, { reported: p.reported, recipient: p.recipient });
    // Stored by the SMSC, not yet delivered: Accepted (RFC 3428 7, C.4.1.1 steps 7-8).
    this.note('converts the acknowledgement into 202 Accepted', messageIdentity(tx.request));
    this.respond(tx, 202);
  }

  private delivered(sequence: number, m: ShortMessage): void {
    const answer = (status: number): void => this.sendPdu({ protocol: 'smpp', command: 'deliver_sm_resp', sequence, status });
    if ((m.esmClass & ESM_CLASS.MESSAGE_TYPE_MASK) === ESM_CLASS.SMSC_DELIVERY_RECEIPT) return this.receipt(m, answer);
    // CPM 5.3.2 within an open session with the sender: the SMS goes into it as a SEND.
    const inSession = this.sessions.deliver(smppToTel(m.source), smppToTel(m.destination), m.text, (status) =>
      answer(status === 200 ? SMPP_STATUS.ESME_ROK : status === 408 ? SMPP_STATUS.ESME_RX_T_APPN : SMPP_STATUS.ESME_RX_P_APPN),
    );
    if (inSession) return;
    const request = inboundRequest(
      { service: 'sms', from: smppToTel(m.source), to: smppToTel(m.destination), text: m.text, deliveryReport: (m.registeredDelivery & 0x01) !== 0, dateTime: this.dateTime() },
      { rng: this.ids, callId: this.stack.newCallId(), tag: this.stack.newTag(), messageId: this.ids.hex(12) },
    );
    const cpim = request.body?.kind === 'cpim' ? reportedOf(request.body.cpim) : undefined;
    if (cpim !== undefined && cpim.requested.length > 0) {
      this.inbound.set(cpim.messageId, { sender: cpim.sender, recipient: cpim.recipient, ...(m.tlvs.userMessageReference === undefined ? {} : { reference: m.tlvs.userMessageReference }) });
    }
    this.note(`converts the SMS from ${smppToTel(m.source)} to a CPM Message`);
    // C.4.2 step 10: the SMSC hears of the delivery into CPM when the CPM side has answered.
    this.stack.request(request, coreHost(this.domain), (res) => answer(res.status < 300 ? SMPP_STATUS.ESME_ROK : res.status >= 500 ? SMPP_STATUS.ESME_RX_T_APPN : SMPP_STATUS.ESME_RX_P_APPN));
  }

  /** C.4.1.1 steps 11-12 and 20: the receipt as an IMDN, acknowledged to the SMSC once the sender has it. */
  private receipt(m: ShortMessage, answer: (status: number) => void): void {
    const id = m.tlvs.receiptedMessageId ?? parseReceipt(m.text)?.messageId;
    const waiting = id === undefined ? undefined : this.awaitingReceipt.get(id);
    const late = id === undefined || waiting !== undefined ? undefined : this.reportedFailed.get(id);
    if (id !== undefined && late !== undefined) return this.lateReceipt(id, late, receiptDelivered(m), answer);
    if (id === undefined || waiting === undefined) return answer(SMPP_STATUS.ESME_ROK);
    this.awaitingReceipt.delete(id);
    waiting.timer.cancel();
    const delivered = receiptDelivered(m);
    if (waiting.outcome !== undefined) {
      waiting.outcome.reported(delivered);
      return answer(SMPP_STATUS.ESME_ROK);
    }
    const reported = waiting.reported!;
    if (!reported.requested.includes(delivered ? 'positive-delivery' : 'negative-delivery')) {
      // RFC 5438: a sender hears only of the outcomes asked for; the trace still shows the one that came.
      this.note(`the SMS to ${waiting.recipient} ${delivered ? 'was delivered' : 'failed'}; no notification was asked for`, reported.messageId);
      return answer(SMPP_STATUS.ESME_ROK);
    }
    this.note(`maps the delivery receipt to an IMDN (${delivered ? 'delivered' : 'failed'})`);
    this.notify({ reported, recipient: waiting.recipient }, delivered, () => answer(SMPP_STATUS.ESME_ROK));
  }

  /** An accepted submission whose receipt will become an IMDN, or a failed one if it never comes. */
  private awaitReceipt(messageId: string, what: Omit<Awaiting, 'timer'>): void {
    const timer = this.ctx.sim.schedule(RECEIPT_WAIT, () => this.receiptLost(messageId, 'no delivery receipt from the SMSC'));
    this.awaitingReceipt.set(messageId, { ...what, timer });
  }

  private receiptLost(messageId: string, why: string): void {
    const waiting = this.awaitingReceipt.get(messageId);
    if (waiting === undefined) return;
    this.awaitingReceipt.delete(messageId);
    waiting.timer.cancel();
    this.note(`${why} for the SMS to ${waiting.recipient}: reports it failed`);
    // A session's message reports its failure to the session (an MSRP REPORT), not by an IMDN.
    if (waiting.outcome !== undefined) return waiting.outcome.reported(false);
    const reported = waiting.reported!;
    const negativeSent = reported.requested.includes('negative-delivery');
    if (negativeSent) this.notify({ reported, recipient: waiting.recipient }, false, () => undefined);
    const timer = this.ctx.sim.schedule(RECEIPT_WAIT, () => this.reportedFailed.delete(messageId));
    this.reportedFailed.set(messageId, { reported, recipient: waiting.recipient, negativeSent, timer });
  }

  /**
   * The receipt of an SMS this function already reported failed. Its sender gets at most one
   * delivery notification for the message (RFC 5438 5.1: a delivery notification reports the
   * outcome; 'delivered' after 'failed' would leave the sender two contradictory outcomes for one
   * Message-ID and no rule to pick one). So: if the failure was told (negative-delivery asked for),
   * it stands, and the late delivery is recorded at this function (a note, `late-receipt`); if it
   * was not (only positive-delivery asked for), the late 'delivered' is that one notification.
   * Either way the centre has its deliver_sm_resp, so it does not send the receipt again.
   */
  private lateReceipt(id: string, late: { reported: Reported; recipient: string; negativeSent: boolean; timer: Timer }, delivered: boolean, answer: (status: number) => void): void {
    this.reportedFailed.delete(id);
    late.timer.cancel();
    if (!delivered || late.negativeSent) {
      this.note(`late delivery receipt (${delivered ? 'delivered' : 'failed'}) for the SMS to ${late.recipient} already reported failed: the failure notification stands`);
      return answer(SMPP_STATUS.ESME_ROK);
    }
    if (!late.reported.requested.includes('positive-delivery')) return answer(SMPP_STATUS.ESME_ROK);
    this.note('maps the late delivery receipt to an IMDN (delivered)');
    this.notify(late, true, () => answer(SMPP_STATUS.ESME_ROK));
  }

  /**
   * SMPP 3.4 7.2: nothing heard from the centre for the enquire_link_timer, so this function asks
   * (4.11.1); no enquire_link_resp within the response timer means the session is gone.
   */
  private idle(): void {
    this.probe?.cancel();
    this.probe = undefined;
    const interval = this.link.enquireLink;
    if (interval === undefined) return;
    this.probe = this.ctx.sim.schedule(interval, () => {
      this.probe = this.ctx.sim.schedule(RESPONSE_TIMER, () => this.linkBroken('no enquire_link_resp from the SMSC: the link is broken'));
      this.sendPdu({ protocol: 'smpp', command: 'enquire_link', sequence: this.nextSequence() });
    });
  }

  /**
   * The centre did not answer the enquire_link (crashed or cut off), or answered that it has no
   * session (it restarted). What it holds of this session is
   * lost to this function, so every SMS still waiting for its submit_sm_resp or its delivery receipt
   * is reported to its CPM sender (CPM 5.3.1.1) as the response timer and the receipt wait would,
   * and the function binds again until the centre answers.
   */
  private linkBroken(why: string): void {
    this.probe?.cancel();
    this.probe = undefined;
    this.note(why);
    for (const sequence of [...this.pending.keys()]) this.submissionLost(sequence, 'the link to the SMSC broke');
    for (const messageId of [...this.awaitingReceipt.keys()]) this.receiptLost(messageId, 'the link to the SMSC broke');
    this.bind();
  }

  private unbound(): void {
    this.probe?.cancel();
    this.probe = undefined;
    this.bind();
  }

  /** CPM 5.2.2.3, 5.3: a delivery notification to the CPM sender, from the SMS recipient. */
  private notify(waiting: { reported: Reported; recipient: string }, delivered: boolean, then: () => void): void {
    const notification = recipientNotification(waiting.reported, waiting.recipient, delivered, { stack: this.stack, ids: this.ids, dateTime: this.dateTime() });
    this.stack.request(notification, coreHost(this.domain), then);
  }

  /** SMPP 3.4 4.1.5: bind as a transceiver; SMPP 3.4 7.2: an unanswered bind is sent again. */
  private bind(): void {
    this.binding?.cancel();
    this.binding = this.ctx.sim.schedule(RESPONSE_TIMER, () => {
      this.failedBinds++;
      const wait = this.rebindWait();
      if (wait === 0) {
        this.note('no bind_transceiver_resp from the SMSC: binds again');
        return this.bind();
      }
      this.note(`no bind_transceiver_resp from the SMSC: binds again in ${formatSeconds(wait)}`);
      this.binding = this.ctx.sim.schedule(wait, () => this.bind());
    });
    this.sendPdu({ protocol: 'smpp', command: 'bind_transceiver', sequence: this.nextSequence(), systemId: `cpm-${this.domain}`, password: 'cpm' });
  }

  /** RFC 5626 4.5's wait-time, base 10 s (the response timer), drawn between 50 and 100 %; 0 without a back-off. */
  private rebindWait(): Micros {
    const max = this.link.rebindBackoff;
    if (max === undefined) return 0;
    const waitTime = Math.min(max, RESPONSE_TIMER * 2 ** Math.min(this.failedBinds, 30));
    return Math.round(waitTime * (0.5 + this.rebind.next() / 2));
  }

  private nextSequence(): number {
    this.sequence = (this.sequence % 0x7fffffff) + 1;
    return this.sequence;
  }

  private sendPdu(pdu: SmppPdu): void {
    this.ctx.net.send(this.host, this.smsc, pdu);
  }
}

function receiptDelivered(m: ShortMessage): boolean {
  const state = m.tlvs.messageState ?? (parseReceipt(m.text)?.state === 'DELIVRD' ? MESSAGE_STATE.DELIVERED : MESSAGE_STATE.UNDELIVERABLE);
  return state === MESSAGE_STATE.DELIVERED;
}

/** `37.4 s`: a wait as a note prints it, to the tenth of a second. */
function formatSeconds(us: Micros): string {
  return `${(us / SECOND).toFixed(1)} s`;
}
