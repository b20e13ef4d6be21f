import { createRequest } from '../../sip/builders.js';
import { createsDialog, inDialog } from '../../sip/dialog.js';
import { parseContacts } from '../../sip/header-values.js';
import { header, insertAt, pushHeader, removeHeaders, setHeader, cloneMessage, type SipRequest } from '../../sip/message.js';
import { formatNameAddr, parseNameAddr, type NameAddr } from '../../sip/name-addr.js';
import { nameAddrIn } from '../../sip/parsed-lines.js';
import { forwardAck, proxyInDialog, proxyRequest, type Branch } from '../../sip/proxy.js';
import { popOwnRoute, previousHop, topRoute } from '../../sip/routing.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { aorOf, formatUri, getParam, isSipUri, parseUri, withParam, type Uri } from '../../sip/uri.js';
import { SipActor, type ActorContext } from '../actor.js';
import { conversationServerHost, coreHost } from '../naming.js';
import { CPM_FEATURE_TAG, NO_CPM_WARNING, NO_SIP_CORE_WARNING, hasCpmServiceIndication } from '../service.js';
import { RegEventNotifier, REG_SUBSCRIPTION_SECONDS } from './reg-event-notifier.js';
import { DigestAuthenticator } from './authenticator.js';
import { FloodLimit, type FloodLimitConfig } from './flood-limit.js';
import { eligible } from './caller-preferences.js';
import { ANONYMOUS, wantsIdentityPrivacy } from '../../sip/privacy.js';
import { assertedIdentity } from '../../sip/asserted-identity.js';
import { Registrar, type BindingChange, type ContactUpdate } from './registrar.js';

/** RFC 3261 10.2.1.1: the registrar's default when the client names no expiry. */
const DEFAULT_REGISTRATION_SECONDS = 3600;

export interface CoreConfig {
  domain: string;
  /** Whether the domain deploys a CPM Conversation Server. */
  cpm: boolean;
  /** `digest`: REGISTER is challenged (RFC 3261 22); `none`: trusted access, as the figures draw it. */
  auth: 'digest' | 'none';
  /** CPM 5.1.1.3: the methods whose out-of-dialog requests from a client are challenged (407, RFC 3261 22.3). */
  challengeRequests?: readonly string[];
  /** Requests one source host may send in a window; more are answered 503 (RFC 3261 21.5.4). */
  floodLimit?: FloodLimitConfig;
  /** The longest reg-event subscription granted, in seconds (TS 24.229 5.4.2.1.2 lets it be shortened). */
  regSubscriptionSeconds?: number;
}

/** What the HSS holds of a subscriber. */
export interface Subscriber {
  password: string;
  /** Implicitly registered addresses (3GPP implicit registration set), e.g. `tel:+15551234`. */
  aliases: string[];
  /**
   * The hosts of the subscriber's devices, as the access network binds an address to a
   * subscription (3GPP TR 33.978): what identifies a registering device when there is no digest.
   */
  devices: string[];
}

/**
 * SIP/IP Core of one domain: registrar, reg-event notifier and the routing an IMS S-CSCF does for
 * CPM: requests carrying the CPM Service indication visit the CPM Conversation Server on the
 * originating and on the terminating side (CPM 5.2.2.1), the way initial filter criteria send them
 * to an application server and the original dialog identifier (odi) brings them back.
 */
export class SipIpCore extends SipActor {
  private readonly registrar: Registrar;
  private readonly notifier: RegEventNotifier;
  /** The CPM User addresses this core serves: its subscriber database (HSS), by AOR and by alias. */
  private readonly users = new Map<string, Subscriber>();
  /** Provisioning order of each AOR. */
  private readonly provisioned = new Map<string, number>();
  private readonly aliases = new Map<string, string>();
  /** Public service identities hosted by this domain's Conversation Server (deferred messaging, groups). */
  private readonly services = new Set<string>();
  private readonly wildcards: RegExp[] = [];
  /** Elements of this operator's trust domain besides the Conversation Server: ISF and IWFs (CPM 5.3). */
  private readonly trusted = new Set<string>();
  private readonly authenticator: DigestAuthenticator | undefined;
  /** Digest for requests other than REGISTER, with nonces of its own (RFC 3261 22.3). */
  private readonly proxyAuthenticator: DigestAuthenticator | undefined;
  private readonly challenged: ReadonlySet<string>;
  private readonly floodLimit: FloodLimit | undefined;
  private readonly csHost: string | undefined;
  private thirdPartyCSeq = 0;
  private readonly longestRegSubscription: number;

  constructor(config: CoreConfig, ctx: ActorContext) {
    // A proxy and registrar: it routes on headers and never reads the bodies it forwards.
    super(coreHost(config.domain), config.domain, ctx, 'opaque');
    this.csHost = config.cpm ? conversationServerHost(config.domain) : undefined;
    this.longestRegSubscription = config.regSubscriptionSeconds ?? REG_SUBSCRIPTION_SECONDS;
    this.registrar = new Registrar(ctx.sim, (aor, changes) => this.bindingsChanged(aor, changes));
    this.authenticator =
      config.auth === 'digest'
        ? new DigestAuthenticator(config.domain, ctx.streams.stream(`${this.host}/nonces`), (aor) => this.users.get(aor)?.password, () => ctx.sim.now)
        : undefined;
    this.challenged = new Set(config.challengeRequests ?? []);
    this.proxyAuthenticator =
      this.challenged.size > 0
        ? new DigestAuthenticator(config.domain, ctx.streams.stream(`${this.host}/proxy-nonces`), (aor) => this.users.get(aor)?.password, () => ctx.sim.now)
        : undefined;
    this.floodLimit = config.floodLimit === undefined ? undefined : new FloodLimit(config.floodLimit, () => ctx.sim.now);
    this.notifier = new RegEventNotifier({
      sim: ctx.sim,
      host: this.host,
      send: (req, nextHop) => this.stack.request(req, nextHop, () => undefined),
      bindings: (aor) => this.registrar.bindings(aor),
    });
  }

  /** The ACK of a 2xx, forwarded by its Route (RFC 3261 16.6 step 8), or to the service it is for. */
  handleAck(ack: SipRequest, fromHost: string): void {
    popOwnRoute(ack, this.host);
    const service = this.localService(ack);
    if (service !== undefined) return this.stack.sendAck(ack, service);
    if (!forwardAck(this.stack, ack)) this.note(`dropped an ACK from ${fromHost} with nowhere to go`);
  }

  /** Provisioning, as an operator adds a subscriber to the HSS; not a network interaction. */
  provision(aor: string, subscriber: Subscriber): void {
    this.users.set(aor, subscriber);
    if (!this.provisioned.has(aor)) this.provisioned.set(aor, this.provisioned.size);
    for (const alias of subscriber.aliases) this.aliases.set(alias, aor);
  }

  /** A public service identity the Conversation Server hosts: requests to it are routed there. */
  hostService(uri: string): void {
    if (!uri.includes('*')) return void this.services.add(uri);
    // 3GPP TS 23.003 13.5: a wildcarded PSI, whose `*` stands for a non-empty user part.
    const [before, after] = uri.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.wildcards.push(new RegExp(`^${before}[^@]+${after}$`));
  }

  /** Provisioning: an element of the operator's own network whose requests need no registered user. */
  trust(host: string): void {
    this.trusted.add(host);
  }

  protected onRequest(req: SipRequest, tx: ServerTransaction): void {
    const ownRoute = popOwnRoute(req, this.host);
    // RFC 3261 16.6 step 6 (loose routing): a further Route names the next element of the chain,
    // e.g. the Interworking Selection Function a Conversation Server sends a request to (CPM 5.3).
    // Only the operator's own elements may chain requests so; a client's Route is not followed.
    const prevHop = previousHop(req);
    if (prevHop !== undefined && this.flooded(prevHop, tx)) return;
    const fromOwnElement = prevHop !== undefined && (prevHop === this.csHost || this.trusted.has(prevHop));
    const next = ownRoute === undefined || !fromOwnElement ? undefined : topRoute(req);
    if (next !== undefined && isSipUri(next) && next.host !== this.host) {
      return proxyRequest(this.stack, tx, [{ request: cloneMessage(req), nextHop: next.host }]);
    }
    const odi = ownRoute === undefined ? undefined : getParam(ownRoute.params, 'odi');
    if (odi === 'orig') {
      removeHeaders(req, 'P-Served-User');
      this.routeToTarget(req, tx);
    } else if (odi === 'term') {
      removeHeaders(req, 'P-Served-User');
      this.deliverToContacts(req, tx);
    } else if (ownRoute !== undefined && getParam(ownRoute.params, 'orig') !== undefined && prevHop === this.csHost) {
      this.originateFor(req, tx);
    } else if (req.method === 'SUBSCRIBE' && /^reg\b/.test(header(req, 'Event') ?? '') && inDialog(req) && isSipUri(req.uri) && req.uri.host === this.host) {
      this.refreshReg(req, tx);
    } else if (inDialog(req) && isSipUri(req.uri) && req.uri.host === this.host && header(req, 'Route') === undefined) {
      // For the core as its UAS (no route left to follow): it holds no dialog but the reg-event
      // subscriptions above, so there is none for this request (RFC 3261 12.2.2).
      this.respond(tx, 481);
    } else if (inDialog(req)) {
      // RFC 3261 16.4: a request within a dialog follows its route set (the Record-Routes of
      // the request that created it: this core, the Conversation Servers, the other core); at its
      // end, a target in this domain (a CPM Session Identity, a PSI) is routed as it was at first.
      const service = this.localService(req);
      if (service === undefined) proxyInDialog(this.stack, tx);
      else proxyRequest(this.stack, tx, [{ request: cloneMessage(req), nextHop: service }]);
    } else if (req.method === 'REGISTER') {
      this.register(req, tx);
    } else if (req.method === 'SUBSCRIBE' && /^reg\b/.test(header(req, 'Event') ?? '') && this.isLocal(req)) {
      this.subscribeReg(req, tx);
    } else {
      this.route(req, tx);
    }
  }

  /**
   * RFC 3261 21.5.4: a source past the operator's flood limit is told when to come back rather
   * than served; the operator's own elements (a core, this Conversation Server, the ISF and IWFs)
   * are not limited, as an overload of theirs is the operator's to plan for.
   */
  private flooded(source: string, tx: ServerTransaction): boolean {
    if (this.floodLimit === undefined || this.inTrustDomain(source)) return false;
    const retryAfter = this.floodLimit.check(source);
    if (retryAfter === undefined) return false;
    this.note(`flood limit: ${tx.request.method} from ${source} refused, retry after ${retryAfter} s`);
    this.respond(tx, 503, { reason: 'Flood Limit', extra: [{ name: 'Retry-After', value: String(retryAfter) }] });
    return true;
  }

  // Registration (CPM 5.1.1.1)

  private register(req: SipRequest, tx: ServerTransaction): void {
    const aor = aorOf((nameAddrIn(req, 'To') ?? parseNameAddr('')).uri);
    if (!this.isLocal(req)) return this.respond(tx, 403, { reason: 'Not Our Domain' });
    const subscriber = this.users.get(aor);
    if (subscriber === undefined) return this.respond(tx, 404);
    const auth = this.authenticator?.check(req, aor) ?? { kind: 'ok' };
    if (auth.kind === 'challenge') return this.respond(tx, 401, { extra: [{ name: 'WWW-Authenticate', value: auth.wwwAuthenticate }] });
    if (auth.kind === 'refused') {
      this.note(`refused ${aor}: ${auth.reason.toLowerCase()}`);
      return this.respond(tx, auth.status ?? 403, { reason: auth.reason });
    }
    const contactValue = header(req, 'Contact');
    const callId = header(req, 'Call-ID') ?? '';
    const cseq = Number((header(req, 'CSeq') ?? '0').split(' ')[0]);
    const source = previousHop(req) ?? '';
    let changes: BindingChange[] = [];
    if (contactValue !== undefined) {
      const contacts = parseContacts(contactValue);
      if (this.authenticator === undefined) {
        const refusal = this.unauthenticatedRefusal(aor, contacts, source);
        if (refusal !== undefined) {
          this.note(`refused REGISTER of ${aor} from ${source}: ${refusal.toLowerCase()}`);
          return this.respond(tx, 403, { reason: refusal });
        }
      }
      const expiresHeader = header(req, 'Expires');
      if (contacts === '*' && expiresHeader !== '0') return this.respond(tx, 400, { reason: 'Wildcard Contact Needs Expires 0' });
      if (this.registrar.outOfOrder(aor, contacts, callId, cseq) !== undefined) {
        this.note(`refused REGISTER of ${aor}: CSeq ${cseq} not above its binding's for Call-ID ${callId}`);
        return this.respond(tx, 400, { reason: 'CSeq Out Of Order' });
      }
      if (contacts === '*') {
        changes = this.registrar.removeAll(aor);
      } else {
        const updates: ContactUpdate[] = contacts.map((contact) => {
          const param = getParam(contact.params, 'expires');
          const expires = Number(typeof param === 'string' ? param : (expiresHeader ?? DEFAULT_REGISTRATION_SECONDS));
          return { contact: { ...contact, params: contact.params.filter((p) => p.name !== 'expires') }, expires };
        });
        changes = this.registrar.update(aor, updates, callId, cseq, source);
      }
    }
    // CPM 5.1.1.1: the response carries the complete list of bindings of that address, and (3GPP
    // TS 24.229 5.4.1.2.2) P-Associated-URI names the implicitly registered addresses.
    const bindings = this.registrar.bindings(aor);
    this.respond(tx, 200, {
      extra: [
        ...bindings.map((b) => ({
          name: 'Contact',
          value: formatNameAddr({ ...b.contact, params: withParam(b.contact.params, 'expires', String(this.registrar.remaining(b))) }),
        })),
        ...(bindings.length > 0 ? [{ name: 'P-Associated-URI', value: [aor, ...subscriber.aliases].map((a) => `<${a}>`).join(', ') }] : []),
      ],
    });
    this.bindingsChanged(aor, changes);
  }

  /**
   * With `auth: none` nothing proves who sent a REGISTER but the host it came from (the access
   * network vouches for the address, as in 3GPP TR 33.978 early IMS security): a device may bind
   * only itself, and change only the bindings it made (RFC 3261 10.3 step 3).
   */
  private unauthenticatedRefusal(aor: string, contacts: NameAddr[] | '*', source: string): string | undefined {
    if (!this.users.get(aor)!.devices.includes(source)) return 'Not A Device Of This Subscriber';
    if (contacts !== '*' && contacts.some((c) => hostOf(c.uri) !== source)) return 'Contact Is Not The Registering Device';
    const other = this.registrar.madeElsewhere(aor, contacts, source);
    return other === undefined ? undefined : 'Binding Made By Another Device';
  }

  /**
   * RFC 3680: subscribers hear of state changes (a refresh that changes nothing is not one, one
   * that changes the Contact's parameters, the client's capabilities, is: CPM 5.1.1.1); the
   * Conversation Server hears of every registration, refresh and removal (3GPP TS 24.229 5.4.1.7).
   */
  private bindingsChanged(aor: string, changes: BindingChange[]): void {
    if (changes.length === 0) return;
    const stateChanges = changes.filter((c) => c.event !== 'refreshed' || c.paramsChanged === true);
    if (stateChanges.length > 0) this.notifier.changed(aor, stateChanges);
    const remaining = Math.max(0, ...this.registrar.bindings(aor).map((b) => this.registrar.remaining(b)));
    if (this.csHost !== undefined) this.thirdPartyRegister(aor, remaining);
  }

  /** CPM C.1.1 step 3 (3GPP TS 24.229 5.4.1.7): tell the Conversation Server who registered. */
  private thirdPartyRegister(aor: string, expires: number): void {
    const cs = this.csHost!;
    const req = createRequest({
      method: 'REGISTER',
      uri: { scheme: 'sip', host: cs, params: [], headers: [] },
      from: { uri: { scheme: 'sip', host: this.host, params: [], headers: [] }, params: [{ name: 'tag', value: this.stack.newTag() }] },
      to: { uri: parseUri(aor), params: [] },
      callId: this.stack.newCallId(),
      cseq: ++this.thirdPartyCSeq,
      contact: { uri: { scheme: 'sip', host: this.host, params: [], headers: [] }, params: [] },
      extra: [{ name: 'Expires', value: String(expires) }],
    });
    this.stack.request(req, cs, (res) => {
      if (res.status >= 300) this.note(`third-party registration of ${aor} failed: ${res.status}`);
    });
  }

  // Registration event package (CPM 5.1.6)

  private subscribeReg(req: SipRequest, tx: ServerTransaction): void {
    const aor = aorOf(req.uri);
    if (!this.users.has(aor)) return this.respond(tx, 404);
    // TS 24.229 5.4.2.1.1 step 0: no registration state to report on yet.
    if (this.registrar.bindings(aor).length === 0) return this.respond(tx, 480);
    // Step 1: the user's own devices and the user's Conversation Server may subscribe. The sender
    // is known by the host the request came from (a registered contact of the AOR), not by its From.
    const prevHop = previousHop(req);
    const authorized = prevHop !== undefined && (prevHop === this.csHost || [...this.registrar.aorsAt(prevHop)].includes(aor));
    if (!authorized) return this.respond(tx, 403);
    const seconds = this.regSubscriptionSeconds(req);
    const tag = this.notifier.existingTag(aor, header(req, 'Call-ID') ?? '') ?? this.stack.newTag();
    this.respond(tx, 200, {
      toTag: tag,
      extra: [
        { name: 'Expires', value: String(seconds) },
        { name: 'Contact', value: `<sip:${this.host}>` },
      ],
    });
    this.notifier.accept(req, aor, tag, seconds, prevHop);
  }

  /** RFC 6665 4.2.1.1: the duration asked for, never longer than the core grants. */
  private regSubscriptionSeconds(req: SipRequest): number {
    return Math.min(Number(header(req, 'Expires') ?? this.longestRegSubscription), this.longestRegSubscription);
  }

  /**
   * RFC 6665 4.2.1.2: a SUBSCRIBE within a reg-event subscription's dialog (sent to this core's
   * Contact) refreshes it, or with Expires: 0 ends it; it must come from where the subscription
   * came from, whatever it writes in its dialog identifiers.
   */
  private refreshReg(req: SipRequest, tx: ServerTransaction): void {
    const sub = this.notifier.subscriptionOf(req);
    if (sub === undefined) return this.respond(tx, 481);
    if (previousHop(req) !== sub.subscriberHop) return this.respond(tx, 403);
    const seconds = this.regSubscriptionSeconds(req);
    this.respond(tx, 200, {
      toTag: sub.localTag,
      extra: [
        { name: 'Expires', value: String(seconds) },
        { name: 'Contact', value: `<sip:${this.host}>` },
      ],
    });
    if (seconds === 0) this.notifier.end(sub, 'timeout');
    else this.notifier.accept(req, sub.aor, sub.localTag, seconds, sub.subscriberHop);
  }

  // Routing

  private route(req: SipRequest, tx: ServerTransaction): void {
    const prevHop = previousHop(req);
    const servedAor = prevHop === undefined ? undefined : this.servedUserAt(prevHop);
    if (servedAor !== undefined) return this.originate(req, tx, servedAor);
    if (prevHop !== undefined && this.ctx.net.domainOf(prevHop) === this.domain && prevHop !== this.csHost && !this.trusted.has(prevHop)) {
      return this.respond(tx, 403, { reason: 'Not Registered' });
    }
    // RFC 3325 5 and 9.1: the identity is asserted only within the trust domain, the operators'
    // cores and their own elements; one from anywhere else (a device of another network sending
    // straight here) is removed, so nothing downstream believes it (CPM 5.1.1.3).
    if (prevHop !== undefined && !this.inTrustDomain(prevHop) && header(req, 'P-Asserted-Identity') !== undefined) {
      this.note(`removed an identity asserted by ${prevHop}, outside the trust domain`);
      removeHeaders(req, 'P-Asserted-Identity');
    }
    this.routeToTarget(req, tx);
  }

  /** The Spec(T) trust domain (RFC 3325 2.3): the SIP/IP Cores, this Conversation Server, the ISF and IWFs. */
  private inTrustDomain(host: string): boolean {
    const domain = this.ctx.net.domainOf(host);
    return host === this.csHost || this.trusted.has(host) || (domain !== undefined && host === coreHost(domain));
  }

  private originate(req: SipRequest, tx: ServerTransaction, aor: string): void {
    const from = aorOf((nameAddrIn(req, 'From') ?? parseNameAddr('')).uri);
    // RFC 3323 4.1.1.3: a user asking for privacy writes an anonymous From; the core still knows who sent.
    const anonymous = from === ANONYMOUS && wantsIdentityPrivacy(req);
    if (from !== aor && !anonymous) return this.respond(tx, 403, { reason: 'Identity Not Registered From This Client' });
    if (this.proxyAuthenticator !== undefined && this.challenged.has(req.method)) {
      const auth = this.proxyAuthenticator.check(req, aor, 'Proxy-Authorization');
      if (auth.kind === 'challenge') return this.respond(tx, 407, { extra: [{ name: 'Proxy-Authenticate', value: auth.wwwAuthenticate }] });
      if (auth.kind === 'refused') {
        this.note(`refused ${req.method} of ${aor}: ${auth.reason.toLowerCase()}`);
        return this.respond(tx, auth.status ?? 403, { reason: auth.reason });
      }
      // RFC 3261 22.3 and RFC 2617 (HTTP 14.34): credentials are consumed by the proxy that asked for them.
      removeHeaders(req, 'Proxy-Authorization');
    }
    // CPM 5.1.1.3: the core serving the client provides the authenticated originator address.
    removeHeaders(req, 'P-Preferred-Identity');
    setHeader(req, 'P-Asserted-Identity', `<${aor}>`);
    // 3GPP TS 24.229 5.4.3.2: with it, the user's telephone number, if it has one.
    const tel = this.users.get(aor)?.aliases.find((a) => a.startsWith('tel:'));
    if (tel !== undefined) req.headers = insertAt(req.headers, req.headers.findIndex((h) => h.name === 'P-Asserted-Identity') + 1, { name: 'P-Asserted-Identity', value: `<${tel}>` });
    if (this.csHost !== undefined && this.isCpm(req)) return this.viaConversationServer(req, tx, aor, 'orig');
    this.routeToTarget(req, tx);
  }

  /**
   * 3GPP TS 24.229 5.4.3.2, 5.7.3: a request the Conversation Server originates on behalf of a user
   * (an application's, CPM 5.8.1) with `orig` on this core's Route gets the originating services of
   * the user it asserts, as the user's own would: CPM 5.2.2.1, the originating Participating Function.
   */
  private originateFor(req: SipRequest, tx: ServerTransaction): void {
    const aor = assertedIdentity(req);
    if (aor === undefined || !this.users.has(aor)) return this.respond(tx, 403, { reason: 'No Served User' });
    if (this.isCpm(req)) return this.viaConversationServer(req, tx, aor, 'orig');
    this.routeToTarget(req, tx);
  }

  private routeToTarget(req: SipRequest, tx: ServerTransaction): void {
    if (!isSipUri(req.uri)) {
      // ENUM (RFC 6116) translates a number some CPM user owns into that user's SIP address.
      const translated = this.ctx.directory.enum.get(aorOf(req.uri));
      if (translated === undefined) {
        this.note(`no route to non-CPM address ${formatUri(req.uri)}`);
        return this.respond(tx, 404, { reason: 'No Route To Non-CPM Address' });
      }
      req.uri = parseUri(translated);
    }
    const uri = req.uri;
    if (!isSipUri(uri)) return this.respond(tx, 404);
    const target = uri.host.toLowerCase();
    if (target !== this.domain) {
      if (!this.ctx.net.has(coreHost(target))) {
        // RFC 3263 resolution finds no SIP server for the domain: say so (CPM 5.3.1.2.2).
        this.note(`no SIP/IP Core in ${target}`);
        return this.respond(tx, 500, { extra: [{ name: 'Warning', value: `399 ${this.host} "${NO_SIP_CORE_WARNING}"` }] });
      }
      return proxyRequest(this.stack, tx, [{ request: cloneMessage(req), nextHop: coreHost(target) }], this.pathOptions(req));
    }
    const aor = this.aliases.get(aorOf(uri)) ?? aorOf(uri);
    // 3GPP TS 24.229 5.4.3.3: a request to a PSI goes straight to the server hosting it.
    if (this.isService(aor) && this.csHost !== undefined) return proxyRequest(this.stack, tx, [{ request: cloneMessage(req), nextHop: this.csHost }], this.pathOptions(req));
    // CPM 5.3.1.2.1: without a CPM enabler here, a CPM request for an address that is no CPM user
    // of this core (a SIP user outside CPM) is refused with an error that says why.
    if (!this.users.has(aor)) return this.csHost === undefined && this.isCpm(req) ? this.noCpmEnabler(tx, aor) : this.respond(tx, 404);
    if (this.csHost !== undefined && this.isCpm(req)) return this.viaConversationServer(req, tx, aor, 'term');
    this.deliverToContacts(req, tx);
  }

  private noCpmEnabler(tx: ServerTransaction, aor: string): void {
    this.note(`no CPM enabler for ${aor}`);
    this.respond(tx, 480, { extra: [{ name: 'Warning', value: `399 ${this.host} "${NO_CPM_WARNING}"` }] });
  }

  /** Sends the request through the Conversation Server and back here, as an AS in the iFC chain. */
  private viaConversationServer(req: SipRequest, tx: ServerTransaction, aor: string, sescase: 'orig' | 'term'): void {
    const out = cloneMessage(req);
    const regstate = this.registrar.bindings(aor).length > 0 ? 'reg' : 'unreg';
    pushHeader(out, 'Route', `<sip:${this.host};lr;odi=${sescase}>`);
    pushHeader(out, 'Route', `<sip:${this.csHost!};lr>`);
    setHeader(out, 'P-Served-User', `<${aor}>;sescase=${sescase};regstate=${regstate}`);
    proxyRequest(this.stack, tx, [{ request: out, nextHop: this.csHost! }], this.pathOptions(req));
  }

  private deliverToContacts(req: SipRequest, tx: ServerTransaction): void {
    const aor = this.aliases.get(aorOf(req.uri)) ?? aorOf(req.uri);
    // RFC 3325 9.3 and 5: the identity is withheld where the request leaves the trust domain for
    // the recipient's device, when the sender asked for it (CPM 5.1.4 names no element; docs/spec-notes.md).
    if (wantsIdentityPrivacy(req) && header(req, 'P-Asserted-Identity') !== undefined) {
      this.note(`withholds the asserted identity from ${aor.replace(/^sip:/, '')} (Privacy: id)`);
      removeHeaders(req, 'P-Asserted-Identity');
    }
    const cpm = this.isCpm(req);
    // RFC 3841: a CPM request goes only to contacts that registered the CPM feature tag, and that
    // the caller's preferences (e.g. one device's +sip.instance) admit.
    const branches: Branch[] = [];
    for (const b of this.registrar.bindings(aor)) {
      const host = hostOf(b.contact.uri);
      if (host === undefined || (cpm && getParam(b.contact.params, CPM_FEATURE_TAG.name) === undefined) || !eligible(req, b.contact.params)) continue;
      const out = cloneMessage(req);
      out.uri = b.contact.uri;
      branches.push({ request: out, nextHop: host });
    }
    if (branches.length === 0) return cpm && this.csHost === undefined ? this.noCpmEnabler(tx, aor) : this.respond(tx, 480);
    proxyRequest(this.stack, tx, branches, this.pathOptions(req));
  }

  /**
   * An S-CSCF stays on the path of the dialogs it routes (3GPP TS 24.229 5.4.3.2, RFC 3261 16.6
   * step 4), once per pass, so that requests within the dialog retrace the whole initial path.
   */
  private pathOptions(req: SipRequest): { recordRoute: boolean } {
    return { recordRoute: createsDialog(req.method) };
  }

  /**
   * The server hosting the request's target when the route set is used up and the target is a
   * public service identity of this domain (RFC 3261 16.4 then 16.5, 3GPP TS 24.229 5.4.3.3).
   */
  private localService(req: SipRequest): string | undefined {
    if (topRoute(req) !== undefined || this.csHost === undefined || !this.isLocal(req)) return undefined;
    return this.isService(aorOf(req.uri)) ? this.csHost : undefined;
  }

  /** A public service identity hosted here: provisioned exactly, or a wildcarded one (3GPP TS 23.003 13.5). */
  private isService(aor: string): boolean {
    return this.services.has(aor) || this.wildcards.some((psi) => psi.test(aor));
  }

  // Helpers

  /**
   * The AOR registered from `host`, if that host is a registered client of this core; of several,
   * the first provisioned, so the answer does not depend on the order of registration.
   */
  private servedUserAt(host: string): string | undefined {
    let served: string | undefined;
    for (const aor of this.registrar.aorsAt(host)) {
      if (this.users.has(aor) && (served === undefined || this.provisioned.get(aor)! < this.provisioned.get(served)!)) served = aor;
    }
    return served;
  }

  private isLocal(req: SipRequest): boolean {
    return isSipUri(req.uri) && req.uri.host.toLowerCase() === this.domain;
  }

  private isCpm(req: SipRequest): boolean {
    return hasCpmServiceIndication({ preferredService: header(req, 'P-Preferred-Service'), acceptContact: header(req, 'Accept-Contact') });
  }
}

/** Contacts registered with this core are SIP URIs naming the device's host. */
function hostOf(uri: Uri): string | undefined {
  return isSipUri(uri) ? uri.host : undefined;
}
