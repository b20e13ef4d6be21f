import type { Simulator } from '../kernel/simulator.js';
import type { Micros } from '../kernel/time.js';
import type { NetEvent, NetObserver, Perturber } from './events.js';
import type { LinkModel } from './links.js';
import type { NetNode } from './node.js';

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

  constructor(
    private readonly sim: Simulator,
    private readonly links: LinkModel,
    private readonly copy: (payload: P) => P,
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
    // A duplicate is a second packet on the wire: it gets its own id.
    fate.arrivals.forEach((delay, copy) => this.carry(copy === 0 ? id : this.nextId++, at, delay + extra, from.host, to, recorded));
  }

  private carry(id: number, at: Micros, delay: Micros, fromHost: string, to: NetNode<P>, recorded: P): void {
    this.emit({ type: 'transmit', id, at, arriveAt: at + delay, from: fromHost, to: to.host, payload: recorded });
    this.sim.post(delay, () => {
      if (!this.isUp(to.host)) {
        this.emit({ type: 'undeliverable', id, at: this.sim.now, from: fromHost, to: to.host, payload: recorded, reason: 'host-down' });
        return;
      }
      to.receive(this.copy(recorded), fromHost);
    });
  }

  /** A named observation by an entity (e.g. "message deferred"), for the trace. */
  note(host: string, text: string): void {
    this.emit({ type: 'note', id: this.nextId++, at: this.sim.now, host, text });
  }

  private emit(event: NetEvent<P>): void {
    for (const o of this.observers) o(event);
  }
}
