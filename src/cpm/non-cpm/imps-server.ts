import type { NetNode } from '../../net/node.js';
import { MS, SECOND } from '../../kernel/time.js';
import { contentSize } from '../../imps/csp-codec.js';
import { CspEndpoint } from '../../imps/endpoint.js';
import { CSP_STATUS, type CspMessage, type CspPrimitive, type CspResult, type MessageInfo } from '../../imps/message.js';
import { isSip, type WirePayload } from '../../wire/payload.js';
import type { ActorContext } from '../actor.js';
import { impsHost } from '../naming.js';
import { isWvGroup, wvDomain } from '../interworking/wv-addresses.js';

/** How long the server waits for the answer to a transaction it started (its own choice, as in CSP). */
const TRANSACTION_TIMEOUT = 10 * SECOND;
/** How long a message waits for a recipient that is not logged in before it expires (the server's offline store). */
const OFFLINE_VALIDITY = 600 * SECOND;
/** From the server to an IMPS user's client and back: NewMessage, then the client's MessageDelivered. */
const CLIENT_ROUND_TRIP = 400 * MS;

/** A group on this server (WV-CSP 1.2 group service): who may join, and who has joined. */
export interface ImpsGroupConfig {
  id: string;
  /** Open: anyone may join; restricted: only the listed members (WV group property AccessType). */
  access: 'open' | 'restricted';
  members: string[];
}

/** A message as an IMPS user's client received it. */
export interface ImpsClientMessage {
  from: string;
  group?: string;
  text: string;
}

const ok: CspResult = { code: CSP_STATUS.SUCCESSFUL };

/**
 * An IMPS server (OMA IMPS, WV-CSP 1.2) with its users' clients and its groups. CPM domains reach
 * it through their IMPS Interworking Functions, each logged in as a gateway for the users of its
 * domain (`wv:alice@a.example`); the server identifies a gateway by the host its Login came from
 * and the session that login opened. It accepts a message for a known user (SendMessage-Response
 * 200) and delivers it to the user's client, or keeps it while the user is logged out until it
 * expires; a delivery report, when asked for, goes back to the sender's gateway. A group relays a
 * member's message to every other joined member.
 */
export class ImpsServer implements NetNode<WirePayload> {
  readonly host: string;
  /** What each user's client has received, by WV address. */
  readonly inboxes = new Map<string, ImpsClientMessage[]>();
  private readonly loggedOut: Set<string>;
  private readonly groups = new Map<string, { config: ImpsGroupConfig; joined: Set<string> }>();
  /** Gateway host by the CPM domain it serves, and the session its login opened. */
  private readonly gateways = new Map<string, string>();
  private readonly sessions = new Map<string, string>();
  /** Messages delivered to a gateway, waiting for its MessageDelivered: who asked for a report. */
  private readonly awaitingDelivered = new Map<string, { sender: string; deliveryReport: boolean }>();
  private readonly csp: CspEndpoint;
  private readonly ids;

  constructor(
    readonly domain: string,
    users: string[],
    groups: ImpsGroupConfig[],
    loggedOut: string[],
    private readonly ctx: ActorContext,
  ) {
    this.host = impsHost(domain);
    for (const u of users) this.inboxes.set(u, []);
    this.loggedOut = new Set(loggedOut);
    // Restricted groups start with their members joined; an open group with those listed.
    for (const g of groups) this.groups.set(g.id, { config: g, joined: new Set(g.members) });
    this.ids = ctx.streams.stream(`${this.host}/ids`);
    this.csp = new CspEndpoint(this.host, (to, m) => ctx.net.send(this.host, to, m), ctx.sim, (csp, from, answer) => this.transaction(csp, from, answer));
    ctx.net.attach(this);
  }

  serves(address: string): boolean {
    return this.inboxes.has(address);
  }

  /** Provisioning: the Interworking Function that may log in as the gateway of a CPM domain. */
  addGateway(cpmDomain: string, host: string): void {
    this.gateways.set(cpmDomain, host);
  }

  receive(payload: WirePayload, fromHost: string): void {
    if (isSip(payload) || payload.protocol !== 'imps') return this.note(`ignored a non-CSP message from ${fromHost}`);
    this.csp.received(payload, fromHost);
  }

  /** An IMPS user sends a message to a CPM user (`sip:alice@a.example`) or to a group (C.4.2 step 1). */
  originate(from: string, to: string, text: string, deliveryReport: boolean): void {
    if (isWvGroup(to)) {
      const refused = this.groupRefusal(from, to);
      return refused === undefined ? this.toGroup(from, to, text) : this.note(refused);
    }
    const recipient = to.startsWith('sip:') ? `wv:${to.slice(4)}` : to;
    const messageId = this.ids.hex(10);
    this.route({ messageId, contentType: 'text/plain', contentSize: contentSize(text), recipient: { user: recipient }, sender: { user: from }, dateTime: this.dateTime() }, text, deliveryReport);
  }

  private transaction(csp: CspMessage, fromHost: string, answer: (p: CspPrimitive) => void): void {
    const p = csp.primitive;
    if (p.name === 'Login-Request') return this.login(p.userId, fromHost, answer);
    // WV-CSP 1.2: every other transaction runs in the session a login opened, from the host that opened it.
    const gateway = csp.sessionId === undefined ? undefined : this.sessions.get(csp.sessionId);
    if (gateway !== fromHost) return answer({ name: 'Status', result: { code: CSP_STATUS.INVALID_SESSION, description: 'Invalid session' } });
    const served = [...this.gateways].find(([, host]) => host === fromHost)![0];
    if (p.name === 'SendMessage-Request') return this.sendMessage(p.info, p.content, p.deliveryReport, served, answer);
    if (p.name === 'JoinGroup-Request') return this.join(p.userId, p.groupId, served, answer);
    if (p.name === 'MessageDelivered') return this.delivered(p.messageId, answer);
    answer({ name: 'Status', result: { code: CSP_STATUS.BAD_PARAMETER, description: `${p.name} is not a client request` } });
  }

  private login(userId: string, fromHost: string, answer: (p: CspPrimitive) => void): void {
    const domain = [...this.gateways].find(([, host]) => host === fromHost)?.[0];
    if (domain === undefined || userId !== `wv:gateway@${domain}`) return answer({ name: 'Login-Response', result: { code: 409, description: 'Invalid password' } });
    const sessionId = this.ids.hex(8);
    for (const [id, host] of this.sessions) if (host === fromHost) this.sessions.delete(id);
    this.sessions.set(sessionId, fromHost);
    this.note(`logs in the gateway of ${domain}`);
    answer({ name: 'Login-Response', result: ok, sessionId });
  }

  /** A gateway's message: only from users of its own domain, as the server knows them by their login. */
  private sendMessage(info: MessageInfo, text: string, deliveryReport: boolean, served: string, answer: (p: CspPrimitive) => void): void {
    const sender = info.sender.user;
    if (sender === undefined || wvDomain(sender) !== served) return answer({ name: 'SendMessage-Response', result: { code: CSP_STATUS.BAD_PARAMETER, description: 'Sender not served by this gateway' } });
    if (info.recipient.group !== undefined) {
      const refused = this.groupRefusal(sender, info.recipient.group);
      if (refused !== undefined) return answer({ name: 'SendMessage-Response', result: { code: this.groups.has(info.recipient.group) ? CSP_STATUS.NOT_GROUP_MEMBER : CSP_STATUS.GROUP_DOES_NOT_EXIST, description: refused } });
      answer({ name: 'SendMessage-Response', result: ok, messageId: this.ids.hex(10) });
      return this.toGroup(sender, info.recipient.group, text);
    }
    const recipient = info.recipient.user;
    if (recipient === undefined || !this.reachable(recipient)) return answer({ name: 'SendMessage-Response', result: { code: CSP_STATUS.UNKNOWN_USER, description: 'Unknown user' } });
    const messageId = this.ids.hex(10);
    answer({ name: 'SendMessage-Response', result: ok, messageId });
    this.route({ ...info, messageId }, text, deliveryReport);
  }

  /** A user of this server, or of a CPM domain with a gateway. */
  private reachable(user: string): boolean {
    return this.inboxes.has(user) || this.gateways.has(wvDomain(user));
  }

  /** Delivers one accepted message: to a client of this server, or to the recipient's gateway. */
  private route(info: MessageInfo & { messageId: string }, text: string, deliveryReport: boolean): void {
    const recipient = info.recipient.user!;
    const sender = info.sender.user!;
    const gateway = this.gateways.get(wvDomain(recipient));
    if (this.inboxes.has(recipient)) return this.toClient(info, text, deliveryReport);
    if (gateway === undefined) return this.note(`no user ${recipient}: the message of ${sender} is not delivered`);
    this.awaitingDelivered.set(info.messageId, { sender, deliveryReport });
    this.newMessage(gateway, info, text);
  }

  private toClient(info: MessageInfo & { messageId: string }, text: string, deliveryReport: boolean): void {
    const recipient = info.recipient.user!;
    const sender = info.sender.user!;
    if (this.loggedOut.has(recipient)) {
      this.note(`${recipient} is not logged in: keeps the message`);
      this.ctx.sim.schedule(OFFLINE_VALIDITY, () => {
        this.note(`the message to ${recipient} expired`);
        if (deliveryReport) this.report(sender, info, { code: CSP_STATUS.MESSAGE_EXPIRED, description: 'Message has expired' });
      });
      return;
    }
    this.ctx.sim.schedule(CLIENT_ROUND_TRIP, () => {
      this.inboxes.get(recipient)!.push({ from: sender, ...(info.recipient.group === undefined ? {} : { group: info.recipient.group }), text });
      this.note(`the client of ${recipient} got the message and answered MessageDelivered`);
      if (deliveryReport) this.report(sender, info, ok);
    });
  }

  /** WV-CSP 1.2 DeliveryReport-Request to the sender's gateway. */
  private report(sender: string, info: MessageInfo & { messageId: string }, result: CspResult): void {
    const gateway = this.gateways.get(wvDomain(sender));
    const session = gateway === undefined ? undefined : [...this.sessions].find(([, host]) => host === gateway)?.[0];
    if (gateway === undefined || session === undefined) return this.note(`reports the delivery to the client of ${sender}`);
    this.csp.request(gateway, session, { name: 'DeliveryReport-Request', result, info, deliveryTime: this.dateTime() }, TRANSACTION_TIMEOUT, (answer) => {
      if (answer === undefined) this.note(`no answer from ${gateway} to the delivery report`);
    });
  }

  private newMessage(gateway: string, info: MessageInfo & { messageId: string }, text: string): void {
    const session = [...this.sessions].find(([, host]) => host === gateway)?.[0];
    if (session === undefined) return this.note(`the gateway ${gateway} is not logged in: the message to ${info.recipient.user} is not delivered`);
    this.csp.request(gateway, session, { name: 'NewMessage', info, content: text }, TRANSACTION_TIMEOUT, (answer) => {
      const code = answer !== undefined && 'result' in answer ? answer.result.code : undefined;
      if (code === undefined) return this.note(`no answer from ${gateway} to NewMessage`);
      if (code !== CSP_STATUS.SUCCESSFUL) {
        this.awaitingDelivered.delete(info.messageId);
        this.note(`${gateway} could not deliver the message to ${info.recipient.user}: ${code}`);
      }
    });
  }

  /** The recipient's client (behind a gateway) has the message: a delivery report if its sender asked for one. */
  private delivered(messageId: string, answer: (p: CspPrimitive) => void): void {
    const waiting = this.awaitingDelivered.get(messageId);
    if (waiting === undefined) return answer({ name: 'Status', result: { code: 426, description: 'Invalid MessageID' } });
    this.awaitingDelivered.delete(messageId);
    answer({ name: 'Status', result: ok });
    if (waiting.deliveryReport) this.note(`reports the delivery to the client of ${waiting.sender}`);
  }

  private join(user: string, groupId: string, served: string, answer: (p: CspPrimitive) => void): void {
    const group = this.groups.get(groupId);
    if (wvDomain(user) !== served) return answer({ name: 'Status', result: { code: CSP_STATUS.BAD_PARAMETER, description: 'User not served by this gateway' } });
    if (group === undefined) return answer({ name: 'Status', result: { code: CSP_STATUS.GROUP_DOES_NOT_EXIST, description: 'Group does not exist' } });
    if (group.config.access === 'restricted' && !group.config.members.includes(user)) return answer({ name: 'Status', result: { code: CSP_STATUS.NOT_GROUP_MEMBER, description: 'Not a group member' } });
    group.joined.add(user);
    this.note(`${user} joins ${groupId}`);
    answer({ name: 'JoinGroup-Response', joined: [...group.joined] });
  }

  /** Why a group refuses a message from `sender`: only its joined members send to it. */
  private groupRefusal(sender: string, groupId: string): string | undefined {
    const group = this.groups.get(groupId);
    if (group === undefined) return `no group ${groupId}`;
    return group.joined.has(sender) ? undefined : `${sender} has not joined ${groupId}`;
  }

  /** A joined member's message to a group: one copy to each other joined member, the group named as the recipient with the member. */
  private toGroup(sender: string, groupId: string, text: string): void {
    const group = this.groups.get(groupId)!;
    this.note(`relays the message of ${sender} to the members of ${groupId}`);
    for (const member of group.joined) {
      if (member === sender) continue;
      const info = { messageId: this.ids.hex(10), contentType: 'text/plain', contentSize: contentSize(text), recipient: { user: member, group: groupId }, sender: { user: sender }, dateTime: this.dateTime() };
      if (this.inboxes.has(member)) this.toClient(info, text, false);
      else {
        const gateway = this.gateways.get(wvDomain(member));
        if (gateway !== undefined) this.newMessage(gateway, info, text);
      }
    }
  }

  /** WV-CSP 1.2 DateTime: ISO 8601 basic format in UTC. */
  private dateTime(): string {
    return new Date(this.ctx.epochMs + Math.floor(this.ctx.sim.now / 1000)).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  }

  private note(text: string): void {
    this.ctx.net.note(this.host, text);
  }
}

