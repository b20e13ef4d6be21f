import { networkInterfaces } from 'node:os';
import { performance } from 'node:perf_hooks';
import { SimulationLimitError } from '../kernel/simulator.js';
import type { Micros } from '../kernel/time.js';
import { coreHost } from '../cpm/naming.js';
import { CPM_FEATURE_TAG } from '../cpm/service.js';
import { buildScenario, type BuiltScenario } from '../scenario/builder.js';
import { judgeRun, type ScenarioRun } from '../scenario/runner.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { parseContacts } from '../sip/header-values.js';
import type { MsrpMessage } from '../msrp/message.js';
import type { MediaPacket } from '../rtp/packet.js';
import { header, headers, type SipMessage } from '../sip/message.js';
import { parseNameAddr } from '../sip/name-addr.js';
import { aorOf, getParam } from '../sip/uri.js';
import { TIMER_F } from '../sip/transactions/timers.js';
import { TraceRecorder, type TraceEvent } from '../trace/recorder.js';
import { Gateway, GatewayError, type GatewayCounts, type GatewayOptions, type Refusal } from './gateway.js';
import { MediaAlg } from './media-alg.js';
import { RtpRelay, type RtpCounts } from './rtp-relay.js';
import { MsrpGateway, type MsrpCounts } from './msrp-gateway.js';
import { SipEdge, formatAddress, type Address } from './sip-edge.js';

export interface LiveOptions extends GatewayOptions {
  seed?: number;
  /** How long to run, in virtual (= real) microseconds; default the scenario's duration. */
  durationUs?: Micros;
  /** Each event of the network as it happens, for a live log. */
  onEvent?: (event: TraceEvent) => void;
}

export interface LiveResult {
  run: ScenarioRun;
  counts: GatewayCounts;
  /** The message streams (MSRP) carried to and from real clients. */
  msrpCounts: MsrpCounts;
  /** The audio and video (RTP, RTCP) relayed to and from real clients. */
  rtpCounts: RtpCounts;
  /** Each real address that sent something, with its transport, in order of first packet. */
  clients: string[];
  endedBy: 'duration' | 'interrupt' | 'limit';
  /** The virtual (= real) time the run stopped at. */
  endedAtUs: Micros;
  /** The wall-clock instant of virtual time zero. */
  startedAtMs: number;
}

/** RTP/RTCP port pairs the gateway opens: one per simulated media end real clients talk to at once. */
const RTP_PAIRS = 8;

/**
 * A scenario run paced by the wall clock, with a gateway through which real SIP clients play the
 * devices it declares `external`. Virtual time is the real time since the start: the scenario's
 * own timeline runs at its times, and a real client's packet enters the network at the instant it
 * arrives. Events run as the simulator always runs them; only the waiting between them is real.
 */
export class LiveRun {
  readonly finished: Promise<LiveResult>;
  private resolve!: (result: LiveResult) => void;
  private reject!: (error: unknown) => void;
  private readonly recorder = new TraceRecorder();
  private readonly edges = new Map<string, SipEdge>();
  private readonly clients = new Map<string, string>();
  private readonly t0 = performance.now();
  /** The wall-clock instant of virtual time zero. */
  readonly startedAtMs = Date.now();
  private readonly endUs: Micros;
  private timer: NodeJS.Timeout | undefined;
  private done = false;
  private pumping = false;
  private gateway!: Gateway;
  private msrpGateway!: MsrpGateway;
  private rtpRelay!: RtpRelay;
  private msrp!: MediaAlg;

  private constructor(
    private readonly spec: ScenarioSpec,
    private readonly options: LiveOptions,
    private readonly built: BuiltScenario,
    private readonly domain: string,
  ) {
    this.finished = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    built.network.observe(this.recorder.observer);
    if (options.onEvent !== undefined) built.network.observe(options.onEvent);
    this.endUs = options.durationUs ?? spec.durationUs ?? built.lastActionAt + TIMER_F;
  }

  /** Binds the gateway and starts the clock; fails (GatewayError) for a scenario with no external device. */
  static async start(spec: ScenarioSpec, options: LiveOptions): Promise<LiveRun> {
    const external = spec.network.users.flatMap((u) => u.devices.filter((d) => d.external !== undefined).map((d) => ({ device: d, domain: u.domain })));
    if (external.length === 0) throw new GatewayError(`${spec.file}: no device is external; mark the one a real client plays with external: true (docs/live.md)`);
    const domains = [...new Set(external.map((e) => e.domain))];
    // The gateway is one access network: its clients reach one SIP/IP Core, their home network's.
    if (domains.length > 1) throw new GatewayError(`${spec.file}: external devices are in ${domains.join(' and ')}; a live run serves one home domain`);
    const seed = options.seed ?? spec.seed;
    const built = buildScenario(spec, seed, { externalHost: options.host });
    const live = new LiveRun(spec, options, built, domains[0]!);
    live.gateway = await Gateway.open(options, {
      message: (msg, source) => live.arrived(msg, source),
      refused: (refusal) => live.refused(refusal),
      sendFailed: (to, why) => live.note(to.address, `could not send to ${formatAddress(to)}: ${why}`),
    }, () => live.startedAtMs + (performance.now() - live.t0));
    try {
      live.msrpGateway = await MsrpGateway.open({ ...options, port: 0 }, {
        message: (msg, source) => live.mediaArrived(msg, source),
        refused: (refusal) => live.refused(refusal, 'MSRP message'),
        note: (host, text) => live.lateNote(host, text),
        sendFailed: (to, why) => live.lateNote(to.address, `could not send to ${formatAddress(to)}: ${why}`),
      }, () => live.startedAtMs + (performance.now() - live.t0));
      live.rtpRelay = await RtpRelay.open({ ...options, pairs: RTP_PAIRS }, {
        packet: (packet, source, toHost) => live.rtpArrived(packet, source, toHost),
        note: (host, text) => live.lateNote(host, text),
      }, () => live.startedAtMs + (performance.now() - live.t0));
    } catch (e) {
      await Promise.all([live.gateway.close(), live.msrpGateway?.close()]);
      throw e;
    }
    live.msrp = new MediaAlg(live.msrpGateway, live.rtpRelay, (text) => live.note(options.host, text), (address) => live.mediaHost(address));
    live.pump();
    return live;
  }

  /** What the network has carried so far. */
  get events(): readonly TraceEvent[] {
    return this.recorder.events;
  }

  get port(): number {
    return this.gateway.port;
  }

  /** Where real clients connect for the message streams of their sessions (RFC 4975 5.4), given to them in the SDP. */
  get msrpPort(): number {
    return this.msrpGateway.port;
  }

  /** Ctrl-C: the run ends now, with what happened so far. */
  stop(): void {
    void this.finish('interrupt');
  }

  private realNow(): Micros {
    return Math.round((performance.now() - this.t0) * 1000);
  }

  /** Runs every event due by now, then sleeps until the next one (or the end). */
  private pump(): void {
    // A socket's report can come while the network runs (a send that fails at once): it is noted then.
    if (this.done || this.pumping) return;
    const target = Math.min(this.realNow(), this.endUs);
    this.pumping = true;
    try {
      this.built.network.run({ until: target, maxEvents: this.spec.limits.maxEvents });
    } catch (e) {
      if (e instanceof SimulationLimitError) return void this.finish('limit', e.message);
      return this.crash(e);
    } finally {
      this.pumping = false;
    }
    if (target >= this.endUs) return void this.finish('duration');
    const next = Math.min(this.built.network.sim.nextEventAt ?? this.endUs, this.endUs);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.pump(), Math.max(0, Math.ceil((next - this.realNow()) / 1000)));
  }

  private arrived(msg: SipMessage, source: Address): void {
    this.handOver(
      () => this.edgeFor(source).fromClient(msg, source),
      () => {
        // The edge exists from the client's first packet on, before anything is said of it.
        this.edgeFor(source);
        const key = `${formatAddress(source)} over ${source.transport}`;
        if (!this.clients.has(key)) {
          this.clients.set(key, key);
          this.note(source.address, `real client at ${key}`);
        }
        if (msg.type === 'request' && msg.method === 'REGISTER') this.checkCpmTag(msg, source);
      },
    );
  }

  private mediaArrived(msg: MsrpMessage, source: Address): void {
    this.handOver(() => this.edgeFor(source).fromClientMedia(msg, source));
  }

  private rtpArrived(packet: MediaPacket, source: Address, toHost: string): void {
    this.handOver(() => this.edgeFor(source).fromClientRtp(packet, toHost));
  }

  /**
   * A real client's packet: the simulation first catches up with the wall clock, then the packet
   * goes in (`over`, after `before`), then the simulation runs on to what it caused. An error in
   * handing it over ends the run as an internal error.
   */
  private handOver(over: () => void, before?: () => void): void {
    if (this.done) return;
    this.pump();
    if (this.done) return;
    before?.();
    try {
      over();
    } catch (e) {
      return this.crash(e);
    }
    this.pump();
  }

  /**
   * A client may name another address of its machine for its media (a softphone's c= is the
   * address of its network interface, though it signals over loopback): that address becomes a
   * real host of the network too, so media reaches it. Other addresses are refused: the gateway
   * sends only where the user runs it, never where a client's SDP would reflect traffic to.
   */
  private mediaHost(address: string): boolean {
    if (this.edges.has(address)) return true;
    const local = Object.values(networkInterfaces()).some((list) => list?.some((i) => i.address === address));
    if (!local) return false;
    this.edgeFor({ transport: 'udp', address, port: 0 });
    return true;
  }

  private edgeFor(source: Address): SipEdge {
    let edge = this.edges.get(source.address);
    if (edge === undefined) {
      edge = new SipEdge(source.address, this.domain, this.built.network.net, this.gateway, coreHost(this.domain), { host: this.options.host, port: this.gateway.port }, this.msrp);
      this.edges.set(source.address, edge);
    }
    return edge;
  }

  /**
   * The core treats a real client by what it sends, as it treats any: one that registers without
   * the CPM feature tag is a plain SIP client, which CPM requests do not reach (RFC 3841). For a
   * device declared `external: true` that is worth saying; for `external: plain-sip` it is expected.
   */
  private checkCpmTag(msg: SipMessage, source: Address): void {
    let aor: string;
    let tagged: boolean;
    try {
      aor = aorOf(parseNameAddr(header(msg, 'To') ?? '').uri);
      const contacts = parseContacts(headers(msg, 'Contact').join(', '));
      if (contacts === '*' || contacts.length === 0) return;
      tagged = contacts.every((c) => getParam(c.params, CPM_FEATURE_TAG.name) !== undefined);
    } catch {
      // A REGISTER the core will refuse as malformed: its answer says so.
      return;
    }
    const user = this.spec.network.users.find((u) => `sip:${u.address}` === aor);
    const declared = user?.devices.filter((d) => d.external !== undefined) ?? [];
    if (!tagged && declared.length > 0 && declared.every((d) => d.external === 'cpm')) {
      this.note(source.address, `${aor} registered without the CPM feature tag: CPM requests will not reach it`);
    }
  }

  private refused(refusal: Refusal, what = 'packet'): void {
    this.pump();
    if (this.done) return;
    const answered = refusal.status === undefined ? '' : ` with ${refusal.status}`;
    this.note(refusal.source.address, `refused a ${refusal.reason} ${what} from ${formatAddress(refusal.source)}${answered}`);
  }

  /** What a socket reports on its own (a connection opened, a datagram dropped): noted at the time it happens. */
  private lateNote(host: string, text: string): void {
    this.pump();
    this.note(host, text);
  }

  private note(host: string, text: string): void {
    if (!this.done) this.built.network.net.note(host, text);
  }

  /** A bug in a simulated element: the run cannot go on, and the command reports it (exit 3). */
  private crash(error: unknown): void {
    this.done = true;
    clearTimeout(this.timer);
    void Promise.all([this.gateway.close(), this.msrpGateway.close(), this.rtpRelay.close()]).then(() => this.reject(error));
  }

  private async finish(endedBy: LiveResult['endedBy'], error?: string): Promise<void> {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    const endedAtUs = Math.min(this.realNow(), this.endUs);
    await Promise.all([this.gateway.close(), this.msrpGateway.close(), this.rtpRelay.close()]);
    const run = judgeRun(this.spec, this.options.seed ?? this.spec.seed, this.built, this.recorder.events, error, true);
    this.resolve({ run, counts: this.gateway.counts, msrpCounts: this.msrpGateway.counts, rtpCounts: this.rtpRelay.counts, clients: [...this.clients.keys()], endedBy, endedAtUs, startedAtMs: this.startedAtMs });
  }
}
