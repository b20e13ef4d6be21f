/**
 * What a load run measures, as it happens: messages per entity and protocol (from the network),
 * latencies and notification outcomes (from what the users see), the deferred store and memory
 * (sampled). Nothing here sends or draws a random number, so measuring does not change the run.
 */
import type { ClientActivity } from '../cpm/actor.js';
import type { Micros } from '../kernel/time.js';
import type { TraceEvent } from '../trace/recorder.js';
import { isSip, protocolOf } from '../wire/payload.js';

/** The first label of a server's host names its role (cpm/naming.ts); devices are clients. */
const SERVER_ROLES = new Set(['core', 'cs', 'xdms', 'isf', 'iwf-sms', 'iwf-email', 'iwf-imps', 'smsc', 'mx', 'imps']);

export function entityOf(host: string): string {
  const role = host.slice(0, host.indexOf('.'));
  return SERVER_ROLES.has(role) ? role : 'client';
}

export type MessageModel = 'pager' | 'group' | 'non-cpm';

interface Sent {
  at: Micros;
  model: MessageModel;
  /** Whether a delivery notification was asked for: the entry then waits for it. */
  notify: boolean;
}

export interface Sample {
  at: Micros;
  deferred: number;
  events: number;
  heapUsedMiB: number;
  rssMiB: number;
}

export class LoadMetrics {
  /** `entity protocol` -> messages it sent. */
  readonly sentBy = new Map<string, number>();
  hops = 0;
  undeliverable = 0;
  /** Messages handed to an Interworking Function, by service. */
  readonly interworking = { sms: 0, email: 0 };
  /** What the traffic models did, by name (`pager`, `sessions`, `offline`...). */
  readonly actions = new Map<string, number>();
  readonly deliveryLatency: number[] = [];
  readonly notificationRoundTrip: number[] = [];
  /** `delivery: delivered`, `failed: 480`... */
  readonly outcomes = new Map<string, number>();
  readonly samples: Sample[] = [];
  private readonly inFlight = new Map<string, Sent>();

  constructor(private readonly now: () => Micros) {}

  readonly observer = (e: TraceEvent): void => {
    if (e.type === 'note') return;
    if (e.type === 'undeliverable') {
      this.undeliverable++;
      return;
    }
    this.hops++;
    const key = `${entityOf(e.from)} ${protocolOf(e.payload)}`;
    this.sentBy.set(key, (this.sentBy.get(key) ?? 0) + 1);
    const p = e.payload;
    if (isSip(p) && p.type === 'request' && p.method === 'MESSAGE' && e.to.startsWith('iwf-')) {
      if (e.to.startsWith('iwf-sms.')) this.interworking.sms++;
      else this.interworking.email++;
    }
  };

  readonly activity = (a: ClientActivity): void => {
    switch (a.type) {
      case 'received': {
        const key = `${a.sender}|${a.messageId}`;
        const sent = this.inFlight.get(key);
        if (sent === undefined) return;
        this.deliveryLatency.push(this.now() - sent.at);
        // A group message reaches every member: keep it for the next one.
        if (!sent.notify && sent.model !== 'group') this.inFlight.delete(key);
        return;
      }
      case 'notified': {
        const outcome = `${a.status.type}: ${a.status.status}`;
        this.count(this.outcomes, outcome);
        const key = `${a.aor}|${a.messageId}`;
        const sent = this.inFlight.get(key);
        if (sent === undefined || a.status.type !== 'delivery') return;
        this.notificationRoundTrip.push(this.now() - sent.at);
        if (sent.model !== 'group') this.inFlight.delete(key);
        return;
      }
      case 'failed':
        this.count(this.outcomes, `refused: ${a.status}`);
        this.inFlight.delete(`${a.aor}|${a.messageId}`);
        return;
    }
  };

  /** A message a traffic model sent, by its sender's address and its imdn.Message-ID. */
  sent(sender: string, messageId: string, model: MessageModel, notify: boolean): void {
    this.inFlight.set(`${sender}|${messageId}`, { at: this.now(), model, notify });
    this.action(model);
  }

  action(name: string): void {
    this.count(this.actions, name);
  }

  /** Messages that asked for a delivery notification and have none yet. */
  get awaitingNotification(): number {
    let n = 0;
    for (const s of this.inFlight.values()) if (s.notify) n++;
    return n;
  }

  private count(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }
}
