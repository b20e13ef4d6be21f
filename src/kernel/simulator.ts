import { EventQueue, type QueuedEvent } from './event-queue.js';
import type { RandomStream } from './random.js';
import { formatTime, type Micros } from './time.js';

/** A scheduled action; `cancel()` marks it so the loop skips it (no queue scan). */
export interface Timer {
  readonly time: Micros;
  cancel(): void;
}

export interface RunLimits {
  /** Stop (normally) once the next event lies beyond this virtual time. */
  until?: Micros;
  /** Fail if more events than this run: a scenario that never settles is a bug, not a long run. */
  maxEvents?: number;
}

export class SimulationLimitError extends Error {
  override readonly name = 'SimulationLimitError';
}

export interface SimulatorOptions {
  /** Break ties in time by a key drawn from this stream instead of insertion order (cpmsim explore). */
  shuffleTies?: RandomStream;
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

  schedule(delay: Micros, action: () => void): Timer {
    if (!Number.isInteger(delay) || delay < 0) {
      throw new RangeError(`delay must be a non-negative integer number of microseconds, got ${delay}`);
    }
    return this.enqueue(this.current + delay, action);
  }

  at(time: Micros, action: () => void): Timer {
    if (!Number.isInteger(time) || time < this.current) {
      throw new RangeError(`cannot schedule at ${time}us: now is ${this.current}us`);
    }
    return this.enqueue(time, action);
  }

  run(limits: RunLimits = {}): void {
    const until = limits.until ?? Number.POSITIVE_INFINITY;
    const maxEvents = limits.maxEvents ?? Number.POSITIVE_INFINITY;
    for (;;) {
      const next = this.queue.peek();
      if (next === undefined || next.time > until) break;
      this.queue.pop();
      if (next.cancelled) continue;
      if (this.executed >= maxEvents) {
        throw new SimulationLimitError(
          `more than ${maxEvents} events by ${formatTime(this.current)}: the run does not settle (raise limits.max-events if this is intended)`,
        );
      }
      this.current = next.time;
      this.executed++;
      next.action();
    }
    if (Number.isFinite(until) && until > this.current) this.current = until;
  }

  private enqueue(time: Micros, action: () => void): Timer {
    const event: QueuedEvent = { time, seq: this.ties === undefined ? this.seq++ : this.ties.next(), action, cancelled: false };
    this.queue.push(event);
    return {
      time,
      cancel: () => {
        event.cancelled = true;
      },
    };
  }
}
