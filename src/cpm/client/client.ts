import { buildCpim, cpimHeader, parseDispositionNotification } from '../../bodies/cpim-codec.js';
import type { CpimMessage } from '../../bodies/cpim.js';
import { buildImdnBody } from '../../bodies/imdn-codec.js';
import type { DispositionRequest } from '../../bodies/imdn.js';
import { MS, type Micros } from '../../kernel/time.js';
import { createRequest } from '../../sip/builders.js';
import type { Header, SipRequest } from '../../sip/message.js';
import type { NameAddr } from '../../sip/name-addr.js';
import { parseNameAddr } from '../../sip/name-addr.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { aorOf, parseUri, type SipUri } from '../../sip/uri.js';
import { SipActor, type ActorContext } from '../actor.js';
import { coreHost, deviceHost } from '../naming.js';
import { REG_SUBSCRIPTION_SECONDS } from '../core/reg-event-notifier.js';
import { Registration } from './registration.js';
import {
  CONTRIBUTION_ID,
  CONVERSATION_ID,
  CPM_FEATURE_TAG,
  CPM_MSG_ACCEPT_CONTACT,
  CPM_MSG_ICSI,
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
}

export interface SendOptions {
  to: string;
  text: string;
  notify?: DispositionRequest[];
  /** The message being replied to: its conversation is continued (CPM 5.2.1.1). */
  inReplyTo?: { conversationId: string; contributionId: string };
}

/**
 * A CPM Client on one device of a CPM User: registers with its Unique User Agent Identifier
 * (CPM 5.1.2.3), sends and receives pager-mode CPM Messages with the conversation indications
 * (CPM 5.2.1.1), and reports delivery when asked to (CPM 5.2.2.3).
 */
export class CpmClient extends SipActor {
  readonly instance: string;
  private readonly aor: string;
  private readonly contact: NameAddr;
  private readonly registration: Registration;
  private readonly notifyDelay: Micros;

  constructor(config: ClientConfig, ctx: ActorContext) {
    const uri = parseUri(config.aor) as SipUri;
    super(deviceHost(uri.user ?? '', config.device, uri.host), uri.host, ctx);
    this.aor = aorOf(uri);
    this.instance = `urn:uuid:${ctx.streams.stream(`${this.host}/instance`).uuid()}`;
    this.contact = {
      uri: { scheme: 'sip', ...(uri.user === undefined ? {} : { user: uri.user }), host: this.host, params: [], headers: [] },
      params: [
        { name: '+sip.instance', value: `"<${this.instance}>"` },
        CPM_FEATURE_TAG,
      ],
    };
    this.notifyDelay = config.notifyDelay ?? 100 * MS;
    this.registration = new Registration(
      {
        stack: this.stack,
        sim: ctx.sim,
        rng: ctx.streams.stream(`${this.host}/cnonce`),
        aor: this.aor,
        registrar: { scheme: 'sip', host: uri.host, params: [], headers: [] },
        outboundProxy: coreHost(uri.host),
        contact: this.contact,
        note: (text) => this.note(text),
      },
      config.password,
      config.registrationSeconds ?? 3600,
    );
  }

  // User actions

  /** CPM 5.1.1.1 and C.1.1: register (or re-register) this client. */
  register(options: { password?: string } = {}): void {
    this.registration.register(options.password);
  }

  /** CPM 5.1.1.1: terminate the registration when CPM is no longer used. */
  deregister(): void {
    this.registration.deregister();
  }

  /** CPM 5.1.6 and C.1.2.1: subscribe to the Registration Event Information of its own user. */
  subscribeRegistrations(): void {
    const self = parseUri(this.aor);
    const req = createRequest({
      method: 'SUBSCRIBE',
      uri: self,
      from: { uri: self, params: [{ name: 'tag', value: this.stack.newTag() }] },
      to: { uri: self, params: [] },
      callId: this.stack.newCallId(),
      cseq: 1,
      contact: { uri: this.contact.uri, params: [] },
      extra: [
        { name: 'Event', value: 'reg' },
        { name: 'Accept', value: 'application/reginfo+xml' },
        { name: 'Expires', value: String(REG_SUBSCRIPTION_SECONDS) },
      ],
    });
    this.stack.request(req, coreHost(this.domain), (res) => {
      if (res.status >= 300) this.note(`reg-event subscription refused: ${res.status} ${res.reason}`);
    });
  }

  /** CPM 5.2.2.1: send a pager-mode CPM Message; returns its imdn.Message-ID. */
  send(opts: SendOptions): string {
    const rng = this.ctx.streams.stream(`${this.host}/ids`);
    const messageId = rng.hex(12);
    const target = parseUri(opts.to);
    const conversationId = opts.inReplyTo?.conversationId ?? rng.uuid();
    const extra: Header[] = [
      { name: 'Accept-Contact', value: CPM_MSG_ACCEPT_CONTACT },
      { name: 'P-Preferred-Service', value: CPM_MSG_ICSI },
      { name: CONVERSATION_ID, value: conversationId },
      { name: CONTRIBUTION_ID, value: rng.uuid() },
    ];
    if (opts.inReplyTo !== undefined) extra.push({ name: IN_REPLY_TO_CONTRIBUTION_ID, value: opts.inReplyTo.contributionId });
    const cpim = buildCpim({
      from: this.aor,
      to: opts.to,
      dateTime: this.dateTime(),
      messageId,
      dispositionNotification: opts.notify ?? [],
      content: { kind: 'text', contentType: 'text/plain;charset=UTF-8', text: opts.text },
    });
    this.sendMessage(target, extra, cpim, 'message');
    return messageId;
  }

  // Network side

  protected onRequest(req: SipRequest, tx: ServerTransaction): void {
    if (req.method === 'MESSAGE') return this.receiveMessage(req, tx);
    if (req.method === 'NOTIFY') return this.receiveNotify(req, tx);
    this.respond(tx, 405, { extra: [{ name: 'Allow', value: 'MESSAGE, NOTIFY' }] });
  }

  /** C.1.2.1 steps 3 and 7: learn which clients of the user are registered. */
  private receiveNotify(req: SipRequest, tx: ServerTransaction): void {
    if (req.body?.kind !== 'reginfo') return this.respond(tx, 415, { extra: [{ name: 'Accept', value: 'application/reginfo+xml' }] });
    this.respond(tx, 200);
    const active = req.body.reginfo.registrations.flatMap((r) => r.contacts.filter((c) => c.state === 'active'));
    this.note(`registered clients: ${active.length}`);
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
      return;
    }
    const messageId = cpimHeader(cpim, 'imdn.Message-ID');
    this.note('shown to the user');
    const requested = parseRequests(cpim);
    if (messageId !== undefined && requested.includes('positive-delivery')) {
      this.ctx.sim.schedule(this.notifyDelay, () => this.sendDeliveryNotification(cpim, messageId));
    }
  }

  /** RFC 5438 7.1: the recipient reports delivery to the CPIM From of the message. */
  private sendDeliveryNotification(original: CpimMessage, messageId: string): void {
    const sender = parseNameAddr(cpimHeader(original, 'From') ?? '').uri;
    const cpim = buildCpim({
      from: this.aor,
      to: aorOf(sender),
      dateTime: this.dateTime(),
      messageId: this.ctx.streams.stream(`${this.host}/ids`).hex(12),
      content: buildImdnBody({
        messageId,
        dateTime: cpimHeader(original, 'DateTime') ?? this.dateTime(),
        recipientUri: this.aor,
        originalRecipientUri: aorOf(parseNameAddr(cpimHeader(original, 'To') ?? `<${this.aor}>`).uri),
        notification: { type: 'delivery', status: 'delivered' },
      }),
      contentHeaders: [{ name: 'Content-Disposition', value: 'notification' }],
    });
    const extra: Header[] = [
      { name: 'Accept-Contact', value: CPM_MSG_ACCEPT_CONTACT },
      { name: 'P-Preferred-Service', value: CPM_MSG_ICSI },
    ];
    this.sendMessage(sender, extra, cpim, 'IMDN');
  }

  private sendMessage(target: ReturnType<typeof parseUri>, extra: Header[], cpim: CpimMessage, what: string): void {
    const req = createRequest({
      method: 'MESSAGE',
      uri: target,
      from: { uri: parseUri(this.aor), params: [{ name: 'tag', value: this.stack.newTag() }] },
      to: { uri: target, params: [] },
      callId: this.stack.newCallId(),
      cseq: 1,
      extra,
      body: { kind: 'cpim', contentType: 'message/cpim', cpim },
    });
    this.stack.request(req, coreHost(this.domain), (res) => {
      if (res.status >= 300) this.note(`${what} failed: ${res.status}`);
    });
  }
}

function parseRequests(cpim: CpimMessage): DispositionRequest[] {
  const value = cpimHeader(cpim, 'imdn.Disposition-Notification');
  return value === undefined ? [] : parseDispositionNotification(value);
}
