import type { RegContact } from '../../bodies/reginfo.js';
import { createRequest } from '../../sip/builders.js';
import { cloneMessage, header, type SipRequest } from '../../sip/message.js';
import { parseNameAddr } from '../../sip/name-addr.js';
import { proxyRequest } from '../../sip/proxy.js';
import { popRoute, topRoute } from '../../sip/routing.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { aorOf, getParam, isSipUri, parseUri } from '../../sip/uri.js';
import { SipActor, type ActorContext } from '../actor.js';
import { REG_SUBSCRIPTION_SECONDS } from '../core/reg-event-notifier.js';
import { conversationServerHost, coreHost } from '../naming.js';

interface ServedUser {
  aor: string;
  sescase: 'orig' | 'term';
}

/**
 * CPM Conversation Server of one domain. This class holds what the Participating Function needs
 * for pager-mode messaging: the registration state of its users (learnt from third-party
 * registration and the reg event, CPM 5.1.1.1 and C.1.1) and originating/terminating service control
 * on requests the SIP/IP Core routes through it (CPM 5.2.2.1).
 */
export class ConversationServer extends SipActor {
  /** Active contacts per user, from the latest reg NOTIFY. */
  private readonly registered = new Map<string, RegContact[]>();
  /** Reg-event subscriptions by Call-ID -> AOR; a user appears at most once (CPM 5.1.1.1). */
  private readonly subscriptions = new Map<string, string>();
  private readonly coreHost: string;

  constructor(domain: string, ctx: ActorContext) {
    super(conversationServerHost(domain), domain, ctx);
    this.coreHost = coreHost(domain);
  }

  protected onRequest(req: SipRequest, tx: ServerTransaction): void {
    if (req.method === 'REGISTER') return this.thirdPartyRegistration(req, tx);
    if (req.method === 'NOTIFY') return this.regNotify(req, tx);
    const route = topRoute(req);
    if (route !== undefined && isSipUri(route) && route.host === this.host) popRoute(req);
    const served = servedUser(req);
    if (served === undefined) return this.respond(tx, 403, { reason: 'Not Routed By The SIP/IP Core' });
    // CPM 5.2.2.1: the core has authenticated the sender it names as served user (5.1.1.3).
    if (served.sescase === 'orig') this.forward(req, tx);
    else this.terminating(req, tx, served.aor);
  }

  /** CPM 5.2.2.1: terminating service control, then on towards the recipient's clients. */
  private terminating(req: SipRequest, tx: ServerTransaction, aor: string): void {
    if ((this.registered.get(aor) ?? []).length === 0) {
      this.note(`${aor} has no registered CPM Client`);
      return this.respond(tx, 480);
    }
    this.forward(req, tx);
  }

  private forward(req: SipRequest, tx: ServerTransaction): void {
    const next = topRoute(req);
    const nextHop = next !== undefined && isSipUri(next) ? next.host : this.coreHost;
    proxyRequest(this.stack, tx, [{ request: cloneMessage(req), nextHop }]);
  }

  // Registration state (CPM 5.1.1.1, C.1.1 steps 3-8)

  private thirdPartyRegistration(req: SipRequest, tx: ServerTransaction): void {
    const aor = aorOf(parseNameAddr(header(req, 'To') ?? '').uri);
    this.respond(tx, 200);
    const alreadySubscribed = [...this.subscriptions.values()].includes(aor);
    if (header(req, 'Expires') !== '0' && !alreadySubscribed) this.subscribeReg(aor);
  }

  private subscribeReg(aor: string): void {
    const callId = this.stack.newCallId();
    this.subscriptions.set(callId, aor);
    const req = createRequest({
      method: 'SUBSCRIBE',
      uri: parseUri(aor),
      from: { uri: { scheme: 'sip', host: this.host, params: [], headers: [] }, params: [{ name: 'tag', value: this.stack.newTag() }] },
      to: { uri: parseUri(aor), params: [] },
      callId,
      cseq: 1,
      contact: { uri: { scheme: 'sip', host: this.host, params: [], headers: [] }, params: [] },
      extra: [
        { name: 'Event', value: 'reg' },
        { name: 'Accept', value: 'application/reginfo+xml' },
        { name: 'Expires', value: String(REG_SUBSCRIPTION_SECONDS) },
      ],
    });
    this.stack.request(req, this.coreHost, (res) => {
      if (res.status >= 300) {
        // Forget it, so the next third-party registration of this user tries again.
        this.subscriptions.delete(callId);
        this.note(`reg-event subscription for ${aor} refused: ${res.status}`);
      }
    });
  }

  private regNotify(req: SipRequest, tx: ServerTransaction): void {
    const aor = this.subscriptions.get(header(req, 'Call-ID') ?? '');
    if (aor === undefined) return this.respond(tx, 481);
    if (!/^reg\b/.test(header(req, 'Event') ?? '')) return this.respond(tx, 489);
    if (req.body?.kind !== 'reginfo') return this.respond(tx, 415);
    for (const reg of req.body.reginfo.registrations) {
      this.registered.set(reg.aor, reg.contacts.filter((c) => c.state === 'active'));
    }
    this.respond(tx, 200);
  }
}

function servedUser(req: SipRequest): ServedUser | undefined {
  const value = header(req, 'P-Served-User');
  if (value === undefined) return undefined;
  const na = parseNameAddr(value);
  const sescase = getParam(na.params, 'sescase');
  if (sescase !== 'orig' && sescase !== 'term') return undefined;
  return { aor: aorOf(na.uri), sescase };
}
