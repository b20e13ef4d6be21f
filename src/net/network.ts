import type { Alarm, Simulator } from '../kernel/simulator.js';
import { SECOND, type Micros } from '../kernel/time.js';
import type { NetEvent, NetObserver, Perturber } from './events.js';
import type { LinkModel } from './links.js';
import type { NetNode } from './node.js';

/** RFC 6298 2.1 and 5.5: a lost TCP segment is sent again after the RTO, 1 s at first, doubling. */
const INITIAL_RTO = 1 * SECOND;
/** RFC 1122 4.2.3.5: a connection retransmits for at least 100 s (R2) before it gives up. */
const GIVE_UP_AFTER = 100 * SECOND;

/**
 * Which connection a payload travels on when its transport is reliable (TCP): a name shared by
 * the payloads that keep their order between two hosts; undefined for a datagram (SIP over UDP).
 */
export type FlowOf<P> = (payload: P) => string | undefined;

/**
 * A packet on its way: the event of its arrival is the packet itself, not a closure over its
 * fields and their context (every hop of every message makes one).
 */
class InFlight<P> implements Alarm {
  slot = -1;

  constructor(
    private readonly net: Network<P>,
    readonly id: number,
    readonly fromHost: string,
    readonly toHost: string,
    readonly recorded: P,
    /** The incarnations of the two ends, for a segment of a TCP connection. */
    readonly connection: string | undefined,
  ) {}

  fire(): void {
    this.net.arrive(this);
  }
}

/**
 * Delivers copies of payloads between attached nodes after the link delay. A payload that cannot
 * be delivered is reported, never dropped silently; the sender learns of it only as a real one
 * would (no answer, so its own timers fire).
 */
export class Network<P> {
  private readonly nodes = new Map<string, NetNode<P>>();
  private readonly down = new Set<string>();
  private readonly observers: NetObserver<P>[] = [];
  private nextId = 1;
  private perturber: Perturber<P> | undefined;
  /** When the last segment of each connection arrives: TCP delivers in order (RFC 9293 3.10.7.4). */
  private readonly flowTail = new Map<string, Micros>();
  /** How many times each host attached: a restarted element is a new process, its connections gone. */
  private readonly incarnations = new Map<string, number>();

  constructor(
    private readonly sim: Simulator,
    private readonly links: LinkModel,
    private readonly copy: (payload: P) => P,
    private readonly flowOf: FlowOf<P> = () => undefined,
  ) {}

  observe(observer: NetObserver<P>): void {
    this.observers.push(observer);
  }

  /** A fault model consulted for every packet (cpmsim explore); unset, packets go as the links say. */
  perturb(perturber: Perturber<P> | undefined): void {
    this.perturber = perturber;
  }

  /** Every attached host, in the order they attached. */
  hosts(): string[] {
    return [...this.nodes.keys()];
  }

  attach(node: NetNode<P>): void {
    if (this.nodes.has(node.host)) throw new Error(`host ${node.host} is already attached`);
    this.nodes.set(node.host, node);
    this.incarnations.set(node.host, (this.incarnations.get(node.host) ?? 0) + 1);
  }

  /** A crashed element's process is gone; the one that restarts attaches under the same name. */
  detach(host: string): void {
    this.nodes.delete(host);
  }

  has(host: string): boolean {
    return this.nodes.has(host);
  }

  domainOf(host: string): string | undefined {
    return this.nodes.get(host)?.domain;
  }

  /** A node that is down keeps its address but receives nothing (a device switched off). */
  setUp(host: string, up: boolean): void {
    if (up) this.down.delete(host);
    else this.down.add(host);
  }

  isUp(host: string): boolean {
    return this.nodes.has(host) && !this.down.has(host);
  }

  send(fromHost: string, toHost: string, payload: P): void {
    const id = this.nextId++;
    const at = this.sim.now;
    const from = this.nodes.get(fromHost);
    const to = this.nodes.get(toHost);
    if (from === undefined) throw new Error(`send from unattached host ${fromHost}`);
    const recorded = this.copy(payload);
    if (to === undefined || !this.isUp(toHost) || !this.isUp(fromHost)) {
      const reason = !this.isUp(fromHost) ? 'sender-down' : to === undefined ? 'unknown-host' : 'host-down';
      this.emit({ type: 'undeliverable', id, at, from: fromHost, to: toHost, payload: recorded, reason });
      return;
    }
    // An explored run's perturbation (cpmsim explore) comes first, then the links' own faults.
    const perturbed = this.perturber?.({ id, from: fromHost, to: toHost, payload: recorded });
    const flow = this.flowOf(recorded);
    if (flow !== undefined) return this.sendReliably(id, at, from, to, recorded, flow, perturbed?.drop === true, perturbed?.extraDelay ?? 0);
    if (perturbed?.drop === true) {
      this.emit({ type: 'undeliverable', id, at, from: fromHost, to: toHost, payload: recorded, reason: 'lost' });
      return;
    }
    const fate = this.links.fate(from, to, at);
    if ('lost' in fate) {
      this.emit({ type: 'undeliverable', id, at, from: fromHost, to: toHost, payload: recorded, reason: fate.lost });
      return;
    }
    const extra = perturbed?.extraDelay ?? 0;
    const arrivals = fate.arrivals;
    // A duplicate is a second packet on the wire: it gets its own id.
    for (let copy = 0; copy < arrivals.length; copy++) this.carry(copy === 0 ? id : this.nextId++, at, arrivals[copy]! + extra, from.host, to.host, recorded);
  }

  /**
   * A segment on a TCP connection is not lost to its reader: each loss on the link (or a dropped
   * packet in an explored run) costs a retransmission after the RTO, doubling, until the link
   * carries it; after R2 the connection fails and the segment is undeliverable. It arrives once
   * (TCP discards duplicates) and never before what was sent earlier on its connection. A
   * connection lives as long as the processes at its ends: when either restarted before the
   * segment arrives, the new process knows no such connection and resets it (RFC 9293 3.10.7.1).
   */
  private sendReliably(id: number, at: Micros, from: NetNode<P>, to: NetNode<P>, recorded: P, protocol: string, dropped: boolean, extra: Micros): void {
    const ends = `${this.incarnations.get(from.host)}\n${this.incarnations.get(to.host)}`;
    const flow = `${from.host}\n${to.host}\n${protocol}\n${ends}`;
    let waited = 0;
    let rto = INITIAL_RTO;
    let retransmissions = 0;
    let fate = dropped ? ({ lost: 'lost' } as const) : this.links.fate(from, to, at);
    while ('lost' in fate && waited + rto <= GIVE_UP_AFTER) {
      waited += rto;
      rto *= 2;
      retransmissions++;
      fate = this.links.fate(from, to, at + waited);
    }
    if ('lost' in fate) {
      this.emit({ type: 'undeliverable', id, at, from: from.host, to: to.host, payload: recorded, reason: fate.lost });
      return;
    }
    const arriveAt = Math.max(at + waited + fate.arrivals[0]! + extra, this.flowTail.get(flow) ?? 0);
    this.flowTail.set(flow, arriveAt);
    this.carry(id, at, arriveAt - at, from.host, to.host, recorded, retransmissions, ends);
  }

  /** `connection`: the incarnations of the two ends, for a segment of a TCP connection. */
  private carry(id: number, at: Micros, delay: Micros, fromHost: string, toHost: string, recorded: P, retransmissions = 0, connection?: string): void {
    // Built only when someone observes: with tracing off, most hops have no observer.
    if (this.observers.length > 0) this.emit({ type: 'transmit', id, at, arriveAt: at + delay, from: fromHost, to: toHost, payload: recorded, ...(retransmissions > 0 && { retransmissions }) });
    this.sim.arm(new InFlight(this, id, fromHost, toHost, recorded, connection), at + delay);
  }

  /** The packet's arrival (its `fire`): delivered, unless its receiver or connection is gone. */
  arrive(packet: InFlight<P>): void {
    const { id, fromHost, toHost, recorded, connection } = packet;
    const to = this.nodes.get(toHost);
    if (to === undefined || !this.isUp(toHost)) {
      this.emit({ type: 'undeliverable', id, at: this.sim.now, from: fromHost, to: toHost, payload: recorded, reason: 'host-down' });
      return;
    }
    if (connection !== undefined && connection !== `${this.incarnations.get(fromHost)}\n${this.incarnations.get(toHost)}`) {
      this.emit({ type: 'undeliverable', id, at: this.sim.now, from: fromHost, to: toHost, payload: recorded, reason: 'connection-reset' });
      return;
    }
    to.receive(this.copy(recorded), fromHost);
  }

  /** A named observation by an entity (e.g. "message deferred"), for the trace. */
  note(host: string, text: string, message?: string): void {
    this.emit({ type: 'note', id: this.nextId++, at: this.sim.now, host, text, ...(message === undefined ? {} : { message }) });
  }

  private emit(event: NetEvent<P>): void {
    for (const o of this.observers) o(event);
  }
}
