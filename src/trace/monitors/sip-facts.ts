/** What the monitors read off SIP messages in a trace, tolerant of the malformed ones a scenario injects. */
import type { Body } from '../../bodies/body.js';
import { cpimHeader } from '../../bodies/cpim-codec.js';
import type { ImdnNotification } from '../../bodies/imdn.js';
import { parseCSeq, parseVia } from '../../sip/header-values.js';
import { header, type SipMessage } from '../../sip/message.js';
import { tagOf } from '../../sip/name-addr.js';
import { isSipUri } from '../../sip/uri.js';
import { DEFERRED_SERVICE_USER } from '../../cpm/naming.js';
import { isSip, type WirePayload } from '../../wire/payload.js';
import type { TraceEvent } from '../recorder.js';

export type Sent = Extract<TraceEvent, { type: 'transmit' | 'undeliverable' }>;

/** A message put on the wire (delivered or not); notes are not messages. */
export function isSent(e: TraceEvent): e is Sent {
  return e.type !== 'note';
}

/** The message reached its destination: a transmit not followed by a loss in flight (its host went down). */
export function arrivals(events: readonly TraceEvent[]): Set<number> {
  const lostInFlight = new Set<number>();
  for (const e of events) if (e.type === 'undeliverable') lostInFlight.add(e.id);
  const arrived = new Set<number>();
  for (const e of events) if (e.type === 'transmit' && !lostInFlight.has(e.id)) arrived.add(e.id);
  return arrived;
}

export function sipOf(payload: WirePayload): SipMessage | undefined {
  return isSip(payload) ? payload : undefined;
}

function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** RFC 3261 17.1.3 / 17.2.3: a transaction is named by its top Via branch and CSeq method. */
export function transactionKey(msg: SipMessage): string | undefined {
  return attempt(() => {
    const via = header(msg, 'Via');
    const cseq = header(msg, 'CSeq');
    if (via === undefined || cseq === undefined) return undefined;
    const branch = parseVia(via)[0]?.params.find((p) => p.name === 'branch')?.value;
    const method = parseCSeq(cseq).method;
    // 17.2.3: an ACK for a non-2xx and a CANCEL belong with the INVITE's branch but are their own requests.
    return branch === undefined ? undefined : `${branch}|${method}`;
  });
}

export function callIdOf(msg: SipMessage): string | undefined {
  return header(msg, 'Call-ID');
}

export function toTag(msg: SipMessage): string | undefined {
  return attempt(() => tagOf(header(msg, 'To')));
}

export function fromTag(msg: SipMessage): string | undefined {
  return attempt(() => tagOf(header(msg, 'From')));
}

export function cseqMethod(msg: SipMessage): string | undefined {
  return attempt(() => {
    const cseq = header(msg, 'CSeq');
    return cseq === undefined ? undefined : parseCSeq(cseq).method;
  });
}

/** The imdn.Message-ID of a CPIM body (RFC 5438 6.3), the message's identity end to end. */
export function messageIdOf(body: Body | undefined): string | undefined {
  return body?.kind === 'cpim' ? cpimHeader(body.cpim, 'imdn.Message-ID') : undefined;
}

/** The disposition notifications a body carries: one, or several a group aggregated (multipart/mixed). */
export function notificationsIn(body: Body | undefined): ImdnNotification[] {
  if (body?.kind === 'imdn') return [body.imdn];
  if (body?.kind !== 'cpim') return [];
  const content = body.cpim.content;
  if (content.kind === 'imdn') return [content.imdn];
  if (content.kind !== 'multipart') return [];
  return content.parts.flatMap((p) => (p.content.kind === 'imdn' ? [p.content.imdn] : []));
}

/**
 * A pager-mode CPM Message (CPM 5.2.2.1): a MESSAGE whose CPIM content is not a notification, to a
 * user or group, not a request to the deferred messaging service (CPM 5.2.2.2.2, naming.ts).
 */
export function isPagerMessage(msg: SipMessage): boolean {
  if (msg.type !== 'request' || msg.method !== 'MESSAGE' || msg.body?.kind !== 'cpim') return false;
  return notificationsIn(msg.body).length === 0 && !(isSipUri(msg.uri) && msg.uri.user === DEFERRED_SERVICE_USER);
}
