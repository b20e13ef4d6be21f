import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/kernel/random.js';
import { Simulator } from '../../src/kernel/simulator.js';
import { SECOND } from '../../src/kernel/time.js';
import type { NetEvent } from '../../src/net/events.js';
import { FaultyLinks, type FaultyLinksConfig, type LinkBehaviour } from '../../src/net/link-model.js';
import { Network } from '../../src/net/network.js';
import type { NetNode } from '../../src/net/node.js';

/** A payload of a datagram protocol (`udp`) or of one carried on a TCP connection (`tcp`). */
interface Segment {
  via: 'udp' | 'tcp';
  text: string;
}

const perfect = (delay: number): LinkBehaviour => ({ delay: { kind: 'constant', value: delay }, jitter: 0, loss: 0, duplicate: 0, reorder: 0, reorderDelay: 0 });
const A = { host: 'a1.a.example', domain: 'a.example' };
const B = { host: 'b1.b.example', domain: 'b.example' };
const DELAY = 10_000;

function setup(over: Partial<FaultyLinksConfig>) {
  const sim = new Simulator();
  const config: FaultyLinksConfig = { intraDomain: perfect(1000), interDomain: perfect(DELAY), rules: [], partitions: [], ...over };
  const net = new Network<Segment>(sim, new FaultyLinks(config, new RandomStreams(3)), (s) => ({ ...s }), (s) => (s.via === 'tcp' ? 'test' : undefined));
  const events: NetEvent<Segment>[] = [];
  const got: { text: string; at: number }[] = [];
  net.observe((e) => events.push(e));
  const node = (e: typeof A): NetNode<Segment> => ({ ...e, receive: (s) => got.push({ text: s.text, at: sim.now }) });
  net.attach(node(A));
  net.attach(node(B));
  return { sim, net, events, got };
}

describe('Network, segments on a reliable connection (TCP)', () => {
  it('survives a partition shorter than R2: sent again after 1, 2, 4, 8 s (RFC 6298), arriving once it heals', () => {
    const { sim, net, events, got } = setup({ partitions: [{ between: [{ domain: 'a.example' }, { domain: 'b.example' }], from: 0, until: 10 * SECOND }] });
    sim.schedule(0, () => net.send(A.host, B.host, { via: 'tcp', text: 'MAIL' }));
    sim.schedule(0, () => net.send(A.host, B.host, { via: 'udp', text: 'MESSAGE' }));
    sim.run();
    // Tries at 0, 1, 3, 7 s fall in the partition; the one at 15 s gets through.
    expect(got).toEqual([{ text: 'MAIL', at: 15 * SECOND + DELAY }]);
    const sent = events.find((e) => e.type === 'transmit');
    expect(sent).toMatchObject({ at: 0, arriveAt: 15 * SECOND + DELAY, retransmissions: 4 });
    expect(events.find((e) => e.type === 'undeliverable')).toMatchObject({ reason: 'partitioned', payload: { text: 'MESSAGE' } });
  });

  it('gives up after R2 (100 s, RFC 1122 4.2.3.5): the segment is undeliverable', () => {
    const { sim, net, events, got } = setup({ partitions: [{ between: [{ host: A.host }, { host: B.host }], from: 0, until: 1000 * SECOND }] });
    sim.schedule(0, () => net.send(A.host, B.host, { via: 'tcp', text: 'MAIL' }));
    sim.run();
    expect(got).toEqual([]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'undeliverable', reason: 'partitioned' });
  });

  it('keeps the order of a connection: what follows a retransmitted segment waits for it', () => {
    const { sim, net, got } = setup({ partitions: [{ between: [{ host: A.host }, { host: B.host }], from: 0, until: 1 }] });
    sim.schedule(0, () => net.send(A.host, B.host, { via: 'tcp', text: 'first' }));
    sim.schedule(10, () => net.send(A.host, B.host, { via: 'tcp', text: 'second' }));
    sim.schedule(20, () => net.send(A.host, B.host, { via: 'udp', text: 'datagram' }));
    sim.run();
    expect(got.map((g) => g.text)).toEqual(['datagram', 'first', 'second']);
    expect(got[1]!.at).toBe(1 * SECOND + DELAY);
    expect(got[2]!.at).toBe(1 * SECOND + DELAY);
  });

  it('delivers a duplicated segment once, a lossy link recovering every segment', () => {
    const { sim, net, got, events } = setup({ interDomain: { ...perfect(DELAY), duplicate: 1, loss: 0.5 } });
    for (let i = 0; i < 20; i++) sim.schedule(i, () => net.send(A.host, B.host, { via: 'tcp', text: `s${i}` }));
    sim.run();
    expect(got.map((g) => g.text)).toEqual(Array.from({ length: 20 }, (_, i) => `s${i}`));
    expect(events.every((e) => e.type === 'transmit')).toBe(true);
    expect(events.some((e) => e.type === 'transmit' && (e.retransmissions ?? 0) > 0)).toBe(true);
  });

  it('resets a connection whose end restarted before its segment arrived; a datagram reaches the new process', () => {
    const { sim, net, events } = setup({ partitions: [{ between: [{ host: A.host }, { host: B.host }], from: 0, until: 1500 }] });
    const reborn: string[] = [];
    sim.schedule(0, () => net.send(A.host, B.host, { via: 'tcp', text: 'MAIL' }));
    sim.schedule(5, () => net.send(A.host, B.host, { via: 'udp', text: 'late datagram' }));
    // B crashes and comes back as a new process before either arrives (the datagram is lost, the segment is on its second try).
    sim.schedule(1000, () => {
      net.detach(B.host);
      net.attach({ ...B, receive: (s) => reborn.push(s.text) });
    });
    sim.schedule(2000, () => net.send(A.host, B.host, { via: 'udp', text: 'datagram' }));
    sim.run();
    expect(reborn).toEqual(['datagram']);
    expect(events.filter((e) => e.type === 'undeliverable').map((e) => (e.type === 'undeliverable' ? [e.payload.text, e.reason] : []))).toEqual([
      ['late datagram', 'partitioned'],
      ['MAIL', 'connection-reset'],
    ]);
  });

  it('delivers a datagram sent before a restart to the new process', () => {
    const { sim, net } = setup({});
    const old: string[] = [];
    const reborn: string[] = [];
    net.detach(B.host);
    net.attach({ ...B, receive: (s) => old.push(s.text) });
    sim.schedule(0, () => net.send(A.host, B.host, { via: 'udp', text: 'MESSAGE' }));
    sim.schedule(DELAY / 2, () => {
      net.detach(B.host);
      net.attach({ ...B, receive: (s) => reborn.push(s.text) });
    });
    sim.run();
    expect(old).toEqual([]);
    expect(reborn).toEqual(['MESSAGE']);
  });
});
