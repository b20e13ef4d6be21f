/**
 * Tracing that keeps only counts: messages by protocol and kind (the `protocol` and `kind` of a
 * JSON-lines trace), undeliverable messages and notes. Memory does not grow with the run.
 */
import { protocolOf, type ProtocolName } from '../wire/payload.js';
import type { MessageKind } from './describe.js';
import type { TraceEvent } from './recorder.js';
import { messageKind } from './wire-format.js';

export interface EventCounts {
  /** Messages put on a link, by protocol and kind. */
  transmitted: Partial<Record<ProtocolName, Partial<Record<MessageKind, number>>>>;
  undeliverable: number;
  notes: number;
}

export class EventCounter {
  private readonly byProtocol = new Map<ProtocolName, Map<MessageKind, number>>();
  private lost = 0;
  private noted = 0;

  readonly observer = (event: TraceEvent): void => {
    if (event.type === 'note') {
      this.noted++;
      return;
    }
    if (event.type === 'undeliverable') {
      this.lost++;
      return;
    }
    const protocol = protocolOf(event.payload);
    let kinds = this.byProtocol.get(protocol);
    if (kinds === undefined) {
      kinds = new Map();
      this.byProtocol.set(protocol, kinds);
    }
    const kind = messageKind(event.payload);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  };

  /** The counts so far, protocols and kinds in name order so the output is the same every run. */
  counts(): EventCounts {
    const transmitted: EventCounts['transmitted'] = {};
    for (const protocol of [...this.byProtocol.keys()].sort()) {
      const kinds = this.byProtocol.get(protocol)!;
      transmitted[protocol] = Object.fromEntries([...kinds].sort(([a], [b]) => (a < b ? -1 : 1)));
    }
    return { transmitted, undeliverable: this.lost, notes: this.noted };
  }
}
