import type { RegContact, RegInfo } from '../../bodies/reginfo.js';
import type { Simulator, Timer } from '../../kernel/simulator.js';
import { SECOND, type Micros } from '../../kernel/time.js';
import { createRequest } from '../../sip/builders.js';
import { header, type SipRequest } from '../../sip/message.js';
import { parseNameAddr } from '../../sip/name-addr.js';
import { parseContacts } from '../../sip/header-values.js';
import { formatUri, parseUri, type SipUri, type Uri } from '../../sip/uri.js';
import type { Binding, BindingChange } from './registrar.js';

/** 3GPP TS 24.229 5.4.2.1.2: the registrar grants reg-event subscriptions this long by default. */
export const REG_SUBSCRIPTION_SECONDS = 600_000;

interface Subscription {
  aor: string;
  callId: string;
  localTag: string;
  remoteFrom: string;
  remoteTarget: Uri;
  cseq: number;
  version: number;
  expiresAt: Micros;
  timer?: Timer;
}

export interface NotifierPorts {
  sim: Simulator;
  host: string;
  send(req: SipRequest, nextHop: string): void;
  bindings(aor: string): Binding[];
}

/**
 * RFC 3680 registration event package at the SIP/IP Core (CPM 5.1.6): an initial full NOTIFY after
 * each accepted SUBSCRIBE, then one NOTIFY per change for as long as the subscription lasts.
 */
export class RegEventNotifier {
  private readonly subs = new Map<string, Subscription[]>();

  constructor(private readonly ports: NotifierPorts) {}

  /** Records the subscription the caller has just accepted with `toTag`, and sends the initial NOTIFY. */
  accept(req: SipRequest, aor: string, toTag: string, seconds: number): void {
    const contact = parseContacts(header(req, 'Contact') ?? '');
    const target = contact === '*' || contact[0] === undefined ? parseNameAddr(header(req, 'From') ?? '').uri : contact[0].uri;
    const callId = header(req, 'Call-ID') ?? '';
    const existing = (this.subs.get(aor) ?? []).find((s) => s.callId === callId);
    existing?.timer?.cancel();
    const expiresAt = this.ports.sim.now + seconds * SECOND;
    const sub: Subscription = existing ?? {
      aor,
      callId,
      localTag: toTag,
      remoteFrom: header(req, 'From') ?? '',
      remoteTarget: target,
      cseq: 0,
      version: 0,
      expiresAt,
    };
    sub.expiresAt = expiresAt;
    sub.timer = this.ports.sim.at(expiresAt, () => this.drop(sub));
    if (existing === undefined) this.subs.set(aor, [...(this.subs.get(aor) ?? []), sub]);
    this.notify(sub, []);
  }

  /** The dialog tag already used for a refresh of an existing subscription, if any. */
  existingTag(aor: string, callId: string): string | undefined {
    return (this.subs.get(aor) ?? []).find((s) => s.callId === callId)?.localTag;
  }

  changed(aor: string, changes: BindingChange[]): void {
    for (const sub of this.subs.get(aor) ?? []) this.notify(sub, changes);
  }

  private drop(sub: Subscription): void {
    const left = (this.subs.get(sub.aor) ?? []).filter((s) => s !== sub);
    if (left.length === 0) this.subs.delete(sub.aor);
    else this.subs.set(sub.aor, left);
  }

  private notify(sub: Subscription, changes: BindingChange[]): void {
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
        { name: 'Subscription-State', value: `active;expires=${remaining}` },
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
