import type { RegContact, RegInfo } from '../../bodies/reginfo.js';
import { intern } from '../../kernel/intern.js';
import type { Alarm, Simulator } from '../../kernel/simulator.js';
import { SECOND, type Micros } from '../../kernel/time.js';
import { createRequest } from '../../sip/builders.js';
import { internOptional, internUri } from '../../sip/interned.js';
import { header, type SipRequest } from '../../sip/message.js';
import { parseNameAddr, tagOf } from '../../sip/name-addr.js';
import { parseContacts } from '../../sip/header-values.js';
import { formatUri, parseUri, type SipUri, type Uri } from '../../sip/uri.js';
import type { Binding, BindingChange } from './registrar.js';

/** 3GPP TS 24.229 5.4.2.1.2: the registrar grants reg-event subscriptions this long by default. */
export const REG_SUBSCRIPTION_SECONDS = 600_000;

/** A subscription is its own expiry timer (an alarm), so it keeps no timer or closure. */
class Subscription implements Alarm {
  slot = -1;
  cseq = 0;
  version = 0;

  readonly aor: string;
  readonly callId: string;
  readonly localTag: string;
  readonly remoteFrom: string;
  readonly remoteTarget: Uri;
  /** Where the SUBSCRIBE that made it came from: its refreshes must come from there too. */
  readonly subscriberHop: string | undefined;

  constructor(
    private readonly notifier: RegEventNotifier,
    aor: string,
    callId: string,
    localTag: string,
    remoteFrom: string,
    remoteTarget: Uri,
    public expiresAt: Micros,
    subscriberHop: string | undefined,
  ) {
    // Kept as long as the registration: interned, not slices of the SUBSCRIBE (see interned.ts).
    this.aor = intern(aor);
    this.callId = intern(callId);
    this.localTag = intern(localTag);
    this.remoteFrom = intern(remoteFrom);
    this.remoteTarget = internUri(remoteTarget);
    this.subscriberHop = internOptional(subscriberHop);
  }

  /** RFC 6665 4.2.2: a subscription not refreshed in time ends, and the subscriber is told. */
  fire(): void {
    this.notifier.end(this, 'timeout');
  }
}

export interface NotifierPorts {
  sim: Simulator;
  host: string;
  send(req: SipRequest, nextHop: string): void;
  bindings(aor: string): readonly Binding[];
}

/**
 * RFC 3680 registration event package at the SIP/IP Core (CPM 5.1.6): an initial full NOTIFY after
 * each accepted SUBSCRIBE, then one NOTIFY per change for as long as the subscription lasts: until
 * it expires, is ended by its subscriber, or the registration it watches is terminated.
 */
export class RegEventNotifier {
  private readonly subs = new Map<string, Subscription[]>();

  constructor(private readonly ports: NotifierPorts) {}

  /**
   * Records the subscription the caller has just accepted with `toTag` from `subscriberHop`, and
   * sends the initial NOTIFY.
   */
  accept(req: SipRequest, aor: string, toTag: string, seconds: number, subscriberHop: string | undefined): void {
    const contact = parseContacts(header(req, 'Contact') ?? '');
    const target = contact === '*' || contact[0] === undefined ? parseNameAddr(header(req, 'From') ?? '').uri : contact[0].uri;
    const callId = header(req, 'Call-ID') ?? '';
    const existing = (this.subs.get(aor) ?? []).find((s) => s.callId === callId);
    const expiresAt = this.ports.sim.now + seconds * SECOND;
    const sub = existing ?? new Subscription(this, aor, callId, toTag, header(req, 'From') ?? '', target, expiresAt, subscriberHop);
    sub.expiresAt = expiresAt;
    this.ports.sim.arm(sub, expiresAt);
    if (existing === undefined) {
      // `[sub]` for the usual first one: a spread of an empty list kept spare capacity for 16.
      const list = this.subs.get(aor);
      this.subs.set(sub.aor, list === undefined ? [sub] : [...list, sub]);
    }
    this.notify(sub, []);
  }

  /** The subscription whose dialog `req` is in (RFC 3261 12.2.2: Call-ID and both tags), if any. */
  subscriptionOf(req: SipRequest): { aor: string; localTag: string; subscriberHop: string | undefined } | undefined {
    const callId = header(req, 'Call-ID') ?? '';
    const toTag = tagOf(header(req, 'To'));
    const fromTag = tagOf(header(req, 'From'));
    for (const list of this.subs.values()) {
      const sub = list.find((s) => s.callId === callId && s.localTag === toTag && tagOf(s.remoteFrom) === fromTag);
      if (sub !== undefined) return sub;
    }
    return undefined;
  }

  /** RFC 6665 4.2.2: the subscription ends; its last NOTIFY says so, with `reason`. */
  end(which: { aor: string; localTag: string }, reason: string): void {
    const sub = (this.subs.get(which.aor) ?? []).find((s) => s.localTag === which.localTag);
    if (sub === undefined) return;
    this.ports.sim.disarm(sub);
    this.drop(sub);
    this.notify(sub, [], `terminated;reason=${reason}`);
  }

  /** The dialog tag already used for a refresh of an existing subscription, if any. */
  existingTag(aor: string, callId: string): string | undefined {
    return (this.subs.get(aor) ?? []).find((s) => s.callId === callId)?.localTag;
  }

  /**
   * A change of the AOR's bindings goes to every subscriber. When it leaves no binding, the
   * registration is terminated (RFC 3680 4.7.1), and the NOTIFY that says so also ends the
   * subscription (3GPP TS 24.229 5.4.2.1.2): `noresource`, the state watched is gone (RFC 6665
   * 4.2.2), so the watcher subscribes again once the user registers again, not at once.
   */
  changed(aor: string, changes: BindingChange[]): void {
    const gone = this.ports.bindings(aor).length === 0;
    for (const sub of this.subs.get(aor) ?? []) {
      if (!gone) {
        this.notify(sub, changes);
        continue;
      }
      this.ports.sim.disarm(sub);
      this.drop(sub);
      this.notify(sub, changes, 'terminated;reason=noresource');
    }
  }

  private drop(sub: Subscription): void {
    const left = (this.subs.get(sub.aor) ?? []).filter((s) => s !== sub);
    if (left.length === 0) this.subs.delete(sub.aor);
    else this.subs.set(sub.aor, left);
  }

  private notify(sub: Subscription, changes: BindingChange[], state?: string): void {
    const { host, sim } = this.ports;
    const remaining = Math.max(0, Math.ceil((sub.expiresAt - sim.now) / SECOND));
    const aorUri = parseUri(sub.aor);
    const req = createRequest({
      method: 'NOTIFY',
      uri: sub.remoteTarget,
      from: { uri: aorUri, params: [{ name: 'tag', value: sub.localTag }] },
      to: parseNameAddr(sub.remoteFrom),
      callId: sub.callId,
      cseq: ++sub.cseq,
      contact: { uri: { scheme: 'sip', host, params: [], headers: [] }, params: [] },
      extra: [
        { name: 'Event', value: 'reg' },
        { name: 'Subscription-State', value: state ?? `active;expires=${remaining}` },
      ],
      body: { kind: 'reginfo', contentType: 'application/reginfo+xml', reginfo: this.document(sub, changes) },
    });
    this.ports.send(req, (sub.remoteTarget as SipUri).host);
  }

  private document(sub: Subscription, changes: BindingChange[]): RegInfo {
    const active = this.ports.bindings(sub.aor);
    const changed = new Map(changes.map((c) => [c.binding.id, c.event]));
    const contacts: RegContact[] = active.map((b) => regContact(b, 'active', changed.get(b.id) ?? 'registered', this.remaining(b)));
    for (const c of changes) {
      if (c.event === 'expired' || c.event === 'unregistered') contacts.push(regContact(c.binding, 'terminated', c.event, 0));
    }
    return {
      version: sub.version++,
      state: 'full',
      registrations: [{ aor: sub.aor, id: `reg-${sub.aor}`, state: active.length > 0 ? 'active' : 'terminated', contacts }],
    };
  }

  private remaining(b: Binding): number {
    return Math.max(0, Math.ceil((b.expiresAt - this.ports.sim.now) / SECOND));
  }
}

function regContact(b: Binding, state: RegContact['state'], event: RegContact['event'], expires: number): RegContact {
  // RFC 3680 5.2: every Contact parameter but those with attributes of their own (q, expires),
  // so that a watcher sees the feature tags (RFC 3840) a client registered its capabilities with.
  const unknownParams = b.contact.params
    .filter((p) => !['q', 'expires'].includes(p.name.toLowerCase()))
    .map((p) => (p.value === undefined ? { name: p.name } : { name: p.name, value: p.value }));
  return { id: b.id, state, event, expires, uri: formatUri(b.contact.uri), unknownParams };
}
