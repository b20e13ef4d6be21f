import type { Body } from '../bodies/body.js';
import { intern } from '../kernel/intern.js';
import { createRequest, createResponse } from './builders.js';
import { parseCSeq, parseContacts, splitHeaderList } from './header-values.js';
import { internUri } from './interned.js';
import { header, headers, type Header, type SipMessage, type SipRequest, type SipResponse } from './message.js';
import { formatNameAddr, parseNameAddr, tagOf, type NameAddr } from './name-addr.js';
import { nameAddrIn } from './parsed-lines.js';
import { hostOf } from './routing.js';
import { getParam, isSipUri, type Uri } from './uri.js';

export interface DialogId {
  callId: string;
  localTag: string;
  remoteTag: string;
}

export type DialogState = 'early' | 'confirmed';

interface DialogChanging {
  state: DialogState;
  remoteTarget: Uri;
  routeSet: NameAddr[];
  localSeq: number | undefined;
  remoteSeq: number | undefined;
}

export interface InDialogOptions {
  contact?: NameAddr;
  extra?: Header[];
  body?: Body;
}

/** RFC 3261 12.2.2 (and RFC 6665 4.1, 4.2): requests whose Contact updates the remote target. */
const TARGET_REFRESH = new Set(['INVITE', 'UPDATE', 'SUBSCRIBE', 'NOTIFY']);

const cseqOf = (msg: SipMessage): number => parseCSeq(header(msg, 'CSeq') ?? '').seq;

/** The URI of the first Contact, which a dialog uses as its remote target (12.1.1, 12.1.2). */
function contactUri(msg: SipMessage): Uri | undefined {
  const contacts = parseContacts(header(msg, 'Contact') ?? '');
  return contacts === '*' ? undefined : contacts[0]?.uri;
}

/** Every Record-Route value in order, each a name-addr (RFC 3261 20.30). */
function recordRoutes(msg: SipMessage): NameAddr[] {
  return headers(msg, 'Record-Route').flatMap(splitHeaderList).map(parseNameAddr);
}

/** The URI of a From or To value, without display name or tag: the dialog's local or remote URI. */
const addressUri = (value: string | undefined): Uri => {
  if (value === undefined) throw new Error('a dialog needs From and To');
  return parseNameAddr(value).uri;
};

/** RFC 3261 12.1, RFC 6665 4.1: the requests that create a dialog an element can stay on the path of. */
export function createsDialog(method: string): boolean {
  return method === 'INVITE' || method === 'SUBSCRIBE';
}

/** RFC 3261 12.2: a request with a To tag belongs to a dialog (its To tag is the dialog's local tag). */
export function inDialog(req: SipRequest): boolean {
  const to = nameAddrIn(req, 'To');
  return to !== undefined && typeof getParam(to.params, 'tag') === 'string';
}

/**
 * RFC 3261 12: the state two UAs share for a dialog. The `secure` flag is not modelled (no TLS in
 * the simulator). Host names are node ids, so the next hop of an in-dialog request is a URI's host.
 */
export class Dialog {
  private constructor(
    readonly callId: string,
    readonly localTag: string,
    readonly remoteTag: string,
    readonly localUri: Uri,
    readonly remoteUri: Uri,
    /** What requests and responses of the dialog change; read through the getters. */
    private readonly current: DialogChanging,
  ) {
    // A dialog can last as long as a registration (a reg-event subscription): its identity is
    // kept as interned strings, not as slices of the messages that made it.
    this.callId = intern(callId);
    this.localTag = intern(localTag);
    this.remoteTag = intern(remoteTag);
    this.localUri = internUri(localUri);
    this.remoteUri = internUri(remoteUri);
    current.remoteTarget = internUri(current.remoteTarget);
  }

  get state(): DialogState {
    return this.current.state;
  }

  /** The Contact of the peer, where in-dialog requests go (12.2.1.1). */
  get remoteTarget(): Uri {
    return this.current.remoteTarget;
  }

  /** The proxies that record-routed, in the order a request from this side visits them. */
  get routeSet(): readonly NameAddr[] {
    return this.current.routeSet;
  }

  /** Undefined while empty (12.1.1: the UAS has sent no request yet). */
  get localSeq(): number | undefined {
    return this.current.localSeq;
  }

  /** Undefined while empty (12.1.2: the UAC has received no request yet). */
  get remoteSeq(): number | undefined {
    return this.current.remoteSeq;
  }

  /**
   * RFC 3261 12.1.2: the UAC side, from a 1xx with a To tag (early) or a 2xx to `request`. The
   * route set is the response's Record-Route in reverse order; the remote target its Contact.
   */
  static asUac(request: SipRequest, response: SipResponse): Dialog {
    const localTag = tagOf(header(request, 'From'));
    const remoteTag = tagOf(header(response, 'To'));
    const target = contactUri(response);
    if (localTag === undefined || remoteTag === undefined) throw new Error('a dialog needs a From tag and a To tag');
    if (target === undefined) throw new Error(`a ${response.status} that creates a dialog needs a Contact`);
    return new Dialog(header(request, 'Call-ID') ?? '', localTag, remoteTag, addressUri(header(request, 'From')), addressUri(header(request, 'To')), {
      state: response.status < 200 ? 'early' : 'confirmed',
      remoteTarget: target,
      routeSet: recordRoutes(response).reverse(),
      localSeq: cseqOf(request),
      remoteSeq: undefined,
    });
  }

  /**
   * RFC 3261 12.1.1: the UAS side, when it sends `response` (1xx with a To tag, or 2xx) to
   * `request`. The route set is the request's Record-Route in order; the remote target its Contact.
   */
  static asUas(request: SipRequest, response: SipResponse): Dialog {
    const localTag = tagOf(header(response, 'To'));
    const remoteTag = tagOf(header(request, 'From'));
    const target = contactUri(request);
    if (localTag === undefined || remoteTag === undefined) throw new Error('a dialog needs a From tag and a To tag');
    if (target === undefined) throw new Error(`a ${request.method} that creates a dialog needs a Contact`);
    return new Dialog(header(request, 'Call-ID') ?? '', localTag, remoteTag, addressUri(header(request, 'To')), addressUri(header(request, 'From')), {
      state: response.status < 200 ? 'early' : 'confirmed',
      remoteTarget: target,
      routeSet: recordRoutes(request),
      localSeq: undefined,
      remoteSeq: cseqOf(request),
    });
  }

  get id(): DialogId {
    return { callId: this.callId, localTag: this.localTag, remoteTag: this.remoteTag };
  }

  /**
   * RFC 3261 13.2.2.4 (UAC): a 2xx for an early dialog confirms it, and the route set and remote
   * target are taken from the 2xx. A later response (a provisional in an early dialog, or a
   * retransmitted 2xx) changes nothing else.
   */
  confirm(response: SipResponse): void {
    if (this.state === 'confirmed' || response.status < 200 || response.status >= 300) return;
    this.current.state = 'confirmed';
    this.current.routeSet = recordRoutes(response).reverse();
    this.current.remoteTarget = contactUri(response) ?? this.remoteTarget;
  }

  /** Whether an incoming request belongs to this dialog (12.2.2: Call-ID, To tag ours, From tag theirs). */
  matches(req: SipRequest): boolean {
    return header(req, 'Call-ID') === this.callId && tagOf(header(req, 'To')) === this.localTag && tagOf(header(req, 'From')) === this.remoteTag;
  }

  /**
   * RFC 3261 12.2.2: checks an incoming in-dialog request's CSeq. Returns 500 when it is lower than
   * the remote sequence number (out of order); otherwise records it and, for a target refresh
   * request, takes its Contact as the new remote target, and returns undefined. ACK and CANCEL carry
   * the INVITE's number and are not counted.
   */
  receiveRequest(req: SipRequest): 500 | undefined {
    if (req.method === 'ACK' || req.method === 'CANCEL') return undefined;
    const seq = cseqOf(req);
    if (this.remoteSeq !== undefined && seq < this.remoteSeq) return 500;
    this.current.remoteSeq = seq;
    if (TARGET_REFRESH.has(req.method)) this.current.remoteTarget = contactUri(req) ?? this.remoteTarget;
    return undefined;
  }

  /**
   * RFC 3261 12.2.1.1: a request within the dialog, without Via (the transaction layer adds it). The
   * local sequence number goes up by one; an empty one starts at 1 (8.1.1.5 allows any value below
   * 2**31).
   */
  createRequest(method: string, opts: InDialogOptions = {}): SipRequest {
    if (method === 'ACK' || method === 'CANCEL') throw new Error(`${method} takes the INVITE's CSeq: use createAck or SipStack.cancel`);
    const seq = this.localSeq === undefined ? 1 : this.localSeq + 1;
    this.current.localSeq = seq;
    return this.build(method, seq, opts);
  }

  /** RFC 3261 13.2.2.4: the ACK for a 2xx, with the INVITE's CSeq number; the stack gives it a new branch. */
  createAck(response: SipResponse, opts: Pick<InDialogOptions, 'body' | 'extra'> = {}): SipRequest {
    return this.build('ACK', cseqOf(response), opts);
  }

  /** Where an in-dialog request goes first: the first route, else the remote target (12.2.1.1). */
  nextHop(): string {
    const first = this.routeSet[0];
    const host = hostOf(first === undefined ? this.remoteTarget : first.uri);
    if (host === undefined) throw new Error('the next hop of a dialog must be a SIP URI');
    return host;
  }

  /**
   * 12.2.1.1: with a loose-routing first route (`;lr`) or none, the Request-URI is the remote target
   * and Route the route set; with a strict router first, the Request-URI is that route and the
   * remote target goes last in Route.
   */
  private build(method: string, cseq: number, opts: InDialogOptions): SipRequest {
    const first = this.routeSet[0];
    const strict = first !== undefined && isSipUri(first.uri) && getParam(first.uri.params, 'lr') === undefined;
    const uri = strict ? first.uri : this.remoteTarget;
    const route = strict ? [...this.routeSet.slice(1), { uri: this.remoteTarget, params: [] }] : this.routeSet;
    return createRequest({
      method,
      uri,
      from: { uri: this.localUri, params: [{ name: 'tag', value: this.localTag }] },
      to: { uri: this.remoteUri, params: [{ name: 'tag', value: this.remoteTag }] },
      callId: this.callId,
      cseq,
      ...(opts.contact !== undefined && { contact: opts.contact }),
      extra: [...route.map((r) => ({ name: 'Route', value: formatNameAddr(r) })), ...(opts.extra ?? [])],
      ...(opts.body !== undefined && { body: opts.body }),
    });
  }
}

export interface DialogResponseOptions {
  toTag: string;
  contact: NameAddr;
  reason?: string;
  extra?: Header[];
  body?: Body;
}

/**
 * RFC 3261 12.1.1: a UAS response that creates a dialog copies the request's Record-Route values,
 * in order, and carries a Contact.
 */
export function createDialogResponse(request: SipRequest, status: number, opts: DialogResponseOptions): SipResponse {
  const recordRoute = headers(request, 'Record-Route').map((value) => ({ name: 'Record-Route', value }));
  return createResponse(request, status, {
    toTag: opts.toTag,
    ...(opts.reason !== undefined && { reason: opts.reason }),
    extra: [...recordRoute, { name: 'Contact', value: formatNameAddr(opts.contact) }, ...(opts.extra ?? [])],
    ...(opts.body !== undefined && { body: opts.body }),
  });
}
