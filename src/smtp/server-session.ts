import { verbOf, type SmtpExchange, type SmtpReply } from './exchange.js';

export interface Delivery {
  from: string;
  to: string[];
  /** RFC 3461 parameters as given: NOTIFY of each recipient, ENVID of the transaction. */
  notify: Map<string, string[]>;
  envelopeId?: string;
  content: string;
}

export interface Mailboxes {
  /** RFC 5321 4.2.2: whether a recipient is accepted here (250) or not (550). */
  accepts(address: string): boolean;
  /** The content is in: the reply to send for it, now or once the message is on its way. */
  receive(delivery: Delivery, reply: (r: SmtpReply) => void): void;
}

/** The server side of SMTP sessions (RFC 5321 4.1), with the PIPELINING and DSN extensions. */
export class SmtpServerSession {
  private from: string | undefined;
  private readonly to: string[] = [];
  private readonly notify = new Map<string, string[]>();
  private envelopeId: string | undefined;
  private awaitingContent = false;

  constructor(
    private readonly client: string,
    private readonly name: string,
    private readonly mailboxes: Mailboxes,
    private readonly send: (x: SmtpExchange) => void,
  ) {}

  received(x: SmtpExchange): void {
    if (x.role !== 'client') return;
    if ('opens' in x) return this.reply([{ code: 220, lines: [`${this.name} ESMTP ready`] }]);
    if ('content' in x) {
      if (!this.awaitingContent || this.from === undefined) return this.reply([{ code: 503, lines: ['5.5.1 Bad sequence of commands'] }]);
      this.awaitingContent = false;
      const delivery: Delivery = { from: this.from, to: [...this.to], notify: new Map(this.notify), content: x.content, ...(this.envelopeId === undefined ? {} : { envelopeId: this.envelopeId }) };
      this.reset();
      return this.mailboxes.receive(delivery, (r) => this.reply([r]));
    }
    this.reply(x.commands.map((c) => this.command(c)));
  }

  private command(line: string): SmtpReply {
    const verb = verbOf(line);
    switch (verb) {
      case 'EHLO':
        return { code: 250, lines: [this.name, 'PIPELINING', 'DSN', '8BITMIME'] };
      case 'MAIL': {
        const m = /^MAIL FROM:<([^>]*)>(.*)$/i.exec(line);
        if (m === null) return { code: 501, lines: ['5.5.4 Syntax error in MAIL'] };
        this.reset();
        this.from = m[1]!;
        const envid = /\bENVID=(\S+)/i.exec(m[2]!);
        if (envid !== null) this.envelopeId = envid[1]!;
        return { code: 250, lines: ['2.1.0 Sender OK'] };
      }
      case 'RCPT': {
        const m = /^RCPT TO:<([^>]+)>(.*)$/i.exec(line);
        if (m === null) return { code: 501, lines: ['5.5.4 Syntax error in RCPT'] };
        if (this.from === undefined) return { code: 503, lines: ['5.5.1 MAIL first'] };
        if (!this.mailboxes.accepts(m[1]!)) return { code: 550, lines: [`5.1.1 <${m[1]}>: no such mailbox`] };
        this.to.push(m[1]!);
        const notify = /\bNOTIFY=(\S+)/i.exec(m[2]!);
        if (notify !== null) this.notify.set(m[1]!, notify[1]!.toUpperCase().split(','));
        return { code: 250, lines: ['2.1.5 Recipient OK'] };
      }
      case 'DATA':
        // RFC 2920 3.1: with pipelining, DATA after refused recipients is refused itself.
        if (this.to.length === 0) return { code: 554, lines: ['5.5.1 No valid recipients'] };
        this.awaitingContent = true;
        return { code: 354, lines: ['End data with <CR><LF>.<CR><LF>'] };
      case 'QUIT':
        return { code: 221, lines: [`2.0.0 ${this.name} closing connection`] };
      default:
        return { code: 502, lines: ['5.5.2 Command not implemented'] };
    }
  }

  private reset(): void {
    this.from = undefined;
    this.to.length = 0;
    this.notify.clear();
    this.envelopeId = undefined;
  }

  private reply(replies: SmtpReply[]): void {
    this.send({ protocol: 'smtp', client: this.client, role: 'server', replies });
  }
}
