import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/kernel/random.js';
import { Simulator } from '../../src/kernel/simulator.js';
import type { NetEvent } from '../../src/net/events.js';
import { FaultyLinks, type FaultyLinksConfig, type LinkBehaviour } from '../../src/net/link-model.js';
import { Network } from '../../src/net/network.js';

const A1 = { host: 'a1.a.example', domain: 'a.example' };
const A2 = { host: 'a2.a.example', domain: 'a.example' };
const B1 = { host: 'b1.b.example', domain: 'b.example' };

const perfect = (delay: number): LinkBehaviour => ({ delay: { kind: 'constant', value: delay }, jitter: 0, loss: 0, duplicate: 0, reorder: 0, reorderDelay: 50_000 });
const config = (over: Partial<FaultyLinksConfig> = {}): FaultyLinksConfig => ({ intraDomain: perfect(1000), interDomain: perfect(10_000), rules: [], partitions: [], ...over });

/** Streams that record which names were drawn from. */
function watchedStreams(seed = 1): { streams: RandomStreams; drawn: string[] } {
  const streams = new RandomStreams(seed);
  const drawn: string[] = [];
  const stream = streams.stream.bind(streams);
  streams.stream = (name) => {
    drawn.push(name);
    return stream(name);
  };
  return { streams, drawn };
}

describe('FaultyLinks', () => {
  it('draws nothing for links without random behaviour', () => {
    const { streams, drawn } = watchedStreams();
    const links = new FaultyLinks(config(), streams);
    expect(links.fate(A1, A2, 0)).toEqual({ arrivals: [1000] });
    expect(links.fate(A1, B1, 0)).toEqual({ arrivals: [10_000] });
    expect(drawn).toEqual([]);
  });

  it('loses about the configured share, drawing from the stream of the directed host pair', () => {
    const { streams, drawn } = watchedStreams();
    const links = new FaultyLinks(config({ interDomain: { ...perfect(10_000), loss: 0.25 } }), streams);
    let lost = 0;
    for (let i = 0; i < 4000; i++) if ('lost' in links.fate(A1, B1, 0)) lost++;
    expect(lost / 4000).toBeGreaterThan(0.22);
    expect(lost / 4000).toBeLessThan(0.28);
    expect(new Set(drawn)).toEqual(new Set(['link/a1.a.example/b1.b.example']));
  });

  it('gives each link its own stream: what one link draws does not depend on traffic on another', () => {
    const lossy = config({ intraDomain: { ...perfect(1000), loss: 0.5 }, interDomain: { ...perfect(10_000), loss: 0.5 } });
    const alone = new FaultyLinks(lossy, new RandomStreams(7));
    const busy = new FaultyLinks(lossy, new RandomStreams(7));
    const fates: unknown[] = [];
    const busyFates: unknown[] = [];
    for (let i = 0; i < 50; i++) {
      fates.push(alone.fate(A1, B1, 0));
      busy.fate(A1, A2, 0);
      busyFates.push(busy.fate(A1, B1, 0));
    }
    expect(busyFates).toEqual(fates);
  });

  it('applies the most specific rule, over the base behaviour of the link', () => {
    const links = new FaultyLinks(
      config({
        rules: [
          { between: [{ domain: 'a.example' }, { domain: 'b.example' }], behaviour: { delay: { kind: 'constant', value: 30_000 } } },
          { between: [{ host: B1.host }, { host: A1.host }], behaviour: { delay: { kind: 'constant', value: 70_000 } } },
        ],
      }),
      new RandomStreams(1),
    );
    expect(links.fate(A1, B1, 0)).toEqual({ arrivals: [70_000] });
    expect(links.fate(B1, A2, 0)).toEqual({ arrivals: [30_000] });
    expect(links.fate(A1, A2, 0)).toEqual({ arrivals: [1000] });
  });

  it('partitions both directions between the two sides only inside the window', () => {
    const links = new FaultyLinks(config({ partitions: [{ between: [{ domain: 'a.example' }, { host: B1.host }], from: 100, until: 200 }] }), new RandomStreams(1));
    expect(links.fate(A1, B1, 99)).toEqual({ arrivals: [10_000] });
    expect(links.fate(A1, B1, 100)).toEqual({ lost: 'partitioned' });
    expect(links.fate(B1, A2, 199)).toEqual({ lost: 'partitioned' });
    expect(links.fate(A1, A2, 150)).toEqual({ arrivals: [1000] });
    expect(links.fate(B1, A1, 200)).toEqual({ arrivals: [10_000] });
  });

  it('duplicates, jitters and holds back packets as configured', () => {
    const links = new FaultyLinks(config({ interDomain: { ...perfect(10_000), duplicate: 1, jitter: 500, reorder: 1, reorderDelay: 40_000 } }), new RandomStreams(3));
    const fate = links.fate(A1, B1, 0);
    if (!('arrivals' in fate)) throw new Error('lost');
    expect(fate.arrivals).toHaveLength(2);
    for (const d of fate.arrivals) {
      expect(d).toBeGreaterThanOrEqual(50_000);
      expect(d).toBeLessThanOrEqual(50_500);
    }
  });
});

describe('Network with a faulty link', () => {
  it('reports a lost packet as undeliverable (lost), and a duplicate as a second transmit with its own id', () => {
    const sim = new Simulator();
    const lossy = new Network<string>(sim, new FaultyLinks(config({ interDomain: { ...perfect(10_000), loss: 1 } }), new RandomStreams(1)), (m) => m);
    const twice = new Network<string>(sim, new FaultyLinks(config({ interDomain: { ...perfect(10_000), duplicate: 1 } }), new RandomStreams(1)), (m) => m);
    const got: string[] = [];
    for (const net of [lossy, twice]) for (const n of [A1, B1]) net.attach({ ...n, receive: (p) => got.push(p) });
    const events: NetEvent<string>[] = [];
    lossy.observe((e) => events.push(e));
    twice.observe((e) => events.push(e));
    lossy.send(A1.host, B1.host, 'gone');
    twice.send(A1.host, B1.host, 'twice');
    sim.run();
    expect(events.map((e) => [e.type, e.id, 'reason' in e ? e.reason : ''])).toEqual([
      ['undeliverable', 1, 'lost'],
      ['transmit', 1, ''],
      ['transmit', 2, ''],
    ]);
    expect(got).toEqual(['twice', 'twice']);
  });
});
