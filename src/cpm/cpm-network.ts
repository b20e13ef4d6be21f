import { intern } from '../kernel/intern.js';
import { RandomStreams } from '../kernel/random.js';
import { Simulator, type RunLimits } from '../kernel/simulator.js';
import { MS } from '../kernel/time.js';
import type { NetObserver } from '../net/events.js';
import { constantLinks, type LinkModel } from '../net/links.js';
import { Network } from '../net/network.js';
import type { NetNode } from '../net/node.js';
import { Rebootable } from './rebootable.js';
import { copyPayload, reliableFlow, type WirePayload } from '../wire/payload.js';
import type { ActorContext, ClientActivityListener } from './actor.js';
import { CpmClient, type ClientConfig } from './client/client.js';
import { ConversationServer } from './conversation-server/conversation-server.js';
import { Xdms } from './xdms/xdms.js';
import { SESSION_IDENTITY_PREFIX } from './conversation-server/session-focus.js';
import { SipIpCore, type Subscriber } from './core/core.js';
import type { GroupPolicy } from './conversation-server/controlling-function.js';
import type { FloodLimitConfig } from './core/flood-limit.js';
import { conferenceFactoryUri, deferredServiceUri, deviceHost, deviceInstance, isfHost, iwfHost } from './naming.js';
import type { DeviceSettings } from './session-media.js';
import type { InterworkingService } from './interworking/addresses.js';
import { InterworkingSelectionFunction } from './interworking/isf.js';
import { SmsInterworkingFunction, type SmppLinkSettings } from './interworking/sms-iwf.js';
import { SmsCentre, type DistributionList } from './non-cpm/smsc.js';
import { MailSystem, type MailingList } from './non-cpm/mail-system.js';
import { EmailInterworkingFunction } from './interworking/email-iwf.js';
import { MmsInterworkingFunction } from './interworking/mms-iwf.js';
import { MmsRelay } from './non-cpm/mms-relay.js';
import { ImpsInterworkingFunction } from './interworking/imps-iwf.js';
import { ImpsServer, type ImpsGroupConfig } from './non-cpm/imps-server.js';
import { VasApplication, applicationUri } from './application/vas-application.js';
import type { ApplicationProfile } from './conversation-server/application-profile.js';
import { DEFAULT_POLICY, DEFAULT_PREFERENCES, type ServicePolicy, type UserPreferences } from './preferences.js';

export interface CpmNetworkOptions {
  seed: number;
  links?: LinkModel;
  /** Wall-clock instant of virtual time zero; fixed so traces are identical on every machine. */
  epochMs?: number;
  /** Run events due at the same virtual time in a random order, drawn from the stream `kernel/ties` (cpmsim explore). */
  shuffleTies?: boolean;
  /** Devices and Controlling Functions send RTP in audio and video streams (RFC 3550); off, sessions negotiate media only. */
  rtp?: boolean;
}

/** A device a real client plays (cpmsim live), at the address the client sends from. */
export interface ExternalDevice {
  name: string;
  externalHost: string;
}

/** The password a user gets when the scenario names none. */
const DEFAULT_PASSWORD = 'secret';

/** What the defaults let a client send: delivery notifications and read reports (CPM 5.2.2.3). */
const DEFAULT_CLIENT_PREFERENCES = { deliveryNotifications: DEFAULT_PREFERENCES.deliveryNotifications, readReports: DEFAULT_PREFERENCES.readReports };

// The provisioning steps of a user, replayed after each restart of the element they configure, and
// how a device is made: shared functions kept with their values (Rebootable.provision and from), so
// that a population of idle users keeps no closure, nor any call's scope, per user.

function provisionSubscriber(core: SipIpCore, aor: string, subscriber: Subscriber): void {
  core.provision(aor, subscriber);
}

function provisionPreferences(xdms: Xdms, aor: string, preferences: UserPreferences): void {
  xdms.provision(aor, preferences);
}

function makeClient(ctx: ActorContext, config: ClientConfig): CpmClient {
  return new CpmClient(config, ctx);
}

/** 2008-06-01T00:00:00Z: the year of the CPM draft, and independent of the machine's clock. */
const DEFAULT_EPOCH_MS = Date.UTC(2008, 5, 1);

/**
 * The library front: build a CPM network in code (domains, users, devices), drive its users, run
 * it, and observe what crosses the network. The YAML runner is one client of this API.
 */
export class CpmNetwork {
  readonly sim: Simulator;
  readonly net: Network<WirePayload>;
  private readonly ctx: ActorContext;
  private readonly cores = new Map<string, Rebootable<SipIpCore>>();
  private readonly servers = new Map<string, Rebootable<ConversationServer>>();
  private readonly xdms = new Map<string, Rebootable<Xdms>>();
  private readonly clients = new Map<string, Rebootable<CpmClient>>();
  private readonly applications = new Map<string, Rebootable<VasApplication>>();
  private readonly policies = new Map<string, ServicePolicy>();
  private readonly selection = new Map<string, Rebootable<InterworkingSelectionFunction>>();
  private readonly nonCpm: Rebootable<SmsCentre | MailSystem | MmsRelay | ImpsServer>[] = [];
  /** Every element by host, for crashes. */
  private readonly elements = new Map<string, Pick<Rebootable<unknown>, 'crash' | 'restart'>>();
  /** Hosts that are down after a crash, with what they keep. */
  private readonly crashed = new Map<string, 'lost' | 'kept'>();

  private readonly rtp: boolean;

  constructor(options: CpmNetworkOptions) {
    this.rtp = options.rtp === true;
    const streams = new RandomStreams(options.seed);
    this.sim = new Simulator(options.shuffleTies === true ? { shuffleTies: streams.stream('kernel/ties') } : {});
    this.net = new Network<WirePayload>(this.sim, options.links ?? constantLinks(1 * MS, 10 * MS), copyPayload, reliableFlow);
    this.ctx = { sim: this.sim, net: this.net, streams, epochMs: options.epochMs ?? DEFAULT_EPOCH_MS, directory: { enum: new Map() }, activity: [] };
  }

  /** The run's named random streams, for what drives the users (a load's traffic models). */
  get streams(): RandomStreams {
    return this.ctx.streams;
  }

  observe(observer: NetObserver<WirePayload>): void {
    this.net.observe(observer);
  }

  /** What the users see on their devices (messages shown, notifications, refusals), as it happens. */
  observeActivity(listener: ClientActivityListener): void {
    this.ctx.activity.push(listener);
  }

  /** Messages the deferred messaging services of all domains hold right now (CPM 5.2.2.2). */
  deferredMessages(): number {
    let n = 0;
    for (const server of this.servers.values()) n += server.current.deferredMessages;
    return n;
  }

  /** A home network: its SIP/IP Core and, where CPM is deployed, its CPM Conversation Server and XDMS. */
  addDomain(
    name: string,
    options: {
      cpm?: boolean;
      auth?: 'digest' | 'none';
      policy?: Partial<ServicePolicy>;
      core?: { challengeRequests?: readonly string[]; floodLimit?: FloodLimitConfig; regSubscriptionSeconds?: number };
      /** CPM 5.8.1: the Application Profile of the provider's Application Control Function. */
      applications?: ApplicationProfile;
    } = {},
  ): void {
    if (this.cores.has(name)) throw new Error(`domain ${name} already exists`);
    const cpm = options.cpm ?? true;
    const core = this.element((ctx) => new SipIpCore({ domain: name, cpm, auth: options.auth ?? 'none', ...options.core }, ctx));
    this.cores.set(name, core);
    if (!cpm) return;
    const policy = { ...DEFAULT_POLICY, ...options.policy };
    this.policies.set(name, policy);
    this.servers.set(name, this.element((ctx) => new ConversationServer(name, policy, ctx, this.rtp, options.applications)));
    this.xdms.set(name, this.element((ctx) => new Xdms(name, ctx)));
    core.configure((c) => {
      c.hostService(deferredServiceUri(name));
      c.hostService(conferenceFactoryUri(name));
      // CPM 5.1.2.6: the CPM Session Identities the Controlling Function hands out, as a wildcarded PSI.
      c.hostService(`sip:${SESSION_IDENTITY_PREFIX}*@${name}`);
    });
  }

  /**
   * Provisions a CPM User (`sip:alice@a.example`) in its domain's core, with one client per device.
   * Telephone-number aliases are implicitly registered with the user and published in ENUM.
   */
  addUser(
    address: string,
    devices: (string | ExternalDevice | DeviceSettings)[],
    options: { password?: string; aliases?: string[]; registrationSeconds?: number; preferences?: Partial<UserPreferences> } = {},
  ): void {
    // Every element the user is provisioned in keeps its AOR: one flat string for all of them.
    const aor = intern(address);
    const domain = aor.slice(aor.indexOf('@') + 1);
    const core = this.cores.get(domain);
    if (core === undefined) throw new Error(`user ${aor}: domain ${domain} was not added`);
    const password = options.password ?? DEFAULT_PASSWORD;
    const aliases = options.aliases ?? [];
    const user = aor.slice(aor.indexOf(':') + 1, aor.indexOf('@'));
    const hosts = devices.map((entry) => (typeof entry === 'string' ? deviceHost(user, entry, domain) : 'externalHost' in entry ? entry.externalHost : deviceHost(user, entry.name, domain)));
    core.provision(provisionSubscriber, aor, { password, aliases, devices: hosts });
    const preferences = options.preferences === undefined ? DEFAULT_PREFERENCES : { ...DEFAULT_PREFERENCES, ...options.preferences };
    if (preferences.sessionDevices !== undefined) preferences.sessionDevices = this.instances(aor, preferences.sessionDevices, devices);
    this.xdms.get(domain)?.provision(provisionPreferences, aor, preferences);
    for (const alias of aliases) if (alias.startsWith('tel:')) this.ctx.directory.enum.set(alias, aor);
    const shown = preferences === DEFAULT_PREFERENCES ? DEFAULT_CLIENT_PREFERENCES : { deliveryNotifications: preferences.deliveryNotifications, readReports: preferences.readReports };
    for (const entry of devices) {
      // A real client plays this device (cpmsim live): the core knows its host, nothing simulates it.
      if (typeof entry !== 'string' && 'externalHost' in entry) continue;
      const settings = typeof entry === 'string' ? { name: entry } : entry;
      const device = settings.name;
      const config = {
        aor,
        device,
        ...(settings.answer === undefined ? {} : { answer: settings.answer }),
        ...(settings.alert === undefined ? {} : { alert: settings.alert }),
        ...(settings.media === undefined ? {} : { media: settings.media }),
        ...(settings.sessionTimer === undefined ? {} : { sessionTimer: settings.sessionTimer }),
        ...(this.rtp && { rtp: true }),
        password,
        preferences: shown,
        ...(options.registrationSeconds === undefined ? {} : { registrationSeconds: options.registrationSeconds }),
      };
      const client = this.register(Rebootable.from(this.ctx, makeClient, config));
      this.clients.set(intern(`${aor}/${device}`), client);
    }
  }

  /**
   * Provisions a CPM Pre-defined Group (`sip:friends@x.example`) hosted by the Conversation Server of
   * its domain, whose SIP/IP Core routes requests for the group's address there (CPM 5.2.2.1).
   * Senders are its members unless the policy lets anyone send.
   */
  addGroup(uri: string, options: { members: string[]; policy?: Partial<GroupPolicy> }): void {
    const domain = uri.slice(uri.indexOf('@') + 1);
    const server = this.servers.get(domain);
    if (server === undefined) throw new Error(`group ${uri}: domain ${domain} was not added with CPM`);
    if (options.members.length === 0) throw new Error(`group ${uri} needs at least one member`);
    server.configure((s) => s.hostGroup(uri));
    const group = { uri, members: [...options.members], policy: { ...options.policy, allowedSenders: options.policy?.allowedSenders ?? 'members' } };
    this.xdms.get(domain)!.configure((x) => x.provisionGroup(group));
    this.cores.get(domain)!.configure((c) => c.hostService(uri));
  }

  /**
   * A value-added-service application at `host` (its Value Added Service Provider's domain
   * `vasp`) that uses the Application Control Function of `provider`'s Conversation Server (CPM
   * 5.8.1). The provider knows where its requests come from and routes its address
   * (`sip:name@provider`) to the server; what it may do is the provider's Application Profile.
   */
  addApplication(name: string, options: { host: string; vasp: string; provider: string }): void {
    const server = this.servers.get(options.provider);
    if (server === undefined) throw new Error(`application ${name}: domain ${options.provider} was not added with CPM`);
    if (this.applications.has(name)) throw new Error(`application ${name} already exists`);
    const app = this.element((ctx) => new VasApplication({ name, host: options.host, domain: options.vasp, provider: options.provider }, ctx));
    this.applications.set(name, app);
    const uri = applicationUri(name, options.provider);
    server.configure((s) => s.knowApplication({ name, host: options.host, uri, provider: options.vasp }));
    this.cores.get(options.provider)!.configure((c) => c.hostService(uri));
  }

  application(name: string): VasApplication {
    const app = this.applications.get(name);
    if (app === undefined) throw new Error(`no application ${name}`);
    return app.current;
  }

  /**
   * A non-CPM system (CPM 5.3) with its subscribers: an SMS centre for `sms` (numbers `tel:+...`),
   * a mail host for `email` (mailboxes `mailto:...`), an MMS Relay/Server for `mms` (numbers), an
   * IMPS server for `imps` (users `wv:...`, with the groups it hosts and the users not logged in,
   * in `hosted`). A mail host may host mailing lists (`hosted.lists`), an SMS centre distribution
   * lists (`hosted.distributionLists`): all are Non-CPM Groups (CPM 5.1.2.5).
   * Every CPM domain gets an Interworking Function for the service, and an Interworking Selection
   * Function if it has none; `link` is how the SMS ones keep their bind alive. Add it after the
   * domains and before the users.
   */
  addNonCpmSystem(service: InterworkingService, domain: string, users: string[], link: SmppLinkSettings = {}, hosted: { groups?: ImpsGroupConfig[]; loggedOut?: string[]; lists?: MailingList[]; distributionLists?: DistributionList[] } = {}): void {
    const system = this.element((ctx) =>
      service === 'sms'
        ? new SmsCentre(domain, users, ctx, undefined, undefined, link.centreEnquireLink, hosted.distributionLists ?? [])
        : service === 'mms'
          ? new MmsRelay(domain, users, ctx)
          : service === 'imps'
            ? new ImpsServer(domain, users, hosted.groups ?? [], hosted.loggedOut ?? [], ctx)
            : new MailSystem(domain, users, ctx, hosted.lists ?? []),
    );
    this.nonCpm.push(system);
    for (const [name, policy] of this.policies) {
      const core = this.cores.get(name)!;
      let isf = this.selection.get(name);
      if (isf === undefined) {
        isf = this.element((ctx) => new InterworkingSelectionFunction(name, policy, ctx));
        this.selection.set(name, isf);
        core.configure((c) => c.trust(isfHost(name)));
      }
      isf.configure((f) => f.addFunction(service));
      // An actor attaches itself to the network; from then on it is reached only by messages.
      const centre = system.current.host;
      this.element((ctx) =>
        service === 'sms'
          ? new SmsInterworkingFunction(name, centre, ctx, link)
          : service === 'mms'
            ? new MmsInterworkingFunction(name, centre, ctx)
            : service === 'imps'
              ? new ImpsInterworkingFunction(name, centre, ctx)
              : new EmailInterworkingFunction(name, ctx),
      );
      // The IMPS server knows each domain's Interworking Function as the gateway for its users.
      if (service === 'imps') (system as Rebootable<ImpsServer>).configure((s) => s.addGateway(name, iwfHost('imps', name)));
      core.configure((c) => c.trust(iwfHost(service, name)));
    }
  }

  /** A subscriber of the SMS network switches its handset off or on. */
  setNonCpmPresent(number: string, present: boolean): void {
    // The handset's state is the subscriber's (the HLR's), so an SMS centre that restarts still knows it.
    const smsc = this.nonCpm.find((s) => s.current instanceof SmsCentre && s.current.serves(number)) as Rebootable<SmsCentre> | undefined;
    if (smsc === undefined) throw new Error(`no SMS centre serves ${number}`);
    smsc.configure((s) => s.setPresent(number, present));
  }

  /** A non-CPM user sends a message from its own service (C.4.2 step 1). */
  sendFromNonCpm(from: string, to: string, text: string, deliveryReport: boolean): void {
    const system = this.nonCpm.find((s) => s.current.serves(from));
    if (system === undefined) throw new Error(`no non-CPM system serves ${from}`);
    system.current.originate(from, to, text, deliveryReport);
  }

  client(aor: string, device: string): CpmClient {
    const c = this.clients.get(`${aor}/${device}`);
    if (c === undefined) throw new Error(`no device ${device} of ${aor}`);
    return c.current;
  }

  /**
   * The element at `host` crashes: it is unreachable until it restarts. With its state `lost`
   * its process is gone and a restart begins afresh from its provisioning; with it `kept` it was only
   * unreachable (its timers ran on, and what they sent meanwhile was lost).
   */
  crash(host: string, state: 'lost' | 'kept'): void {
    const element = this.elements.get(host);
    if (element === undefined) throw new Error(`no element ${host}`);
    this.net.setUp(host, false);
    this.crashed.set(host, state);
    if (state === 'lost') element.crash();
    this.net.note(host, `crashed (state ${state})`);
  }

  /** A crashed element comes back. */
  restart(host: string): void {
    const state = this.crashed.get(host);
    if (state === undefined) throw new Error(`${host} has not crashed`);
    this.crashed.delete(host);
    if (state === 'lost') {
      this.net.detach(host);
      this.elements.get(host)!.restart();
    }
    this.net.setUp(host, true);
    this.net.note(host, state === 'lost' ? 'restarted afresh' : 'restarted');
  }

  /** Makes an element that can crash and restart, attached under its host. */
  /** CPM 5.2.3.2.1.3: the Unique User Agent Identifiers of the named devices of a user, for its preference document. */
  private instances(aor: string, names: string[], devices: (string | ExternalDevice | DeviceSettings)[]): string[] {
    const user = aor.slice(aor.indexOf(':') + 1, aor.indexOf('@'));
    const domain = aor.slice(aor.indexOf('@') + 1);
    const simulated = devices.flatMap((d) => (typeof d === 'string' ? [d] : 'externalHost' in d ? [] : [d.name]));
    return names.map((name) => {
      // A real client (cpmsim live) chooses its own identifier, so its user cannot name it here.
      if (!simulated.includes(name)) throw new Error(`user ${aor}: session-devices names ${name}, which is not one of its simulated devices`);
      return deviceInstance(this.ctx.streams, deviceHost(user, name, domain));
    });
  }

  private element<T extends NetNode<WirePayload>>(make: (ctx: ActorContext) => T): Rebootable<T> {
    return this.register(Rebootable.of(this.ctx, make));
  }

  /** Known by its host, for crashes. */
  private register<T extends NetNode<WirePayload>>(element: Rebootable<T>): Rebootable<T> {
    this.elements.set(element.current.host, element);
    return element;
  }

  /** A device loses (or regains) its connection: it neither sends nor receives meanwhile. */
  setOnline(aor: string, device: string, online: boolean): void {
    this.net.setUp(this.client(aor, device).host, online);
  }

  /** Schedules a user action at a virtual time. */
  at(time: number, action: () => void): void {
    this.sim.at(time, action);
  }

  /** False when it paused (`limits.pauseAfter`) with events left before `limits.until`. */
  run(limits: RunLimits): boolean {
    return this.sim.run(limits);
  }
}
