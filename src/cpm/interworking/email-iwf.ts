import type { ImdnStatus } from '../../bodies/imdn.js';
import { SECOND } from '../../kernel/time.js';
import { SmtpEndpoint } from '../../smtp/endpoint.js';
import type { Envelope, SessionResult } from '../../smtp/client-session.js';
import type { SmtpReply } from '../../smtp/exchange.js';
import { formatDsn, formatMail, mailDate, parseDsn, parseMail } from '../../smtp/message.js';
import type { Delivery } from '../../smtp/server-session.js';
import type { SipRequest } from '../../sip/message.js';
import { popOwnRoute } from '../../sip/routing.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { aorOf, parseUri } from '../../sip/uri.js';
import { inDialog } from '../../sip/dialog.js';
import type { OtherPayload } from '../../wire/payload.js';
import { SipActor, type ActorContext } from '../actor.js';
import { coreHost, iwfHost, mailHost } from '../naming.js';
import { messageIdentity } from '../message-identity.js';
import { reportedOf, type Reported } from '../notification.js';
import { originatorAddress, validFor } from './addresses.js';
import { fromGroup, inboundRequest, isNotification, textOf } from './conversion.js';
import { InterworkedSessions, type OutboundSessionMessage, type Outcome } from './interworked-sessions.js';
import { recipientNotification } from './recipient-notification.js';

const bare = (address: string): string => address.replace(/^mailto:/, '');

/**
 * How long the function waits for the mail relay's verdict before it answers 202 Accepted anyway
 * (T2, RFC 3261 17.1.2.2): a non-INVITE request must be answered well within its sender's Timer F
 * (RFC 4321 2), and SMTP's own timeouts run to minutes (RFC 5321 4.5.3.2). Like an MTA that took
 * the mail, the function is then responsible for it: a later failure is reported to the sender
 * (RFC 5321 6.1), as the negative delivery notification it asked for or as a bounce message.
 */
const ANSWER_WITHIN = 4 * SECOND;

/** The first mail address of a header field (`<carol@mail.example>`, `Carol <mailto:...>`), as a `mailto:` URI. */
function mailtoIn(value: string | undefined): string | undefined {
  const address = /<(?:mailto:)?([^<>@\s]+@[^<>\s]+)>/i.exec(value ?? '')?.[1];
  return address === undefined ? undefined : `mailto:${address}`;
}
const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** A mail answered 202 before the relay took it: kept on disk until relayed or refused. */
interface QueuedMail {
  server: string;
  envelope: Envelope;
  content: string;
  /** The CPM sender and recipient, as mail addresses (`mailto:`). */
  sender: string;
  recipient: string;
  reported?: Reported;
}

/** A mail this function made from a CPM Message: what its DSN reports on. */
interface Outbound {
  reported: Reported;
  recipient: string;
}

/** A CPM Message this function made from a mail whose sender asked for a DSN. */
interface Inbound {
  sender: string;
  recipient: string;
  envelopeId: string;
}

/**
 * CPM Interworking Function for e-mail (CPM 5.3), also the mail exchanger of its CPM domain.
 * Outbound, a CPM Message becomes a mail relayed over SMTP, with NOTIFY and ENVID (RFC 3461) when
 * delivery notifications were asked for; the relay's acceptance is a 202 Accepted, and its DSN
 * (RFC 3464) becomes an IMDN. Inbound, a mail to a CPM user becomes a CPM Message, and the
 * recipient's IMDN becomes the DSN its sender asked for.
 */
export class EmailInterworkingFunction extends SipActor {
  private readonly smtp: SmtpEndpoint;
  private readonly outbound: Map<string, Outbound>;
  private readonly inbound: Map<string, Inbound>;
  private readonly queue: Map<string, QueuedMail>;
  private readonly ids;
  /** CPM Sessions with mail users, this function their end (CPM 5.3.1). */
  private readonly sessions: InterworkedSessions;
  /** Session messages relayed with a DSN request: where the DSN's outcome goes, by envelope identifier. */
  private readonly sessionDsns = new Map<string, Outcome>();

  constructor(domain: string, ctx: ActorContext) {
    super(iwfHost('email', domain), domain, ctx);
    this.ids = ctx.streams.stream(`${this.host}/ids`);
    this.smtp = new SmtpEndpoint(
      this.host,
      { accepts: (address) => domainOf(address) === this.domain, receive: (delivery, reply) => this.mailIn(delivery, reply) },
      (to, x) => ctx.net.send(this.host, to, x),
      ctx.sim,
    );
    this.queue = ctx.disk?.keep('mail queue', () => new Map<string, QueuedMail>()) ?? new Map<string, QueuedMail>();
    // RFC 3461 4.4: the envelope identifier is what a DSN is correlated by, and a DSN may come long
    // after the mail (a retry 30 min on, RFC 5321 4.5.4.1); the notifications this function promised
    // each way outlive a restart as its queue does, like an MTA's DSN records kept with its spool.
    this.outbound = ctx.disk?.keep('dsn correlation', () => new Map<string, Outbound>()) ?? new Map<string, Outbound>();
    this.inbound = ctx.disk?.keep('dsn requests', () => new Map<string, Inbound>()) ?? new Map<string, Inbound>();
    this.sessions = new InterworkedSessions({
      host: this.host,
      service: 'email',
      stack: this.stack,
      sim: ctx.sim,
      rng: this.ids,
      contact: { uri: parseUri(`sip:${this.host}`), params: [] },
      note: (text) => this.note(text),
      sendMedia: (toHost, msg) => ctx.net.send(this.host, toHost, msg),
      dateTime: () => this.dateTime(),
      toNonCpm: (m, outcome) => this.sessionMail(m, outcome),
    });
    // Restarted after a crash: what it had accepted is still to be relayed (RFC 5321 6.1).
    for (const [key, mail] of this.queue) {
      ctx.sim.schedule(0, () => {
        this.note(`relays a queued mail for ${bare(mail.recipient)} again after a restart`);
        this.smtp.relay({ server: mail.server, envelope: mail.envelope, content: mail.content, done: (result) => this.relayed(key, mail, result) });
      });
    }
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
    if (!validFor('email', to)) return this.respond(tx, 404, { reason: 'Not A Mailbox Address' });
    if (req.method === 'INVITE') {
      if (inDialog(req)) return this.respond(tx, 481);
      // RFC 5321 5.1: no mail exchanger for the domain, so no relay for the session's mails.
      if (!this.ctx.net.has(mailHost(domainOf(to)))) return this.respond(tx, 404, { reason: 'No Mail Exchanger For Domain' });
      return this.sessions.invited(req, tx);
    }
    const from = originatorAddress('email', req);
    if (from === undefined) return this.respond(tx, 403, { reason: 'No Routable Originator Address' });
    if (isNotification(req) && req.body?.kind === 'cpim' && req.body.cpim.content.kind === 'imdn') {
      return this.acknowledge(tx, req.body.cpim.content.imdn.messageId, req.body.cpim.content.imdn.notification);
    }
    const text = textOf(req);
    if (text === undefined) return this.respond(tx, 415, { reason: 'Only Text Converts To Mail' });
    // RFC 5321 5.1: no mail exchanger for the domain, so no relay to hand the mail to.
    const exchanger = mailHost(domainOf(to));
    if (!this.ctx.net.has(exchanger)) return this.respond(tx, 404, { reason: 'No Mail Exchanger For Domain' });
    const reported = req.body?.kind === 'cpim' ? reportedOf(req.body.cpim) : undefined;
    const notify = (reported?.requested ?? []).flatMap((r) => (r === 'positive-delivery' ? ['SUCCESS' as const] : r === 'negative-delivery' ? ['FAILURE' as const] : []));
    const envelopeId = reported?.messageId ?? this.ids.hex(12);
    if (reported !== undefined && notify.length > 0) this.outbound.set(envelopeId, { reported, recipient: to });
    this.note(`converts the CPM Message to a mail for ${bare(to)}`);
    const content = formatMail({ from: bare(from), to: bare(to), date: this.date(), subject: `CPM message from ${bare(from)}`, messageId: `${envelopeId}@${this.host}`, text });
    const mail: QueuedMail = { server: exchanger, envelope: { from: bare(from), to: bare(to), envelopeId, notify }, content, sender: from, recipient: to, ...(reported !== undefined && { reported }) };
    const queued = this.ctx.sim.schedule(ANSWER_WITHIN, () => {
      this.queue.set(envelopeId, mail);
      this.note('answers 202 Accepted: the mail is queued for relay', messageIdentity(req));
      this.respond(tx, 202);
    });
    this.smtp.relay({
      server: exchanger,
      envelope: mail.envelope,
      content,
      done: (result) => {
        if (tx.answered) return this.relayed(envelopeId, mail, result);
        queued.cancel();
        if (result.accepted) {
          this.note('converts the acknowledgement into 202 Accepted', messageIdentity(req));
          return this.respond(tx, 202);
        }
        this.outbound.delete(envelopeId);
        this.note(`the mail relay refused the mail: ${result.reply.code}`);
        this.respond(tx, result.reply.code === 550 ? 404 : 502, result.reply.code === 550 ? { reason: 'Unknown Mailbox' } : {});
      },
    });
  }

  /**
   * One message of an interworked session as a mail; the SEND is answered when the relay takes it,
   * or after ANSWER_WITHIN, as a CPM Message is, and a refusal after that is a failure REPORT.
   */
  private sessionMail(m: OutboundSessionMessage, outcome: Outcome): void {
    const envelopeId = this.ids.hex(12);
    const notify: ('SUCCESS' | 'FAILURE')[] = m.report ? ['SUCCESS', 'FAILURE'] : [];
    if (m.report) this.sessionDsns.set(envelopeId, outcome);
    this.note(`converts the session message to a mail for ${bare(m.to)}`);
    const content = formatMail({ from: bare(m.from), to: bare(m.to), date: this.date(), subject: `CPM session with ${bare(m.from)}`, messageId: `${envelopeId}@${this.host}`, text: m.text });
    let answered = false;
    const queued = this.ctx.sim.schedule(ANSWER_WITHIN, () => {
      answered = true;
      outcome.accepted(200);
    });
    this.smtp.relay({
      server: mailHost(domainOf(m.to)),
      envelope: { from: bare(m.from), to: bare(m.to), envelopeId, notify },
      content,
      done: (result) => {
        queued.cancel();
        if (!result.accepted) {
          this.sessionDsns.delete(envelopeId);
          this.note(`the mail relay refused the mail: ${result.reply.code}`);
        }
        if (!answered) return outcome.accepted(result.accepted ? 200 : 403, result.reply.code === 550 ? 'Unknown Mailbox' : 'Refused By The Mail Relay');
        if (!result.accepted) outcome.reported(false);
      },
    });
  }

  /** The relay's verdict on a mail already answered 202: it leaves the queue, and a refusal is reported. */
  private relayed(key: string, mail: QueuedMail, result: SessionResult): void {
    this.queue.delete(key);
    if (result.accepted) return;
    this.outbound.delete(key);
    this.note(`the mail relay refused the mail: ${result.reply.code}`);
    this.reportFailure(mail.reported, mail.sender, mail.recipient, `${result.reply.code} ${result.reply.lines.join(' ')}`);
  }

  /**
   * A mail accepted with 202 that could not be relayed: the negative delivery notification the
   * sender asked for (RFC 5438), or else a bounce (RFC 5321 6.1, 3464) as a CPM Message to it.
   */
  private reportFailure(reported: Reported | undefined, sender: string, recipient: string, why: string): void {
    if (reported?.requested.includes('negative-delivery') === true) return this.notify(reported, recipient, false, 'relay failure');
    const request = inboundRequest(
      // The sender's mail address is its SIP identity's user@host (see originatorAddress).
      { service: 'email', from: `mailto:MAILER-DAEMON@${this.domain}`, to: `sip:${bare(sender)}`, text: `Your message to ${bare(recipient)} could not be delivered: ${why}`, deliveryReport: false, dateTime: this.dateTime() },
      { rng: this.ids, callId: this.stack.newCallId(), tag: this.stack.newTag(), messageId: this.ids.hex(12) },
    );
    this.note(`bounces the undelivered mail to ${sender}`);
    this.stack.request(request, coreHost(this.domain), (res) => {
      if (res.status >= 300) this.note(`bounce failed: ${res.status}`);
    });
  }

  protected override onOther(payload: OtherPayload, fromHost: string): void {
    if (payload.protocol === 'msrp') return this.sessions.media(payload, fromHost);
    if (payload.protocol !== 'smtp') return super.onOther(payload, fromHost);
    this.smtp.received(payload, fromHost);
  }

  private mailIn(delivery: Delivery, reply: (r: SmtpReply) => void): void {
    const dsn = parseDsn(delivery.content);
    if (dsn !== undefined) {
      reply({ code: 250, lines: ['2.0.0 Ok'] });
      return this.dsnIn(dsn.envelopeId, dsn.action);
    }
    const mail = parseMail(delivery.content);
    const to = delivery.to[0]!;
    // CPM 5.3.2 within an open session with the sender: the mail goes into it as a SEND.
    const inSession = this.sessions.deliver(`mailto:${delivery.from}`, `mailto:${to}`, mail.body, (status) =>
      reply(status === 200 ? { code: 250, lines: ['2.0.0 Delivered to CPM'] } : status === 408 ? { code: 451, lines: ['4.3.0 Try again later'] } : { code: 550, lines: [`5.1.1 Not delivered: ${status}`] }),
    );
    if (inSession) return;
    const deliveryReport = (delivery.notify.get(to) ?? []).includes('SUCCESS');
    // A mailing list's copy (RFC 2369 List-Post): its envelope sender is the list's owner, its
    // author the header's From; it comes to the CPM user from the list, a Non-CPM Group (5.1.2.5).
    const list = mailtoIn(mail.headers.get('list-post'));
    const sender = `mailto:${delivery.from}`;
    const author = list === undefined ? sender : (mailtoIn(mail.headers.get('from')) ?? sender);
    const request = inboundRequest(
      { service: 'email', from: author, to: `sip:${to}`, text: mail.body, deliveryReport, dateTime: this.dateTime() },
      { rng: this.ids, callId: this.stack.newCallId(), tag: this.stack.newTag(), messageId: this.ids.hex(12) },
    );
    if (list !== undefined) fromGroup(request, list);
    const facts = request.body?.kind === 'cpim' ? reportedOf(request.body.cpim) : undefined;
    if (facts !== undefined && deliveryReport) this.inbound.set(facts.messageId, { sender: delivery.from, recipient: to, envelopeId: delivery.envelopeId ?? facts.messageId });
    this.note(list === undefined ? `converts the mail from ${delivery.from} to a CPM Message` : `converts the mail from ${bare(author)} to the list ${bare(list)} to a CPM Message`);
    this.stack.request(request, coreHost(this.domain), (res) =>
      reply(res.status < 300 ? { code: 250, lines: ['2.0.0 Delivered to CPM'] } : res.status >= 500 ? { code: 451, lines: ['4.3.0 Try again later'] } : { code: 550, lines: [`5.1.1 Not delivered: ${res.status}`] }),
    );
  }

  /** A DSN for a mail this function sent: an IMDN to the CPM sender, if it asked for that outcome. */
  private dsnIn(envelopeId: string | undefined, action: string): void {
    const session = envelopeId === undefined ? undefined : this.sessionDsns.get(envelopeId);
    if (session !== undefined && (action === 'delivered' || action === 'failed')) {
      this.sessionDsns.delete(envelopeId!);
      return session.reported(action === 'delivered');
    }
    const out = envelopeId === undefined ? undefined : this.outbound.get(envelopeId);
    if (out === undefined || envelopeId === undefined) return this.note('a DSN for no message sent from here');
    const delivered = action === 'delivered';
    if (!delivered && action !== 'failed') return;
    this.outbound.delete(envelopeId);
    if (!out.reported.requested.includes(delivered ? 'positive-delivery' : 'negative-delivery')) return;
    this.notify(out.reported, out.recipient, delivered, 'DSN');
  }

  /** An IMDN to the CPM sender of a mail this function relayed. */
  private notify(reported: Reported, recipient: string, delivered: boolean, source: string): void {
    const notification = recipientNotification(reported, recipient, delivered, { stack: this.stack, ids: this.ids, dateTime: this.dateTime() });
    this.note(`maps the ${source} to an IMDN (${delivered ? 'delivered' : 'failed'})`);
    this.stack.request(notification, coreHost(this.domain), (res) => {
      if (res.status >= 300) this.note(`IMDN failed: ${res.status}`);
    });
  }

  /** The CPM recipient's delivery notification, as the DSN the mail's sender asked for. */
  private acknowledge(tx: ServerTransaction, messageId: string, status: ImdnStatus): void {
    const origin = this.inbound.get(messageId);
    if (origin === undefined) return this.respond(tx, 404, { reason: 'No Mail To Report On' });
    this.inbound.delete(messageId);
    const action = status.status === 'delivered' ? 'delivered' : 'failed';
    const content = formatDsn(
      { reportingMta: this.host, envelopeId: origin.envelopeId, recipient: origin.recipient, action, status: action === 'delivered' ? '2.0.0' : '5.0.0' },
      { from: `MAILER-DAEMON@${this.domain}`, to: origin.sender, date: this.date(), boundary: `dsn-${this.ids.hex(8)}` },
    );
    this.smtp.relay({
      server: mailHost(domainOf(origin.sender)),
      envelope: { from: '', to: origin.sender },
      content,
      done: (result) => this.respond(tx, result.accepted ? 200 : 502),
    });
  }

  private date(): string {
    return mailDate(new Date(this.ctx.epochMs + Math.floor(this.ctx.sim.now / 1000)));
  }
}
