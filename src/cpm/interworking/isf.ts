import { cloneMessage, header, insertAt, removeHeaders, type SipRequest } from '../../sip/message.js';
import { parseNameAddr } from '../../sip/name-addr.js';
import { proxyRequest } from '../../sip/proxy.js';
import { popOwnRoute } from '../../sip/routing.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { aorOf, formatUri, getParam, parseUri } from '../../sip/uri.js';
import { SipActor, type ActorContext } from '../actor.js';
import { coreHost, isfHost, iwfHost, xdmsHost } from '../naming.js';
import type { ServicePolicy, UserPreferences } from '../preferences.js';
import type { OtherPayload } from '../../wire/payload.js';
import { readPreferences } from '../xdms/preferences-client.js';
import { XcapClient } from '../xdms/xcap-client.js';
import { INTERWORKING_SERVICES, NON_CPM_SERVICE_HEADER, nonCpmAddress, originatorAddress, type InterworkingService } from './addresses.js';
import { contentOf, isNotification, textOf } from './conversion.js';
import { Buffer } from 'node:buffer';
import { selectInterworking, type Candidate, type Selection } from './selection.js';
import { mediaTypes, sdpOf } from '../session-sdp.js';

/** CPM 5.3.1.1.1 "message size and content": the media type and octets of the message's content. */
function contentSize(req: SipRequest): { content?: { type: string; octets: number } } {
  const content = contentOf(req);
  return content === undefined ? {} : { content: { type: content.contentType, octets: Buffer.byteLength(content.text, 'utf8') } };
}

/** The Media Stream Types a CPM Session Invitation offers (CPM 5.2.3.8.1). */
function offeredMedia(req: SipRequest): string[] {
  const sdp = sdpOf(req);
  return sdp === undefined ? [] : mediaTypes(sdp);
}

/**
 * CPM Interworking Selection Function of one domain (CPM 5.3.1.1.1, 5.3.1.2): the Conversation
 * Server sends it, through the SIP/IP Core, requests that need interworking; it selects an
 * Interworking Function, puts the address to use in the non-CPM service in the Request-URI, and
 * routes the request to that function through the same core. It stays in the path, so a failure
 * can be tried with the next service before it goes back to the originator.
 */
export class InterworkingSelectionFunction extends SipActor {
  /** Reads the users' preference documents from the XDMS (C.4.1.2 step 7). */
  private readonly xcap: XcapClient;
  private readonly functions = new Set<InterworkingService>();

  constructor(
    domain: string,
    private readonly policy: ServicePolicy,
    ctx: ActorContext,
  ) {
    super(isfHost(domain), domain, ctx);
    this.xcap = new XcapClient({
      host: this.host,
      xdmsHost: xdmsHost(domain),
      sim: ctx.sim,
      send: (toHost, msg) => ctx.net.send(this.host, toHost, msg),
      note: (text) => this.note(text),
    });
  }

  /** Provisioning: an Interworking Function this domain operates. */
  addFunction(service: InterworkingService): void {
    this.functions.add(service);
  }

  /** The user's preference document, read from the XDMS when a decision depends on it. */
  private preferences(aor: string, then: (preferences: UserPreferences) => void): void {
    readPreferences(this.xcap, aor, (text) => this.note(text), then);
  }

  protected override onOther(payload: OtherPayload, fromHost: string): void {
    if (payload.protocol === 'xcap') return this.xcap.received(payload);
    super.onOther(payload, fromHost);
  }

  protected onRequest(req: SipRequest, tx: ServerTransaction): void {
    popOwnRoute(req, this.host);
    const served = header(req, 'P-Served-User');
    if (served === undefined) return this.respond(tx, 403, { reason: 'Not Routed By The SIP/IP Core' });
    const na = parseNameAddr(served);
    const aor = aorOf(na.uri);
    const target = formatUri(req.uri);
    if (getParam(na.params, 'sescase') === 'term') {
      // C.4.1.2 step 7: the recipient's interworking preferences (CPM 5.3.1.1.1: the address MAY
      // be taken from them, or be the one received).
      return this.preferences(aor, (prefs) => {
        const listed = prefs.interworking;
        this.note(`reads the interworking preferences of ${aor.replace(/^sip:/, '')} (XDMS): ${listed.join(', ') || 'none'}`);
        this.select(req, tx, listed.length > 0 ? listed : [target]);
      });
    }
    const address = nonCpmAddress(req.uri) ?? target;
    const indicated = header(req, NON_CPM_SERVICE_HEADER);
    if (indicated !== undefined && this.followsIdentifier(req, tx, address, indicated.trim().toLowerCase())) return;
    this.select(req, tx, [address]);
  }

  /**
   * CPM 5.3.1.2.4: a reply carrying a Non-CPM Communication Service Identifier goes to that
   * service's Interworking Function if every selection criterion allows it; otherwise, or when the
   * provider's policy ignores identifiers, it is selected for as any other message. False when the
   * identifier was not followed.
   */
  private followsIdentifier(req: SipRequest, tx: ServerTransaction, address: string, indicated: string): boolean {
    if (this.policy.nonCpmServiceId === 'ignore') {
      this.note(`ignores the Non-CPM Communication Service Identifier ${indicated} by policy`);
      return false;
    }
    const service = INTERWORKING_SERVICES.find((s) => s === indicated);
    const { candidates, refused } = service === undefined ? { candidates: [], refused: [`${address}: no such service`] } : this.candidates(req, [address], service);
    if (candidates.length === 0) {
      this.note(`does not follow the Non-CPM Communication Service Identifier ${indicated}: ${refused.join('; ')}`);
      return false;
    }
    this.note(`follows the Non-CPM Communication Service Identifier ${indicated}`);
    removeHeaders(req, 'P-Served-User');
    this.tryNext(req, tx, candidates);
    return true;
  }

  private candidates(req: SipRequest, addresses: string[], service?: InterworkingService): Selection {
    return selectInterworking({
      addresses,
      ...(service === undefined ? {} : { service }),
      allowed: this.policy.interworking,
      available: this.functions,
      originatorReachable: (s) => originatorAddress(s, req) !== undefined,
      // A delivery notification converts to the service's own short acknowledgement.
      text: isNotification(req) ? '' : textOf(req),
      ...contentSize(req),
      smsMaxSegments: this.policy.smsMaxSegments,
      ...(req.method === 'INVITE' ? { sessionMedia: offeredMedia(req) } : {}),
    });
  }

  /** C.4.1.2 step 8: the most appropriate Interworking Function for the addresses, in order. */
  private select(req: SipRequest, tx: ServerTransaction, addresses: string[]): void {
    const { candidates, refused } = this.candidates(req, addresses);
    for (const why of refused) this.note(`not selected: ${why}`);
    if (candidates.length === 0) return this.respond(tx, 404, { reason: 'No Interworking For This Address' });
    removeHeaders(req, 'P-Served-User');
    this.tryNext(req, tx, candidates);
  }

  /** C.4.1.2 steps 8-10: route to the selected function through the core it came from. */
  private tryNext(req: SipRequest, tx: ServerTransaction, [first, ...rest]: Candidate[]): void {
    const candidate = first!;
    this.note(`selects the ${candidate.service} Interworking Function for ${candidate.address}`);
    const out = cloneMessage(req);
    out.uri = parseUri(candidate.address);
    const core = coreHost(this.domain);
    out.headers = out.headers.filter((h) => h.name.toLowerCase() !== 'route');
    out.headers = insertAt(out.headers, out.headers.findIndex((h) => h.name !== 'Via'), { name: 'Route', value: `<sip:${core};lr>` }, { name: 'Route', value: `<sip:${iwfHost(candidate.service, this.domain)};lr>` });
    proxyRequest(this.stack, tx, [{ request: out, nextHop: core }], {
      onFinal: (res) => {
        if (res.status < 300 || rest.length === 0) return false;
        this.note(`${candidate.service} interworking failed (${res.status}); tries the next service`);
        this.tryNext(req, tx, rest);
        return true;
      },
    });
  }
}
