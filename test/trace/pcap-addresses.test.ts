/**
 * The address plan of a capture (src/trace/pcap-addresses.ts): domain k is 10.k.0.0/16 (RFC 1918),
 * hosts numbered from 1 in the /16 (RFC 1122 3.2.1.3: no all-zeros or all-ones host), the same
 * addresses for the same scenario whatever order its hosts speak in.
 */
import { describe, expect, it } from 'vitest';
import { AddressPlan, StreamedAddressPlan, type HostAddresses } from '../../src/trace/pcap-addresses.js';

const DOMAINS = ['a.example', 'b.example'];

/** Every address of a plan is a private 10/8 address with neither a zero nor a 255 subnet, all distinct. */
function expectValidPlan(plan: HostAddresses): void {
  const addresses = plan.entries().map((e) => e.address);
  expect(new Set(addresses).size).toBe(addresses.length);
  for (const a of addresses) {
    const [ten, k, hi, lo] = a.split('.').map(Number) as [number, number, number, number];
    expect(ten).toBe(10);
    expect(k).toBeGreaterThanOrEqual(1);
    expect(k).toBeLessThanOrEqual(254);
    const n = hi * 256 + lo;
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(65_534);
  }
}

describe('AddressPlan', () => {
  it('numbers the hosts of a domain by name, whatever order they spoke in', () => {
    const hosts = ['phone.bob.b.example', 'cs.a.example', 'core.b.example', 'core.a.example'];
    const plan = new AddressPlan(DOMAINS, hosts);
    const reversed = new AddressPlan(DOMAINS, [...hosts].reverse());
    expect(plan.entries()).toEqual(reversed.entries());
    expect(plan.address('core.a.example')).toEqual([10, 1, 0, 1]);
    expect(plan.address('cs.a.example')).toEqual([10, 1, 0, 2]);
    expect(plan.address('core.b.example')).toEqual([10, 2, 0, 1]);
    expect(plan.address('phone.bob.b.example')).toEqual([10, 2, 0, 2]);
    expectValidPlan(plan);
  });

  it('numbers hundreds of hosts by name whatever their order of appearance', () => {
    const names = Array.from({ length: 300 }, (_, i) => `h${String(i).padStart(3, '0')}.a.example`);
    // A fixed shuffle: position i takes name (i * 7) mod 300 (7 is prime to 300).
    const shuffled = names.map((_, i) => names[(i * 7) % 300]!);
    const plan = new AddressPlan(['a.example'], shuffled);
    names.forEach((name, i) => expect(plan.address(name)).toEqual([10, 1, (i + 1) >> 8, (i + 1) & 0xff]));
  });

  it('sorts names by code unit, not by locale (uppercase before lowercase)', () => {
    const plan = new AddressPlan(['a.example'], ['b.a.example', 'B.a.example', 'a.a.example']);
    expect(plan.entries()).toEqual([
      { host: 'B.a.example', address: '10.1.0.1' },
      { host: 'a.a.example', address: '10.1.0.2' },
      { host: 'b.a.example', address: '10.1.0.3' },
    ]);
  });

  it('lists entries in address order: by subnet, then the third octet, then the fourth', () => {
    // 300 hosts in a.example (10.1.0.1 .. 10.1.1.44), one in b.example listed first.
    const many = Array.from({ length: 300 }, (_, i) => `h${String(i).padStart(3, '0')}.a.example`);
    const plan = new AddressPlan(DOMAINS, ['z.b.example', ...[...many].reverse()]);
    const addresses = plan.entries().map((e) => e.address);
    expect(addresses[0]).toBe('10.1.0.1');
    expect(addresses[254]).toBe('10.1.0.255');
    expect(addresses[255]).toBe('10.1.1.0');
    expect(addresses[299]).toBe('10.1.1.44');
    expect(addresses[300]).toBe('10.2.0.1');
    expect(plan.entries()[0]?.host).toBe('h000.a.example');
    expectValidPlan(plan);
  });

  it('lists the IPv4 literals of live clients among the others in address order, by each octet', () => {
    const plan = new AddressPlan(DOMAINS, ['192.0.3.1', 'core.a.example', '192.0.2.200', '192.0.2.7', '10.1.0.9']);
    expect(plan.entries().map((e) => e.address)).toEqual(['10.1.0.1', '10.1.0.9', '192.0.2.7', '192.0.2.200', '192.0.3.1']);
  });

  it('numbers a listed domain even when no host of it is in the trace', () => {
    const plan = new AddressPlan(['a.example', 'b.example', 'c.example'], ['core.c.example']);
    expect(plan.address('core.c.example')).toEqual([10, 3, 0, 1]);
  });

  it('numbers domains seen only in the trace after the listed ones, in order of first appearance', () => {
    const plan = new AddressPlan(DOMAINS, ['core.z.example', 'core.a.example', 'core.y.example', 'x.core.z.example']);
    expect(plan.address('core.a.example')).toEqual([10, 1, 0, 1]);
    expect(plan.address('core.z.example')).toEqual([10, 3, 0, 1]);
    expect(plan.address('core.y.example')).toEqual([10, 4, 0, 1]);
    // Not in a listed domain: its name minus the first label, core.z.example, a domain of its own.
    expect(plan.address('x.core.z.example')).toEqual([10, 5, 0, 1]);
  });

  it('puts a host in the longest listed domain its name ends with, on a label boundary', () => {
    const plan = new AddressPlan(['example', 'a.example'], ['core.a.example', 'core.example', 'ua.example', 'a.example']);
    // ua.example ends with "a.example" but not ".a.example": it is in example.
    expect(plan.address('core.example')).toEqual([10, 1, 0, 1]);
    expect(plan.address('ua.example')).toEqual([10, 1, 0, 2]);
    // A host named as its domain is in that domain.
    expect(plan.address('a.example')).toEqual([10, 2, 0, 1]);
    expect(plan.address('core.a.example')).toEqual([10, 2, 0, 2]);
    // The longest wins whichever order the network lists the domains in.
    const other = new AddressPlan(['a.example', 'example'], ['core.a.example', 'core.example']);
    expect(other.address('core.a.example')).toEqual([10, 1, 0, 1]);
    expect(other.address('core.example')).toEqual([10, 2, 0, 1]);
  });

  it('gives a single-label host of no domain a domain of its own name', () => {
    const plan = new AddressPlan(DOMAINS, ['localhost', 'gw', 'core.a.example']);
    expect(plan.address('localhost')).toEqual([10, 3, 0, 1]);
    expect(plan.address('gw')).toEqual([10, 4, 0, 1]);
    // x.gw minus its first label is gw: the domain gw already has.
    const withSub = new AddressPlan([], ['gw', 'x.gw', '.gw']);
    expect(withSub.entries()).toEqual([
      { host: '.gw', address: '10.1.0.1' },
      { host: 'gw', address: '10.1.0.2' },
      { host: 'x.gw', address: '10.1.0.3' },
    ]);
  });

  it('keeps a host named by an IPv4 literal at that address', () => {
    const plan = new AddressPlan(DOMAINS, ['192.0.2.7', 'core.a.example', '0.0.0.0', '255.255.255.255']);
    expect(plan.address('192.0.2.7')).toEqual([192, 0, 2, 7]);
    expect(plan.address('0.0.0.0')).toEqual([0, 0, 0, 0]);
    expect(plan.address('255.255.255.255')).toEqual([255, 255, 255, 255]);
    expect(plan.address('core.a.example')).toEqual([10, 1, 0, 1]);
    // In address order by all four octets: a literal outside 10/8 sorts by its first octet too.
    expect(plan.entries()).toEqual([
      { host: '0.0.0.0', address: '0.0.0.0' },
      { host: 'core.a.example', address: '10.1.0.1' },
      { host: '192.0.2.7', address: '192.0.2.7' },
      { host: '255.255.255.255', address: '255.255.255.255' },
    ]);
    expect(new AddressPlan(['a.example'], ['192.0.2.7', 'core.a.example']).entries().map((e) => e.address)).toEqual(['10.1.0.1', '192.0.2.7']);
    // A literal in a plan's own range sorts among the plan's addresses.
    expect(new AddressPlan(DOMAINS, ['10.1.0.9', 'core.a.example']).entries().map((e) => e.address)).toEqual(['10.1.0.1', '10.1.0.9']);
  });

  it('treats what is not a dotted quad of octets as a host name', () => {
    // 256 is no octet; five parts, a letter, a leading or trailing extra are no literal either.
    const names = ['10.0.0.256', '1.2.3.4.5', 'a1.2.3.4', '1.2.3.4a', '1.2.3.1234', '1234.2.3.4', '1.2345.3.4', '1.2.3456.4'];
    const plan = new AddressPlan([], names);
    for (const name of names) expect(plan.address(name)[0]).toBe(10);
    expect(plan.address('10.0.0.256')).toEqual([10, 1, 0, 1]);
    // Three-digit octets are literals: each digit group may have one to three digits.
    const literal = new AddressPlan([], ['100.200.250.199', '1.22.3.44']);
    expect(literal.address('100.200.250.199')).toEqual([100, 200, 250, 199]);
    expect(literal.address('1.22.3.44')).toEqual([1, 22, 3, 44]);
  });

  it('refuses a host it has no address for, naming it', () => {
    const plan = new AddressPlan(DOMAINS, ['core.a.example']);
    expect(() => plan.address('core.b.example')).toThrow('host core.b.example has no address in the capture');
  });

  it('addresses 254 domains and refuses a 255th', () => {
    const hosts = (n: number): string[] => Array.from({ length: n }, (_, i) => `core.d${i}.example`);
    const plan = new AddressPlan([], hosts(254));
    expect(plan.address('core.d253.example')).toEqual([10, 254, 0, 1]);
    expect(() => new AddressPlan([], hosts(255))).toThrow('a capture can address 254 domains, the trace has 255');
  });

  it('addresses 65,534 hosts in a domain and refuses one more', () => {
    const hosts = (n: number): string[] => Array.from({ length: n }, (_, i) => `h${String(i).padStart(5, '0')}.a.example`);
    const plan = new AddressPlan(['a.example'], hosts(65_534));
    expect(plan.address('h65533.a.example')).toEqual([10, 1, 255, 254]);
    expect(() => new AddressPlan(['a.example'], hosts(65_535))).toThrow('domain a.example has more than 65534 hosts');
  });
});

describe('StreamedAddressPlan', () => {
  it('numbers the listed domains as AddressPlan does, and hosts in order of first appearance', () => {
    const plan = new StreamedAddressPlan(DOMAINS);
    expect(plan.address('phone.bob.b.example')).toEqual([10, 2, 0, 1]);
    expect(plan.address('core.a.example')).toEqual([10, 1, 0, 1]);
    expect(plan.address('core.b.example')).toEqual([10, 2, 0, 2]);
    expect(plan.address('cs.a.example')).toEqual([10, 1, 0, 2]);
    // The same host keeps its address.
    expect(plan.address('phone.bob.b.example')).toEqual([10, 2, 0, 1]);
    expect(plan.entries()).toEqual([
      { host: 'core.a.example', address: '10.1.0.1' },
      { host: 'cs.a.example', address: '10.1.0.2' },
      { host: 'phone.bob.b.example', address: '10.2.0.1' },
      { host: 'core.b.example', address: '10.2.0.2' },
    ]);
    expectValidPlan(plan);
  });

  it('numbers domains it was not told of after the listed ones, and counts hosts past 255', () => {
    const plan = new StreamedAddressPlan(DOMAINS);
    expect(plan.address('core.z.example')).toEqual([10, 3, 0, 1]);
    expect(plan.address('core.y.example')).toEqual([10, 4, 0, 1]);
    expect(plan.address('gw')).toEqual([10, 5, 0, 1]);
    for (let i = 2; i <= 300; i++) plan.address(`h${i}.z.example`);
    expect(plan.address('h255.z.example')).toEqual([10, 3, 0, 255]);
    expect(plan.address('h256.z.example')).toEqual([10, 3, 1, 0]);
    expect(plan.address('h300.z.example')).toEqual([10, 3, 1, 44]);
    const entries = plan.entries();
    expect(entries.slice(254, 257).map((e) => e.address)).toEqual(['10.3.0.255', '10.3.1.0', '10.3.1.1']);
    expect(entries.at(-2)).toEqual({ host: 'core.y.example', address: '10.4.0.1' });
    expectValidPlan(plan);
  });

  it('addresses 254 domains and refuses a 255th', () => {
    const plan = new StreamedAddressPlan([]);
    for (let i = 0; i < 254; i++) plan.address(`core.d${i}.example`);
    expect(plan.address('core.d253.example')).toEqual([10, 254, 0, 1]);
    expect(() => plan.address('core.d254.example')).toThrow('a capture can address 254 domains, the trace has more');
  });

  it('addresses 65,534 hosts in a domain and refuses one more', () => {
    const plan = new StreamedAddressPlan(['a.example']);
    for (let i = 1; i <= 65_534; i++) plan.address(`h${i}.a.example`);
    expect(plan.address('h65534.a.example')).toEqual([10, 1, 255, 254]);
    expect(() => plan.address('h65535.a.example')).toThrow('domain a.example has more than 65534 hosts');
  });
});
