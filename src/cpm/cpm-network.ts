import { RandomStreams } from '../kernel/random.js';
import { Simulator, type RunLimits } from '../kernel/simulator.js';
import { MS } from '../kernel/time.js';
import type { NetObserver } from '../net/events.js';
import { constantLinks, type LinkModel } from '../net/links.js';
import { Network } from '../net/network.js';
import { copyPayload, type WirePayload } from '../wire/payload.js';
import type { ActorContext, ClientActivityListener } from './actor.js';
import { CpmClient } from './client/client.js';
import { ConversationServer } from './conversation-server/conversation-server.js';
import { Xdms } from './xdms/xdms.js';
import { SESSION_IDENTITY_PREFIX } from './conversation-server/session-focus.js';
import { SipIpCore } from './core/core.js';
import { conferenceFactoryUri, deferredServiceUri, isfHost, iwfHost } from './naming.js';
import type { DeviceSettings } from './session-media.js';
import type { InterworkingService } from './interworking/addresses.js';
import { InterworkingSelectionFunction } from './interworking/isf.js';
import { SmsInterworkingFunction } from './interworking/sms-iwf.js';
import { SmsCentre } from './non-cpm/smsc.js';
import { MailSystem } from './non-cpm/mail-system.js';
import { EmailInterworkingFunction } from './interworking/email-iwf.js';
import { DEFAULT_POLICY, DEFAULT_PREFERENCES, type ServicePolicy, type UserPreferences } from './preferences.js';

export interface CpmNetworkOptions {
  seed: number;
  links?: LinkModel;
  /** Wall-clock instant of virtual time zero; fixed so traces are identical on every machine. */
  epochMs?: number;
}

/** The password a user gets when the scenario names none. */
const DEFAULT_PASSWORD = 'secret';

/** 2008-06-01T00:00:00Z: the year of the CPM draft, and independent of the machine's clock. */
const DEFAULT_EPOCH_MS = Date.UTC(2008, 5, 1);

/**
 * The library front: build a CPM network in code (domains, users, devices), drive its users, run
 * it, and observe what crosses the network. The YAML runner is one client of this API.
 */
export class CpmNetwork {
  readonly sim = new Simulator();
  readonly net: Network<WirePayload>;
  private readonly ctx: ActorContext;
  private readonly cores = new Map<string, SipIpCore>();
  private readonly servers = new Map<string, ConversationServer>();
  private readonly xdms = new Map<string, Xdms>();
  private readonly clients = new Map<string, CpmClient>();
  private readonly policies = new Map<string, ServicePolicy>();
  private readonly selection = new Map<string, InterworkingSelectionFunction>();
  private readonly nonCpm: (SmsCentre | MailSystem)[] = [];

  constructor(options: CpmNetworkOptions) {
    this.net = new Network<WirePayload>(this.sim, options.links ?? constantLinks(1 * MS, 10 * MS), copyPayload);
    this.ctx = { sim: this.sim, net: this.net, streams: new RandomStreams(options.seed), epochMs: options.epochMs ?? DEFAULT_EPOCH_MS, directory: { enum: new Map() }, activity: [] };
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
    for (const server of this.servers.values()) n += server.deferredMessages;
    return n;
  }

  /** A home network: its SIP/IP Core and, where CPM is deployed, its CPM Conversation Server and XDMS. */
  addDomain(name: string, options: { cpm?: boolean; auth?: 'digest' | 'none'; policy?: Partial<ServicePolicy> } = {}): void {
    if (this.cores.has(name)) throw new Error(`domain ${name} already exists`);
    const cpm = options.cpm ?? true;
    const core = new SipIpCore({ domain: name, cpm, auth: options.auth ?? 'none' }, this.ctx);
    this.cores.set(name, core);
    if (!cpm) return;
    const policy = { ...DEFAULT_POLICY, ...options.policy };
    this.policies.set(name, policy);
    this.servers.set(name, new ConversationServer(name, policy, this.ctx));
    this.xdms.set(name, new Xdms(name, this.ctx));
    core.hostService(deferredServiceUri(name));
    core.hostService(conferenceFactoryUri(name));
    // CPM 5.1.2.6: the CPM Session Identities the Controlling Function hands out, as a wildcarded PSI.
    core.hostService(`sip:${SESSION_IDENTITY_PREFIX}*@${name}`);
  }

  /**
   * Provisions a CPM User (`sip:alice@a.example`) in its domain's core, with one client per device.
   * Telephone-number aliases are implicitly registered with the user and published in ENUM.
   */
  addUser(
    aor: string,
    devices: (string | DeviceSettings)[],
    options: { password?: string; aliases?: string[]; registrationSeconds?: number; preferences?: Partial<UserPreferences> } = {},
  ): void {
    const domain = aor.slice(aor.indexOf('@') + 1);
    const core = this.cores.get(domain);
    if (core === undefined) throw new Error(`user ${aor}: domain ${domain} was not added`);
    const password = options.password ?? DEFAULT_PASSWORD;
    const aliases = options.aliases ?? [];
    core.provision(aor, { password, aliases });
    const preferences = { ...DEFAULT_PREFERENCES, ...options.preferences };
    this.xdms.get(domain)?.provision(aor, preferences);
    for (const alias of aliases) if (alias.startsWith('tel:')) this.ctx.directory.enum.set(alias, aor);
    for (const entry of devices) {
      const settings = typeof entry === 'string' ? { name: entry } : entry;
      const device = settings.name;
      const client = new CpmClient(
        {
          aor,
          device,
          ...(settings.answer === undefined ? {} : { answer: settings.answer }),
          ...(settings.alert === undefined ? {} : { alert: settings.alert }),
          ...(settings.media === undefined ? {} : { media: settings.media }),
          password,
          preferences: { deliveryNotifications: preferences.deliveryNotifications, readReports: preferences.readReports },
          ...(options.registrationSeconds === undefined ? {} : { registrationSeconds: options.registrationSeconds }),
        },
        this.ctx,
      );
      this.clients.set(`${aor}/${device}`, client);
    }
  }

  /**
   * Provisions a CPM Pre-defined Group (`sip:friends@x.example`) hosted by the Conversation Server of
   * its domain, whose SIP/IP Core routes requests for the group's address there (CPM 5.2.2.1).
   * Senders are its members unless the policy lets anyone send.
   */
  addGroup(uri: string, options: { members: string[]; policy?: { allowedSenders?: 'members' | 'anyone' } }): void {
    const domain = uri.slice(uri.indexOf('@') + 1);
    const server = this.servers.get(domain);
    if (server === undefined) throw new Error(`group ${uri}: domain ${domain} was not added with CPM`);
    if (options.members.length === 0) throw new Error(`group ${uri} needs at least one member`);
    server.hostGroup(uri);
    this.xdms.get(domain)!.provisionGroup({ uri, members: [...options.members], policy: { allowedSenders: options.policy?.allowedSenders ?? 'members' } });
    this.cores.get(domain)!.hostService(uri);
  }

  /**
   * A non-CPM system (CPM 5.3) with its subscribers: an SMS centre for `sms` (numbers `tel:+...`),
   * a mail host for `email` (mailboxes `mailto:...`).
   * Every CPM domain gets an Interworking Function for the service, and an Interworking Selection
   * Function if it has none. Add it after the domains and before the users.
   */
  addNonCpmSystem(service: InterworkingService, domain: string, users: string[]): void {
    const system = service === 'sms' ? new SmsCentre(domain, users, this.ctx) : new MailSystem(domain, users, this.ctx);
    this.nonCpm.push(system);
    for (const [name, policy] of this.policies) {
      const core = this.cores.get(name)!;
      let isf = this.selection.get(name);
      if (isf === undefined) {
        isf = new InterworkingSelectionFunction(name, policy, this.ctx);
        this.selection.set(name, isf);
        core.trust(isfHost(name));
      }
      isf.addFunction(service);
      // An actor attaches itself to the network; from then on it is reached only by messages.
      if (service === 'sms') new SmsInterworkingFunction(name, system.host, this.ctx);
      else new EmailInterworkingFunction(name, this.ctx);
      core.trust(iwfHost(service, name));
    }
  }

  /** A subscriber of the SMS network switches its handset off or on. */
  setNonCpmPresent(number: string, present: boolean): void {
    const smsc = this.nonCpm.find((s): s is SmsCentre => s instanceof SmsCentre && s.serves(number));
    if (smsc === undefined) throw new Error(`no SMS centre serves ${number}`);
    smsc.setPresent(number, present);
  }

  /** A non-CPM user sends a message from its own service (C.4.2 step 1). */
  sendFromNonCpm(from: string, to: string, text: string, deliveryReport: boolean): void {
    const system = this.nonCpm.find((s) => s.serves(from));
    if (system === undefined) throw new Error(`no non-CPM system serves ${from}`);
    system.originate(from, to, text, deliveryReport);
  }

  client(aor: string, device: string): CpmClient {
    const c = this.clients.get(`${aor}/${device}`);
    if (c === undefined) throw new Error(`no device ${device} of ${aor}`);
    return c;
  }

  /** A device loses (or regains) its connection: it neither sends nor receives meanwhile. */
  setOnline(aor: string, device: string, online: boolean): void {
    this.net.setUp(this.client(aor, device).host, online);
  }

  /** Schedules a user action at a virtual time. */
  at(time: number, action: () => void): void {
    this.sim.at(time, action);
  }

  run(limits: RunLimits): void {
    this.sim.run(limits);
  }
}
