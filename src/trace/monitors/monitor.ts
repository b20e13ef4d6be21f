import type { Micros } from '../../kernel/time.js';
import type { TraceEvent } from '../recorder.js';

/** What a monitor reads of a finished run: the trace, and which hosts are the users' devices. */
export interface MonitorInput {
  events: readonly TraceEvent[];
  /** Device host to the address of the user it belongs to (`phone.alice.a.example` -> `sip:alice@a.example`). */
  clients: ReadonlyMap<string, string>;
  /** Virtual time the run stopped at. */
  endUs: Micros;
}

/** One broken invariant, located at the trace event that shows it. */
export interface Violation {
  monitor: string;
  at: Micros;
  /** The trace event the reader should look at (its `id`). */
  eventId: number;
  message: string;
}

/**
 * An invariant checked over a run's trace. A monitor only observes: it reads the events the
 * network reported, never an actor's memory, so it holds for any implementation of the elements.
 */
export interface Monitor {
  readonly name: string;
  /** One line saying what holds when there is no violation. */
  readonly holds: string;
  check(input: MonitorInput): Violation[];
}
