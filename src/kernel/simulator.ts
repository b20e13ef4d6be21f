import { EventQueue, type Action, type Cancellable } from './event-queue.js';
import type { RandomStream } from './random.js';
import { formatTime, type Micros } from './time.js';

/** An event's owner that is its own queue entry: see `Simulator.arm`. */
export type { Cancellable as Alarm } from './event-queue.js';

/** A scheduled action; `cancel()` removes it from the queue's reckoning at once (no queue scan). */
export interface Timer {
  readonly time: Micros;
  cancel(): void;
}

export interface RunLimits {
  /** Stop (normally) once the next event lies beyond this virtual time. */
  until?: Micros;
  /** Fail if more events than this run: a scenario that never settles is a bug, not a long run. */
  maxEvents?: number;
  /** Return after this many events, leaving the rest queued (`run` again resumes): for guards. */
  pauseAfter?: number;
}

export interface SimulatorOptions {
  /**
   * Break ties between events due at the same virtual time by a key drawn from this stream instead
   * of scheduling order: a seeded permutation of concurrent events, for exploring races. Without
   * it, equal times run in the order they were scheduled.
   */
  shuffleTies?: RandomStream;
}

export class SimulationLimitError extends Error {
  override readonly name = 'SimulationLimitError';
}

/** The timer is its own queue entry; it lets go of its action once it ran or was cancelled. */
class ScheduledTimer implements Timer, Cancellable {
  slot = -1;

  constructor(
    private readonly queue: EventQueue,
    private action: Action | null,
    readonly time: Micros,
  ) {}

  fire(): void {
    const action = this.action!;
    this.action = null;
    action();
  }

  cancel(): void {
    this.queue.cancel(this);
    this.action = null;
  }
}

export class Simulator {
  private readonly queue = new EventQueue();
  private seq = 0;
  private current: Micros = 0;
  private executed = 0;
  private readonly ties: RandomStream | undefined;

  constructor(options: SimulatorOptions = {}) {
    this.ties = options.shuffleTies;
  }

  get now(): Micros {
    return this.current;
  }

  get eventsRun(): number {
    return this.executed;
  }

  /** When the next event is due, if any: a run paced by the wall clock sleeps until then. */
  get nextEventAt(): Micros | undefined {
    return this.queue.peekTime();
  }

  /** Events still to run (cancelled ones excluded). */
  get pending(): number {
    return this.queue.live;
  }

  schedule(delay: Micros, action: Action): Timer {
    if (!Number.isInteger(delay) || delay < 0) {
      throw new RangeError(`delay must be a non-negative integer number of microseconds, got ${delay}`);
    }
    return this.enqueue(this.current + delay, action);
  }

  /**
   * `schedule` for an event nobody will cancel (a packet in flight): it allocates no timer.
   * The delay must be a non-negative integer, as for `schedule`.
   */
  post(delay: Micros, action: Action): void {
    if (!Number.isInteger(delay) || delay < 0) {
      throw new RangeError(`delay must be a non-negative integer number of microseconds, got ${delay}`);
    }
    this.queue.push(this.current + delay, this.nextSeq(), action);
  }

  at(time: Micros, action: Action): Timer {
    if (!Number.isInteger(time) || time < this.current) {
      throw new RangeError(`cannot schedule at ${time}us: now is ${this.current}us`);
    }
    return this.enqueue(time, action);
  }

  /**
   * Arms `alarm` to fire at `time`, cancelling it first if it is pending: `at` for an event kept by
   * its owner for a long time (a registration's refresh, a binding's expiry), where the owner is
   * the queue's entry, so that no timer and no closure are kept per event. It is ordered exactly
   * as an `at` made at the same moment.
   */
  arm(alarm: Cancellable, time: Micros): void {
    if (!Number.isInteger(time) || time < this.current) {
      throw new RangeError(`cannot schedule at ${time}us: now is ${this.current}us`);
    }
    this.queue.cancel(alarm);
    this.queue.push(time, this.nextSeq(), alarm);
  }

  /** Cancels an armed alarm; one that already fired or was disarmed is ignored. */
  disarm(alarm: Cancellable): void {
    this.queue.cancel(alarm);
  }

  /** Runs events in order; false when it paused (`pauseAfter`) with events before `until` left. */
  run(limits: RunLimits = {}): boolean {
    const until = limits.until ?? Number.POSITIVE_INFINITY;
    const maxEvents = limits.maxEvents ?? Number.POSITIVE_INFINITY;
    const pauseAt = this.executed + (limits.pauseAfter ?? Number.POSITIVE_INFINITY);
    const queue = this.queue;
    for (;;) {
      const next = queue.peekTime();
      if (next === undefined || next > until) break;
      if (this.executed >= pauseAt) return false;
      if (this.executed >= maxEvents) {
        throw new SimulationLimitError(
          `more than ${maxEvents} events by ${formatTime(this.current)}: the run does not settle (raise limits.max-events if this is intended)`,
        );
      }
      const entry = queue.pop()!;
      this.current = next;
      this.executed++;
      if (typeof entry === 'function') entry();
      else entry.fire();
    }
    if (Number.isFinite(until) && until > this.current) this.current = until;
    return true;
  }

  private enqueue(time: Micros, action: Action): Timer {
    const timer = new ScheduledTimer(this.queue, action, time);
    this.queue.push(time, this.nextSeq(), timer);
    return timer;
  }

  /**
   * Insertion order, or with shuffled ties a drawn key (the insertion number stays in the low bits,
   * so keys stay unique and two equal draws still order the same way on every machine).
   */
  private nextSeq(): number {
    const seq = this.seq++;
    if (this.ties === undefined) return seq;
    return Math.floor(this.ties.next() * 2 ** 21) * 2 ** 31 + (seq % 2 ** 31);
  }
}
