import type { SmtpExchange, SmtpReply } from './exchange.js';

export interface Envelope {
  /** Reverse path, without brackets; empty for a DSN (RFC 5321 4.5.5). */
  from: string;
  to: string;
  /** RFC 3461 4.4 ENVID and 4.1 NOTIFY: ask for delivery status notifications. */
  envelopeId?: string;
  notify?: ('SUCCESS' | 'FAILURE')[];
}

export type SessionResult = { accepted: true; reply: SmtpReply } | { accepted: false; reply: SmtpReply; permanent: boolean };

type State = 'greeting' | 'ehlo' | 'envelope' | 'content' | 'quit' | 'done';

/**
 * The client side of one SMTP mail transaction (RFC 5321 3.3) with PIPELINING (RFC 2920) and DSN
 * parameters (RFC 3461): connect, EHLO, MAIL+RCPT+DATA in one write, the content, QUIT.
 */
export class SmtpClientSession {
  private state: State = 'greeting';

  constructor(
    private readonly client: string,
    private readonly name: string,
    private readonly envelope: Envelope,
    private readonly content: string,
    /** How the mail transaction ended, as soon as the server has said so. */
    private readonly done: (result: SessionResult) => void,
    /** The session is over (221), so the connection may carry no more. */
    private readonly closed: () => void,
  ) {}

  open(): SmtpExchange {
    return { protocol: 'smtp', client: this.client, role: 'client', opens: true };
  }

  /** The next write after the server's replies, or undefined when the session is over. */
  replied(replies: SmtpReply[]): SmtpExchange | undefined {
    const last = replies.at(-1)!;
    switch (this.state) {
      case 'greeting':
        if (last.code !== 220) return this.fail(last);
        this.state = 'ehlo';
        return this.commands([`EHLO ${this.name}`]);
      case 'ehlo': {
        if (last.code !== 250) return this.fail(last);
        this.state = 'envelope';
        const e = this.envelope;
        const mail = `MAIL FROM:<${e.from}>${e.envelopeId === undefined ? '' : ` RET=HDRS ENVID=${e.envelopeId}`}`;
        const rcpt = `RCPT TO:<${e.to}>${e.notify === undefined ? '' : ` NOTIFY=${e.notify.length === 0 ? 'NEVER' : e.notify.join(',')} ORCPT=rfc822;${e.to}`}`;
        return this.commands([mail, rcpt, 'DATA']);
      }
      case 'envelope': {
        const refused = replies.find((r) => r.code >= 400 && r.code !== 354);
        if (last.code !== 354) return this.fail(refused ?? last);
        this.state = 'content';
        return { protocol: 'smtp', client: this.client, role: 'client', content: this.content };
      }
      case 'content':
        this.state = 'quit';
        this.done(last.code === 250 ? { accepted: true, reply: last } : { accepted: false, reply: last, permanent: last.code >= 500 });
        return this.commands(['QUIT']);
      case 'quit':
        this.state = 'done';
        this.closed();
        return undefined;
      case 'done':
        return undefined;
    }
  }

  private fail(reply: SmtpReply): SmtpExchange {
    this.done({ accepted: false, reply, permanent: reply.code >= 500 });
    this.state = 'quit';
    return this.commands(['QUIT']);
  }

  private commands(commands: string[]): SmtpExchange {
    return { protocol: 'smtp', client: this.client, role: 'client', commands };
  }
}
