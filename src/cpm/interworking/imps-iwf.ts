import type { ImdnStatus } from '../../bodies/imdn.js';
import type { Timer } from '../../kernel/simulator.js';
import { SECOND } from '../../kernel/time.js';
import { contentSize } from '../../imps/csp-codec.js';
import { CspEndpoint } from '../../imps/endpoint.js';
import { CSP_STATUS, type CspMessage, type CspParty, type CspPrimitive, type MessageInfo } from '../../imps/message.js';
import type { SipRequest } from '../../sip/message.js';
import { popOwnRoute } from '../../sip/routing.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { aorOf } from '../../sip/uri.js';
import type { OtherPayload } from '../../wire/payload.js';
import { SipActor, type ActorContext } from '../actor.js';
import { coreHost, iwfHost } from '../naming.js';
import { messageIdentity } from '../message-identity.js';
import { reportedOf, type Reported } from '../notification.js';
import { originatorAddress, validFor } from './addresses.js';
import { fromGroup, inboundRequest, textOf } from './conversion.js';
import { isWvGroup, sipOfWv } from './wv-addresses.js';
import { recipientNotification } from './recipient-notification.js';

/**
 * How long a CSP transaction waits for its HTTP response: like the SMPP response timer, well
 * inside the 32 s a SIP MESSAGE's sender waits (RFC 3261 17.1.2.2), so the CPM sender hears 504.
 */
const TRANSACTION_TIMEOUT = 10 * SECOND;
/**
 * How long an accepted message waits for its DeliveryReport-Request before it counts as failed:
 * longer than the IMPS server keeps a message for a user who is logged out (10 min), after which
 * a server that still answers has reported it expired.
 */
const REPORT_WAIT = 15 * 60 * SECOND;
/** How long the function waits before it logs in again after a failed or unanswered Login. */
const LOGIN_RETRY = 30 * SECOND;

/** An accepted message whose delivery report will become an IMDN. */
interface AwaitingReport {
  reported: Reported;
  recipient: string;
  timer: Timer;
}

/**
 * A delivery report for a MessageID the function has not yet heard of: the server's report
 * overtook its SendMessage-Response (separate HTTP exchanges, one of them delayed by a lost
 * segment). It waits, unanswered, for that response.
 */
interface EarlyReport {
  code: number;
  answer: (p: CspPrimitive) => void;
  timer: Timer;
}

/**
 * CPM Interworking Function for IMPS (CPM 5.3; OMA IMPS, WV-CSP 1.2 over HTTP). It logs in to the
 * IMPS server as the gateway of its domain: its CPM users are IMPS users `wv:alice@a.example`
 * (CPM 5.3.1, the routable address assigned during interworking). Outbound, a CPM Message to a
 * `wv:` user becomes a SendMessage-Request, the server's acceptance a 202 Accepted, and its
 * DeliveryReport-Request an IMDN. To a `wv:` group (CPM 5.1.2.5 Non-CPM Group) the sender first
 * joins the group, then sends to it; the group's messages to the sender come back as CPM
 * Messages from the group. Inbound, a NewMessage becomes a CPM Message with a delivery
 * notification request, and the recipient's IMDN becomes the MessageDelivered the server needs
 * to report delivery (C.4.2 steps 11-16).
 */
export class ImpsInterworkingFunction extends SipActor {
  private session: string | undefined;
  private readonly csp: CspEndpoint;
  /** `user group` pairs this function has joined (WV-CSP 1.2 JoinGroup). */
  private readonly joined = new Set<string>();
  private readonly awaitingReport = new Map<string, AwaitingReport>();
  private readonly earlyReports = new Map<string, EarlyReport>();
  /** CPM Messages made from NewMessage, by their imdn.Message-ID: the IMPS MessageID to acknowledge. */
  private readonly inbound = new Map<string, string>();
  private readonly ids;

  constructor(
    domain: string,
    private readonly server: string,
    ctx: ActorContext,
  ) {
    super(iwfHost('imps', domain), domain, ctx);
    this.ids = ctx.streams.stream(`${this.host}/ids`);
    this.csp = new CspEndpoint(this.host, (to, m) => ctx.net.send(this.host, to, m), ctx.sim, (m, from, answer) => this.serverRequest(m, from, answer));
    ctx.sim.schedule(0, () => this.login());
  }

  protected override onOther(payload: OtherPayload, fromHost: string): void {
    if (payload.protocol !== 'imps' || fromHost !== this.server) return super.onOther(payload, fromHost);
    this.csp.received(payload, fromHost);
  }

  /** WV-CSP 1.2 Login: one session for the gateway, sent again until the server answers. */
  private login(): void {
    const retry = (why: string): void => {
      this.note(`${why}: logs in again`);
      this.ctx.sim.schedule(LOGIN_RETRY, () => this.login());
    };
    this.csp.request(this.server, undefined, { name: 'Login-Request', userId: `wv:gateway@${this.domain}`, clientId: `wv:iwf@${this.domain}`, password: 'cpm' }, TRANSACTION_TIMEOUT, (answer) => {
      if (answer?.name !== 'Login-Response') return retry('no Login-Response from the IMPS server');
      if (answer.result.code !== CSP_STATUS.SUCCESSFUL || answer.sessionId === undefined) return retry(`the IMPS server refused the login (${answer.result.code})`);
      this.session = answer.sessionId;
    });
  }

  protected onRequest(req: SipRequest, tx: ServerTransaction): void {
    popOwnRoute(req, this.host);
    if (req.method !== 'MESSAGE') return this.respond(tx, 405, { extra: [{ name: 'Allow', value: 'MESSAGE' }] });
    const to = aorOf(req.uri);
    if (!validFor('imps', to)) return this.respond(tx, 404, { reason: 'Not A WV Address' });
    const from = originatorAddress('imps', req);
    if (from === undefined) return this.respond(tx, 403, { reason: 'No Routable Originator Address' });
    if (this.session === undefined) return this.respond(tx, 503, { reason: 'Not Logged In To The IMPS Server', extra: [{ name: 'Retry-After', value: '30' }] });
    const imdn = req.body?.kind === 'cpim' && req.body.cpim.content.kind === 'imdn' ? req.body.cpim.content.imdn : undefined;
    if (imdn !== undefined) return this.acknowledge(tx, imdn.messageId, imdn.notification);
    const text = textOf(req);
    if (text === undefined) return this.respond(tx, 415, { reason: 'Only Text Converts To IMPS' });
    if (!isWvGroup(to)) return this.send(req, tx, from, { user: to }, text);
    // CPM 5.1.2.5: the Non-CPM Group is an IMPS group; only its joined members send to it (WV-CSP 1.2 JoinGroup).
    if (this.joined.has(`${from} ${to}`)) return this.send(req, tx, from, { group: to }, text);
    this.note(`joins ${from} to the IMPS group ${to}`);
    this.request({ name: 'JoinGroup-Request', userId: from, groupId: to, screenName: from.slice(3, from.indexOf('@')) }, tx, (answer) => {
      if (answer.name !== 'JoinGroup-Response') return this.refused(tx, 'result' in answer ? answer.result.code : CSP_STATUS.BAD_PARAMETER, to);
      this.joined.add(`${from} ${to}`);
      this.send(req, tx, from, { group: to }, text);
    });
  }

  /** C.4.1.1 steps 5-8: the CPM Message as a SendMessage-Request; accepted, it is answered 202. */
  private send(req: SipRequest, tx: ServerTransaction, from: string, recipient: CspParty, text: string): void {
    const reported = req.body?.kind === 'cpim' ? reportedOf(req.body.cpim) : undefined;
    const asksDelivery = reported !== undefined && reported.requested.some((r) => r === 'positive-delivery' || r === 'negative-delivery');
    // WV-CSP 1.2: delivery reports are for messages to a user; a group's members do not report.
    const wantsReport = recipient.user !== undefined && asksDelivery;
    const info: MessageInfo = { contentType: 'text/plain', contentSize: contentSize(text), recipient, sender: { user: from }, dateTime: this.cspDateTime() };
    this.note(`converts the CPM Message to an IMPS message for ${recipient.user ?? recipient.group}`);
    this.request({ name: 'SendMessage-Request', deliveryReport: wantsReport, info, content: text }, tx, (answer) => {
      if (answer.name !== 'SendMessage-Response' || answer.result.code !== CSP_STATUS.SUCCESSFUL) {
        return this.refused(tx, 'result' in answer ? answer.result.code : CSP_STATUS.BAD_PARAMETER, recipient.user ?? recipient.group!);
      }
      // Accepted by the server, not yet delivered to the user's client (RFC 3428 7).
      this.note('converts the acknowledgement into 202 Accepted', messageIdentity(req));
      this.respond(tx, 202);
      if (wantsReport && answer.messageId !== undefined) this.awaitReport(answer.messageId, reported!, recipient.user!);
      else if (recipient.group !== undefined && asksDelivery) {
        // The sender asked for what the group cannot give: the trace says why no notification comes.
        this.note(`the IMPS group ${recipient.group} reports no deliveries; no notification will come`, reported!.messageId);
      }
    });
  }

  /** A transaction with the server; no answer within the timer is a failure the CPM sender hears of (504). */
  private request(primitive: CspPrimitive, tx: ServerTransaction, answered: (p: CspPrimitive) => void): void {
    this.csp.request(this.server, this.session, primitive, TRANSACTION_TIMEOUT, (answer) => {
      if (answer !== undefined) return answered(answer);
      this.note(`no answer from the IMPS server to ${primitive.name}`);
      this.respond(tx, 504);
    });
  }

  /** CPM 5.3.1.1: the IMPS server's refusal goes back towards the CPM originator. */
  private refused(tx: ServerTransaction, code: number, target: string): void {
    this.note(`the IMPS server refused the message to ${target}: ${code}`);
    if (code === CSP_STATUS.UNKNOWN_USER) return this.respond(tx, 404, { reason: 'Unknown IMPS User' });
    if (code === CSP_STATUS.GROUP_DOES_NOT_EXIST) return this.respond(tx, 404, { reason: 'No Such IMPS Group' });
    if (code === CSP_STATUS.NOT_GROUP_MEMBER) return this.respond(tx, 403, { reason: 'Not A Member Of The IMPS Group' });
    if (code === CSP_STATUS.INVALID_SESSION) {
      this.session = undefined;
      this.login();
    }
    this.respond(tx, 502);
  }

  private awaitReport(messageId: string, reported: Reported, recipient: string): void {
    const timer = this.ctx.sim.schedule(REPORT_WAIT, () => {
      this.awaitingReport.delete(messageId);
      this.note(`no delivery report from the IMPS server for the message to ${recipient}: reports it failed`);
      if (reported.requested.includes('negative-delivery')) return this.notify(reported, recipient, false, () => undefined);
      this.note(`the IMPS message to ${recipient} failed; no notification was asked for`, reported.messageId);
    });
    this.awaitingReport.set(messageId, { reported, recipient, timer });
    const early = this.earlyReports.get(messageId);
    if (early === undefined) return;
    this.earlyReports.delete(messageId);
    early.timer.cancel();
    this.deliveryReport(messageId, early.code, early.answer);
  }

  /**
   * A report that overtook its SendMessage-Response waits for it as long as that transaction may
   * last; a MessageID no response names by then was never this function's (426).
   */
  private earlyReport(messageId: string, code: number, answer: (p: CspPrimitive) => void): void {
    if (this.earlyReports.has(messageId)) return;
    this.note(`a delivery report came before the SendMessage-Response of its message: waits for it`);
    const timer = this.ctx.sim.schedule(TRANSACTION_TIMEOUT, () => {
      this.earlyReports.delete(messageId);
      answer({ name: 'Status', result: { code: 426, description: 'Invalid MessageID' } });
    });
    this.earlyReports.set(messageId, { code, answer, timer });
  }

  /** Transactions the server starts: its messages to CPM users and its delivery reports. */
  private serverRequest(m: CspMessage, fromHost: string, answer: (p: CspPrimitive) => void): void {
    if (m.sessionId === undefined || m.sessionId !== this.session) return answer({ name: 'Status', result: { code: CSP_STATUS.INVALID_SESSION, description: 'Invalid session' } });
    const p = m.primitive;
    if (p.name === 'NewMessage') return this.newMessage(p.info, p.content, answer);
    if (p.name === 'DeliveryReport-Request') return this.deliveryReport(p.info.messageId, p.result.code, answer);
    answer({ name: 'Status', result: { code: CSP_STATUS.BAD_PARAMETER, description: `${p.name} is not a server request` } });
    this.note(`ignored ${p.name} from ${fromHost}`);
  }

  /** C.4.1.1 steps 11-12 and 20: the delivery report as an IMDN; the server hears Status when the sender has it. */
  private deliveryReport(messageId: string, code: number, answer: (p: CspPrimitive) => void): void {
    const waiting = this.awaitingReport.get(messageId);
    if (waiting === undefined) return this.earlyReport(messageId, code, answer);
    this.awaitingReport.delete(messageId);
    waiting.timer.cancel();
    const delivered = code === CSP_STATUS.SUCCESSFUL;
    const acknowledged = (): void => answer({ name: 'Status', result: { code: CSP_STATUS.SUCCESSFUL } });
    if (!waiting.reported.requested.includes(delivered ? 'positive-delivery' : 'negative-delivery')) {
      // RFC 5438: a sender hears only of the outcomes asked for; the trace still shows the one that came.
      this.note(`the IMPS message to ${waiting.recipient} ${delivered ? 'was delivered' : 'failed'}; no notification was asked for`, waiting.reported.messageId);
      return acknowledged();
    }
    this.note(`maps the delivery report to an IMDN (${delivered ? 'delivered' : 'failed'})`);
    this.notify(waiting.reported, waiting.recipient, delivered, acknowledged);
  }

  /**
   * C.4.2 steps 1-10, CPM 5.3.2: a NewMessage as a CPM Message with the Non-CPM Communication
   * Service Identifier. A message to a user asks for a delivery notification, which becomes the
   * MessageDelivered the server reports delivery by. A group's message comes from the group (its
   * SIP From and asserted identity, so that a reply goes to the group) and names the member who
   * wrote it as its CPIM From.
   */
  private newMessage(info: MessageInfo & { messageId: string }, text: string, answer: (p: CspPrimitive) => void): void {
    const member = info.sender.user;
    const recipient = info.recipient.user;
    if (member === undefined || recipient === undefined) return answer({ name: 'Status', result: { code: CSP_STATUS.BAD_PARAMETER, description: 'Sender and recipient users required' } });
    const group = info.recipient.group;
    const request = inboundRequest(
      { service: 'imps', from: member, to: sipOfWv(recipient), text, deliveryReport: group === undefined, dateTime: this.dateTime() },
      { rng: this.ids, callId: this.stack.newCallId(), tag: this.stack.newTag(), messageId: this.ids.hex(12) },
    );
    if (group !== undefined) fromGroup(request, group);
    const facts = request.body?.kind === 'cpim' ? reportedOf(request.body.cpim) : undefined;
    if (facts !== undefined && group === undefined) this.inbound.set(facts.messageId, info.messageId);
    this.note(`converts the IMPS message from ${member}${group === undefined ? '' : ` in ${group}`} to a CPM Message`);
    this.stack.request(request, coreHost(this.domain), (res) => {
      if (res.status < 300) return answer({ name: 'Status', result: { code: CSP_STATUS.SUCCESSFUL } });
      if (facts !== undefined) this.inbound.delete(facts.messageId);
      const code = res.status === 404 ? CSP_STATUS.UNKNOWN_USER : res.status === 480 ? CSP_STATUS.RECIPIENT_NOT_LOGGED_IN : 500;
      answer({ name: 'Status', result: { code, description: `Not delivered in CPM: ${res.status}` } });
    });
  }

  /** C.4.2 steps 14-16: the CPM recipient's delivery notification, as MessageDelivered to the server. */
  private acknowledge(tx: ServerTransaction, messageId: string, status: ImdnStatus): void {
    const impsId = this.inbound.get(messageId);
    if (impsId === undefined) return this.respond(tx, 404, { reason: 'No IMPS Message To Acknowledge' });
    this.inbound.delete(messageId);
    // WV-CSP 1.2 has no negative counterpart of MessageDelivered: a failure is only not acknowledged.
    if (status.status !== 'delivered') return this.respond(tx, 200);
    this.request({ name: 'MessageDelivered', messageId: impsId }, tx, (answer) => this.respond(tx, 'result' in answer && answer.result.code === CSP_STATUS.SUCCESSFUL ? 200 : 502));
  }

  /** CPM 5.2.2.3, 5.3: a delivery notification to the CPM sender, from the IMPS recipient. */
  private notify(reported: Reported, recipient: string, delivered: boolean, then: () => void): void {
    const notification = recipientNotification(reported, recipient, delivered, { stack: this.stack, ids: this.ids, dateTime: this.dateTime() });
    this.stack.request(notification, coreHost(this.domain), (res) => {
      if (res.status >= 300) this.note(`IMDN failed: ${res.status}`);
      then();
    });
  }

  /** WV-CSP 1.2 DateTime: ISO 8601 basic format in UTC. */
  private cspDateTime(): string {
    return this.dateTime().replace(/[-:]/g, '').replace(/\.\d+/, '');
  }
}
