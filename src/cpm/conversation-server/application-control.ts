import { messageIdentity } from '../message-identity.js';
import { buildCpim } from '../../bodies/cpim-codec.js';
import { assertedIdentity } from '../../sip/asserted-identity.js';
import { createRequest, createResponse } from '../../sip/builders.js';
import { pushHeader, type Header, type SipRequest } from '../../sip/message.js';
import { nameAddrIn } from '../../sip/parsed-lines.js';
import { previousHop } from '../../sip/routing.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { aorOf, parseUri } from '../../sip/uri.js';
import { cpmServiceHeaders } from '../notification.js';
import { grantOf, receiveRefusal, sendRefusal, type ApplicationProfile, type KnownApplication } from './application-profile.js';
import type { ServerPorts } from './ports.js';

const bare = (uri: string): string => uri.replace(/^sip:/, '');

/** The user part of the pseudonyms the function makes: `sip:masked-1@a.example`. */
const PSEUDONYM_PREFIX = 'masked-';
const isPseudonym = (uri: string, domain: string): boolean => uri.startsWith(`sip:${PSEUDONYM_PREFIX}`) && uri.endsWith(`@${domain}`);

/**
 * The Application Control Function of the Conversation Server (CPM 5.8.1): it exposes the server's
 * messaging to value-added-service applications, authenticates them (by the host their requests
 * come from, as the operator provisioned it), authorizes each use against the Application Profile,
 * relays what it allows as a CPM Message of this server, passes users' messages to the application
 * as events, and masks users' identities from the applications the profile marks.
 *
 * It is a back-to-back user agent: the application's request is answered here with the outcome
 * of the one the server sends, so nothing of the user's side (a To, a P-Asserted-Identity) reaches
 * the application unmasked.
 */
export class ApplicationControl {
  private readonly byHost = new Map<string, KnownApplication>();
  private readonly byUri = new Map<string, KnownApplication>();
  /** Per application: pseudonym -> user, and user -> pseudonym. */
  private readonly pseudonyms = new Map<string, { users: Map<string, string>; names: Map<string, string> }>();

  constructor(
    private readonly ports: ServerPorts,
    private readonly profile: ApplicationProfile,
  ) {}

  /** Provisioning: an application the operator knows (CPM 5.8.1 "Authentication of the entities"). */
  know(app: KnownApplication): void {
    this.byHost.set(app.host, app);
    this.byUri.set(app.uri, app);
  }

  /** The request's target is an application's address, which the core routes here. */
  addressed(req: SipRequest): boolean {
    return this.byUri.has(aorOf(req.uri));
  }

  /** A request that came straight from outside the operator's network: an application's, or no one's. */
  fromApplication(req: SipRequest, tx: ServerTransaction): void {
    const source = previousHop(req) ?? '';
    const app = this.byHost.get(source);
    // The profile is what authenticates: an application it names neither by itself nor by its
    // provider is no one the operator deals with.
    const grant = app === undefined ? undefined : grantOf(this.profile, app);
    if (app === undefined || grant === undefined) return this.refuse(tx, source, 'Unknown Application');
    if (req.method !== 'MESSAGE') return this.respond(tx, 405, { extra: [{ name: 'Allow', value: 'MESSAGE' }] });
    if (req.body?.kind !== 'text') return this.respond(tx, 415, { extra: [{ name: 'Accept', value: 'text/plain' }] });
    const from = aorOf(nameAddrIn(req, 'From')?.uri ?? parseUri('sip:invalid'));
    const refusal = sendRefusal(grant, app, from);
    if (refusal !== undefined) return this.refuse(tx, app.name, refusal, from === app.uri ? undefined : from);
    const target = aorOf(req.uri);
    // A pseudonym the application was given stands for the user only towards it; an address it
    // knows otherwise (a subscriber of its service) it may still use.
    const to = isPseudonym(target, this.ports.domain) ? this.unmasked(app, target) : target;
    if (to === undefined) return this.respond(tx, 404, { reason: 'Unknown Pseudonym' });
    this.ports.note(`application control relays a message of ${app.name} as ${bare(from)}`);
    this.send(from, to, req.body.text, from !== app.uri, (status) => this.respond(tx, status));
  }

  /** CPM 5.8.1 "Transmission of events towards the application": a user's CPM Message to its address. */
  toApplication(req: SipRequest, tx: ServerTransaction): void {
    const app = this.byUri.get(aorOf(req.uri))!;
    const grant = grantOf(this.profile, app);
    const refusal = receiveRefusal(grant);
    if (refusal !== undefined) return this.refuse(tx, app.name, refusal);
    if (req.method !== 'MESSAGE') return this.respond(tx, 405, { extra: [{ name: 'Allow', value: 'MESSAGE' }] });
    const content = req.body?.kind === 'cpim' ? req.body.cpim.content : undefined;
    if (content?.kind !== 'text') return this.respond(tx, 415, { extra: [{ name: 'Accept', value: 'message/cpim' }] });
    const sender = assertedIdentity(req);
    if (sender === undefined) return this.respond(tx, 403, { reason: 'No Asserted Identity' });
    const shown = grant!.maskIdentity === true ? this.masked(app, sender) : sender;
    const event = createRequest({
      method: 'MESSAGE',
      uri: parseUri(app.uri),
      from: { uri: parseUri(shown), params: [{ name: 'tag', value: this.ports.stack.newTag() }] },
      to: { uri: parseUri(app.uri), params: [] },
      callId: this.ports.stack.newCallId(),
      cseq: 1,
      body: { kind: 'text', contentType: 'text/plain;charset=UTF-8', text: content.text },
    });
    this.ports.stack.request(event, app.host, (res) => {
      // The application took it: the user's message ends here, as at a recipient's device.
      if (res.status >= 200 && res.status < 300) this.ports.note(`application control hands the message to ${app.name}`, messageIdentity(req));
      this.respond(tx, res.status);
    });
  }

  /**
   * The server's own CPM Message (C.3.1.1), through the SIP/IP Core that routes it to the recipient.
   * One on behalf of a user is that user's CPM Message: CPM 5.2.2.1 has the Conversation Server
   * serving the sender authorize it and perform the Participating Function, so it asks the core for
   * the user's originating services (`orig`, 3GPP TS 24.229 5.7.3), which bring it to the user's
   * originating Participating Function like a message from the user's own client.
   */
  private send(from: string, to: string, text: string, onBehalf: boolean, answered: (status: number) => void): void {
    const cpim = buildCpim({
      from,
      to,
      dateTime: this.ports.dateTime(),
      messageId: this.ports.rng.hex(12),
      content: { kind: 'text', contentType: 'text/plain;charset=UTF-8', text },
    });
    const req = createRequest({
      method: 'MESSAGE',
      uri: parseUri(to),
      from: { uri: parseUri(from), params: [{ name: 'tag', value: this.ports.stack.newTag() }] },
      to: { uri: parseUri(to), params: [] },
      callId: this.ports.stack.newCallId(),
      cseq: 1,
      // CPM 5.1.1.3: within the trust domain the server asserts whom the message is from.
      extra: [...cpmServiceHeaders(), { name: 'P-Asserted-Identity', value: `<${from}>` }],
      body: { kind: 'cpim', contentType: 'message/cpim', cpim },
    });
    if (onBehalf) pushHeader(req, 'Route', `<sip:${this.ports.coreHost};lr;orig>`);
    this.ports.stack.request(req, this.ports.coreHost, (res) => answered(res.status));
  }

  /** The application's pseudonym for `user`, made on first sight: `sip:masked-N@<domain>`. */
  private masked(app: KnownApplication, user: string): string {
    const table = this.table(app);
    let name = table.names.get(user);
    if (name === undefined) {
      name = `sip:${PSEUDONYM_PREFIX}${table.names.size + 1}@${this.ports.domain}`;
      table.names.set(user, name);
      table.users.set(name, user);
    }
    this.ports.note(`application control masks ${bare(user)} as ${bare(name)} for ${app.name}`);
    return name;
  }

  private unmasked(app: KnownApplication, pseudonym: string): string | undefined {
    return this.table(app).users.get(pseudonym);
  }

  private table(app: KnownApplication): { users: Map<string, string>; names: Map<string, string> } {
    let table = this.pseudonyms.get(app.name);
    if (table === undefined) {
      table = { users: new Map(), names: new Map() };
      this.pseudonyms.set(app.name, table);
    }
    return table;
  }

  private refuse(tx: ServerTransaction, who: string, reason: string, user?: string): void {
    this.ports.note(`application control refuses ${who}: ${reason.toLowerCase()}${user === undefined ? '' : ` (${bare(user)})`}`);
    this.respond(tx, 403, { reason });
  }

  private respond(tx: ServerTransaction, status: number, opts: { reason?: string; extra?: Header[] } = {}): void {
    tx.respond(createResponse(tx.request, status, { ...opts, toTag: this.ports.stack.newTag() }));
  }
}
