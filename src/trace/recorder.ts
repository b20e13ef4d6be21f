import type { NetEvent } from '../net/events.js';
import type { SipMessage } from '../sip/message.js';

export type TraceEvent = NetEvent<SipMessage>;

/** Keeps every network event of a run, in order: the one trace every output reads. */
export class TraceRecorder {
  readonly events: TraceEvent[] = [];

  readonly observer = (event: TraceEvent): void => {
    this.events.push(event);
  };
}
