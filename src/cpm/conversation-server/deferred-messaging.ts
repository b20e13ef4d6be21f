import type { Timer } from '../../kernel/simulator.js';
import { SECOND, type Micros } from '../../kernel/time.js';
import { createRequest } from '../../sip/builders.js';
import { header, pushHeader, type Header, type SipRequest } from '../../sip/message.js';
import { parseNameAddr } from '../../sip/name-addr.js';
import { parseUri } from '../../sip/uri.js';
import type { ServicePolicy } from '../preferences.js';
import { CONTRIBUTION_ID, CONVERSATION_ID, IN_REPLY_TO_CONTRIBUTION_ID } from '../service.js';
import { messageIdentity } from '../message-identity.js';
import type { ServerPorts } from './ports.js';
import { reportOn } from './report.js';

interface Held {
  aor: string;
  request: SipRequest;
  expiresAt: Micros;
  timer: Timer;
  extended: boolean;
}

/** Headers of the original a deferred copy keeps: identity, service indication, threading. */
const KEPT = ['P-Asserted-Identity', 'Accept-Contact', 'P-Preferred-Service', CONVERSATION_ID, CONTRIBUTION_ID, IN_REPLY_TO_CONTRIBUTION_ID];

/**
 * CPM 5.2.2.2 deferred messaging at the terminating Conversation Server: holds messages for a user
 * with no reachable client, within the provider's limits, until the user is back (then delivers
 * them) or the hold time ends (then discards with a negative notification, moves them to network
 * storage, or holds them once more, per policy). Every message ends delivered, stored or reported.
 */
export class DeferredMessaging {
  private readonly held = new Map<string, Held[]>();
  /** CPM 5.6 network storage: where expired messages go under the `store` policy. */
  readonly storage: SipRequest[] = [];

  constructor(
    private readonly ports: ServerPorts,
    private readonly policy: ServicePolicy,
  ) {}

  count(aor: string): number {
    return this.held.get(aor)?.length ?? 0;
  }

  /** Messages held for all users. */
  get size(): number {
    let n = 0;
    for (const list of this.held.values()) n += list.length;
    return n;
  }

  /** CPM 5.2.2.2.1: store the message; false when the provider's limit for the user is reached. */
  defer(aor: string, req: SipRequest): boolean {
    const list = this.held.get(aor) ?? [];
    if (list.length >= this.policy.maxDeferred) return false;
    const expiresAt = this.ports.sim.now + this.holdTime(req);
    const entry: Held = { aor, request: req, expiresAt, extended: false, timer: this.ports.sim.at(expiresAt, () => this.expire(entry)) };
    list.push(entry);
    this.held.set(aor, list);
    this.ports.note(`deferred (${list.length} held)`, messageIdentity(req));
    return true;
  }

  /** The user is reachable again: deliver everything held for it, oldest first. */
  deliverAll(aor: string): void {
    const list = this.held.get(aor) ?? [];
    this.held.delete(aor);
    for (const entry of list) {
      entry.timer.cancel();
      this.deliver(entry);
    }
  }

  /** A sender's Expires (RFC 3428 8) can only shorten the provider's maximum hold time. */
  private holdTime(req: SipRequest): Micros {
    const expires = Number(header(req, 'Expires'));
    return Number.isFinite(expires) && expires >= 0 ? Math.min(expires * SECOND, this.policy.maxHold) : this.policy.maxHold;
  }

  private expire(entry: Held): void {
    const list = (this.held.get(entry.aor) ?? []).filter((e) => e !== entry);
    if (list.length === 0) this.held.delete(entry.aor);
    else this.held.set(entry.aor, list);
    const onExpiry = this.policy.onExpiry === 'extend' && entry.extended ? 'discard' : this.policy.onExpiry;
    switch (onExpiry) {
      case 'extend':
        entry.extended = true;
        entry.expiresAt = this.ports.sim.now + this.policy.maxHold;
        entry.timer = this.ports.sim.at(entry.expiresAt, () => this.expire(entry));
        this.held.set(entry.aor, [...list, entry]);
        this.ports.note('hold time extended');
        return;
      case 'store':
        this.storage.push(entry.request);
        this.ports.note('moved to network storage', messageIdentity(entry.request));
        reportOn(this.ports, entry.request, 'processing', { type: 'processing', status: 'stored' });
        return;
      case 'discard':
        // C.3.1.4.3 steps 6-7: discarded, and the sender told if it asked for negative delivery.
        this.ports.note('discarded on expiry');
        reportOn(this.ports, entry.request, 'negative-delivery', { type: 'delivery', status: 'failed' });
        return;
    }
  }

  /** Sends a deferred message on to the user's clients, as a new request from this server. */
  private deliver(entry: Held): void {
    const original = entry.request;
    const req = createRequest({
      method: 'MESSAGE',
      uri: parseUri(entry.aor),
      from: parseNameAddr(header(original, 'From') ?? ''),
      to: parseNameAddr(header(original, 'To') ?? ''),
      callId: this.ports.stack.newCallId(),
      cseq: 1,
      extra: KEPT.flatMap((name): Header[] => {
        const value = header(original, name);
        return value === undefined ? [] : [{ name, value }];
      }),
      ...(original.body === undefined ? {} : { body: original.body }),
    });
    // Terminating service is done: the core continues the chain to the user's contacts.
    pushHeader(req, 'Route', `<sip:${this.ports.coreHost};lr;odi=term>`);
    this.ports.stack.request(req, this.ports.coreHost, (res) => {
      if (res.status < 300) return;
      // Not reachable after all: hold it again, keeping its original hold time.
      this.ports.note(`deferred delivery failed: ${res.status}; held again`);
      const list = this.held.get(entry.aor) ?? [];
      entry.timer = this.ports.sim.at(Math.max(entry.expiresAt, this.ports.sim.now), () => this.expire(entry));
      this.held.set(entry.aor, [...list, entry]);
    });
  }
}
