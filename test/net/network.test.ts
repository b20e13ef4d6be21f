import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/kernel/simulator.js';
import { MS } from '../../src/kernel/time.js';
import type { NetEvent } from '../../src/net/events.js';
import { constantLinks } from '../../src/net/links.js';
import { Network } from '../../src/net/network.js';
import type { NetNode } from '../../src/net/node.js';

interface Msg {
  text: string;
  parts: string[];
}

const INTRA = 2 * MS;
const INTER = 30 * MS;

class Recorder implements NetNode<Msg> {
  readonly got: { payload: Msg; from: string; at: number }[] = [];
  constructor(
    readonly host: string,
    readonly domain: string,
    private readonly sim: Simulator,
  ) {}
  receive(payload: Msg, fromHost: string): void {
    this.got.push({ payload, from: fromHost, at: this.sim.now });
  }
}

function setup() {
  const sim = new Simulator();
  const net = new Network<Msg>(sim, constantLinks(INTRA, INTER), (m) => structuredClone(m));
  const events: NetEvent<Msg>[] = [];
  net.observe((e) => events.push(e));
  const a1 = new Recorder('a1.a.example', 'a.example', sim);
  const a2 = new Recorder('a2.a.example', 'a.example', sim);
  const b1 = new Recorder('b1.b.example', 'b.example', sim);
  for (const n of [a1, a2, b1]) net.attach(n);
  return { sim, net, events, a1, a2, b1 };
}

const msg = (text: string): Msg => ({ text, parts: [text] });

describe('constantLinks', () => {
  it('uses the intra-domain delay inside a domain and the inter-domain one across', () => {
    const links = constantLinks(5, 70);
    expect(links.fate({ host: 'h1.x', domain: 'x' }, { host: 'h2.x', domain: 'x' }, 0)).toEqual({ arrivals: [5] });
    expect(links.fate({ host: 'h1.x', domain: 'x' }, { host: 'h1.y', domain: 'y' }, 0)).toEqual({ arrivals: [70] });
  });
});

describe('Network attachment', () => {
  it('knows attached hosts and their domains', () => {
    const { net } = setup();
    expect(net.has('a1.a.example')).toBe(true);
    expect(net.has('nowhere')).toBe(false);
    expect(net.domainOf('b1.b.example')).toBe('b.example');
    expect(net.domainOf('nowhere')).toBeUndefined();
    expect(net.isUp('a1.a.example')).toBe(true);
    expect(net.isUp('nowhere')).toBe(false);
  });

  it('refuses a second node with the same host, and sending from an unattached host', () => {
    const { net, sim } = setup();
    expect(() => net.attach(new Recorder('a1.a.example', 'a.example', sim))).toThrow(/already attached/);
    expect(() => net.send('ghost', 'a1.a.example', msg('x'))).toThrow(/unattached/);
  });
});

describe('Network delivery', () => {
  it('delivers after the intra-domain delay inside a domain and the inter-domain delay across', () => {
    const { sim, net, a1, a2, b1 } = setup();
    net.send(a1.host, a2.host, msg('near'));
    net.send(a1.host, b1.host, msg('far'));
    expect(a2.got).toHaveLength(0);
    sim.run({ until: INTRA - 1 });
    expect(a2.got).toHaveLength(0);
    sim.run();
    expect(a2.got).toEqual([{ payload: msg('near'), from: a1.host, at: INTRA }]);
    expect(b1.got).toEqual([{ payload: msg('far'), from: a1.host, at: INTER }]);
  });

  it('delays from the time of sending, not from time 0', () => {
    const { sim, net, a1, b1 } = setup();
    sim.schedule(100 * MS, () => net.send(b1.host, a1.host, msg('later')));
    sim.run();
    expect(a1.got[0]?.at).toBe(100 * MS + INTER);
  });

  it('hands the receiver a copy: neither the sender nor the trace share its object', () => {
    const { sim, net, events, a1, a2 } = setup();
    const original = msg('hello');
    net.send(a1.host, a2.host, original);
    // The sender changes its object after sending: what travels is what was sent.
    original.text = 'changed by sender';
    original.parts.push('extra');
    sim.run();
    const delivered = a2.got[0]!.payload;
    expect(delivered).toEqual(msg('hello'));
    expect(delivered).not.toBe(original);
    // The receiver changes its copy: the recorded trace payload stays as sent.
    delivered.text = 'changed by receiver';
    delivered.parts[0] = 'x';
    const transmit = events.find((e) => e.type === 'transmit');
    expect(transmit?.type === 'transmit' && transmit.payload).toEqual(msg('hello'));
    expect(original.text).toBe('changed by sender');
  });

  it('uses the copy function it was given (once for the trace, once for the receiver)', () => {
    const sim = new Simulator();
    let copies = 0;
    const net = new Network<Msg>(sim, constantLinks(1, 1), (m) => {
      copies++;
      return { ...m, parts: [...m.parts] };
    });
    const a = new Recorder('a', 'd', sim);
    const b = new Recorder('b', 'd', sim);
    net.attach(a);
    net.attach(b);
    net.send('a', 'b', msg('m'));
    sim.run();
    expect(copies).toBe(2);
    expect(b.got).toHaveLength(1);
  });

  it('keeps FIFO order on one link', () => {
    const { sim, net, a1, b1 } = setup();
    const texts = Array.from({ length: 20 }, (_, i) => `m${i}`);
    for (const t of texts.slice(0, 10)) net.send(a1.host, b1.host, msg(t));
    sim.schedule(1, () => {
      for (const t of texts.slice(10)) net.send(a1.host, b1.host, msg(t));
    });
    sim.run();
    expect(b1.got.map((g) => g.payload.text)).toEqual(texts);
  });

  it('reports each transmission to every observer, with its arrival time', () => {
    const { sim, net, events, a1, b1 } = setup();
    const second: NetEvent<Msg>[] = [];
    net.observe((e) => second.push(e));
    sim.schedule(5 * MS, () => net.send(a1.host, b1.host, msg('t')));
    sim.run();
    expect(events).toEqual([
      { type: 'transmit', id: 1, at: 5 * MS, arriveAt: 5 * MS + INTER, from: a1.host, to: b1.host, payload: msg('t') },
    ]);
    expect(second).toEqual(events);
    expect(b1.got[0]?.at).toBe(5 * MS + INTER);
  });
});

describe('Network failures', () => {
  it('reports a send to an unknown host as undeliverable (unknown-host) and delivers nothing', () => {
    const { sim, net, events, a1 } = setup();
    net.send(a1.host, 'nobody.example', msg('lost'));
    expect(events).toEqual([
      { type: 'undeliverable', id: 1, at: 0, from: a1.host, to: 'nobody.example', payload: msg('lost'), reason: 'unknown-host' },
    ]);
    sim.run();
    expect(sim.eventsRun).toBe(0);
    expect(events).toHaveLength(1);
  });

  it('reports a send to a host that is down as undeliverable (host-down) until it is up again', () => {
    const { sim, net, events, a1, a2 } = setup();
    net.setUp(a2.host, false);
    expect(net.isUp(a2.host)).toBe(false);
    expect(net.has(a2.host)).toBe(true);
    net.send(a1.host, a2.host, msg('while down'));
    sim.run();
    expect(a2.got).toHaveLength(0);
    expect(events).toEqual([
      { type: 'undeliverable', id: 1, at: 0, from: a1.host, to: a2.host, payload: msg('while down'), reason: 'host-down' },
    ]);
    net.setUp(a2.host, true);
    net.send(a1.host, a2.host, msg('back'));
    sim.run();
    expect(a2.got.map((g) => g.payload.text)).toEqual(['back']);
    expect(events[1]?.type).toBe('transmit');
  });

  it('reports a message in flight to a host that goes down as undeliverable at arrival time', () => {
    const { sim, net, events, a1, b1 } = setup();
    net.send(a1.host, b1.host, msg('in flight'));
    sim.schedule(INTER / 2, () => net.setUp(b1.host, false));
    sim.run();
    expect(b1.got).toHaveLength(0);
    expect(events.map((e) => e.type)).toEqual(['transmit', 'undeliverable']);
    const [transmit, lost] = events;
    expect(lost).toEqual({ type: 'undeliverable', id: transmit!.id, at: INTER, from: a1.host, to: b1.host, payload: msg('in flight'), reason: 'host-down' });
  });

  it('delivers a message in flight when the host is back up before it arrives', () => {
    const { sim, net, a1, b1 } = setup();
    net.send(a1.host, b1.host, msg('lucky'));
    sim.schedule(1, () => net.setUp(b1.host, false));
    sim.schedule(2, () => net.setUp(b1.host, true));
    sim.run();
    expect(b1.got.map((g) => g.payload.text)).toEqual(['lucky']);
  });
});

describe('Network notes', () => {
  it('carry the host, text and current time, with ids increasing together with transmissions', () => {
    const { sim, net, events, a1, a2 } = setup();
    net.note(a1.host, 'first');
    net.send(a1.host, a2.host, msg('x'));
    sim.schedule(7, () => net.note(a2.host, 'second'));
    net.send(a1.host, 'unknown', msg('y'));
    sim.run();
    expect(events.filter((e) => e.type === 'note')).toEqual([
      { type: 'note', id: 1, at: 0, host: a1.host, text: 'first' },
      { type: 'note', id: 4, at: 7, host: a2.host, text: 'second' },
    ]);
    const ids = events.map((e) => e.id);
    expect(ids).toEqual([1, 2, 3, 4]);
  });
});

describe('Network perturbation hook', () => {
  it('drops a packet the perturber names, reporting it as lost, and delays another by the extra amount', () => {
    const { sim, net, events, a2 } = setup();
    net.perturb(({ id }) => (id === 1 ? { drop: true } : id === 2 ? { extraDelay: 5 * MS } : undefined));
    net.send('a1.a.example', 'a2.a.example', { text: 'one', parts: [] });
    net.send('a1.a.example', 'a2.a.example', { text: 'two', parts: [] });
    net.send('a1.a.example', 'a2.a.example', { text: 'three', parts: [] });
    sim.run();
    expect(events[0]).toMatchObject({ type: 'undeliverable', id: 1, reason: 'lost' });
    expect(events[1]).toMatchObject({ type: 'transmit', id: 2, arriveAt: INTRA + 5 * MS });
    expect(a2.got.map((g) => [g.payload.text, g.at])).toEqual([
      ['three', INTRA],
      ['two', INTRA + 5 * MS],
    ]);
  });

  it('sees each packet once with its id and hosts, and not one that cannot be delivered anyway', () => {
    const { sim, net } = setup();
    const seen: string[] = [];
    net.perturb((p) => {
      seen.push(`${p.id} ${p.from}>${p.to} ${p.payload.text}`);
      return undefined;
    });
    net.send('a1.a.example', 'nowhere.example', { text: 'x', parts: [] });
    net.send('a1.a.example', 'b1.b.example', { text: 'y', parts: [] });
    sim.run();
    expect(seen).toEqual(['2 a1.a.example>b1.b.example y']);
  });
});
