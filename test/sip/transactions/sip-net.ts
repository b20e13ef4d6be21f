/**
 * Test harness (not a test file): a Simulator, a Network<SipMessage> copying with cloneMessage,
 * and tiny NetNode wrappers, either around a SipStack or raw (they record what arrives and send
 * hand-made messages with net.send, bypassing any transaction layer).
 */
import { RandomStreams } from '../../../src/kernel/random.js';
import { Simulator } from '../../../src/kernel/simulator.js';
import { MS } from '../../../src/kernel/time.js';
import type { NetEvent } from '../../../src/net/events.js';
import { constantLinks } from '../../../src/net/links.js';
import { Network } from '../../../src/net/network.js';
import type { NetNode } from '../../../src/net/node.js';
import { createRequest, createResponse } from '../../../src/sip/builders.js';
import { cloneMessage, type SipMessage, type SipRequest, type SipResponse } from '../../../src/sip/message.js';
import type { BodyReading } from '../../../src/sip/parser.js';
import { SipStack, type TransactionUser } from '../../../src/sip/stack.js';
import type { ServerTransaction } from '../../../src/sip/transactions/server-transaction.js';
import { sipUri, type Uri } from '../../../src/sip/uri.js';
import type { Body } from '../../../src/bodies/body.js';

export const INTRA = 1 * MS;
export const INTER = 10 * MS;

export type Handler = (req: SipRequest, tx: ServerTransaction, node: StackNode) => void;

export class StackNode implements NetNode<SipMessage>, TransactionUser {
  readonly stack: SipStack;
  /** Every request handed to the TU, with the time it was. */
  readonly handled: { req: SipRequest; at: number }[] = [];
  handler: Handler = () => {};
  /** Where 2xx ACKs go; unset, the stack notes and discards them as for a TU that takes none. */
  handleAck?: (ack: SipRequest, fromHost: string) => void;

  constructor(
    readonly host: string,
    readonly domain: string,
    readonly world: World,
    bodies?: BodyReading,
  ) {
    this.stack = new SipStack(host, world.sim, world.net, world.rng.stream(host), this, bodies);
    world.net.attach(this);
  }

  handleRequest(req: SipRequest, tx: ServerTransaction): void {
    this.handled.push({ req, at: this.world.sim.now });
    this.handler(req, tx, this);
  }

  receive(payload: SipMessage, fromHost: string): void {
    this.stack.receive(payload, fromHost);
  }

  /** Answers with `status` (a To tag added), now or after `delay`. */
  answer(status: number, delay = 0): void {
    this.handler = (req, tx) => {
      const send = (): void => tx.respond(createResponse(req, status, { toTag: this.stack.newTag() }));
      if (delay === 0) send();
      else this.world.sim.schedule(delay, send);
    };
  }

  /** Sends `req` through the client transaction layer; returns the responses the TU gets. */
  send(req: SipRequest, nextHop: string): { res: SipResponse; at: number }[] {
    const got: { res: SipResponse; at: number }[] = [];
    this.stack.request(req, nextHop, (res) => got.push({ res, at: this.world.sim.now }));
    return got;
  }
}

export class RawNode implements NetNode<SipMessage> {
  readonly got: { msg: SipMessage; from: string; at: number }[] = [];

  constructor(
    readonly host: string,
    readonly domain: string,
    readonly world: World,
  ) {
    world.net.attach(this);
  }

  receive(payload: SipMessage, fromHost: string): void {
    this.got.push({ msg: payload, from: fromHost, at: this.world.sim.now });
  }

  responses(): SipResponse[] {
    return this.got.flatMap((g) => (g.msg.type === 'response' ? [g.msg] : []));
  }
}

export class World {
  readonly sim = new Simulator();
  readonly net: Network<SipMessage>;
  readonly rng = new RandomStreams(1234);
  readonly events: NetEvent<SipMessage>[] = [];

  constructor(intra = INTRA, inter = INTER) {
    this.net = new Network<SipMessage>(this.sim, constantLinks(intra, inter), cloneMessage);
    this.net.observe((e) => this.events.push(e));
  }

  /** A stack node; without `bodies`, the stack reads bodies as SipStack does by default. */
  stackNode(host: string, domain = 'example.com', bodies?: BodyReading): StackNode {
    return new StackNode(host, domain, this, bodies);
  }

  rawNode(host: string, domain = 'example.com'): RawNode {
    return new RawNode(host, domain, this);
  }

  transmits(filter: { from?: string; to?: string } = {}): Extract<NetEvent<SipMessage>, { type: 'transmit' }>[] {
    return this.events.flatMap((e) =>
      e.type === 'transmit' && (filter.from === undefined || e.from === filter.from) && (filter.to === undefined || e.to === filter.to) ? [e] : [],
    );
  }

  undeliverables(): Extract<NetEvent<SipMessage>, { type: 'undeliverable' }>[] {
    return this.events.flatMap((e) => (e.type === 'undeliverable' ? [e] : []));
  }

  notes(host?: string): Extract<NetEvent<SipMessage>, { type: 'note' }>[] {
    return this.events.flatMap((e) => (e.type === 'note' && (host === undefined || e.host === host) ? [e] : []));
  }
}

/** A MESSAGE from alice to bob without a Via: the transaction layer pushes one. */
export function message(opts: { maxForwards?: number; cseq?: number; callId?: string } = {}): SipRequest {
  return createRequest({
    method: 'MESSAGE',
    uri: sipUri('bob', 'example.com'),
    from: { uri: sipUri('alice', 'example.com'), params: [{ name: 'tag', value: 'a1' }] },
    to: { uri: sipUri('bob', 'example.com'), params: [] },
    callId: opts.callId ?? 'call-1@example.com',
    cseq: opts.cseq ?? 1,
    ...(opts.maxForwards !== undefined && { maxForwards: opts.maxForwards }),
  });
}

/**
 * An INVITE from alice (Contact at `contactHost`) to bob without a Via, optionally with Route lines
 * and a body; the transaction layer pushes the Via.
 */
export function invite(opts: { callId?: string; cseq?: number; contactHost?: string; routes?: string[]; uri?: Uri; body?: Body } = {}): SipRequest {
  return createRequest({
    method: 'INVITE',
    uri: opts.uri ?? sipUri('bob', 'example.com'),
    from: { displayName: 'Alice', uri: sipUri('alice', 'example.com'), params: [{ name: 'tag', value: 'a1' }] },
    to: { uri: sipUri('bob', 'example.com'), params: [] },
    callId: opts.callId ?? 'inv-1@example.com',
    cseq: opts.cseq ?? 1,
    contact: { uri: sipUri('alice', opts.contactHost ?? 'uac.example.com'), params: [] },
    extra: (opts.routes ?? []).map((value) => ({ name: 'Route', value })),
    ...(opts.body !== undefined && { body: opts.body }),
  });
}

export const copy = <M extends SipMessage>(m: M): M => cloneMessage(m);
