import type { StableStorage } from './stable-storage.js';
import type { RandomStreams } from '../kernel/random.js';
import type { Simulator } from '../kernel/simulator.js';
import type { NetAccess } from '../net/port.js';
import type { NetNode } from '../net/node.js';
import type { Body } from '../bodies/body.js';
import type { ImdnStatus } from '../bodies/imdn.js';
import { createResponse } from '../sip/builders.js';
import type { Header, SipRequest } from '../sip/message.js';
import { isSip, protocolOf, type OtherPayload, type WirePayload } from '../wire/payload.js';
import type { BodyReading } from '../sip/parser.js';
import { SipStack, type TransactionUser } from '../sip/stack.js';
import type { ServerTransaction } from '../sip/transactions/server-transaction.js';

/** What every entity shares: the one clock, the one network and the run's random streams. */
export interface ActorContext {
  sim: Simulator;
  net: NetAccess<WirePayload>;
  streams: RandomStreams;
  /** Wall-clock time of virtual time zero, for Date-like fields (CPIM DateTime, IMDN datetime). */
  epochMs: number;
  /** Network infrastructure every element may query, as it would query DNS. */
  directory: Directory;
  /** Who is told what the clients' users see (load metrics); telling them sends and draws nothing. */
  activity: ClientActivityListener[];
  /** The element's disk, which a crash does not erase; absent for an element that never restarts. */
  disk?: StableStorage;
}

/**
 * What a CPM Client's user sees happen: a message shown, a notification about a message it sent,
 * a message refused. The load mode measures latencies and outcomes from these.
 */
export type ClientActivity =
  | { type: 'received'; aor: string; device: string; messageId: string; sender: string }
  | { type: 'notified'; aor: string; device: string; messageId: string; status: ImdnStatus }
  | { type: 'failed'; aor: string; device: string; messageId: string; status: number };

export type ClientActivityListener = (activity: ClientActivity) => void;

export interface Directory {
  /** ENUM (RFC 6116): telephone number (`tel:+15551234`) to the SIP address of the CPM user owning it. */
  enum: Map<string, string>;
}

/**
 * A functional entity attached to the network with its own SIP stack. Entities interact only
 * through the messages they send; none calls another's methods.
 */
export abstract class SipActor implements NetNode<WirePayload>, TransactionUser {
  protected readonly stack: SipStack;

  constructor(
    readonly host: string,
    readonly domain: string,
    protected readonly ctx: ActorContext,
    bodies: BodyReading = 'decode',
  ) {
    this.stack = new SipStack(host, ctx.sim, ctx.net, ctx.streams.stream(host), this, bodies);
    ctx.net.attach(this);
  }

  receive(payload: WirePayload, fromHost: string): void {
    if (isSip(payload)) this.stack.receive(payload, fromHost);
    else this.onOther(payload, fromHost);
  }

  /** A message of another protocol: only an Interworking Function speaks one; others ignore it. */
  protected onOther(payload: OtherPayload, fromHost: string): void {
    this.note(`ignored ${protocolOf(payload).toUpperCase()} from ${fromHost}`);
  }

  /** The stack's transaction user: a request it passes up (an actor answering 2xx ACKs also has `handleAck`). */
  handleRequest(req: SipRequest, tx: ServerTransaction): void {
    this.onRequest(req, tx);
  }

  protected abstract onRequest(req: SipRequest, tx: ServerTransaction): void;

  /** Answers a request as a UAS: the To tag is added as RFC 3261 8.2.6.2 requires. */
  protected respond(tx: ServerTransaction, status: number, opts: { reason?: string; extra?: Header[]; body?: Body; toTag?: string } = {}): void {
    tx.respond(createResponse(tx.request, status, { ...opts, toTag: opts.toTag ?? this.stack.newTag() }));
  }

  protected note(text: string, message?: string): void {
    this.ctx.net.note(this.host, text, message);
  }

  /** RFC 3339 date-time of the current virtual instant. */
  protected dateTime(): string {
    return new Date(this.ctx.epochMs + Math.floor(this.ctx.sim.now / 1000)).toISOString();
  }
}
