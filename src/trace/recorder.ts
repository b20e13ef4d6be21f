import type { NetEvent } from '../net/events.js';
import type { WirePayload } from '../wire/payload.js';

export type TraceEvent = NetEvent<WirePayload>;

/** Keeps every network event of a run, in order: the one trace every output reads. */
export class TraceRecorder {
  readonly events: TraceEvent[] = [];

  readonly observer = (event: TraceEvent): void => {
    this.events.push(event);
  };
}
