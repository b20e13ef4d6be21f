import { SmtpClientSession, type Envelope, type SessionResult } from './client-session.js';
import type { SmtpExchange } from './exchange.js';
import { SmtpServerSession, type Mailboxes } from './server-session.js';

interface Outgoing {
  server: string;
  envelope: Envelope;
  content: string;
  done: (result: SessionResult) => void;
}

/**
 * An SMTP host that both relays (client sessions, one at a time per server, in order) and
 * receives (a server session per connected client), over the simulated network.
 */
export class SmtpEndpoint {
  private readonly clients = new Map<string, SmtpClientSession>();
  private readonly queued = new Map<string, Outgoing[]>();
  private readonly servers = new Map<string, SmtpServerSession>();

  constructor(
    private readonly host: string,
    private readonly mailboxes: Mailboxes,
    private readonly send: (to: string, x: SmtpExchange) => void,
  ) {}

  /** Sends one message to the server host; `done` hears how its mail transaction ended. */
  relay(out: Outgoing): void {
    const queue = this.queued.get(out.server) ?? [];
    queue.push(out);
    this.queued.set(out.server, queue);
    if (!this.clients.has(out.server)) this.next(out.server);
  }

  received(x: SmtpExchange, fromHost: string): void {
    if (x.client === this.host) {
      const session = this.clients.get(fromHost);
      if (session === undefined || x.role !== 'server') return;
      const reply = session.replied(x.replies);
      if (reply !== undefined) this.send(fromHost, reply);
      return;
    }
    let server = this.servers.get(fromHost);
    if (server === undefined || ('opens' in x)) {
      server = new SmtpServerSession(x.client, this.host, this.mailboxes, (out) => this.send(fromHost, out));
      this.servers.set(fromHost, server);
    }
    server.received(x);
  }

  private next(server: string): void {
    const out = this.queued.get(server)?.shift();
    if (out === undefined) {
      this.clients.delete(server);
      return;
    }
    const session = new SmtpClientSession(this.host, this.host, out.envelope, out.content, out.done, () => this.next(server));
    this.clients.set(server, session);
    this.send(server, session.open());
  }
}
