import { NetPort } from '../net/port.js';
import type { WirePayload } from '../wire/payload.js';
import type { ActorContext } from './actor.js';
import { StableStorage } from './stable-storage.js';

/**
 * An element that can crash and restart afresh. It is made from its provisioning: what an operator
 * configured (users, groups, documents, subscribers, trusted hosts) is replayed on every restart,
 * while what it learnt at run time (registrations, transactions, dialogs, sessions, subscriptions,
 * deferred messages, pending submissions, binds) is gone with the old process, all but what the
 * element put on its disk.
 */
export class Rebootable<T> {
  private port: NetPort<WirePayload>;
  private instance: T;
  private readonly provisioning: ((element: T) => void)[] = [];
  private readonly disk = new StableStorage();

  constructor(
    private readonly ctx: ActorContext,
    private readonly make: (ctx: ActorContext) => T,
  ) {
    this.port = new NetPort(ctx.net);
    this.instance = make({ ...ctx, net: this.port, disk: this.disk });
  }

  get current(): T {
    return this.instance;
  }

  /** Provisioning, kept across restarts. */
  configure(step: (element: T) => void): void {
    this.provisioning.push(step);
    step(this.instance);
  }

  /** The process dies: nothing its pending timers do reaches the network any more. */
  crash(): void {
    this.port.close();
  }

  /** A new process, from the provisioning only; the caller has detached the old one's host. */
  restart(): void {
    this.port = new NetPort(this.ctx.net);
    this.instance = this.make({ ...this.ctx, net: this.port, disk: this.disk });
    for (const step of this.provisioning) step(this.instance);
  }
}
