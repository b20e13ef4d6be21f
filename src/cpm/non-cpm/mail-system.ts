import type { NetNode } from '../../net/node.js';
import type { SmtpExchange } from '../../smtp/exchange.js';
import { SmtpEndpoint } from '../../smtp/endpoint.js';
import { formatDsn, formatMail, mailDate } from '../../smtp/message.js';
import type { Delivery } from '../../smtp/server-session.js';
import { isSip, type WirePayload } from '../../wire/payload.js';
import type { ActorContext } from '../actor.js';
import { iwfHost, mailHost } from '../naming.js';

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * An e-mail system (RFC 5321 relay and mailbox host) with its users' mailboxes. It accepts mail
 * for its mailboxes, refuses other recipients (550), and when the sender asked for it with NOTIFY
 * (RFC 3461) sends a delivery status notification (RFC 3464) to the envelope sender's domain. Mail
 * for a CPM domain goes to that domain's e-mail Interworking Function, its mail exchanger.
 */
export class MailSystem implements NetNode<WirePayload> {
  readonly host: string;
  /** What each mailbox holds, by address without scheme. */
  readonly mailboxes = new Map<string, string[]>();
  private readonly smtp: SmtpEndpoint;
  private readonly ids;

  constructor(
    readonly domain: string,
    users: string[],
    private readonly ctx: ActorContext,
  ) {
    this.host = mailHost(domain);
    for (const u of users) this.mailboxes.set(u.replace(/^mailto:/, ''), []);
    this.ids = ctx.streams.stream(`${this.host}/ids`);
    this.smtp = new SmtpEndpoint(
      this.host,
      { accepts: (address) => this.mailboxes.has(address), receive: (delivery, reply) => this.deliver(delivery, reply) },
      (to, x) => ctx.net.send(this.host, to, x),
      ctx.sim,
    );
    ctx.net.attach(this);
  }

  serves(address: string): boolean {
    return this.mailboxes.has(address.replace(/^mailto:/, ''));
  }

  receive(payload: WirePayload, fromHost: string): void {
    if (isSip(payload) || payload.protocol !== 'smtp') return this.note(`ignored a non-SMTP message from ${fromHost}`);
    this.smtp.received(payload as SmtpExchange, fromHost);
  }

  /** A user of this system mails a CPM user (`mailto:alice@a.example`), asking for a DSN or not. */
  originate(from: string, to: string, text: string, deliveryReport: boolean): void {
    const sender = from.replace(/^mailto:/, '');
    const recipient = to.replace(/^mailto:/, '');
    const exchanger = iwfHost('email', domainOf(recipient));
    if (!this.ctx.net.has(exchanger)) return this.note(`no mail exchanger for ${recipient}`);
    const id = this.ids.hex(12);
    const content = formatMail({ from: sender, to: recipient, date: this.date(), subject: text.slice(0, 40), messageId: `${id}@${this.host}`, text });
    this.smtp.relay({
      server: exchanger,
      envelope: { from: sender, to: recipient, ...(deliveryReport ? { envelopeId: id, notify: ['SUCCESS', 'FAILURE'] as ('SUCCESS' | 'FAILURE')[] } : {}) },
      content,
      done: (result) => this.note(`mail to ${recipient} ${result.accepted ? 'accepted' : `refused: ${result.reply.code}`}`),
    });
  }

  private deliver(delivery: Delivery, reply: (r: { code: number; lines: string[] }) => void): void {
    const queueId = this.ids.hex(10).toUpperCase();
    reply({ code: 250, lines: [`2.0.0 Ok: queued as ${queueId}`] });
    for (const to of delivery.to) {
      this.mailboxes.get(to)!.push(delivery.content);
      this.note(`delivered into the mailbox of ${to}`);
      // RFC 3461 4.1, 5.2: a success DSN only if asked for; the null reverse path never gets one.
      if (delivery.from !== '' && (delivery.notify.get(to) ?? []).includes('SUCCESS')) this.notifySender(delivery, to);
    }
  }

  private notifySender(delivery: Delivery, recipient: string): void {
    const exchanger = iwfHost('email', domainOf(delivery.from));
    if (!this.ctx.net.has(exchanger)) return this.note(`no mail exchanger for ${delivery.from}`);
    const content = formatDsn(
      { reportingMta: this.host, recipient, action: 'delivered', status: '2.0.0', ...(delivery.envelopeId === undefined ? {} : { envelopeId: delivery.envelopeId }) },
      { from: `MAILER-DAEMON@${this.domain}`, to: delivery.from, date: this.date(), boundary: `dsn-${this.ids.hex(8)}` },
    );
    this.note(`sends a DSN (delivered) to ${delivery.from}`);
    this.smtp.relay({ server: exchanger, envelope: { from: '', to: delivery.from }, content, done: () => undefined });
  }

  private date(): string {
    return mailDate(new Date(this.ctx.epochMs + Math.floor(this.ctx.sim.now / 1000)));
  }

  private note(text: string): void {
    this.ctx.net.note(this.host, text);
  }
}
