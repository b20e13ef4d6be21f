/**
 * Synthetic IPv4 addresses for the hosts of a trace. The simulator addresses nodes by host name
 * only; a capture needs IP addresses, so each domain gets a private /16 and each host one address
 * in it. The rule, chosen so that the same scenario always gives the same addresses:
 *
 * - Domain k (1-based) is 10.k.0.0/16. The scenario's domains are numbered in the order its
 *   network lists them, listed or not in the trace; a domain seen only in the trace (a message to
 *   a host of an unknown domain) comes after them, in order of first appearance.
 * - A host belongs to the longest listed domain its name ends with (`phone.alice.a.example` is in
 *   `a.example`); a host of no listed domain belongs to its name minus the first label.
 * - The hosts of a domain are numbered 1, 2, ... in sorted order of their names, so the numbering
 *   does not depend on who speaks first: host n is 10.k.(n >> 8).(n & 255).
 *   With `core.DOMAIN`, `cs.DOMAIN` and `DEVICE.USER.DOMAIN`, the core is .0.1 and the
 *   Conversation Server .0.2 in every domain that has both and no host that sorts before them.
 */
import { formatIpv4, type Ipv4 } from './pcap-packets.js';

/** 10.0.0.0/8 (RFC 1918) has room for 254 /16s; 0 and 255 are left out for readability. */
const MAX_DOMAINS = 254;
/** A /16 has 65,534 host addresses (all zeros and all ones excluded, RFC 1122 3.2.1.3). */
const MAX_HOSTS_PER_DOMAIN = 65_534;

/** What a capture needs of an address plan. */
export interface HostAddresses {
  address(host: string): Ipv4;
  entries(): { host: string; address: string }[];
}

export class AddressPlan implements HostAddresses {
  private readonly byHost: ReadonlyMap<string, Ipv4>;

  /**
   * @param domains the scenario's domains, in the order its network lists them
   * @param hosts every host that sends or receives, in order of first appearance in the trace
   */
  constructor(domains: readonly string[], hosts: readonly string[]) {
    const order = [...domains];
    const members = new Map<string, Set<string>>(domains.map((d) => [d, new Set<string>()]));
    const byHost = new Map<string, Ipv4>();
    for (const host of hosts) {
      // A real client of cpmsim live is named by its IPv4 address: the capture shows it as it is.
      const literal = ipv4Literal(host);
      if (literal !== undefined) {
        byHost.set(host, literal);
        continue;
      }
      const domain = domainOf(host, domains);
      let set = members.get(domain);
      if (set === undefined) {
        set = new Set();
        members.set(domain, set);
        order.push(domain);
      }
      set.add(host);
    }
    if (order.length > MAX_DOMAINS) throw new Error(`a capture can address ${MAX_DOMAINS} domains, the trace has ${order.length}`);
    order.forEach((domain, index) => {
      const sorted = [...(members.get(domain) ?? [])].sort(compare);
      if (sorted.length > MAX_HOSTS_PER_DOMAIN) throw new Error(`domain ${domain} has more than ${MAX_HOSTS_PER_DOMAIN} hosts`);
      sorted.forEach((host, i) => byHost.set(host, [10, index + 1, (i + 1) >> 8, (i + 1) & 0xff]));
    });
    this.byHost = byHost;
  }

  address(host: string): Ipv4 {
    const ip = this.byHost.get(host);
    if (ip === undefined) throw new Error(`host ${host} has no address in the capture`);
    return ip;
  }

  /** Host and address pairs, in address order: the key to read a capture by. */
  entries(): { host: string; address: string }[] {
    return addressOrder(this.byHost);
  }
}

/** Host and address pairs by address, all four octets (an IPv4 literal is outside 10/8). */
function addressOrder(byHost: ReadonlyMap<string, Ipv4>): { host: string; address: string }[] {
  return [...byHost]
    .sort(([, a], [, b]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3])
    .map(([host, ip]) => ({ host, address: formatIpv4(ip) }));
}

function ipv4Literal(host: string): Ipv4 | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (m === null) return undefined;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? (octets as unknown as Ipv4) : undefined;
}

/**
 * The plan of a capture written while the run goes, which cannot sort hosts it has not seen yet:
 * domains are numbered as in AddressPlan, but the hosts of a domain in order of first appearance.
 */
export class StreamedAddressPlan implements HostAddresses {
  private readonly byHost = new Map<string, Ipv4>();
  private readonly domainIndex = new Map<string, number>();
  private readonly hostsIn: number[] = [];

  constructor(private readonly domains: readonly string[]) {
    domains.forEach((d, i) => this.domainIndex.set(d, i));
  }

  address(host: string): Ipv4 {
    const known = this.byHost.get(host);
    if (known !== undefined) return known;
    const domain = domainOf(host, this.domains);
    let index = this.domainIndex.get(domain);
    if (index === undefined) {
      index = this.domainIndex.size;
      if (index >= MAX_DOMAINS) throw new Error(`a capture can address ${MAX_DOMAINS} domains, the trace has more`);
      this.domainIndex.set(domain, index);
    }
    const n = (this.hostsIn[index] ?? 0) + 1;
    if (n > MAX_HOSTS_PER_DOMAIN) throw new Error(`domain ${domain} has more than ${MAX_HOSTS_PER_DOMAIN} hosts`);
    this.hostsIn[index] = n;
    const ip: Ipv4 = [10, index + 1, n >> 8, n & 0xff];
    this.byHost.set(host, ip);
    return ip;
  }

  entries(): { host: string; address: string }[] {
    return addressOrder(this.byHost);
  }
}

function domainOf(host: string, domains: readonly string[]): string {
  let best: string | undefined;
  for (const d of domains) {
    if ((host === d || host.endsWith(`.${d}`)) && (best === undefined || d.length > best.length)) best = d;
  }
  if (best !== undefined) return best;
  const dot = host.indexOf('.');
  return dot < 0 ? host : host.slice(dot + 1);
}

/** Code-unit order, the same on every machine (localeCompare depends on the locale). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
