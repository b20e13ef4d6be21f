/**
 * Runs a load file through the library API: builds the population, starts the traffic models on
 * their own named random streams, runs for the virtual duration (and a drain of Timer F so the
 * last messages settle), and samples the deferred store and memory as it goes.
 */
import type { DispositionRequest } from '../bodies/imdn.js';
import { CpmNetwork } from '../cpm/cpm-network.js';
import type { RandomStream } from '../kernel/random.js';
import { SECOND, type Micros } from '../kernel/time.js';
import { TIMER_F } from '../sip/transactions/timers.js';
import { EventCounter, type EventCounts } from '../trace/event-counter.js';
import { FileSink } from '../trace/file-sink.js';
import { JsonlStreamWriter } from '../trace/jsonl-stream.js';
import { PcapStreamWriter } from '../trace/pcap-stream.js';
import { LoadMetrics, type MessageModel } from './metrics.js';
import { buildPopulation, type Population } from './population.js';
import { exponentialGap, poissonUsers } from './poisson.js';
import { buildReport, type LoadReport } from './report.js';
import type { LoadSpec } from './spec.js';

/** Tracing, chosen by the command: none, counts only, or streamed to a file. */
export type TraceChoice = { kind: 'off' } | { kind: 'count' } | { kind: 'jsonl'; path: string } | { kind: 'pcap'; path: string };

export interface Progress {
  virtualUs: Micros;
  endUs: Micros;
  events: number;
  wallMs: number;
}

export interface LoadRunOptions {
  seed?: number;
  trace?: TraceChoice;
  /** Called after each sample: for a progress bar. */
  progress?: (p: Progress) => void;
}

/** Devices go offline this long after de-registering, so the REGISTER's answer reaches them. */
const DEREGISTER_GRACE = 1 * SECOND;

export function runLoad(spec: LoadSpec, options: LoadRunOptions = {}): LoadReport {
  const seed = options.seed ?? spec.seed;
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  const heapBefore = process.memoryUsage().heapUsed;
  const net = new CpmNetwork({ seed });
  const metrics = new LoadMetrics(() => net.sim.now);
  net.observe(metrics.observer);
  net.observeActivity(metrics.activity);
  const population = buildPopulation(net, spec.population);
  const trace = attachTrace(net, spec, seed, population, options.trace ?? { kind: 'off' });
  registerAll(net, population, spec.population.registrationUs);
  startTraffic(net, spec, population, metrics);

  const endUs = spec.durationUs + TIMER_F;
  let peakRss = 0;
  let heapAfterRegistration: number | undefined;
  for (let t = 0; t < endUs; ) {
    t = Math.min(t + spec.sampleUs, endUs);
    net.run({ until: t, maxEvents: spec.maxEvents });
    const memory = process.memoryUsage();
    peakRss = Math.max(peakRss, memory.rss);
    if (heapAfterRegistration === undefined && t >= spec.population.registrationUs) heapAfterRegistration = memory.heapUsed;
    metrics.samples.push({ at: t, deferred: net.deferredMessages(), events: net.sim.eventsRun, heapUsedMiB: memory.heapUsed / 2 ** 20, rssMiB: memory.rss / 2 ** 20 });
    options.progress?.({ virtualUs: t, endUs, events: net.sim.eventsRun, wallMs: performance.now() - wallStart });
  }
  const traceResult = trace.finish();
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = performance.now() - wallStart;
  return buildReport({
    spec,
    seed,
    population,
    metrics,
    endUs,
    events: net.sim.eventsRun,
    trace: traceResult,
    machine: {
      wallS: wallMs / 1000,
      cpuS: (cpu.user + cpu.system) / 1e6,
      peakRssMiB: peakRss / 2 ** 20,
      heapUsedMiB: process.memoryUsage().heapUsed / 2 ** 20,
      bytesPerUser: ((heapAfterRegistration ?? process.memoryUsage().heapUsed) - heapBefore) / population.users.length,
    },
  });
}

/** Devices register one after another, evenly spread over the registration window. */
function registerAll(net: CpmNetwork, population: Population, windowUs: Micros): void {
  const total = population.users.length * population.devices.length;
  const gap = windowUs / total;
  const step = (i: number): void => {
    const user = population.users[Math.floor(i / population.devices.length)]!;
    net.client(user, population.devices[i % population.devices.length]!).register();
    if (i + 1 < total) net.at(Math.floor((i + 1) * gap), () => step(i + 1));
  };
  net.at(0, () => step(0));
}

function startTraffic(net: CpmNetwork, spec: LoadSpec, population: Population, metrics: LoadMetrics): void {
  const { sim } = net;
  // Each model draws from its own stream, so adding a model leaves what the others do unchanged.
  const stream = (name: string): RandomStream => net.streams.stream(`load/${name}`);
  const users = population.users;
  const n = users.length;
  const start = spec.population.registrationUs;
  const end = spec.durationUs;
  const offline = new Uint8Array(n);
  const device = population.devices[0]!;
  const text = (length: number): string => 'x'.repeat(length);
  /** Another user than `u`, uniformly. */
  const other = (rng: RandomStream, u: number): number => (n === 1 ? u : (u + 1 + rng.int(n - 1)) % n);
  /** User `u` sends a message of `kind` as `model` says, unless offline; `to` is drawn only when it sends. */
  const sendFrom = (u: number, to: () => string, kind: MessageModel, model: { length: number; notify: DispositionRequest[] }): void => {
    if (offline[u] === 1) return metrics.action('skipped: sender offline');
    const id = net.client(users[u]!, device).send({ to: to(), text: text(model.length), notify: model.notify });
    metrics.sent(users[u]!, id, kind, model.notify.includes('positive-delivery'));
  };

  spec.traffic.pager.forEach((model, i) => {
    const rng = stream(`pager${i + 1}`);
    poissonUsers(sim, rng, n, model.everyUs, start, end, (u) => sendFrom(u, () => users[other(rng, u)]!, 'pager', model));
  });

  const group = spec.traffic.group;
  if (group !== undefined) {
    const rng = stream('group');
    const members = population.groups.flatMap((g) => g.members.map((m) => ({ uri: g.uri, member: m })));
    poissonUsers(sim, rng, members.length, group.everyUs, start, end, (i) => {
      const { uri, member } = members[i]!;
      sendFrom(member, () => uri, 'group', group);
    });
  }

  const toNonCpm = spec.traffic.nonCpm;
  if (toNonCpm !== undefined) {
    const rng = stream('non-cpm');
    poissonUsers(sim, rng, n, toNonCpm.everyUs, start, end, (u) => sendFrom(u, () => population.nonCpm[rng.int(population.nonCpm.length)]!, 'non-cpm', toNonCpm));
  }

  const sessions = spec.traffic.sessions;
  if (sessions !== undefined) {
    const rng = stream('sessions');
    poissonUsers(sim, rng, n, sessions.everyUs, start, end, (u) => {
      if (offline[u] === 1) return metrics.action('skipped: sender offline');
      const client = net.client(users[u]!, device);
      const conversation = client.session.invite(users[other(rng, u)]!, ['message']);
      metrics.action('sessions');
      for (let k = 1; k <= sessions.messages; k++) {
        sim.schedule(Math.floor((k * sessions.durationUs) / (sessions.messages + 1)), () => {
          client.session.say(conversation, text(sessions.length));
          metrics.action('session messages');
        });
      }
      sim.schedule(sessions.durationUs, () => client.session.leave(conversation));
    });
  }

  const churn = spec.traffic.churn;
  if (churn !== undefined) {
    const rng = stream('churn');
    poissonUsers(sim, rng, n, churn.everyUs, start, end, (u) => {
      if (offline[u] === 1) return metrics.action('churn: already offline');
      offline[u] = 1;
      metrics.action('offline periods');
      const aor = users[u]!;
      const away = exponentialGap(rng, churn.offlineUs);
      const grace = churn.deregister ? DEREGISTER_GRACE : 0;
      for (const d of population.devices) if (churn.deregister) net.client(aor, d).deregister();
      sim.schedule(grace, () => {
        for (const d of population.devices) net.setOnline(aor, d, false);
      });
      sim.schedule(grace + away, () => {
        offline[u] = 0;
        for (const d of population.devices) {
          net.setOnline(aor, d, true);
          net.client(aor, d).register();
        }
      });
    });
  }
}

interface TraceResult {
  kind: TraceChoice['kind'];
  path?: string;
  counts?: EventCounts;
  /** Octets written to the file. */
  bytes?: number;
}

function attachTrace(net: CpmNetwork, spec: LoadSpec, seed: number, population: Population, choice: TraceChoice): { finish(): TraceResult } {
  switch (choice.kind) {
    case 'off':
      return { finish: () => ({ kind: 'off' }) };
    case 'count': {
      const counter = new EventCounter();
      net.observe(counter.observer);
      return { finish: () => ({ kind: 'count', counts: counter.counts() }) };
    }
    case 'jsonl': {
      const sink = new FileSink(choice.path);
      const writer = new JsonlStreamWriter({ source: spec.file, title: spec.title, seed }, (t) => sink.write(t));
      net.observe(writer.observer);
      return {
        finish: () => {
          sink.close();
          return { kind: 'jsonl', path: choice.path, bytes: sink.size };
        },
      };
    }
    case 'pcap': {
      const sink = new FileSink(choice.path);
      const writer = new PcapStreamWriter(population.domains, (o) => sink.write(o));
      net.observe(writer.observer);
      return {
        finish: () => {
          writer.finish();
          sink.close();
          return { kind: 'pcap', path: choice.path, bytes: sink.size };
        },
      };
    }
  }
}
