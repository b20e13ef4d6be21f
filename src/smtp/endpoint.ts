import type { Timer } from '../kernel/simulator.js';
import { SECOND, type Micros } from '../kernel/time.js';
import { SmtpClientSession, type Envelope, type SessionResult } from './client-session.js';
import type { SmtpExchange } from './exchange.js';
import { SmtpServerSession, type Mailboxes } from './server-session.js';

interface Outgoing {
  server: string;
  envelope: Envelope;
  content: string;
  done: (result: SessionResult) => void;
}

/** What the endpoint needs of the clock: its SMTP timeouts and retries. */
export interface SmtpTimers {
  readonly now: Micros;
  schedule(delay: Micros, action: () => void): Timer;
}

/**
 * RFC 5321 4.5.3.2: how long a client waits for a reply: 5 minutes for the greeting and each
 * command (MAIL, RCPT, 4.5.3.2.1-3; 2 minutes would do for DATA, but DATA shares its write with
 * MAIL and RCPT under PIPELINING), 10 minutes after the content's final dot (4.5.3.2.6).
 */
const COMMAND_TIMEOUT = 5 * 60 * SECOND;
const DATA_TERMINATION_TIMEOUT = 10 * 60 * SECOND;
/** RFC 5321 4.5.4.1: a retry after a failed attempt waits at least 30 minutes. */
const RETRY_INTERVAL = 30 * 60 * SECOND;
/** RFC 5321 4.5.4.1: the give-up time is at least 4-5 days after the first attempt. */
const GIVE_UP = 5 * 24 * 3600 * SECOND;

/**
 * An SMTP host that both relays (client sessions, one at a time per server, in order) and
 * receives (a server session per connected client), over the simulated network.
 */
export class SmtpEndpoint {
  private readonly clients = new Map<string, Client>();
  private readonly queued = new Map<string, (Outgoing & { since: Micros })[]>();
  private readonly servers = new Map<string, SmtpServerSession>();

  constructor(
    private readonly host: string,
    private readonly mailboxes: Mailboxes,
    private readonly send: (to: string, x: SmtpExchange) => void,
    private readonly timers: SmtpTimers,
  ) {}

  /** Sends one message to the server host; `done` hears how its mail transaction ended. */
  relay(out: Outgoing): void {
    this.enqueue({ ...out, since: this.timers.now });
  }

  private enqueue(out: Outgoing & { since: Micros }): void {
    const queue = this.queued.get(out.server) ?? [];
    queue.push(out);
    this.queued.set(out.server, queue);
    if (!this.clients.has(out.server)) this.next(out.server);
  }

  received(x: SmtpExchange, fromHost: string): void {
    if (x.client === this.host) {
      const client = this.clients.get(fromHost);
      if (client === undefined || x.role !== 'server') return;
      client.timer?.cancel();
      const write = client.session.replied(x.replies);
      if (write !== undefined) this.write(fromHost, client, write);
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
    let ended = false;
    const done = (result: SessionResult): void => {
      ended = true;
      out.done(result);
    };
    const client: Client = {
      session: new SmtpClientSession(this.host, this.host, out.envelope, out.content, done, () => this.next(server)),
      // RFC 5321 4.5.4.1: the attempt failed; the mail stays queued for a later one, or is given up.
      timedOut: () => {
        if (ended) return;
        if (this.timers.now + RETRY_INTERVAL - out.since < GIVE_UP) this.timers.schedule(RETRY_INTERVAL, () => this.enqueue(out));
        else done({ accepted: false, reply: { code: 421, lines: ['no answer from the server: given up'] }, permanent: false });
      },
    };
    this.clients.set(server, client);
    this.write(server, client, client.session.open());
  }

  /** A client write, and the timer for the reply it waits for (RFC 5321 4.5.3.2). */
  private write(server: string, client: Client, x: SmtpExchange): void {
    this.send(server, x);
    client.timer = this.timers.schedule('content' in x ? DATA_TERMINATION_TIMEOUT : COMMAND_TIMEOUT, () => {
      // The connection is closed on a timeout; the next queued mail gets a new one.
      client.timedOut();
      this.next(server);
    });
  }
}

interface Client {
  session: SmtpClientSession;
  timer?: Timer;
  timedOut: () => void;
}
