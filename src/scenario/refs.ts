/**
 * Resolves the names a scenario uses for parts of its network: device refs (`alice.phone`,
 * `alice@a.example/phone`), user addresses, lifeline refs and message targets.
 */
import { SERVER_ROLES, type DeviceSpec, type NetworkSpec, type ServerRole, type UserSpec } from './spec.js';
import { hint } from './suggest.js';
import { isDomainName, splitAddress } from './network.js';
import type { Value } from './yaml-reader.js';

/** `rest of a.example`: the part of a domain no other lifeline names. */
export const REST_OF = 'rest of ';
const URI_SCHEMES = ['sip', 'sips', 'tel', 'mailto', 'wv'];
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

function isServerRole(text: string): text is ServerRole {
  return (SERVER_ROLES as readonly string[]).includes(text);
}

export class Directory {
  private readonly users = new Map<string, UserSpec>();
  private readonly groups: Set<string>;
  private readonly usersByLocal = new Map<string, UserSpec[]>();
  private readonly domains: string[];
  private readonly deviceIds: string[];
  private readonly external: ReadonlySet<string>;
  private readonly deviceIdDomains: Map<string, string>;
  private readonly nonCpmUsers: string[];
  private readonly smsUsers: string[];
  /** Value-added-service applications by name, to their hosts. */
  private readonly applications: Map<string, string>;

  constructor(network: NetworkSpec) {
    for (const user of network.users) {
      this.users.set(user.address, user);
      this.usersByLocal.set(user.local, [...(this.usersByLocal.get(user.local) ?? []), user]);
    }
    // Non-CPM systems' domains can be named by lifelines (`smsc.sms.example`, `*@sms.example`).
    this.domains = [...network.domains.map((domain) => domain.name), ...(network.nonCpm ?? []).map((system) => system.domain)];
    this.nonCpmUsers = (network.nonCpm ?? []).flatMap((system) => system.users);
    this.smsUsers = (network.nonCpm ?? []).filter((system) => system.service === 'sms').flatMap((system) => system.users);
    this.groups = new Set((network.groups ?? []).map((group) => group.address));
    this.deviceIds = network.users.flatMap((user) => user.devices.map((device) => device.id));
    this.deviceIdDomains = new Map(network.users.flatMap((user) => user.devices.map((device): [string, string] => [device.id, user.domain])));
    this.applications = new Map((network.applications ?? []).map((app) => [app.name, app.host]));
    this.external = new Set(network.users.flatMap((user) => user.devices.filter((device) => device.external !== undefined).map((device) => device.id)));
  }

  /**
   * A device the timeline acts on: a simulated one. A device declared `external` is played by a
   * real client through cpmsim live (docs/live.md), which does what its own user tells it.
   */
  simulatedDevice(value: Value): string {
    const id = this.device(value);
    if (this.external.has(id)) value.fail(`${id} is external: a real client plays it in cpmsim live, so the timeline cannot act for it`);
    return id;
  }

  /** `devices`, for the timeline: a user address stands for its simulated devices only. */
  simulatedDevices(value: Value): string[] {
    for (const item of value.oneOrMany()) {
      const ref = item.string();
      if (!(ref.includes('@') && !ref.includes('/'))) this.simulatedDevice(item);
    }
    const ids = this.devices(value).filter((id) => !this.external.has(id));
    if (ids.length === 0) value.fail('names only external devices, which real clients play in cpmsim live');
    return ids;
  }

  /** A single device, as its canonical id. */
  device(value: Value): string {
    const found = this.findDevice(value.string());
    return typeof found === 'string' ? value.fail(found) : found.id;
  }

  /** Device refs or user addresses (all of that user's devices), one or a list, as canonical ids. */
  devices(value: Value): string[] {
    const items = value.oneOrMany();
    if (items.length === 0) value.fail('lists no devices');
    const ids: string[] = [];
    for (const item of items) {
      const ref = item.string();
      const user = ref.includes('@') && !ref.includes('/') ? this.user(item, ref) : undefined;
      for (const id of user ? user.devices.map((device) => device.id) : [this.device(item)]) {
        if (ids.includes(id)) item.fail(`${id} is listed twice`);
        ids.push(id);
      }
    }
    return ids;
  }

  /**
   * A lifeline ref: a device (canonical id), `*@domain`, `rest of domain` (the hosts of the domain
   * no other lifeline names; stored as `*@domain`, which projection reads that way), or `role.domain`.
   */
  lifelineRef(value: Value): string {
    const ref = value.string();
    if (ref.startsWith('*@')) return `*@${this.domain(value, ref.slice(2))}`;
    if (ref.startsWith(REST_OF)) return `*@${this.domain(value, ref.slice(REST_OF.length))}`;
    const dot = ref.indexOf('.');
    const role = ref.slice(0, dot);
    const rest = ref.slice(dot + 1);
    // A user may be called `core`; its devices win unless the rest names a domain.
    if (dot > 0 && isServerRole(role) && (this.domains.includes(rest) || !this.usersByLocal.has(role))) {
      return `${role}.${this.domain(value, rest)}`;
    }
    const app = this.applications.get(ref);
    if (app !== undefined) return app;
    if (dot < 0 && !ref.includes('@')) {
      value.fail(
        `'${ref}' is not a lifeline ref: use a device (alice.phone), an application, all of a domain (*@a.example) ` +
          `or a server (${SERVER_ROLES.map((server) => `${server}.a.example`).join(', ')})`,
      );
    }
    return this.device(value);
  }

  /** The domain of a lifeline ref that names one host (a device id or `role.domain`). */
  hostDomain(ref: string): string | undefined {
    const device = this.deviceIdDomains.get(ref);
    if (device !== undefined) return device;
    const dot = ref.indexOf('.');
    return dot > 0 && isServerRole(ref.slice(0, dot)) ? ref.slice(dot + 1) : undefined;
  }

  /** A subscriber of a non-CPM system, e.g. `tel:+15559870001`; of its SMS system if `service` says so. */
  nonCpmUser(value: Value, service?: 'sms'): string {
    const address = value.string();
    const users = service === 'sms' ? this.smsUsers : this.nonCpmUsers;
    if (users.includes(address)) return address;
    const what = service === 'sms' ? 'an SMS subscriber' : 'a user of a non-CPM system';
    return value.fail(`${address} is not ${what}${hint(address, users, service === 'sms' ? 'SMS subscribers are' : 'non-CPM users are')}`);
  }

  /** An application of `network.applications`, by name. */
  application(value: Value): string {
    const name = value.string();
    if (this.applications.has(name)) return name;
    return value.fail(`unknown application ${name}${hint(name, [...this.applications.keys()], 'applications are')}`);
  }

  /** A user's address, e.g. in a message pattern. */
  userAddress(value: Value): string {
    return this.user(value, value.string()).address;
  }

  /** `send.to`: a user or group address becomes a SIP URI; URIs with a known scheme are kept as written. */
  target(value: Value): string {
    const to = value.string();
    const scheme = SCHEME.exec(to)?.[1];
    if (scheme !== undefined) {
      if (!URI_SCHEMES.includes(scheme.toLowerCase())) {
        value.fail(`unsupported URI scheme '${scheme}': use ${URI_SCHEMES.join(', ')}`);
      }
      return to;
    }
    const parts = splitAddress(to);
    if (!parts) value.fail(`'${to}' is not a user address like bob@b.example or a URI like sip:bob@b.example`);
    // Addresses in undeclared domains are allowed: scenarios target unknown domains on purpose.
    if (this.domains.includes(parts.domain) && !this.users.has(to) && !this.groups.has(to)) {
      value.fail(this.unknownUser(to));
    }
    return `sip:${to}`;
  }

  private user(value: Value, address: string): UserSpec {
    return this.users.get(address) ?? value.fail(this.unknownUser(address));
  }

  private unknownUser(address: string): string {
    return `unknown user ${address}${hint(address, [...this.users.keys()], 'users are')}`;
  }

  private domain(value: Value, name: string): string {
    if (this.domains.includes(name)) return name;
    const what = isDomainName(name) ? `unknown domain ${name}` : `'${name}' is not a domain name`;
    return value.fail(`${what}${hint(name, this.domains, 'domains are')}`);
  }

  /** The device a ref names, or why there is none. */
  private findDevice(ref: string): DeviceSpec | string {
    const slash = ref.indexOf('/');
    if (slash >= 0) {
      const address = ref.slice(0, slash);
      const user = this.users.get(address);
      if (!user) return this.unknownUser(address);
      return this.deviceOf(user, ref.slice(slash + 1), ref);
    }
    if (ref.includes('@')) {
      const example = this.users.get(ref)?.devices[0]?.id ?? 'alice.phone';
      return `expected a device, got the user ${ref}; name one of its devices, e.g. ${example}`;
    }
    const dot = ref.lastIndexOf('.');
    const candidates = this.usersByLocal.get(ref.slice(0, dot)) ?? [];
    const [only] = candidates;
    if (dot < 0 || !only) return `unknown device ${ref}${hint(ref, this.deviceIds, 'devices are')}`;
    if (candidates.length > 1) {
      const addresses = candidates.map((user) => user.address).join(' and ');
      return `device ${ref} is ambiguous (${addresses}); write it as ${only.address}/${ref.slice(dot + 1)}`;
    }
    return this.deviceOf(only, ref.slice(dot + 1), ref);
  }

  private deviceOf(user: UserSpec, name: string, ref: string): DeviceSpec | string {
    const device = user.devices.find((candidate) => candidate.name === name);
    if (device) return device;
    const own = user.devices.map((candidate) => candidate.id);
    return `unknown device ${ref}${hint(ref, own, `${user.address} has`)}`;
  }
}
