import type { NetNode } from '../../net/node.js';
import type { SmtpExchange } from '../../smtp/exchange.js';
import { SmtpEndpoint } from '../../smtp/endpoint.js';
import { formatDsn, formatMail, mailDate } from '../../smtp/message.js';
import type { Delivery } from '../../smtp/server-session.js';
import { isSip, type WirePayload } from '../../wire/payload.js';
import type { ActorContext } from '../actor.js';
import { iwfHost, mailHost } from '../naming.js';

const bare = (address: string): string => address.replace(/^mailto:/, '');
const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** A mailing list the system hosts (a CPM 5.1.2.5 Non-CPM Group): its address and its members, `mailto:` addresses. */
export interface MailingList {
  address: string;
  members: string[];
}

/**
 * An e-mail system (RFC 5321 relay and mailbox host) with its users' mailboxes and the mailing
 * lists it hosts. It accepts mail for its mailboxes and lists, refuses other recipients (550), and
 * when the sender asked for it with NOTIFY (RFC 3461) sends a delivery status notification (RFC
 * 3464) to the envelope sender's domain. Mail for a CPM domain goes to that domain's e-mail
 * Interworking Function, its mail exchanger.
 */
export class MailSystem implements NetNode<WirePayload> {
  readonly host: string;
  /** What each mailbox holds, by address without scheme. */
  readonly mailboxes = new Map<string, string[]>();
  /** The members of each list, by list address; all without scheme. */
  private readonly lists = new Map<string, string[]>();
  private readonly smtp: SmtpEndpoint;
  private readonly ids;

  constructor(
    readonly domain: string,
    users: string[],
    private readonly ctx: ActorContext,
    lists: MailingList[] = [],
  ) {
    this.host = mailHost(domain);
    for (const u of users) this.mailboxes.set(bare(u), []);
    for (const l of lists) this.lists.set(bare(l.address), l.members.map(bare));
    this.ids = ctx.streams.stream(`${this.host}/ids`);
    this.smtp = new SmtpEndpoint(
      this.host,
      { accepts: (address) => this.mailboxes.has(address) || this.lists.has(address), receive: (delivery, reply) => this.deliver(delivery, reply) },
      (to, x) => ctx.net.send(this.host, to, x),
      ctx.sim,
    );
    ctx.net.attach(this);
  }

  serves(address: string): boolean {
    return this.mailboxes.has(bare(address));
  }

  receive(payload: WirePayload, fromHost: string): void {
    if (isSip(payload) || payload.protocol !== 'smtp') return this.note(`ignored a non-SMTP message from ${fromHost}`);
    this.smtp.received(payload as SmtpExchange, fromHost);
  }

  /** A user of this system mails a CPM user (`mailto:alice@a.example`), asking for a DSN or not. */
  originate(from: string, to: string, text: string, deliveryReport: boolean): void {
    const sender = bare(from);
    const recipient = bare(to);
    const id = this.ids.hex(12);
    const content = formatMail({ from: sender, to: recipient, date: this.date(), subject: text.slice(0, 40), messageId: `${id}@${this.host}`, text });
    // A post of one of its users to one of its lists is expanded here, with no relay between.
    const list = this.lists.get(recipient);
    if (list !== undefined) return this.expand(recipient, list, sender, content);
    const exchanger = iwfHost('email', domainOf(recipient));
    if (!this.ctx.net.has(exchanger)) return this.note(`no mail exchanger for ${recipient}`);
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
      const list = this.lists.get(to);
      if (list === undefined) this.intoMailbox(to, delivery.content);
      else this.expand(to, list, delivery.from, delivery.content);
      // RFC 3461 4.1, 5.2: a success DSN only if asked for; the null reverse path never gets one.
      // A list's mail is delivered once its exploder has it (RFC 3461 5.2.3).
      if (delivery.from !== '' && (delivery.notify.get(to) ?? []).includes('SUCCESS')) this.notifySender(delivery, to);
    }
  }

  /**
   * RFC 5321 3.9.2: a list's mail goes to each of its members, but not back to the member who
   * posted it, a new message from the list: the return path is the list's owner, so failures go
   * to the list's administrator and not to the poster, and no NOTIFY goes on; the copies say which
   * list they came through and how to post to it (RFC 2919 List-Id, RFC 2369 List-Post).
   */
  private expand(list: string, members: string[], poster: string, content: string): void {
    const to = members.filter((m) => m !== poster);
    this.note(`expands the list ${list} to ${to.length} member${to.length === 1 ? '' : 's'}`);
    const copy = [`List-Id: <${list.replace('@', '.')}>`, `List-Post: <mailto:${list}>`, content].join('\r\n');
    const owner = list.replace('@', '-owner@');
    for (const member of to) {
      if (this.mailboxes.has(member)) {
        this.intoMailbox(member, copy);
        continue;
      }
      const exchanger = iwfHost('email', domainOf(member));
      if (!this.ctx.net.has(exchanger)) {
        this.note(`no mail exchanger for ${member}`);
        continue;
      }
      this.smtp.relay({ server: exchanger, envelope: { from: owner, to: member }, content: copy, done: (result) => this.note(`list mail to ${member} ${result.accepted ? 'accepted' : `refused: ${result.reply.code}`}`) });
    }
  }

  private intoMailbox(address: string, content: string): void {
    this.mailboxes.get(address)!.push(content);
    this.note(`delivered into the mailbox of ${address}`);
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
