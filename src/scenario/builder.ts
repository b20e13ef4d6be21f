import { CpmNetwork } from '../cpm/cpm-network.js';
import { deviceHost } from '../cpm/naming.js';
import type { CpmClient } from '../cpm/client/client.js';
import { RandomStreams } from '../kernel/random.js';
import { FaultyLinks } from '../net/link-model.js';
import { constantLinks } from '../net/links.js';
import type { ExpectedAction, ExpectedStep, MessagePattern } from '../trace/expectations.js';
import type { Lifeline } from '../trace/projection.js';
import type { TextMatch } from '../trace/text-match.js';
import type { Action, MatcherSpec, ScenarioSpec, TextMatchSpec } from './spec.js';

function textMatch(m: TextMatchSpec): TextMatch {
  return m.kind === 'regex' ? { kind: 'regex', regex: new RegExp(m.source) } : m;
}

export interface BuiltScenario {
  network: CpmNetwork;
  lifelines: Lifeline[];
  steps: ExpectedStep[];
  ignore: MessagePattern[];
  never: MessagePattern[];
  actions: ExpectedAction[];
  /** Virtual time of the last timeline action. */
  lastActionAt: number;
  /** Each device's host and the address of its user. */
  clients: Map<string, string>;
}

/** Turns a validated scenario into a network with its timeline scheduled. */
export interface BuildOptions {
  shuffleTies?: boolean;
  /** The host (an IP address) where the real clients of external devices send from: cpmsim live. */
  externalHost?: string;
  /** Wall-clock instant of virtual time zero (a live run's start); default the fixed epoch. */
  epochMs?: number;
}

/** Where an external device is when no live gateway names its address: the loopback host. */
export const DEFAULT_EXTERNAL_HOST = '127.0.0.1';

export function buildScenario(spec: ScenarioSpec, seed: number, options: BuildOptions = {}): BuiltScenario {
  const { links, faults } = spec.network;
  // The links draw from streams of their own (`link/...`), derived from the same seed.
  const model = faults === undefined ? constantLinks(links.delayUs, links.interDomainDelayUs) : new FaultyLinks(faults, new RandomStreams(seed));
  const externalHost = options.externalHost ?? DEFAULT_EXTERNAL_HOST;
  const network = new CpmNetwork({
    seed,
    links: model,
    ...(options.shuffleTies === true && { shuffleTies: true }),
    ...(options.epochMs !== undefined && { epochMs: options.epochMs }),
    ...(spec.network.rtp === true && { rtp: true }),
  });
  for (const d of spec.network.domains) network.addDomain(d.name, { cpm: d.cpm, auth: d.auth, policy: d.policy, core: d.core, ...(d.applicationProfile && { applications: d.applicationProfile }) });
  for (const s of spec.network.nonCpm ?? []) {
    network.addNonCpmSystem(s.service, s.domain, s.users, {
      ...(s.enquireLinkUs === undefined ? {} : { enquireLink: s.enquireLinkUs }),
      ...(s.centreEnquireLinkUs === undefined ? {} : { centreEnquireLink: s.centreEnquireLinkUs }),
      ...(s.rebindBackoffUs === undefined ? {} : { rebindBackoff: s.rebindBackoffUs }),
    }, { ...(s.groups && { groups: s.groups }), ...(s.loggedOut && { loggedOut: s.loggedOut }), ...(s.lists && { lists: s.lists }), ...(s.distributionLists && { distributionLists: s.distributionLists }) });
  }
  const devices = new Map<string, { aor: string; device: string; host: string }>();
  for (const u of spec.network.users) {
    const aor = `sip:${u.address}`;
    network.addUser(
      aor,
      u.devices.map(({ name, answer, alert, media, sessionTimer, external }) =>
        external === undefined
          ? { name, ...(answer && { answer }), ...(alert !== undefined && { alert }), ...(media && { media }), ...(sessionTimer !== undefined && { sessionTimer }) }
          : { name, externalHost },
      ),
      { aliases: u.aliases, preferences: u.preferences, ...(u.password === undefined ? {} : { password: u.password }) },
    );
    for (const d of u.devices) devices.set(d.id, { aor, device: d.name, host: d.external === undefined ? deviceHost(u.local, d.name, u.domain) : externalHost });
  }
  for (const g of spec.network.groups ?? []) {
    network.addGroup(`sip:${g.address}`, {
      members: g.members.map((m) => `sip:${m}`),
      policy: { ...g.policy, ...(g.policy.banned !== undefined && { banned: g.policy.banned.map((b) => `sip:${b}`) }), allowedSenders: g.senders },
    });
  }
  for (const a of spec.network.applications ?? []) network.addApplication(a.name, { host: a.host, vasp: a.vasp, provider: a.provider });
  const device = (id: string) => devices.get(id)!;
  const user = new UserActions(network, device);
  // At one instant a crash or restart comes before the timeline's actions.
  for (const crash of faults?.crashes ?? []) {
    network.at(crash.atUs, () => network.crash(crash.host, crash.state));
    if (crash.restartUs !== undefined) network.at(crash.restartUs, () => network.restart(crash.host));
  }
  for (const entry of spec.timeline) network.at(entry.atUs, () => user.perform(entry.action));

  const lifelines: Lifeline[] = spec.lifelines.map((l) => ({
    name: l.name,
    hosts: l.refs.filter((r) => !r.startsWith('*@')).map((r) => devices.get(r)?.host ?? r),
    domains: l.refs.filter((r) => r.startsWith('*@')).map((r) => r.slice(2)),
  }));
  const column = new Map(spec.lifelines.map((l, i) => [l.name, i]));
  const pattern = (p: MatcherSpec): MessagePattern => ({
    ...(p.from === undefined ? {} : { from: column.get(p.from)! }),
    ...(p.to === undefined ? {} : { to: column.get(p.to)! }),
    ...(p.request === undefined ? {} : { request: p.request }),
    ...(p.response === undefined ? {} : { response: p.response }),
    ...(p.body === undefined ? {} : { body: p.body }),
    ...(p.user === undefined ? {} : { user: `sip:${p.user}` }),
    ...(p.of === undefined ? {} : { of: p.of }),
    ...(p.headers === undefined ? {} : { headers: p.headers.map((h) => ({ name: h.name, match: textMatch(h.match) })) }),
    ...(p.bodyText === undefined ? {} : { bodyText: textMatch(p.bodyText) }),
  });
  const steps: ExpectedStep[] = spec.expect.steps.map((s) => ({
    ...pattern(s),
    n: s.n,
    from: column.get(s.from)!,
    to: column.get(s.to)!,
    ...(s.note === undefined ? {} : { note: s.note }),
    ...(s.after === undefined ? {} : { after: s.after }),
    ...(s.within === undefined ? {} : { within: s.within }),
    ...(s.optional === true ? { optional: true } : {}),
    ...(s.unordered === undefined ? {} : { unordered: s.unordered }),
    ...(s.capture === undefined ? {} : { capture: s.capture }),
  }));
  const ignore = spec.expect.ignore.map(pattern);
  const never = spec.expect.never.map(pattern);
  const actions = spec.expect.actions.map((a): ExpectedAction => ({ n: a.n, lifeline: column.get(a.at)!, action: a.action, ...(a.text === undefined ? {} : { text: a.text }), ...(a.after === undefined ? {} : { after: a.after }) }));
  const lastActionAt = spec.timeline.reduce((max, e) => Math.max(max, e.atUs), 0);
  const clients = new Map([...devices.values()].map((d) => [d.host, d.aor]));
  return { network, lifelines, steps, ignore, never, actions, lastActionAt, clients };
}

/** Plays the scripted users: each timeline action is what a person does on a device. */
class UserActions {
  /** Scenario message labels to the imdn.Message-ID the sending client gave the message. */
  private readonly labels = new Map<string, string>();
  /** Labels of messages non-CPM users sent, to their sender: a reply answers the latest from it. */
  private readonly nonCpmLabels = new Map<string, string>();
  /** Scenario session labels to the Conversation-ID of the session (CPM 5.2.1.1). */
  private readonly sessions = new Map<string, string>();

  constructor(
    private readonly network: CpmNetwork,
    private readonly device: (id: string) => { aor: string; device: string },
  ) {}

  /** The imdn.Message-ID of the labelled message as the device received it (from a non-CPM user: the latest from it). */
  private received(client: CpmClient, label: string): string {
    const nonCpmSender = this.nonCpmLabels.get(label);
    return (nonCpmSender === undefined ? this.labels.get(label) : client.latestFrom(nonCpmSender)) ?? label;
  }

  perform(action: Action): void {
    switch (action.kind) {
      case 'register':
        for (const d of action.devices) this.client(d).register({ ...(action.password !== undefined && { password: action.password }), ...(action.media !== undefined && { media: action.media }) });
        return;
      case 'deregister':
        for (const d of action.devices) this.client(d).deregister();
        return;
      case 'subscribe-reg':
        for (const d of action.devices) this.client(d).subscribeRegistrations();
        return;
      case 'send': {
        const id = this.client(action.from).send({
          to: action.to,
          text: action.text,
          notify: action.notify,
          ...(action.expiresSeconds === undefined ? {} : { expires: action.expiresSeconds }),
          ...(action.privacy === true && { privacy: true }),
          ...(action.contentType !== undefined && { contentType: action.contentType }),
        });
        if (action.id !== undefined) this.labels.set(action.id, id);
        return;
      }
      case 'reply': {
        const client = this.client(action.from);
        const id = client.reply(this.received(client, action.to), { text: action.text, notify: action.notify });
        if (action.id !== undefined && id !== undefined) this.labels.set(action.id, id);
        return;
      }
      case 'read':
        this.client(action.device).read(this.labels.get(action.message) ?? action.message);
        return;
      case 'inject':
        this.client(action.from).inject(action.wire);
        return;
      case 'handset-off':
      case 'handset-on':
        for (const u of action.users) this.network.setNonCpmPresent(u, action.kind === 'handset-on');
        return;
      case 'non-cpm-send':
        this.network.sendFromNonCpm(action.from, action.to, action.text, action.deliveryReport);
        if (action.id !== undefined) this.nonCpmLabels.set(action.id, action.from);
        return;
      case 'retrieve-deferred':
        for (const d of action.devices) this.client(d).retrieveDeferred();
        return;
      case 'offline':
      case 'online':
        for (const d of action.devices) {
          const { aor, device } = this.device(d);
          this.network.setOnline(aor, device, action.kind === 'online');
        }
        return;
      case 'invite': {
        const client = this.client(action.from);
        const original = action.replyTo === undefined ? undefined : this.received(client, action.replyTo);
        const inReplyTo = original === undefined ? undefined : client.conversationOf(original);
        this.sessions.set(action.id, client.session.invite(action.to, action.media, action.simplex === true ? 'sendonly' : undefined, action.floorControl === true, inReplyTo, action.privacy === true));
        return;
      }
      case 'leave':
        this.client(action.device).session.leave(this.session(action.session));
        return;
      case 'rejoin':
        this.client(action.device).session.rejoin(this.session(action.session));
        return;
      case 'cancel':
        this.client(action.device).session.cancel(this.session(action.session));
        return;
      case 'add':
      case 'remove':
        this.client(action.from).session.change(this.session(action.session), action.kind, action.users);
        return;
      case 'modify':
        this.client(action.from).session.modify(this.session(action.session), action.media);
        return;
      case 'subscribe-participants':
        this.client(action.from).session.subscribeParticipants(this.session(action.session), action.expiresSeconds);
        return;
      case 'say':
        this.client(action.from).session.say(this.session(action.session), action.text, action.successReport === true);
        return;
      case 'talk':
        this.client(action.from).session.talk(this.session(action.session), action.durationUs);
        return;
      case 'app-send':
        this.network.application(action.from).send(action.to, action.text, action.onBehalfOf);
        return;
      case 'app-reply':
        this.network.application(action.from).reply(action.text);
        return;
    }
  }

  /** The loader checked that every session label names an earlier invite. */
  private session(label: string): string {
    return this.sessions.get(label)!;
  }

  private client(id: string) {
    const { aor, device } = this.device(id);
    return this.network.client(aor, device);
  }
}
