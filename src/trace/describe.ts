import type { Body } from '../bodies/body.js';
import type { ImdnNotification } from '../bodies/imdn.js';
import { methodOf } from '../sip/builders.js';
import { header, type SipMessage, type SipRequest } from '../sip/message.js';

export type MessageKind = 'request' | 'provisional' | 'success' | 'redirect' | 'error' | 'notification';

/** The media type a reader cares about: the encapsulated one for CPIM (RFC 3862), else the body's. */
export function innerContentType(body: Body | undefined): string | undefined {
  if (body === undefined) return undefined;
  const outer = body.kind === 'cpim' ? body.cpim.content : body;
  return outer.contentType.split(';')[0]!.trim().toLowerCase();
}

export function outerContentType(body: Body | undefined): string | undefined {
  return body?.contentType.split(';')[0]!.trim().toLowerCase();
}

export function sipKind(msg: SipMessage): MessageKind {
  if (msg.type === 'request') return isNotification(msg) ? 'notification' : 'request';
  if (msg.status < 200) return 'provisional';
  if (msg.status < 300) return 'success';
  if (msg.status < 400) return 'redirect';
  return 'error';
}

/** A one-line label for a ladder arrow: `MESSAGE [IMDN delivered]`, `NOTIFY (reg)`, `200 OK`. */
export function describeSip(msg: SipMessage): string {
  if (msg.type === 'response') return `${msg.status} ${msg.reason}`.trim() + ` (${methodOf(msg)})`;
  const event = header(msg, 'Event');
  return withContent(event === undefined ? msg.method : `${msg.method} (${event.split(';')[0]})`, msg.body);
}

/** A label with what its body says: `[IMDN delivered]`, or the start of a text in quotes. */
export function withContent(base: string, body: Body | undefined): string {
  const imdns = imdnsIn(body);
  if (imdns.length > 0) return `${base} [IMDN ${imdns.map((n) => n.notification.status).join(', ')}]`;
  if (body?.kind === 'cpim' && body.cpim.content.kind === 'text') return `${base} "${ellipsis(body.cpim.content.text, 24)}"`;
  return base;
}

/** Whether a body is a disposition notification (one IMDN, or several aggregated). */
export function carriesNotification(body: Body | undefined): boolean {
  return imdnsIn(body).length > 0;
}

function isNotification(msg: SipRequest): boolean {
  return msg.method === 'NOTIFY' || carriesNotification(msg.body);
}

/** The IMDNs a CPIM body carries: one, or several that a group aggregated in a multipart/mixed. */
function imdnsIn(body: Body | undefined): ImdnNotification[] {
  if (body?.kind === 'imdn') return [body.imdn];
  if (body?.kind !== 'cpim') return [];
  const content = body.cpim.content;
  if (content.kind === 'imdn') return [content.imdn];
  if (content.kind !== 'multipart') return [];
  const parts = content.parts.flatMap((p) => (p.content.kind === 'imdn' ? [p.content.imdn] : []));
  return parts.length === content.parts.length ? parts : [];
}

function ellipsis(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
