import type { NetNode } from '../../net/node.js';
import { dataCodingFor, shortMessage } from '../../smpp/codec.js';
import { ESM_CLASS, SMPP_STATUS, isSmppResponse, smppToTel, type ShortMessage, type SmppPdu } from '../../smpp/pdu.js';
import { RECEIPT_MESSAGE_STATE, formatReceipt, receiptDate, type ReceiptState } from '../../smpp/receipt.js';
import { MS, SECOND, type Micros } from '../../kernel/time.js';
import type { Timer } from '../../kernel/simulator.js';
import { RESPONSE_TIMER } from '../../smpp/timers.js';
import { isSip, type WirePayload } from '../../wire/payload.js';
import type { ActorContext } from '../actor.js';
import { iwfHost, smscHost } from '../naming.js';
import { segmentSms } from './sms-segments.js';

/** A message as a handset of the SMS network received it. */
export interface HandsetMessage {
  from: string;
  text: string;
  segments: number;
  statusReport: boolean;
}

/** A distribution list the SMS centre hosts under a number of its own (a CPM 5.1.2.5 Non-CPM Group): its members' numbers. */
export interface DistributionList {
  number: string;
  members: string[];
}

/** How an SMS centre retries a handset that is not reachable, and for how long (its default validity period). */
export interface RetryPolicy {
  interval: Micros;
  validity: Micros;
}

const DEFAULT_RETRY: RetryPolicy = { interval: 120 * SECOND, validity: 600 * SECOND };

/**
 * An SMS centre (3GPP TS 23.040 store and forward) with its subscribers' handsets, reached by
 * Interworking Functions as External Short Message Entities over SMPP 3.4. It accepts a
 * submission (submit_sm_resp), delivers it over the air in as many concatenated segments as the
 * text needs, and sends one delivery receipt per message when asked (SMPP 3.4 5.2.17), whatever
 * the number of segments. A handset that is switched off is retried until the validity period
 * ends, and the receipt then says EXPIRED (3GPP TS 23.040 3.2.5). A handset's message to a CPM user's number goes to the Interworking
 * Function of that user's domain, found through ENUM, as an SMSC routes to an IP gateway. A
 * distribution list it hosts has a number of its own: a message to it goes to each member.
 */
/** One message's delivery to an ESME: the sequence numbers of its copies, and what a retry needs. */
interface Attempt {
  keys: string[];
  timer?: Timer;
  readonly message: ShortMessage;
  /** The end of its validity period. */
  readonly until: Micros;
}

export class SmsCentre implements NetNode<WirePayload> {
  readonly host: string;
  /** Each handset's inbox, by number (`tel:+1555...`). */
  readonly handsets = new Map<string, HandsetMessage[]>();
  /** Bound ESMEs: host to system_id. */
  private readonly sessions = new Map<string, string>();
  private readonly sequences = new Map<string, number>();
  /** Handsets switched off or out of coverage. */
  private readonly absent = new Set<string>();
  /** deliver_sm waiting for their response, by ESME and sequence number: each copy of a message shares one attempt. */
  private readonly unanswered = new Map<string, Attempt>();
  private readonly ids;
  private reference = 0;
  /** Per bound ESME: its enquire_link_timer, or the response timer of the enquire_link sent to it. */
  private readonly probes = new Map<string, Timer>();
  /** The members of each distribution list, by the list's number. */
  private readonly lists = new Map<string, string[]>();

  constructor(
    readonly domain: string,
    numbers: string[],
    private readonly ctx: ActorContext,
    /** How long the air interface takes to deliver to a handset. */
    private readonly airDelay: Micros = 2 * SECOND,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    /**
     * SMPP 3.4 7.2 enquire_link_timer of this centre: either side of a session may probe it (SMPP
     * 3.4 4.11), so an ESME that crashed or was cut off is found before the centre's deliveries
     * run into it. Absent: the centre never asks.
     */
    private readonly enquireLink?: Micros,
    lists: DistributionList[] = [],
  ) {
    this.host = smscHost(domain);
    for (const n of numbers) this.handsets.set(n, []);
    for (const l of lists) this.lists.set(l.number, l.members);
    this.ids = ctx.streams.stream(`${this.host}/ids`);
    ctx.net.attach(this);
  }

  serves(number: string): boolean {
    return this.handsets.has(number);
  }

  /** A subscriber switches its handset off or on (a user action). */
  setPresent(number: string, present: boolean): void {
    if (present) this.absent.delete(number);
    else this.absent.add(number);
  }

  receive(payload: WirePayload, fromHost: string): void {
    if (isSip(payload) || payload.protocol !== 'smpp') return this.note(`ignored a non-SMPP message from ${fromHost}`);
    if (this.probes.has(fromHost)) this.idle(fromHost);
    if (isSmppResponse(payload)) {
      if (payload.command === 'deliver_sm_resp') this.answered(fromHost, payload.sequence, payload.status);
      if (payload.status !== SMPP_STATUS.ESME_ROK) this.note(`${payload.command} error 0x${payload.status.toString(16)} from ${fromHost}`);
      return;
    }
    switch (payload.command) {
      case 'bind_transceiver':
        this.sessions.set(fromHost, payload.systemId);
        this.idle(fromHost);
        return this.send(fromHost, { protocol: 'smpp', command: 'bind_transceiver_resp', sequence: payload.sequence, status: SMPP_STATUS.ESME_ROK, systemId: 'SMSC' });
      case 'submit_sm':
        return this.submitted(fromHost, payload.sequence, payload.message);
      case 'enquire_link':
        // SMPP 3.4 2.3, 4.11: enquire_link belongs to a bound session; one this centre does not know (it
        // restarted) is answered ESME_RINVBNDSTS, as a submit_sm is (SMPP v5.0 4.1.2 would answer 0).
        return this.send(fromHost, { protocol: 'smpp', command: 'enquire_link_resp', sequence: payload.sequence, status: this.sessions.has(fromHost) ? SMPP_STATUS.ESME_ROK : SMPP_STATUS.ESME_RINVBNDSTS });
      case 'deliver_sm':
        // Only an SMSC delivers; an ESME never sends deliver_sm to it.
        return this.send(fromHost, { protocol: 'smpp', command: 'deliver_sm_resp', sequence: payload.sequence, status: SMPP_STATUS.ESME_RX_P_APPN });
    }
  }

  /**
   * SMPP 3.4 7.2, 4.11.1: a session silent for the enquire_link_timer is probed; no enquire_link_resp
   * within the response timer and the centre takes the ESME for gone and ends its session, so a
   * submit_sm from it is answered ESME_RINVBNDSTS until it binds again. What the centre stores
   * stays stored (store and forward), and its deliver_sm keep being retried for their validity.
   */
  private idle(esme: string): void {
    this.probes.get(esme)?.cancel();
    this.probes.delete(esme);
    if (this.enquireLink === undefined || !this.sessions.has(esme)) return;
    this.probes.set(
      esme,
      this.ctx.sim.schedule(this.enquireLink, () => {
        this.probes.set(
          esme,
          this.ctx.sim.schedule(RESPONSE_TIMER, () => {
            this.probes.delete(esme);
            this.sessions.delete(esme);
            this.note(`no enquire_link_resp from ${esme}: ends its session`);
          }),
        );
        this.send(esme, { protocol: 'smpp', command: 'enquire_link', sequence: this.nextSequence(esme) });
      }),
    );
  }

  /** A subscriber sends a text from its handset (the user action of a non-CPM user, Figure 27 step 1). */
  originate(from: string, to: string, text: string, deliveryReport: boolean): void {
    if (this.serves(to)) return this.overTheAir(from, to, text, false);
    const list = this.lists.get(to);
    if (list !== undefined) return this.expand(to, list, from, text, this.ctx.sim.now, () => undefined);
    this.toCpm(from, to, text, deliveryReport);
  }

  /**
   * A message to a CPM user's number goes to the Interworking Function of the user's domain, found
   * through ENUM; false when there is none bound.
   */
  private toCpm(from: string, to: string, text: string, deliveryReport: boolean): boolean {
    const aor = this.ctx.directory.enum.get(to);
    const domain = aor?.slice(aor.indexOf('@') + 1);
    const esme = domain === undefined ? undefined : iwfHost('sms', domain);
    if (esme === undefined || !this.sessions.has(esme)) {
      this.note(`no route for an SMS to ${to}`);
      return false;
    }
    const message = shortMessage(from, to, text, { receipt: deliveryReport, tlvs: { userMessageReference: ++this.reference & 0xffff } });
    this.deliver(esme, message, this.ctx.sim.now + this.retry.validity);
    return true;
  }

  /**
   * SMPP 3.4 7.2: a deliver_sm not answered within the response timer is sent again: the SMSC
   * still holds the message (store and forward) until its validity period ends (TS 23.040 3.2.5).
   * A copy sent earlier may still arrive (its TCP segment retransmitted, late): the response to
   * any copy ends the attempt, so the message is not sent again once one copy got through.
   */
  private deliver(esme: string, message: ShortMessage, until: Micros, attempt: Attempt = { keys: [], message, until }): void {
    const sequence = this.nextSequence(esme);
    const key = `${esme} ${sequence}`;
    attempt.keys.push(key);
    attempt.timer = this.ctx.sim.schedule(RESPONSE_TIMER, () => {
      if (this.ctx.sim.now + RESPONSE_TIMER <= until) return this.deliver(esme, message, until, attempt);
      this.end(attempt);
      this.note(`no deliver_sm_resp from ${esme} within the validity period: gives up`);
    });
    this.unanswered.set(key, attempt);
    this.send(esme, { protocol: 'smpp', command: 'deliver_sm', sequence, message });
  }

  /**
   * The ESME's answer ends the attempt. A temporary error (ESME_RX_T_APPN, SMPP 3.4 5.1.3) leaves the
   * message stored: it is delivered again after the retry interval, while its validity period lasts
   * (TS 23.040 3.2.5); any other answer is final.
   */
  private answered(esme: string, sequence: number, status: number): void {
    const attempt = this.unanswered.get(`${esme} ${sequence}`);
    if (attempt === undefined) return;
    this.end(attempt);
    if (status !== SMPP_STATUS.ESME_RX_T_APPN) return;
    const { message, until } = attempt;
    if (this.ctx.sim.now + this.retry.interval > until) return this.note(`temporary error from ${esme} and no retry left in the validity period: gives up`);
    this.note(`temporary error from ${esme}: retries in ${this.retry.interval / SECOND} s`);
    this.ctx.sim.schedule(this.retry.interval, () => this.deliver(esme, message, until));
  }

  private end(attempt: Attempt): void {
    attempt.timer?.cancel();
    for (const key of attempt.keys) this.unanswered.delete(key);
  }

  private submitted(esme: string, sequence: number, m: ShortMessage): void {
    const respond = (status: number, messageId = ''): void =>
      this.send(esme, { protocol: 'smpp', command: 'submit_sm_resp', sequence, status, messageId });
    if (!this.sessions.has(esme)) return respond(SMPP_STATUS.ESME_RINVBNDSTS);
    const to = smppToTel(m.destination);
    const list = this.lists.get(to);
    if (!this.serves(to) && list === undefined) {
      this.note(`refused an SMS to unknown number ${to}`);
      return respond(SMPP_STATUS.ESME_RINVDSTADR);
    }
    const messageId = this.ids.hex(10);
    respond(SMPP_STATUS.ESME_ROK, messageId);
    const from = smppToTel(m.source);
    const statusReport = (m.esmClass & ESM_CLASS.MESSAGE_TYPE_MASK) === ESM_CLASS.ESME_DELIVERY_ACK;
    const submittedAt = this.ctx.sim.now;
    // SMPP 3.4 5.2.17: one receipt for the message, however many segments it took.
    const report = (state: ReceiptState, counts?: { submitted: number; delivered: number }): void => {
      if ((m.registeredDelivery & 0x01) !== 0 && !statusReport) this.receipt(esme, messageId, m, submittedAt, state, counts);
    };
    if (list !== undefined) {
      return this.expand(to, list, from, m.text, submittedAt, (counts) => report(counts.delivered > 0 || counts.submitted === 0 ? 'DELIVRD' : 'EXPIRED', counts));
    }
    this.toHandset(from, to, m.text, statusReport, submittedAt, report);
  }

  /**
   * Over the air to a handset after the air interface's delay, retried while it is not reachable
   * until the validity period from `submittedAt` ends (3GPP TS 23.040 3.2.5); `done` hears the end.
   */
  private toHandset(from: string, to: string, text: string, statusReport: boolean, submittedAt: Micros, done: (state: ReceiptState) => void): void {
    const attempt = (): void => {
      if (!this.absent.has(to)) {
        this.overTheAir(from, to, text, statusReport);
        return done('DELIVRD');
      }
      const left = submittedAt + this.retry.validity - this.ctx.sim.now;
      if (left <= 0) {
        this.note(`validity period of the SMS to ${to} ended: expired`);
        return done('EXPIRED');
      }
      const wait = Math.min(this.retry.interval, left);
      this.note(`${to} is not reachable; retries in ${wait / SECOND} s`);
      this.ctx.sim.schedule(wait, attempt);
    };
    this.ctx.sim.schedule(this.airDelay, attempt);
  }

  /**
   * A distribution list (SMPP 3.4 4.5.1 dest_flag 2, here reached by its own number): a copy to
   * each member but the author, from the author, as a message of its own; a member that is a CPM
   * user's number is reached through ENUM like any message to it. `done` hears, once every
   * handset's copy has its outcome, the counts SMPP 3.4 Appendix B's receipt gives for a list
   * (sub: the copies, dlvrd: those delivered).
   */
  private expand(list: string, members: string[], from: string, text: string, submittedAt: Micros, done: (counts: { submitted: number; delivered: number }) => void): void {
    const to = members.filter((n) => n !== from);
    this.note(`expands the distribution list ${list} to ${to.length} member${to.length === 1 ? '' : 's'}`);
    let delivered = 0;
    let pending = 0;
    for (const member of to) {
      // Handed to an Interworking Function, the copy has left the SMS network: delivered, for the list.
      if (!this.serves(member)) {
        if (this.toCpm(from, member, text, false)) delivered++;
        continue;
      }
      pending++;
      this.toHandset(from, member, text, false, submittedAt, (state) => {
        if (state === 'DELIVRD') delivered++;
        if (--pending === 0) done({ submitted: to.length, delivered });
      });
    }
    if (pending === 0) done({ submitted: to.length, delivered });
  }

  private overTheAir(from: string, to: string, text: string, statusReport: boolean): void {
    const { encoding, segments } = segmentSms(text, ++this.reference);
    this.handsets.get(to)!.push({ from, text, segments: segments.length, statusReport });
    const what = statusReport ? 'status report' : 'SMS';
    this.note(`${what} delivered to ${to} in ${segments.length} segment${segments.length === 1 ? '' : 's'} (${encoding === 'gsm7' ? 'GSM 7-bit' : 'UCS-2'})`);
  }

  private receipt(esme: string, messageId: string, m: ShortMessage, submittedAt: Micros, state: ReceiptState, counts?: { submitted: number; delivered: number }): void {
    const date = (at: Micros): string => receiptDate(new Date(this.ctx.epochMs + Math.floor(at / MS)));
    const { submitted, delivered } = counts ?? { submitted: 1, delivered: state === 'DELIVRD' ? 1 : 0 };
    const text = formatReceipt({ messageId, submitted, delivered, submitDate: date(submittedAt), doneDate: date(this.ctx.sim.now), state, error: 0, text: m.text });
    const message: ShortMessage = {
      // SMPP 3.4 Appendix B: the receipt goes from the recipient back to the originator.
      source: m.destination,
      destination: m.source,
      esmClass: ESM_CLASS.SMSC_DELIVERY_RECEIPT,
      registeredDelivery: 0,
      dataCoding: dataCodingFor(text),
      text,
      tlvs: { receiptedMessageId: messageId, messageState: RECEIPT_MESSAGE_STATE[state] },
    };
    this.deliver(esme, message, this.ctx.sim.now + this.retry.validity);
  }

  private nextSequence(esme: string): number {
    const n = (this.sequences.get(esme) ?? 0) + 1;
    this.sequences.set(esme, n);
    return n;
  }

  private send(to: string, pdu: SmppPdu): void {
    this.ctx.net.send(this.host, to, pdu);
  }

  private note(text: string): void {
    this.ctx.net.note(this.host, text);
  }
}
