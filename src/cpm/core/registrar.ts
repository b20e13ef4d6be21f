import { intern } from '../../kernel/intern.js';
import type { Alarm, Simulator } from '../../kernel/simulator.js';
import { SECOND, type Micros } from '../../kernel/time.js';
import { internNameAddr } from '../../sip/interned.js';
import { formatNameAddr, type NameAddr } from '../../sip/name-addr.js';
import { formatUri, getParam, isSipUri } from '../../sip/uri.js';

export interface Binding {
  aor: string;
  /** Stable id of this binding in reginfo documents (RFC 3680 5.3). */
  id: string;
  contact: NameAddr;
  /** CPM 5.1.2.3 Unique User Agent Identifier (+sip.instance), when the client gave one. */
  instance?: string;
  expiresAt: Micros;
  callId: string;
  cseq: number;
  /** The host the REGISTER that made the binding came from: without digest, only it may change it. */
  source: string;
}

export type BindingEvent = 'registered' | 'refreshed' | 'shortened' | 'expired' | 'unregistered';

export interface BindingChange {
  binding: Binding;
  event: BindingEvent;
  /** A refresh whose Contact parameters differ: the client's capabilities changed (CPM 5.1.1.1). */
  paramsChanged?: boolean;
}

export interface ContactUpdate {
  contact: NameAddr;
  expires: number;
}

/**
 * RFC 3261 10.3 location service: bindings keyed by AOR and, within it, by instance id (or by the
 * contact URI for clients without one), each removed when it expires.
 */
export class Registrar {
  private readonly table = new Map<string, StoredBinding[]>();
  /**
   * Contact host to the AORs with a binding there, and how many: who is served at a host, without a
   * scan. Most hosts are one device's, with one AOR: kept as that AOR and its count, not as a map.
   */
  private readonly byHost = new Map<string, OneAor | Map<string, number>>();
  private nextId = 1;

  constructor(
    private readonly sim: Simulator,
    private readonly onExpired: (aor: string, changes: BindingChange[]) => void,
  ) {}

  bindings(aor: string): readonly Binding[] {
    return this.stored(aor);
  }

  /** The AORs that have a binding whose contact names `host`, in no particular order. */
  aorsAt(host: string): Iterable<string> {
    const aors = this.byHost.get(host);
    if (aors === undefined) return [];
    return aors instanceof Map ? aors.keys() : [aors.aor];
  }

  /** Applies a REGISTER's contacts (RFC 3261 10.3 steps 7-8) and says what changed. */
  update(aor: string, updates: ContactUpdate[], callId: string, cseq: number, source: string): BindingChange[] {
    const list = [...this.stored(aor)];
    const changes: BindingChange[] = [];
    for (const { contact, expires } of updates) {
      const instance = getParam(contact.params, '+sip.instance');
      const key = contactKey(contact);
      const at = list.findIndex((b) => bindingKey(b) === key);
      const existing = at < 0 ? undefined : list[at];
      if (expires === 0) {
        if (existing !== undefined) {
          list.splice(at, 1);
          this.sim.disarm(existing);
          changes.push({ binding: existing, event: 'unregistered' });
        }
        continue;
      }
      const expiresAt = this.sim.now + expires * SECOND;
      const binding = new StoredBinding(this, aor, existing?.id ?? `b${this.nextId++}`, contact, instance, expiresAt, callId, cseq, source);
      if (existing === undefined) {
        list.push(binding);
        changes.push({ binding, event: 'registered' });
      } else {
        this.sim.disarm(existing);
        list[at] = binding;
        const paramsChanged = featureParams(contact) !== featureParams(existing.contact);
        changes.push({ binding, event: expiresAt < existing.expiresAt ? 'shortened' : 'refreshed', ...(paramsChanged && { paramsChanged }) });
      }
      this.sim.arm(binding, expiresAt);
    }
    this.store(aor, list);
    return changes;
  }

  /**
   * RFC 3261 10.3 steps 6 and 7: a binding the REGISTER would change (any of the AOR's for a wildcard)
   * that was made with the same Call-ID and a CSeq not lower than the request's: a REGISTER that
   * arrived out of order, whose update must be aborted and the request fail. Undefined if none.
   */
  outOfOrder(aor: string, contacts: readonly NameAddr[] | '*', callId: string, cseq: number): Binding | undefined {
    const keys = contacts === '*' ? undefined : new Set(contacts.map(contactKey));
    return this.stored(aor).find((b) => b.callId === callId && b.cseq >= cseq && (keys === undefined || keys.has(bindingKey(b))));
  }

  /**
   * Without authentication, a REGISTER from `source` may change only the bindings that host made
   * (RFC 3261 10.3 step 3: a registrar authorizes changes to an AOR's bindings): the key a contact
   * update would change, or any of the AOR's bindings for a wildcard, made by another host.
   */
  madeElsewhere(aor: string, contacts: NameAddr[] | '*', source: string): Binding | undefined {
    const list = this.bindings(aor);
    if (contacts === '*') return list.find((b) => b.source !== source);
    const keys = new Set(contacts.map(contactKey));
    return list.find((b) => b.source !== source && keys.has(bindingKey(b)));
  }

  removeAll(aor: string): BindingChange[] {
    const gone = this.stored(aor);
    for (const b of gone) this.sim.disarm(b);
    this.store(aor, []);
    return gone.map((binding) => ({ binding, event: 'unregistered' as const }));
  }

  /** Seconds left on a binding, as the 200 OK to REGISTER reports it. */
  remaining(b: Binding): number {
    return Math.max(0, Math.ceil((b.expiresAt - this.sim.now) / SECOND));
  }

  /** RFC 3261 10.3: a binding not refreshed in time is removed (its alarm calls this). */
  expire(b: StoredBinding): void {
    this.store(b.aor, this.stored(b.aor).filter((x) => x !== b));
    this.onExpired(b.aor, [{ binding: b, event: 'expired' }]);
  }

  private stored(aor: string): StoredBinding[] {
    return this.table.get(aor) ?? [];
  }

  private store(aor: string, list: StoredBinding[]): void {
    for (const b of this.stored(aor)) this.index(b, -1);
    if (list.length === 0) this.table.delete(aor);
    // A copy of its own length: the list grew by push, and kept the spare capacity it grew by.
    else this.table.set(aor, list.slice());
    for (const b of list) this.index(b, 1);
  }

  private index(b: Binding, delta: 1 | -1): void {
    if (!isSipUri(b.contact.uri)) return;
    const host = b.contact.uri.host;
    let aors = this.byHost.get(host);
    if (aors === undefined) {
      if (delta > 0) this.byHost.set(host, { aor: b.aor, count: delta });
      return;
    }
    if (!(aors instanceof Map)) {
      if (aors.aor === b.aor) {
        aors.count += delta;
        if (aors.count === 0) this.byHost.delete(host);
        return;
      }
      if (delta < 0) return;
      // A second AOR at the host: a map, in the order the AORs came.
      this.byHost.set(host, (aors = new Map([[aors.aor, aors.count]])));
    }
    const count = (aors.get(b.aor) ?? 0) + delta;
    if (count > 0) aors.set(b.aor, count);
    else aors.delete(b.aor);
    if (aors.size === 0) this.byHost.delete(host);
  }
}

/** A binding as the registrar keeps it: its own expiry timer (an alarm), so it keeps no timer or closure. */
class StoredBinding implements Binding, Alarm {
  slot = -1;
  readonly aor: string;
  readonly contact: NameAddr;
  readonly instance?: string;
  readonly callId: string;
  readonly source: string;

  constructor(
    private readonly registrar: Registrar,
    aor: string,
    readonly id: string,
    contact: NameAddr,
    instance: string | true | undefined,
    readonly expiresAt: Micros,
    callId: string,
    readonly cseq: number,
    source: string,
  ) {
    // Kept as long as the registration: interned, not slices of the REGISTER (see interned.ts).
    this.aor = intern(aor);
    this.contact = internNameAddr(contact);
    if (typeof instance === 'string') this.instance = intern(instance);
    this.callId = intern(callId);
    this.source = intern(source);
  }

  fire(): void {
    this.registrar.expire(this);
  }
}

/** The AOR of every binding at a host that has one AOR's only, and how many. */
interface OneAor {
  readonly aor: string;
  count: number;
}

function bindingKey(b: Binding): string {
  return b.instance ?? formatUri(b.contact.uri);
}

function contactKey(contact: NameAddr): string {
  const instance = getParam(contact.params, '+sip.instance');
  return typeof instance === 'string' ? instance : formatUri(contact.uri);
}

/** The Contact with the parameters that describe the client (RFC 3840 feature tags), not its lifetime or q. */
function featureParams(contact: NameAddr): string {
  return formatNameAddr({ uri: contact.uri, params: contact.params.filter((p) => !['q', 'expires'].includes(p.name.toLowerCase())) });
}
