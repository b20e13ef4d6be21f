import type { Body } from '../bodies/body.js';
import { SipParseError } from './errors.js';
import { formatCSeq, formatVia, parseCSeq, type Via } from './header-values.js';
import { header, headerLine, headerLines, headers, type Header, type SipMessage, type SipRequest, type SipResponse } from './message.js';
import { formatNameAddr, type NameAddr } from './name-addr.js';
import { reasonPhrase } from './reason-phrases.js';
import { cseqOf, nameAddrOf } from './parsed-lines.js';
import { topVia } from './routing.js';
import { getParam, type Uri } from './uri.js';

export { reasonPhrase } from './reason-phrases.js';

export interface RequestOptions {
  method: string;
  uri: Uri;
  from: NameAddr;
  to: NameAddr;
  callId: string;
  cseq: number;
  /** Omitted when the request goes to the transaction layer, which pushes a Via with a fresh branch. */
  via?: Via;
  /** RFC 3261 8.1.1.6 recommends 70. */
  maxForwards?: number;
  contact?: NameAddr;
  extra?: Header[];
  body?: Body;
}

/** The Max-Forwards a request starts with, or a proxy adds to one without (RFC 3261 8.1.1.6, 16.6 step 3: SHOULD be 70). */
export const MAX_FORWARDS = 70;

/** A request with the RFC 3261 8.1.1 header set, in the customary order, then `extra`. */
export function createRequest(opts: RequestOptions): SipRequest {
  const headerList: Header[] = [
    ...(opts.via === undefined ? [] : [{ name: 'Via', value: formatVia(opts.via) }]),
    { name: 'Max-Forwards', value: String(opts.maxForwards ?? MAX_FORWARDS) },
    { name: 'From', value: formatNameAddr(opts.from) },
    { name: 'To', value: formatNameAddr(opts.to) },
    { name: 'Call-ID', value: opts.callId },
    { name: 'CSeq', value: formatCSeq({ seq: opts.cseq, method: opts.method }) },
    ...(opts.contact === undefined ? [] : [{ name: 'Contact', value: formatNameAddr(opts.contact) }]),
    ...(opts.extra ?? []),
  ];
  const req: SipRequest = { type: 'request', method: opts.method, uri: opts.uri, headers: headerList };
  if (opts.body !== undefined) req.body = opts.body;
  return req;
}

export interface ResponseOptions {
  reason?: string;
  /** Added to To unless the request's To already has a tag (RFC 3261 8.2.6.2). */
  toTag?: string;
  extra?: Header[];
  body?: Body;
}

/**
 * Whether a To value carries a tag. A request is answered even when its To does not parse (the 400
 * for that very header, RFC 3261 8.2.6.2 and 21.4.1), so a malformed value is read leniently: a
 * `;tag=` after the URI's closing `>`, or anywhere when there is no `<`.
 */
function hasTag(line: Header): boolean {
  try {
    return getParam(nameAddrOf(line).params, 'tag') !== undefined;
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
    const value = line.value;
    return /;[ \t]*tag[ \t]*=/i.test(value.slice(value.lastIndexOf('>') + 1));
  }
}

/**
 * A response to `req` (RFC 3261 8.2.6.2): all Via lines in order, From, To, Call-ID and CSeq copied
 * as written, a To tag appended when asked for and absent, then `extra`.
 */
export function createResponse(req: SipRequest, status: number, opts: ResponseOptions = {}): SipResponse {
  // Lines are immutable values: the response shares them, and with them what was parsed of them.
  const copy = (name: string): Header[] => headerLines(req, name);
  const to = copy('To').map((h) =>
    opts.toTag !== undefined && !hasTag(h) ? { name: h.name, value: `${h.value};tag=${opts.toTag}` } : h,
  );
  const res: SipResponse = {
    type: 'response',
    status,
    reason: opts.reason ?? reasonPhrase(status),
    headers: [...copy('Via'), ...copy('From'), ...to, ...copy('Call-ID'), ...copy('CSeq'), ...(opts.extra ?? [])],
  };
  if (opts.body !== undefined) res.body = opts.body;
  return res;
}

/** The method a message belongs to: a request's own, or the CSeq method of a response (RFC 3261 17.1.3). */
export function methodOf(msg: SipMessage): string {
  if (msg.type === 'request') return msg.method;
  const cseq = headerLine(msg, 'CSeq');
  if (cseq === undefined) throw new SipParseError('missing-header', `response ${msg.status} has no CSeq header`);
  return cseqOf(cseq).method;
}

/**
 * The header lines a CANCEL (9.1) or the ACK of a non-2xx final (17.1.1.3) shares with the INVITE
 * it refers to: one Via, the INVITE's top one (same branch), then From, To, Call-ID, CSeq number
 * with the new method, and the INVITE's Route lines.
 */
function hopByHop(invite: SipRequest, method: string, to: string): SipRequest {
  const via = topVia(invite);
  const cseq = header(invite, 'CSeq');
  if (via === undefined || cseq === undefined) throw new Error(`cannot build ${method}: the INVITE has no Via or CSeq`);
  const headerList: Header[] = [
    { name: 'Via', value: formatVia(via) },
    { name: 'Max-Forwards', value: String(MAX_FORWARDS) },
    ...headers(invite, 'From').map((value) => ({ name: 'From', value })),
    { name: 'To', value: to },
    ...headers(invite, 'Call-ID').map((value) => ({ name: 'Call-ID', value })),
    { name: 'CSeq', value: formatCSeq({ seq: parseCSeq(cseq).seq, method }) },
    ...headers(invite, 'Route').map((value) => ({ name: 'Route', value })),
  ];
  return { type: 'request', method, uri: invite.uri, headers: headerList };
}

/** RFC 3261 9.1: CANCEL of `invite` as sent (our Via on top); To is the request's, without a tag. */
export function createCancel(invite: SipRequest): SipRequest {
  return hopByHop(invite, 'CANCEL', header(invite, 'To') ?? '');
}

/** RFC 3261 17.1.1.3: the ACK a client transaction sends for a 3xx-6xx; To carries the response's tag. */
export function createNon2xxAck(invite: SipRequest, res: SipResponse): SipRequest {
  return hopByHop(invite, 'ACK', header(res, 'To') ?? header(invite, 'To') ?? '');
}
