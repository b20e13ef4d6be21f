import { buildCpim } from '../../bodies/cpim-codec.js';
import type { CpimMessage } from '../../bodies/cpim.js';
import type { DispositionRequest, ImdnStatus } from '../../bodies/imdn.js';
import { intern } from '../../kernel/intern.js';
import { MS, type Micros } from '../../kernel/time.js';
import { createRequest } from '../../sip/builders.js';
import { internUri } from '../../sip/interned.js';
import { readLeniently } from '../../sip/lenient.js';
import type { Header, SipRequest, SipResponse } from '../../sip/message.js';
import type { NameAddr } from '../../sip/name-addr.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { aorOf, parseUri, sipUri, type Param, type SipUri, type Uri } from '../../sip/uri.js';
import type { BfcpMessage } from '../../bfcp/message.js';
import type { OtherPayload } from '../../wire/payload.js';
import { SipActor, type ActorContext, type ClientActivity } from '../actor.js';
import { coreHost, deferredServiceUri, deviceHost, deviceInstance } from '../naming.js';
import { RegSubscriptions } from '../reg-subscriptions.js';
import { cpmServiceHeaders, notificationRequest } from '../notification.js';
import { DEFAULT_ANSWER, MEDIA_TYPES, mediaFeatureTags, type Answer, type MediaType } from '../session-media.js';
import { received, type Received } from './inbox.js';
import { ANONYMOUS } from '../../sip/privacy.js';
import { NON_CPM_SERVICE_HEADER } from '../interworking/addresses.js';
import { ClientSessions } from './sessions.js';
import { ProxyCredentials } from './proxy-credentials.js';
import { Registration } from './registration.js';
import {
  CONTRIBUTION_ID,
  CONVERSATION_ID,
  CPM_FEATURE_TAG,
  IN_REPLY_TO_CONTRIBUTION_ID,
} from '../service.js';

export interface ClientConfig {
  /** The CPM User address, e.g. `sip:alice@a.example`. */
  aor: string;
  device: string;
  password: string;
  /** How long the device takes from receiving a message to reporting its delivery. */
  notifyDelay?: Micros;
  registrationSeconds?: number;
  /** CPM 5.2.2.3: whether the user lets the client send delivery notifications and read reports. */
  preferences?: { deliveryNotifications: boolean; readReports: boolean };
  /** How the user answers CPM Session Invitations on this device. */
  answer?: Answer;
  /** How long the device takes to alert its user of an invitation. */
  alert?: Micros;
  /** The Media Stream Types the device supports in sessions. */
  media?: MediaType[];
  /** Whether the device sends and receives RTP in its audio and video streams (RFC 3550). */
  rtp?: boolean;
  /** RFC 4028: the device supports session timers and asks for this session interval, in seconds. */
  sessionTimer?: number;
}

export interface SendOptions {
  to: string;
  text: string;
  notify?: DispositionRequest[];
  /** The message being replied to: its conversation is continued (CPM 5.2.1.1). */
  inReplyTo?: { conversationId: string; contributionId: string };
  /** RFC 3428 8: seconds after which the content is no longer valid (a deferred copy expires). */
  expires?: number;
  /**
   * RFC 3323 4.1.1.3 and RFC 3325 9.3: the user withholds its identity from the recipient: an
   * anonymous From (SIP and CPIM), and Privacy: id asking the network to withhold the one it asserts.
   */
  privacy?: boolean;
  /** CPM 5.2.2.1: the Non-CPM Communication Service Identifier of the message a reply answers. */
  nonCpmService?: string;
  /** The media type of the content when it is not plain text (a picture as image/svg+xml). */
  contentType?: string;
}

/**
 * A CPM Client on one device of a CPM User: registers with its Unique User Agent Identifier
 * (CPM 5.1.2.3), sends and receives pager-mode CPM Messages with the conversation indications
 * (CPM 5.2.1.1), and reports delivery when asked to (CPM 5.2.2.3).
 */
export class CpmClient extends SipActor {
  readonly instance: string;
  readonly device: string;
  private readonly aor: string;
  private readonly contact: NameAddr;
  /** Its subscriptions to its own user's registration state (C.1.2.1), made at the first: most devices never subscribe. */
  private regSubscriptions: RegSubscriptions | undefined;
  /** The Media Stream Types the device supports now; its sessions read the same list. */
  private readonly media: MediaType[];
  private readonly registration: Registration;
  /** Made at the first request that may need them: an idle device sends none. */
  private proxyCredentials: ProxyCredentials | undefined;
  private readonly notifyDelay: Micros;
  private readonly preferences: { deliveryNotifications: boolean; readReports: boolean };
  /** The messages shown on the device, by Message-ID; made at the first one. */
  private inbox: Map<string, Received> | undefined;
  private sessionSide: ClientSessions | undefined;
  private readonly config: ClientConfig;

  constructor(config: ClientConfig, ctx: ActorContext) {
    const uri = parseUri(config.aor) as SipUri;
    super(deviceHost(uri.user ?? '', config.device, uri.host), uri.host, ctx);
    this.aor = intern(aorOf(uri));
    this.device = config.device;
    this.instance = deviceInstance(ctx.streams, this.host);
    // A copy of its own length (a spread kept spare capacity); a capability change edits it in place.
    const media: MediaType[] = (config.media ?? MEDIA_TYPES).slice();
    this.media = media;
    const identity: Param[] = [{ name: '+sip.instance', value: intern(`"<${this.instance}>"`) }, CPM_FEATURE_TAG];
    this.contact = {
      uri: sipUri(uri.user, this.host),
      // The media the device can take part in, for the choice of devices (CPM 5.2.3.2.1.3). By
      // concat, a list of its own length: a spread into a literal kept spare capacity.
      params: identity.concat(mediaFeatureTags(media)),
    };
    this.notifyDelay = config.notifyDelay ?? 100 * MS;
    this.preferences = config.preferences ?? { deliveryNotifications: true, readReports: true };
    this.registration = new Registration(
      {
        stack: this.stack,
        sim: ctx.sim,
        streams: ctx.streams,
        aor: this.aor,
        registrar: internUri(sipUri(undefined, uri.host)) as SipUri,
        outboundProxy: intern(coreHost(uri.host)),
        contact: this.contact,
        net: ctx.net,
      },
      config.password,
      config.registrationSeconds ?? 3600,
    );
    this.config = config;
  }

  /** The ACK of a 2xx this device sent: it confirms one of its sessions (RFC 3261 13.3.1.4). */
  handleAck(ack: SipRequest): void {
    this.sessions.ack(ack);
  }

  /**
   * Made at the device's first session or invitation: most devices of a large population never
   * take part in one, and an idle device is then a few hundred bytes lighter. From the device's
   * configuration, which its Rebootable keeps for restarts anyway.
   */
  private makeSessions(): ClientSessions {
    const config = this.config;
    const domain = this.domain;
    const answer = config.answer ?? DEFAULT_ANSWER;
    const alert = config.alert ?? 0;
    const rtp = config.rtp === true;
    const sessionTimer = config.sessionTimer;
    const user = (parseUri(config.aor) as SipUri).user ?? 'user';
    return new ClientSessions({
      stack: this.stack,
      sim: this.ctx.sim,
      rng: this.ctx.streams.stream(`${this.host}/sessions`),
      aor: this.aor,
      host: this.host,
      coreHost: coreHost(domain),
      domain,
      contact: this.contact,
      sendMedia: (toHost, msg) => this.ctx.net.send(this.host, toHost, msg),
      dateTime: () => this.dateTime(),
      answer,
      alert,
      media: this.media,
      note: (text) => this.note(text),
      credentials: this.credentials,
      ...(sessionTimer !== undefined && { sessionTimer }),
      ...(rtp && {
        rtp: {
          sim: this.ctx.sim,
          rng: () => this.ctx.streams.stream(`${this.host}/rtp`),
          send: (toHost, packet) => this.ctx.net.send(this.host, toHost, packet),
          cname: `${user}@${this.host}`,
          epochMs: this.ctx.epochMs,
        },
        sendFloor: (toHost: string, msg: BfcpMessage) => this.ctx.net.send(this.host, toHost, msg),
      }),
    });
  }

  /** MSRP of its sessions' message streams; any other protocol is not a CPM Client's to speak. */
  protected override onOther(payload: OtherPayload, fromHost: string): void {
    if (payload.protocol === 'msrp') return this.sessions.media(payload, fromHost);
    if (payload.protocol === 'rtp') return this.sessions.rtpPacket(payload);
    if (payload.protocol === 'bfcp') return this.sessions.floorStatus(payload, fromHost);
    super.onOther(payload, fromHost);
  }

  /** The CPM Session side of this client (CPM 5.2.3). */
  get session(): ClientSessions {
    return this.sessions;
  }

  private get credentials(): ProxyCredentials {
    return (this.proxyCredentials ??= new ProxyCredentials(this.aor, this.config.password, this.ctx.streams, this.host));
  }

  private get sessions(): ClientSessions {
    return (this.sessionSide ??= this.makeSessions());
  }

  // User actions

  /** CPM 5.1.1.1 and C.1.1: register (or re-register) this client. */
  register(options: { password?: string; media?: readonly MediaType[] } = {}): void {
    if (options.media !== undefined) this.changeCapabilities(options.media);
    this.registration.register(options.password);
  }

  /**
   * CPM 5.1.1.1: "the CPM Client MAY also update its capability by re-registration when the
   * capability has changed": the Contact it registers, and its sessions' answers, use the new
   * Media Stream Types from now on.
   */
  private changeCapabilities(media: readonly MediaType[]): void {
    this.media.splice(0, this.media.length, ...media);
    const tags = new Set(mediaFeatureTags(MEDIA_TYPES).map((t) => t.name));
    this.contact.params = [...this.contact.params.filter((p) => !tags.has(p.name)), ...mediaFeatureTags(media)];
    this.note(`capabilities: ${media.join(', ')}`);
  }

  /** CPM 5.1.1.1: terminate the registration when CPM is no longer used. */
  deregister(): void {
    this.registration.deregister();
  }

  /**
   * CPM 5.1.6 and C.1.2.1: subscribe to the Registration Event Information of its own user,
   * refreshed before it runs out (3GPP TS 24.229 5.1.1.3).
   */
  subscribeRegistrations(): void {
    this.regSubscriptions ??= new RegSubscriptions({
      stack: this.stack,
      sim: this.ctx.sim,
      coreHost: coreHost(this.domain),
      subscriber: parseUri(this.aor),
      contact: { uri: this.contact.uri, params: [] },
      note: (text) => this.note(text),
    });
    // A client draws its tag before the Call-ID, a server the other way round: each keeps its identifiers.
    this.regSubscriptions.subscribe(this.aor, { tag: this.stack.newTag(), callId: this.stack.newCallId() });
  }

  /** CPM 5.2.2.1: send a pager-mode CPM Message; returns its imdn.Message-ID. */
  send(opts: SendOptions): string {
    const rng = this.ctx.streams.stream(`${this.host}/ids`);
    const messageId = rng.hex(12);
    const target = parseUri(opts.to);
    const conversationId = opts.inReplyTo?.conversationId ?? rng.uuid();
    const extra: Header[] = [
      ...cpmServiceHeaders(),
      { name: CONVERSATION_ID, value: conversationId },
      { name: CONTRIBUTION_ID, value: rng.uuid() },
    ];
    if (opts.inReplyTo !== undefined) extra.push({ name: IN_REPLY_TO_CONTRIBUTION_ID, value: opts.inReplyTo.contributionId });
    if (opts.expires !== undefined) extra.push({ name: 'Expires', value: String(opts.expires) });
    if (opts.privacy === true) extra.push({ name: 'Privacy', value: 'id' });
    if (opts.nonCpmService !== undefined) extra.push({ name: NON_CPM_SERVICE_HEADER, value: opts.nonCpmService });
    const cpim = buildCpim({
      from: opts.privacy === true ? ANONYMOUS : this.aor,
      to: opts.to,
      dateTime: this.dateTime(),
      messageId,
      dispositionNotification: opts.notify ?? [],
      content: { kind: 'text', contentType: opts.contentType ?? 'text/plain;charset=UTF-8', text: opts.text },
    });
    this.sendMessage(target, extra, cpim, messageId, opts.privacy === true);
    return messageId;
  }

  /**
   * CPM 5.2.1.1: reply to a received message, in its conversation (same Conversation-ID, a new
   * Contribution-ID, InReplyTo-Contribution-ID naming the message replied to).
   */
  reply(messageId: string, opts: Omit<SendOptions, 'to' | 'inReplyTo' | 'nonCpmService'>): string | undefined {
    const original = this.inbox?.get(messageId);
    if (original === undefined) {
      this.note(`cannot reply: message ${messageId} was not received here`);
      return undefined;
    }
    const inReplyTo =
      original.conversationId !== undefined && original.contributionId !== undefined
        ? { conversationId: original.conversationId, contributionId: original.contributionId }
        : undefined;
    // CPM 5.2.2.1: a reply to a non-CPM User carries the service identifier of the message it answers.
    const service = original.nonCpmService === undefined ? {} : { nonCpmService: original.nonCpmService };
    return this.send({ ...opts, to: original.sender, ...(inReplyTo === undefined ? {} : { inReplyTo }), ...service });
  }

  /** CPM 5.2.1.1: the conversation and contribution of a message received here, for a session that replies to it. */
  conversationOf(messageId: string): { conversationId: string; contributionId: string } | undefined {
    const message = this.inbox?.get(messageId);
    if (message?.conversationId === undefined || message.contributionId === undefined) return undefined;
    return { conversationId: message.conversationId, contributionId: message.contributionId };
  }

  /** The imdn.Message-ID of the latest message received here from `sender` (its CPIM From), if any. */
  latestFrom(sender: string): string | undefined {
    let latest: string | undefined;
    for (const message of this.inbox?.values() ?? []) if (message.sender === sender) latest = message.messageId;
    return latest;
  }

  /** CPM 5.2.2.2: ask the home deferred messaging service for the messages it holds. */
  retrieveDeferred(): void {
    this.send({ to: deferredServiceUri(this.domain), text: 'retrieve' });
  }

  /**
   * Fault injection: sends `wire` (LF or CRLF line ends, made CRLF) to the core exactly as written,
   * after a Via of this client as its first header so the answer comes back here.
   */
  inject(wire: string): void {
    const text = wire.replace(/\r?\n/g, '\r\n');
    const eol = text.indexOf('\r\n');
    const via = `Via: SIP/2.0/UDP ${this.host};branch=${this.stack.newBranch()}`;
    const req = readLeniently(eol < 0 ? `${text}\r\n${via}\r\n\r\n` : `${text.slice(0, eol)}\r\n${via}${text.slice(eol)}`);
    if (req.type !== 'request') {
      this.note('cannot inject a response: there is no request it answers');
      return;
    }
    this.stack.requestAsIs(req, coreHost(this.domain), (res) => this.note(`injected ${req.method}: ${res.status}`));
  }

  /** The user reads a message: CPM 5.2.2.3.2, a read report if asked for and allowed. */
  read(messageId: string): void {
    const message = this.inbox?.get(messageId);
    if (message === undefined || message.read) return;
    message.read = true;
    this.note('read by the user');
    if (message.requested.includes('display') && this.preferences.readReports) this.sendNotification(message, { type: 'display', status: 'displayed' });
  }

  // Network side

  protected onRequest(req: SipRequest, tx: ServerTransaction): void {
    if ((this.sessionSide !== undefined || ClientSessions.answersWithoutSessions(req)) && this.sessions.receive(req, tx)) return;
    if (req.method === 'MESSAGE') return this.receiveMessage(req, tx);
    if (req.method === 'NOTIFY') return this.receiveNotify(req, tx);
    this.respond(tx, 405, { extra: [{ name: 'Allow', value: 'MESSAGE, NOTIFY, INVITE, ACK, BYE, CANCEL, UPDATE' }] });
  }

  /** C.1.2.1 steps 3 and 7: learn which clients of the user are registered. */
  private receiveNotify(req: SipRequest, tx: ServerTransaction): void {
    if (req.body?.kind !== 'reginfo') return this.respond(tx, 415, { extra: [{ name: 'Accept', value: 'application/reginfo+xml' }] });
    this.respond(tx, 200);
    const active = req.body.reginfo.registrations.flatMap((r) => r.contacts.filter((c) => c.state === 'active'));
    this.note(`registered clients: ${active.length}`);
    this.regSubscriptions?.notified(req);
  }

  private receiveMessage(req: SipRequest, tx: ServerTransaction): void {
    const body = req.body;
    if (body === undefined) return this.respond(tx, 400, { reason: 'Missing Body' });
    if (body.kind !== 'cpim') return this.respond(tx, 415, { extra: [{ name: 'Accept', value: 'message/cpim' }] });
    this.respond(tx, 200);
    const cpim = body.cpim;
    const content = cpim.content;
    if (content.kind === 'imdn') {
      const n = content.imdn;
      this.note(`${n.notification.type}: ${n.notification.status}`);
      this.tell({ type: 'notified', aor: this.aor, device: this.device, messageId: n.messageId, status: n.notification });
      return;
    }
    // An aggregated notification from a group's Controlling Function (CPM 5.2.2.3): one IMDN a part.
    const aggregated = content.kind === 'multipart' ? content.parts.flatMap((p) => (p.content.kind === 'imdn' ? [p.content.imdn] : [])) : [];
    if (content.kind === 'multipart' && aggregated.length === content.parts.length) {
      for (const n of aggregated) {
        this.note(`${n.notification.type}: ${n.notification.status} (${n.recipientUri?.replace(/^sip:/, '') ?? 'recipient unknown'})`);
        this.tell({ type: 'notified', aor: this.aor, device: this.device, messageId: n.messageId, status: n.notification });
      }
      return;
    }
    const message = received(req, cpim);
    this.note('shown to the user');
    if (message === undefined) return;
    this.tell({ type: 'received', aor: this.aor, device: this.device, messageId: message.messageId, sender: message.sender });
    (this.inbox ??= new Map()).set(message.messageId, message);
    // CPM 5.2.2.3.1: report delivery if the recipient allows it.
    if (message.requested.includes('positive-delivery') && this.preferences.deliveryNotifications) {
      this.ctx.sim.schedule(this.notifyDelay, () => this.sendNotification(message, { type: 'delivery', status: 'delivered' }));
    }
  }

  /** RFC 5438 7.1: the recipient reports to the CPIM From of the message. */
  private sendNotification(message: Received, status: ImdnStatus): void {
    const req = notificationRequest(message, this.aor, status, {
      callId: this.stack.newCallId(),
      fromTag: this.stack.newTag(),
      imdnMessageId: this.ctx.streams.stream(`${this.host}/ids`).hex(12),
      dateTime: this.dateTime(),
    });
    this.requestAnsweringChallenge(req, (res) => {
      if (res.status >= 300) this.note(`IMDN failed: ${res.status}`);
    });
  }

  private sendMessage(target: Uri, extra: Header[], cpim: CpimMessage, messageId: string, anonymous: boolean): void {
    const req = createRequest({
      method: 'MESSAGE',
      uri: target,
      from: {
        ...(anonymous && { displayName: 'Anonymous' }),
        uri: parseUri(anonymous ? ANONYMOUS : this.aor),
        params: [{ name: 'tag', value: this.stack.newTag() }],
      },
      to: { uri: target, params: [] },
      callId: this.stack.newCallId(),
      cseq: 1,
      extra,
      body: { kind: 'cpim', contentType: 'message/cpim', cpim },
    });
    this.requestAnsweringChallenge(req, (res) => {
      if (res.status < 300) return;
      this.note(`message failed: ${res.status}`, messageId);
      this.tell({ type: 'failed', aor: this.aor, device: this.device, messageId, status: res.status });
    });
  }

  /** Sends an out-of-dialog request through the core, once more with credentials if it asks (RFC 3261 22.3). */
  private requestAnsweringChallenge(req: SipRequest, onFinal: (res: SipResponse) => void): void {
    this.stack.request(req, coreHost(this.domain), (res) => {
      const retry = this.credentials.retry(req, res);
      if (retry === undefined) onFinal(res);
      else this.requestAnsweringChallenge(retry, onFinal);
    });
  }

  private tell(activity: ClientActivity): void {
    for (const listener of this.ctx.activity) listener(activity);
  }
}
