import { buildCpim } from '../../bodies/cpim-codec.js';
import type { RegContact } from '../../bodies/reginfo.js';
import { intern } from '../../kernel/intern.js';
import { assertedIdentity } from '../../sip/asserted-identity.js';
import { createRequest } from '../../sip/builders.js';
import { inDialog } from '../../sip/dialog.js';
import type { ImdnNotification } from '../../bodies/imdn.js';
import { parseVia } from '../../sip/header-values.js';
import { cloneMessage, header, headerLine, headers, insertAt, pushHeader, setHeader, type SipRequest, type SipResponse } from '../../sip/message.js';
import { parseNameAddr } from '../../sip/name-addr.js';
import { nameAddrIn, recurringNameAddrOf } from '../../sip/parsed-lines.js';
import { forwardAck, proxyRequest } from '../../sip/proxy.js';
import { popOwnRoute, previousHop, topRoute } from '../../sip/routing.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { aorOf, formatUri, getParam, isSipUri, isTelUri, parseUri, sipUri, type Uri } from '../../sip/uri.js';
import type { OtherPayload } from '../../wire/payload.js';
import { SipActor, type ActorContext } from '../actor.js';
import { conferenceFactoryUri, conversationServerHost, coreHost, deferredServiceUri, isfHost, xdmsHost } from '../naming.js';
import { readPreferences } from '../xdms/preferences-client.js';
import { XcapClient } from '../xdms/xcap-client.js';
import { cpmServiceHeaders, reportedOf, type Reported } from '../notification.js';
import type { ServicePolicy, UserPreferences } from '../preferences.js';
import { ControllingFunction } from './controlling-function.js';
import { ApplicationControl } from './application-control.js';
import { NO_APPLICATIONS, type ApplicationProfile, type KnownApplication } from './application-profile.js';
import { foreignCpimFrom } from './cpim-sender.js';
import { keptContacts } from './kept-contacts.js';
import { decodeGroup, groupPath } from '../xdms/group-document.js';
import { MediaRelay } from './media-relay.js';
import { oversize } from './provider-policy.js';
import { SessionFocus } from './session-focus.js';
import { RegSubscriptions } from '../reg-subscriptions.js';
import { FocusMedia } from './focus-media.js';
import { RtpRelay } from './rtp-relay.js';
import { SessionParticipation } from './session-participating.js';
import { DeferredMessaging } from './deferred-messaging.js';
import { RecipientDevices, SenderDevices } from './multi-device.js';
import type { ServerPorts } from './ports.js';
import { REPORTED_WARNING, asked, reportOn, reportedWarning } from './report.js';
import { NO_CPM_WARNING, NO_SIP_CORE_WARNING } from '../service.js';
import { nonCpmAddress, validFor } from '../interworking/addresses.js';

interface ServedUser {
  aor: string;
  sescase: 'orig' | 'term';
}

/** Requests the Participating Function handles as CPM Session signalling (CPM 5.2.3). */
const SESSION_METHODS = new Set(['INVITE', 'SUBSCRIBE', 'REFER']);

/**
 * CPM Conversation Server of one domain, performing the Participating Function for pager-mode
 * messaging: it learns its users' registration state (third-party registration and the reg event,
 * CPM 5.1.1.1, C.1.1), applies originating and terminating service control on the requests the SIP/IP
 * Core routes through it (5.2.2.1), defers messages for users with no reachable client (5.2.2.2)
 * and reports failures to senders who asked (5.2.2.3.1).
 */
export class ConversationServer extends SipActor {
  /** Active contacts per user, from the latest reg NOTIFY. */
  private readonly registered = new Map<string, RegContact[]>();
  /** Reg-event subscriptions; a user appears at most once (CPM 5.1.1.1). */
  private readonly regSubscriptions: RegSubscriptions;
  /** Reads the users' preference documents and the groups' documents from the XDMS. */
  private readonly xcap: XcapClient;
  private readonly ports: ServerPorts;
  private readonly deferred: DeferredMessaging;
  private readonly recipientDevices: RecipientDevices;
  private readonly senderDevices = new SenderDevices();
  private readonly controlling: ControllingFunction;
  private readonly focus: SessionFocus;
  private readonly participating: SessionParticipation;
  private readonly relay: MediaRelay | undefined;
  private readonly rtpMedia: FocusMedia | undefined;
  private readonly rtpRelay: RtpRelay | undefined;
  private readonly applications: ApplicationControl;

  constructor(
    domain: string,
    private readonly policy: ServicePolicy,
    ctx: ActorContext,
    /** Whether the focus mixes and relays RTP (CPM 5.2.3.9); off, sessions negotiate media only. */
    rtp = false,
    /** CPM 5.8.1: the Application Profile its Application Control Function authorizes by. */
    applications: ApplicationProfile = NO_APPLICATIONS,
  ) {
    super(conversationServerHost(domain), domain, ctx);
    this.ports = {
      host: this.host,
      domain,
      coreHost: coreHost(domain),
      sim: ctx.sim,
      stack: this.stack,
      rng: ctx.streams.stream(`${this.host}/ids`),
      note: (text, message) => this.note(text, message),
      dateTime: () => this.dateTime(),
      sendMedia: (toHost, msg) => this.ctx.net.send(this.host, toHost, msg),
    };
    const self = sipUri(undefined, this.host);
    this.regSubscriptions = new RegSubscriptions({ ...this.ports, subscriber: self, contact: { uri: self, params: [] }, note: (text) => this.note(text) });
    this.deferred = new DeferredMessaging(this.ports, policy);
    this.recipientDevices = new RecipientDevices(this.ports, policy);
    this.controlling = new ControllingFunction(this.ports, policy);
    this.applications = new ApplicationControl(this.ports, applications);
    this.rtpMedia = rtp
      ? new FocusMedia({ sim: ctx.sim, host: this.host, sendFloor: (toHost, msg) => this.ctx.net.send(this.host, toHost, msg), rng: () => ctx.streams.stream(`${this.host}/rtp`), send: (toHost, packet) => this.ctx.net.send(this.host, toHost, packet), note: (text) => this.note(text), epochMs: ctx.epochMs })
      : undefined;
    this.focus = new SessionFocus(this.ports, policy.testFlaw, this.rtpMedia, policy.maxMessageSize);
    this.xcap = new XcapClient({
      host: this.host,
      xdmsHost: xdmsHost(domain),
      sim: ctx.sim,
      send: (toHost, msg) => this.ctx.net.send(this.host, toHost, msg),
      note: (text) => this.note(text),
    });
    this.relay = policy.mediaPath === 'stay' ? new MediaRelay(this.ports, policy.maxMessageSize) : undefined;
    this.rtpRelay = rtp && this.relay !== undefined ? new RtpRelay(this.host, (toHost, packet) => this.ctx.net.send(this.host, toHost, packet), (text) => this.note(text)) : undefined;
    this.participating = new SessionParticipation(this.ports, (aor) => this.registered.get(aor) ?? [], (aor, then) => this.preferences(aor, then), this.relay, policy, this.rtpRelay);
  }

  /** The ACK of a 2xx: for a conference the focus hosts, or passed on as a proxy (RFC 3261 16.6 step 8). */
  handleAck(ack: SipRequest, fromHost: string): void {
    if (this.focus.ack(ack)) return;
    if (!forwardAck(this.stack, ack)) this.note(`dropped an ACK from ${fromHost} with nowhere to go`);
  }

  /** Messages its deferred messaging service holds now, for all its users (CPM 5.2.2.2). */
  get deferredMessages(): number {
    return this.deferred.size;
  }

  /** The user's preference document, read from the XDMS when a decision depends on it. */
  private preferences(aor: string, then: (preferences: UserPreferences) => void): void {
    readPreferences(this.xcap, aor, (text) => this.note(text), then);
  }

  /** MSRP of the sessions the focus hosts (CPM 5.2.3.9) or relays for its users (C.2.1.1); XCAP answers. */
  protected override onOther(payload: OtherPayload, fromHost: string): void {
    if (payload.protocol === 'msrp' && this.relay?.relays(payload) === true) return this.relay.forward(payload, fromHost);
    if (payload.protocol === 'msrp') return this.focus.media(payload, fromHost);
    if (payload.protocol === 'xcap') return this.xcap.received(payload);
    if (payload.protocol === 'rtp' && this.rtpRelay?.relays(payload) === true) return this.rtpRelay.forward(payload, fromHost);
    if (payload.protocol === 'rtp' && this.rtpMedia !== undefined) return this.rtpMedia.receive(payload, fromHost);
    if (payload.protocol === 'bfcp' && this.rtpMedia !== undefined) return this.rtpMedia.floorRequest(payload, fromHost);
    super.onOther(payload, fromHost);
  }

  /** Provisioning: this server hosts the Pre-defined Group at `uri` (CPM 5.2.2.1); its document is in the XDMS. */
  hostGroup(uri: string): void {
    this.controlling.host(uri);
  }

  /** Provisioning: a value-added-service application its Application Control Function knows (CPM 5.8.1). */
  knowApplication(app: KnownApplication): void {
    this.applications.know(app);
  }

  protected onRequest(req: SipRequest, tx: ServerTransaction): void {
    if (req.method === 'REGISTER') return this.thirdPartyRegistration(req, tx);
    if (req.method === 'NOTIFY' && this.regSubscriptions.owns(req)) return this.regNotify(req, tx);
    // RFC 6665 4.1.3: a reg-event NOTIFY of no subscription of this server (lost in a restart, say).
    if (req.method === 'NOTIFY' && /^reg\b/.test(header(req, 'Event') ?? '')) return this.respond(tx, 481);
    popOwnRoute(req, this.host);
    // The Controlling Function's own sessions: their identity, and the dialogs it is a party to.
    if (this.focus.owns(req)) return this.focus.receive(req, tx);
    // RFC 3261 16.4: within a session the Participating Function is a proxy on its path.
    if (inDialog(req)) return this.participating.withinSession(req, tx);
    // CPM 5.8.1: what comes from outside the operator's network, not through its core, is an
    // application's request to the Application Control Function (or no one's).
    if (previousHop(req) !== this.ports.coreHost) return this.applications.fromApplication(req, tx);
    const served = servedUser(req);
    // Routed as a public service identity (no served user): the deferred messaging service itself.
    if (served === undefined && aorOf(req.uri) === deferredServiceUri(this.domain)) return this.retrieve(req, tx);
    // CPM 5.2.3.2.1.1 b: an Ad-hoc Group session addressed to this server is hosted here.
    if (req.method === 'INVITE' && aorOf(req.uri) === conferenceFactoryUri(this.domain) && served?.sescase !== 'term') return this.focus.adHoc(req, tx);
    // A hosted Pre-defined Group's address: the Controlling Function (CPM 5.2.2.1).
    if (served === undefined && this.controlling.hosts(req.uri)) return this.toGroup(req, tx);
    // An application's address: an event towards the application (CPM 5.8.1).
    if (served === undefined && this.applications.addressed(req)) return this.applications.toApplication(req, tx);
    if (served === undefined) return this.respond(tx, 403, { reason: 'Not Routed By The SIP/IP Core' });
    // CPM 5.2.2.1: the core has authenticated the sender it names as served user (5.1.1.3).
    if (SESSION_METHODS.has(req.method)) return this.session(req, tx, served);
    if (served.sescase === 'orig') this.originating(req, tx, served.aor);
    else this.terminating(req, tx, served.aor);
  }

  /**
   * C.3.1.2 step 6, C.2.1.2.1 step 5: the group and service control policies, from the group's
   * document in the XDMS, then the Controlling Function of messages or sessions.
   */
  private toGroup(req: SipRequest, tx: ServerTransaction): void {
    if (this.controlling.notification(req, tx)) return;
    this.xcap.get(groupPath(aorOf(req.uri)), (res) => {
      if (res?.status !== 200 || res.body === undefined) {
        this.note(`no document for the group ${aorOf(req.uri).replace(/^sip:/, '')} in the XDMS`);
        return this.respond(tx, res?.status === 404 ? 404 : 500, { reason: 'Group Document Unavailable' });
      }
      const group = decodeGroup(res.body.text);
      if (req.method === 'INVITE') this.focus.invited(group, req, tx);
      else this.controlling.receive(group, req, tx);
    });
  }

  /** CPM 5.2.3: session requests; an invited user must have a registered client (no deferral). */
  private session(req: SipRequest, tx: ServerTransaction, served: ServedUser): void {
    if (served.sescase === 'orig') {
      // CPM 5.3.1.2.3: an invitation to an address SIP cannot route goes to interworking, as a message does.
      if (req.method === 'INVITE' && this.needsInterworking(req.uri)) {
        this.note(`decides to interwork for ${aorOf(req.uri)}`);
        this.throughSelection(req);
      }
      return this.participating.originating(req, tx);
    }
    if (!this.isReachable(served.aor)) {
      this.note(`no client of ${served.aor.replace(/^sip:/, '')} is registered`);
      if (req.method === 'INVITE' && this.policy.interworking.length > 0 && this.ctx.net.has(isfHost(this.domain))) return this.preferences(served.aor, (prefs) => this.inviteUnreachable(req, tx, served, prefs));
      return this.respond(tx, 480);
    }
    this.participating.terminating(req, tx, served.aor);
  }

  /**
   * CPM 5.3.1.1.1: a CPM Session Invitation for a user with no registered client goes to the
   * Interworking Selection Function when the user's preferences say so; otherwise it fails (480:
   * a session is not deferred).
   */
  private inviteUnreachable(req: SipRequest, tx: ServerTransaction, served: ServedUser, prefs: UserPreferences): void {
    if (this.isReachable(served.aor)) return this.participating.terminating(req, tx, served.aor);
    if (prefs.whenUnavailable !== 'interwork') return this.respond(tx, 480);
    this.note('user preferences (XDMS): deliver through interworking when not registered');
    this.note('decides that interworking is needed');
    this.throughSelection(req);
    // On through the core, staying in the path of the session as for any other (C.2.1.1).
    this.participating.originating(req, tx);
  }

  /** CPM 5.2.2.3.1: when the terminating network cannot be reached, tell the sender who asked. */
  private originating(req: SipRequest, tx: ServerTransaction, aor: string): void {
    // A CPM Message is its body: one without any is refused before it goes further (RFC 3428 7).
    if (req.method === 'MESSAGE' && req.body === undefined) return this.respond(tx, 400, { reason: 'Missing Body' });
    // RFC 3862 7, RFC 5438 14: the message may speak only for the sender the core authenticated.
    const forged = foreignCpimFrom(req, aor);
    if (forged !== undefined) {
      this.note(`refused a message from ${aor.replace(/^sip:/, '')} whose CPIM From is ${forged.replace(/^sip:/, '')}`);
      return this.respond(tx, 403, { reason: 'CPIM From Is Not The Sender' });
    }
    // RFC 3261 21.4.11: the provider's maximum size of a CPM Message.
    const size = oversize(req, this.policy);
    if (size !== undefined) {
      this.note(`refused a message of ${size} octets from ${aor.replace(/^sip:/, '')}: the service provider's maximum is ${this.policy.maxMessageSize}`);
      return this.respond(tx, 413, { extra: [{ name: 'Warning', value: `399 ${this.host} "Larger than ${this.policy.maxMessageSize} octets"` }] });
    }
    const imdn = imdnOf(req);
    if (imdn !== undefined && this.recipientDevices.notification(aor, imdn, req) === 'absorb') return this.respond(tx, 200);
    const sent = reportedIn(req);
    const instance = this.instanceOf(aor, req);
    if (sent !== undefined && instance !== undefined) this.senderDevices.sent(sent.messageId, instance);
    // CPM 5.3.1.2.3 and C.4.1.1 step 3: a target SIP cannot route goes to interworking.
    if (this.needsInterworking(req.uri)) {
      this.note(`decides to interwork for ${aorOf(req.uri)}`);
      this.throughSelection(req);
    }
    const reportFailure = (res: SipResponse): boolean => {
      const alreadyReported = headers(res, 'Warning').some((w) => w.includes(REPORTED_WARNING));
      if (res.status >= 300 && req.method === 'MESSAGE' && !alreadyReported) {
        reportOn(this.ports, req, 'negative-delivery', { type: 'delivery', status: 'failed' });
      }
      return false;
    };
    this.forward(req, tx, (res) => {
      const missing = this.interworksOnError(req, res);
      if (missing === undefined) return reportFailure(res);
      // CPM 5.3.1.2.1-2 NOTE: a SIP address is reached as a mailbox (the only service that takes
      // one); if it is not a valid one, or the provider has no e-mail interworking, the error goes back.
      const address = nonCpmAddress(req.uri);
      if (address === undefined || !validFor('email', address) || !this.policy.interworking.includes('email')) {
        this.note(`${formatUri(req.uri)} is not an address interworking can use: returns the error`);
        return reportFailure(res);
      }
      // CPM 5.3.1.2.1, 5.3.1.2.2: by the provider's policy, the request goes to interworking instead.
      this.note(`no ${missing} in the target network: interworks by policy`);
      const out = cloneMessage(req);
      out.headers = out.headers.filter((h) => h.name.toLowerCase() !== 'route');
      this.throughSelection(out);
      out.headers = insertAt(out.headers, out.headers.findIndex((h) => h.name === 'Route'), { name: 'Route', value: `<sip:${this.ports.coreHost};lr>` });
      proxyRequest(this.stack, tx, [{ request: out, nextHop: this.ports.coreHost }], { onFinal: reportFailure });
      return true;
    });
  }

  /**
   * What the target network lacks, by the warning of its error (CPM 5.3.1.2.1: a CPM enabler,
   * 5.3.1.2.2: a SIP/IP Core), when the provider's policy interworks for it.
   */
  private interworksOnError(req: SipRequest, res: SipResponse): 'SIP/IP Core' | 'CPM enabler' | undefined {
    if (req.method !== 'MESSAGE' || this.policy.interworking.length === 0 || !this.ctx.net.has(isfHost(this.domain))) return undefined;
    const warnings = headers(res, 'Warning');
    if (this.policy.onNoSipCore === 'interwork' && warnings.some((w) => w.includes(NO_SIP_CORE_WARNING))) return 'SIP/IP Core';
    if (this.policy.onNoCpm === 'interwork' && warnings.some((w) => w.includes(NO_CPM_WARNING))) return 'CPM enabler';
    return undefined;
  }

  /** CPM 5.2.2.1 terminating service control; 5.2.2.2 when no client of the user is reachable. */
  private terminating(req: SipRequest, tx: ServerTransaction, aor: string): void {
    if (this.isReachable(aor)) {
      const message = reportedIn(req);
      if (message !== undefined && message.requested.length > 0) {
        this.recipientDevices.delivered(aor, message.messageId, (this.registered.get(aor) ?? []).length);
      }
      // C.3.1.4.5: which of the user's devices a notification goes to is the user's preference.
      if (imdnOf(req) === undefined) return this.forward(req, tx);
      return this.preferences(aor, (prefs) => {
        this.toSendingDevice(req, prefs);
        this.forward(req, tx);
      });
    }
    this.note(`no client of ${aor.replace(/^sip:/, "")} is registered`);
    if (req.method !== 'MESSAGE') return this.undeliverable(req, tx, 'Temporarily Unavailable');
    // C.4.1.2 step 3, CPM 5.2.2.2.1: what to do is the user's preference, read from the XDMS.
    this.preferences(aor, (prefs) => this.unreachable(req, tx, aor, prefs));
  }

  private unreachable(req: SipRequest, tx: ServerTransaction, aor: string, prefs: UserPreferences): void {
    // The user may have registered while the XDMS answered: then the message goes to the user.
    if (this.isReachable(aor)) return this.terminating(req, tx, aor);
    if (prefs.whenUnavailable === 'reject') return this.undeliverable(req, tx, 'Temporarily Unavailable');
    if (prefs.whenUnavailable === 'interwork' && this.ctx.net.has(isfHost(this.domain))) {
      // CPM 5.3.1.1.1, C.4.1.2 steps 4-5: the user's preference sends it to a non-CPM service; a
      // failure there goes back towards the originator (CPM 5.3.1.1).
      this.note('user preferences (XDMS): deliver through interworking when not registered');
      this.note('decides that interworking is needed');
      this.throughSelection(req);
      return this.forward(req, tx);
    }
    // CPM 5.2.2.2.1: deferred per the user's preferences and the provider's policy.
    if (!this.deferred.defer(aor, req)) return this.undeliverable(req, tx, 'Deferred Message Limit Reached');
    this.respond(tx, 202);
  }

  /** CPM 5.3.1.2.3: not a SIP URI, not a number ENUM turns into one, and the provider interworks. */
  private needsInterworking(uri: Uri): boolean {
    if (isSipUri(uri) || this.policy.interworking.length === 0 || !this.ctx.net.has(isfHost(this.domain))) return false;
    return !(isTelUri(uri) && this.ctx.directory.enum.has(aorOf(uri)));
  }

  /**
   * CPM 5.3.1.1.1, 5.3.1.2: the request goes to the Interworking Selection Function "via the SIP/IP
   * Core": after the core's own route, which brings it back to the core, the function's route.
   */
  private throughSelection(req: SipRequest): void {
    const first = req.headers.findIndex((h) => h.name === 'Route');
    const at = first >= 0 ? first + 1 : Math.max(0, req.headers.findIndex((h) => h.name !== 'Via'));
    req.headers = insertAt(req.headers, at, { name: 'Route', value: `<sip:${isfHost(this.domain)};lr>` });
  }

  private undeliverable(req: SipRequest, tx: ServerTransaction, reason: string): void {
    const reporting = asked(req, 'negative-delivery') !== undefined;
    this.respond(tx, 480, { reason, ...(reporting ? { extra: [reportedWarning(this.host)] } : {}) });
    reportOn(this.ports, req, 'negative-delivery', { type: 'delivery', status: 'failed' });
  }

  private forward(req: SipRequest, tx: ServerTransaction, onFinal?: (res: SipResponse) => boolean): void {
    const next = topRoute(req);
    const nextHop = next !== undefined && isSipUri(next) ? next.host : this.ports.coreHost;
    proxyRequest(this.stack, tx, [{ request: cloneMessage(req), nextHop }], onFinal === undefined ? {} : { onFinal });
  }

  /** C.3.1.4.5: a notification goes to the device that sent the message, unless the user wants all. */
  private toSendingDevice(req: SipRequest, prefs: UserPreferences): void {
    const imdn = imdnOf(req);
    if (imdn === undefined || prefs.notificationDevices === 'all') return;
    const instance = this.senderDevices.instanceFor(imdn.messageId);
    if (instance !== undefined) setHeader(req, 'Accept-Contact', `*;+sip.instance=${instance};require;explicit`);
  }

  /** The +sip.instance of the served user's client that sent `req` (its Via, against the reg state). */
  private instanceOf(aor: string, req: SipRequest): string | undefined {
    const bottom = headers(req, 'Via').at(-1);
    const client = bottom === undefined ? undefined : parseVia(bottom).at(-1)?.host;
    const contact = (this.registered.get(aor) ?? []).find((c) => {
      const uri = parseUri(c.uri);
      return isSipUri(uri) && uri.host === client;
    });
    return contact?.unknownParams.find((p) => p.name === '+sip.instance')?.value;
  }

  private isReachable(aor: string): boolean {
    return (this.registered.get(aor) ?? []).length > 0;
  }

  // Deferred messages (CPM 5.2.2.2)

  /** The user is reachable again: push its deferred messages, or tell it they wait (its preference). */
  private userReachable(aor: string): void {
    if (this.deferred.count(aor) === 0) return;
    this.preferences(aor, (prefs) => {
      const waiting = this.deferred.count(aor);
      if (waiting === 0) return;
      if (prefs.deferredDelivery === 'push') return this.deferred.deliverAll(aor);
      this.tellDeferred(aor, waiting);
    });
  }

  /** CPM 5.2.2.2 "the CPM service sends a notification to the recipient that there are deferred messages". */
  private tellDeferred(aor: string, waiting: number): void {
    const service = deferredServiceUri(this.domain);
    const cpim = buildCpim({
      from: service,
      to: aor,
      dateTime: this.dateTime(),
      content: { kind: 'text', contentType: 'text/plain;charset=UTF-8', text: `${waiting} deferred message(s) wait for you at ${service}` },
    });
    const req = createRequest({
      method: 'MESSAGE',
      uri: parseUri(aor),
      from: { uri: parseUri(service), params: [{ name: 'tag', value: this.stack.newTag() }] },
      to: { uri: parseUri(aor), params: [] },
      callId: this.stack.newCallId(),
      cseq: 1,
      extra: cpmServiceHeaders(),
      body: { kind: 'cpim', contentType: 'message/cpim', cpim },
    });
    pushHeader(req, 'Route', `<sip:${this.ports.coreHost};lr;odi=term>`);
    this.stack.request(req, this.ports.coreHost, (res) => {
      if (res.status >= 300) this.note(`deferred-message notice failed: ${res.status}`);
    });
  }

  /** The user asks for its deferred messages (sent to the deferred messaging service address). */
  private retrieve(req: SipRequest, tx: ServerTransaction): void {
    const aor = assertedIdentity(req);
    if (aor === undefined) return this.respond(tx, 403, { reason: 'No Asserted Identity' });
    this.respond(tx, 200);
    this.deferred.deliverAll(aor);
  }

  // Registration state (CPM 5.1.1.1, C.1.1 steps 3-8)

  private thirdPartyRegistration(req: SipRequest, tx: ServerTransaction): void {
    const aor = aorOf((nameAddrIn(req, 'To') ?? parseNameAddr('')).uri);
    this.respond(tx, 200);
    if (header(req, 'Expires') !== '0' && !this.regSubscriptions.has(aor)) this.regSubscriptions.subscribe(aor);
  }

  private regNotify(req: SipRequest, tx: ServerTransaction): void {
    if (!/^reg\b/.test(header(req, 'Event') ?? '')) return this.respond(tx, 489);
    if (req.body?.kind !== 'reginfo') return this.respond(tx, 415);
    this.respond(tx, 200);
    for (const reg of req.body.reginfo.registrations) {
      const wasReachable = this.isReachable(reg.aor);
      this.registered.set(intern(reg.aor), keptContacts(reg.contacts));
      if (!wasReachable && this.isReachable(reg.aor)) this.userReachable(reg.aor);
    }
    this.regSubscriptions.notified(req);
  }
}

/** The IMDN a request carries, if it is a disposition notification. */
function imdnOf(req: SipRequest): ImdnNotification | undefined {
  return req.body?.kind === 'cpim' && req.body.cpim.content.kind === 'imdn' ? req.body.cpim.content.imdn : undefined;
}

/** The message a request carries, if it is a CPM Message (not a notification) with an imdn.Message-ID. */
function reportedIn(req: SipRequest): Reported | undefined {
  return req.body?.kind === 'cpim' && req.body.cpim.content.kind !== 'imdn' ? reportedOf(req.body.cpim) : undefined;
}

function servedUser(req: SipRequest): ServedUser | undefined {
  const line = headerLine(req, 'P-Served-User');
  if (line === undefined) return undefined;
  const na = recurringNameAddrOf(line);
  const sescase = getParam(na.params, 'sescase');
  if (sescase !== 'orig' && sescase !== 'term') return undefined;
  return { aor: aorOf(na.uri), sescase };
}
