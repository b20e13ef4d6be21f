import { NetPort } from '../net/port.js';
import type { WirePayload } from '../wire/payload.js';
import type { ActorContext } from './actor.js';
import { StableStorage } from './stable-storage.js';

/**
 * The context of one incarnation: the run's, with its own network access and its disk. Written
 * out rather than spread: a spread copy got a hidden class of its own per element (about 300 B a
 * device), these literals all share one.
 */
function incarnation(ctx: ActorContext, net: NetPort<WirePayload>, disk: StableStorage): ActorContext {
  return { sim: ctx.sim, net, streams: ctx.streams, epochMs: ctx.epochMs, directory: ctx.directory, activity: ctx.activity, disk };
}

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
  /**
   * The provisioning, as flat triples of a step and its two values: a population provisions
   * millions of users, and a closure a step kept about 100 bytes each. Made at the first step.
   */
  private provisioning: unknown[] | undefined;
  private readonly disk = new StableStorage();

  /**
   * `make(ctx, made)` makes the element: a shared function and the value it makes it from (a
   * device's configuration), so that an element needs no closure of its own.
   */
  private constructor(
    private readonly ctx: ActorContext,
    private readonly make: (ctx: ActorContext, made: unknown) => T,
    private readonly made: unknown,
  ) {
    this.port = new NetPort(ctx.net);
    this.instance = make(incarnation(ctx, this.port, this.disk), made);
  }

  static of<T>(ctx: ActorContext, make: (ctx: ActorContext) => T): Rebootable<T> {
    return new Rebootable(ctx, make, undefined);
  }

  static from<T, A>(ctx: ActorContext, make: (ctx: ActorContext, made: A) => T, made: A): Rebootable<T> {
    return new Rebootable(ctx, make as (ctx: ActorContext, made: unknown) => T, made);
  }

  get current(): T {
    return this.instance;
  }

  /** Provisioning, kept across restarts. */
  configure(step: (element: T) => void): void {
    this.provision(step, undefined, undefined);
  }

  /** Provisioning by a shared function of two values (a user's AOR and record), kept across restarts. */
  provision<A, B>(step: (element: T, a: A, b: B) => void, a: A, b: B): void {
    (this.provisioning ??= []).push(step, a, b);
    step(this.instance, a, b);
  }

  /** The process dies: nothing its pending timers do reaches the network any more. */
  crash(): void {
    this.port.close();
  }

  /** A new process, from the provisioning only; the caller has detached the old one's host. */
  restart(): void {
    this.port = new NetPort(this.ctx.net);
    this.instance = this.make(incarnation(this.ctx, this.port, this.disk), this.made);
    const steps = this.provisioning ?? [];
    for (let i = 0; i < steps.length; i += 3) (steps[i] as (element: T, a: unknown, b: unknown) => void)(this.instance, steps[i + 1], steps[i + 2]);
  }
}
