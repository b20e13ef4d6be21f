import { buildCpim } from '../../bodies/cpim-codec.js';
import type { DispositionRequest } from '../../bodies/imdn.js';
import type { RandomStream } from '../../kernel/random.js';
import { createRequest } from '../../sip/builders.js';
import type { SipRequest } from '../../sip/message.js';
import { formatNameAddr, parseNameAddr } from '../../sip/name-addr.js';
import { parseUri } from '../../sip/uri.js';
import { cpmServiceHeaders } from '../notification.js';
import { CONTRIBUTION_ID, CONVERSATION_ID } from '../service.js';
import { NON_CPM_SERVICE_HEADER, type InterworkingService } from './addresses.js';

export interface InboundMessage {
  service: InterworkingService;
  /** The non-CPM sender's address: `tel:+...` or `mailto:...`. */
  from: string;
  /** The CPM recipient's address as the non-CPM service addressed it. */
  to: string;
  text: string;
  /** The content's media type when it is not plain text (an MMS picture). */
  contentType?: string;
  /** The non-CPM message asked for a delivery report: mapped to an IMDN request (C.4.2 NOTE). */
  deliveryReport: boolean;
  dateTime: string;
}

/** The text of a CPM Message, if it carries plain text, which SMS and e-mail take. */
export function textOf(req: SipRequest): string | undefined {
  const content = contentOf(req);
  return content !== undefined && /^text\/plain\b/i.test(content.contentType) ? content.text : undefined;
}

/** The content of a CPM Message with its media type, if it is textual (plain text, an SVG picture): what MMS takes. */
export function contentOf(req: SipRequest): { contentType: string; text: string } | undefined {
  const body = req.body;
  if (body?.kind !== 'cpim' || body.cpim.content.kind !== 'text') return undefined;
  return { contentType: body.cpim.content.contentType, text: body.cpim.content.text };
}

/** Whether the request is a disposition notification (RFC 5438) rather than a message. */
export function isNotification(req: SipRequest): boolean {
  return req.body?.kind === 'cpim' && req.body.cpim.content.kind === 'imdn';
}

/**
 * CPM 5.3.2: a non-CPM message as a CPM Message from the Interworking Function, with the Non-CPM
 * Communication Service Identifier, in a conversation of its own (CPM 5.2.1.1).
 */
export function inboundRequest(m: InboundMessage, ids: { rng: RandomStream; callId: string; tag: string; messageId: string }): SipRequest {
  const dispositions: DispositionRequest[] = m.deliveryReport ? ['positive-delivery', 'negative-delivery'] : [];
  const cpim = buildCpim({
    from: m.from,
    to: m.to,
    dateTime: m.dateTime,
    messageId: ids.messageId,
    dispositionNotification: dispositions,
    content: { kind: 'text', contentType: m.contentType ?? 'text/plain;charset=UTF-8', text: m.text },
  });
  return createRequest({
    method: 'MESSAGE',
    uri: parseUri(m.to),
    from: { uri: parseUri(m.from), params: [{ name: 'tag', value: ids.tag }] },
    to: { uri: parseUri(m.to), params: [] },
    callId: ids.callId,
    cseq: 1,
    extra: [
      ...cpmServiceHeaders(),
      // The Interworking Function is in the operator's trust domain: it asserts the sender it converted.
      { name: 'P-Asserted-Identity', value: `<${m.from}>` },
      { name: NON_CPM_SERVICE_HEADER, value: m.service },
      { name: CONVERSATION_ID, value: ids.rng.uuid() },
      { name: CONTRIBUTION_ID, value: ids.rng.uuid() },
    ],
    body: { kind: 'cpim', contentType: 'message/cpim', cpim },
  });
}

/**
 * A Non-CPM Group's message (CPM 5.1.2.5): the group is the SIP originator (From and
 * P-Asserted-Identity), so that a reply goes to the group; the member who wrote it stays the CPIM From.
 */
export function fromGroup(request: SipRequest, group: string): void {
  request.headers = request.headers.map((h) =>
    h.name === 'From' ? { name: h.name, value: formatNameAddr({ ...parseNameAddr(h.value), uri: parseUri(group) }) }
    : h.name === 'P-Asserted-Identity' ? { name: h.name, value: `<${group}>` }
    : h,
  );
}
