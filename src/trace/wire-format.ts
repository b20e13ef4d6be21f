/**
 * How the trace reads each protocol's messages: one table entry per member of the WirePayload
 * union, so projection, step matching and every renderer treat all protocols alike.
 */
import { Buffer } from 'node:buffer';
import { encodePdu, encodeText } from '../smpp/codec.js';
import { isSmppResponse, type SmppPdu } from '../smpp/pdu.js';
import { formatExchange, verbOf, type SmtpExchange } from '../smtp/exchange.js';
import { header, type SipMessage } from '../sip/message.js';
import { parseNameAddr } from '../sip/name-addr.js';
import { serializeMessage } from '../sip/serializer.js';
import { aorOf } from '../sip/uri.js';
import { protocolOf, type PayloadOf, type ProtocolName, type WirePayload } from '../wire/payload.js';
import { cpimHeader } from '../bodies/cpim-codec.js';
import { serializeMsrp } from '../msrp/codec.js';
import { serializeXcap } from '../xcap/codec.js';
import type { XcapMessage } from '../xcap/message.js';
import { serializeMm7 } from '../mm7/codec.js';
import type { Mm7Message } from '../mm7/message.js';
import { serializeImps } from '../imps/http-codec.js';
import { cspParties, cspSummary, isCspError, isCspNotification } from '../imps/describe.js';
import type { ImpsMessage } from '../imps/message.js';
import { msrpHeader, type MsrpMessage } from '../msrp/message.js';
import type { MediaPacket } from '../rtp/packet.js';
import type { BfcpMessage } from '../bfcp/message.js';
import { carriesNotification, describeSip, innerContentType, outerContentType, sipKind, withContent, type MessageKind } from './describe.js';

export interface WireFormat<P> {
  /** One line for an arrow, e.g. `MESSAGE "Hello"`, `submit_sm "Hello"`, `250 OK`. */
  label(p: P): string;
  kind(p: P): MessageKind;
  /** The message as readable text: SIP as sent; a binary protocol decoded field by field. */
  text(p: P): string;
  /** What stays the same along a message's hops, to see it through nodes no lifeline names. */
  hopKey(p: P): string;
  /** A request's name in a scenario step (`MESSAGE`, `submit_sm`, `MAIL`), undefined for a response. */
  request(p: P): string | undefined;
  /** Whether a response matches a step's `response` (a code, a class like `2xx`, or a name). */
  response(p: P, want: number | string): boolean;
  /** Media types a step's `body` may name. */
  contentTypes(p: P): string[];
  /** The addresses the message names as its parties, for a pattern's `user`. */
  parties(p: P): string[];
}

const statusMatches = (want: number | string, status: number): boolean =>
  typeof want === 'number' ? want === status : /^\dxx$/.test(want) && want[0] === String(status)[0];

const sip: WireFormat<SipMessage> = {
  label: describeSip,
  kind: sipKind,
  text: serializeMessage,
  hopKey: (m) => `${header(m, 'Call-ID') ?? ''}|${header(m, 'CSeq') ?? ''}|${m.type === 'request' ? m.method : String(m.status)}`,
  request: (m) => (m.type === 'request' ? m.method : undefined),
  response: (m, want) => m.type === 'response' && statusMatches(want, m.status),
  contentTypes: (m) => [innerContentType(m.body), outerContentType(m.body)].filter((t): t is string => t !== undefined),
  parties: (m) => ['From', 'To'].flatMap((name) => {
    const value = header(m, name);
    return value === undefined ? [] : [aorOf(parseNameAddr(value).uri)];
  }),
};

const smpp: WireFormat<SmppPdu> = {
  label: (p) => {
    if (isSmppResponse(p)) return p.status === 0 ? p.command : `${p.command} (error 0x${p.status.toString(16).padStart(8, '0')})`;
    if (p.command === 'bind_transceiver') return `${p.command} (${p.systemId})`;
    if (p.command === 'submit_sm' || p.command === 'deliver_sm') {
      const type = p.message.esmClass & 0x3c;
      const what = type === 0x04 ? 'delivery receipt' : type === 0x08 ? 'delivery ack' : `"${ellipsis(p.message.text, 24)}"`;
      return `${p.command} ${what}`;
    }
    return p.command;
  },
  kind: (p) => {
    if (isSmppResponse(p)) return p.status === 0 ? 'success' : 'error';
    return (p.command === 'deliver_sm' || p.command === 'submit_sm') && (p.message.esmClass & 0x3c) !== 0 ? 'notification' : 'request';
  },
  text: (p) => smppText(p),
  hopKey: (p) => `smpp|${p.sequence}|${p.command}`,
  request: (p) => (isSmppResponse(p) ? undefined : p.command),
  response: (p, want) => isSmppResponse(p) && (want === p.command || want === p.status),
  contentTypes: () => [],
  parties: (p) => ('message' in p ? [`tel:+${p.message.source.address}`, `tel:+${p.message.destination.address}`] : []),
};

const smtp: WireFormat<SmtpExchange> = {
  label: (x) => {
    if (x.role === 'server') return x.replies.map((r) => `${r.code} ${r.lines[0] ?? ''}`.trim()).join(', ');
    if ('opens' in x) return 'connect';
    if ('commands' in x) return x.commands.map(verbOf).join(', ');
    return `${isDsn(x.content) ? 'DSN' : 'message'} (${Buffer.byteLength(x.content)} octets)`;
  },
  kind: (x) => (x.role === 'client' ? ('content' in x && isDsn(x.content) ? 'notification' : 'request') : x.replies.some((r) => r.code >= 400) ? 'error' : 'success'),
  text: formatExchange,
  hopKey: (x) => `smtp|${x.client}|${formatExchange(x)}`,
  request: (x) => (x.role === 'server' ? undefined : 'opens' in x ? 'connect' : 'commands' in x ? verbOf(x.commands[0] ?? '') : 'content'),
  response: (x, want) => x.role === 'server' && x.replies.some((r) => statusMatches(want, r.code)),
  contentTypes: (x) => ('content' in x ? [...x.content.matchAll(/^Content-Type:\s*([\w.+-]+\/[\w.+-]+)/gim)].map((m) => m[1]!.toLowerCase()) : []),
  parties: () => [],
};

/** RFC 4975: SEND carries the session's messages (CPIM, IMDN inside), REPORT the outcome. */
const msrp: WireFormat<MsrpMessage> = {
  label: (m) => (m.type === 'msrp-request' ? withContent(`MSRP ${m.method}`, m.body) : `MSRP ${m.status}${m.comment === undefined ? '' : ` ${m.comment}`}`),
  kind: (m) => {
    if (m.type === 'msrp-response') return m.status < 300 ? 'success' : 'error';
    return m.method === 'REPORT' || carriesNotification(m.body) ? 'notification' : 'request';
  },
  text: serializeMsrp,
  hopKey: (m) => `msrp|${msrpHeader(m, 'Message-ID') ?? m.transactionId}|${m.type === 'msrp-request' ? m.method : String(m.status)}`,
  request: (m) => (m.type === 'msrp-request' ? m.method : undefined),
  response: (m, want) => m.type === 'msrp-response' && statusMatches(want, m.status),
  contentTypes: (m) => (m.type === 'msrp-request' ? [innerContentType(m.body), outerContentType(m.body)].filter((t): t is string => t !== undefined) : []),
  parties: (m) => {
    const cpim = m.type === 'msrp-request' && m.body?.kind === 'cpim' ? m.body.cpim : undefined;
    return cpim === undefined
      ? []
      : ['From', 'To'].flatMap((name) => {
          const value = cpimHeader(cpim, name);
          return value === undefined ? [] : [aorOf(parseNameAddr(value).uri)];
        });
  },
};

/** XCAP over HTTP (RFC 4825): a GET of a document and its answer. */
const xcap: WireFormat<XcapMessage> = {
  label: (m) => (m.type === 'xcap-request' ? `XCAP GET ${m.path.split('/')[1] ?? ''}` : `XCAP ${m.status} ${m.reason}`),
  kind: (m) => (m.type === 'xcap-request' ? 'request' : m.status < 300 ? 'success' : 'error'),
  text: serializeXcap,
  // A GET is known by its document, an answer by its status: the two never pass for one another.
  hopKey: (m) => `xcap|${m.type === 'xcap-request' ? m.path : String(m.status)}`,
  request: (m) => (m.type === 'xcap-request' ? m.method : undefined),
  response: (m, want) => m.type === 'xcap-response' && statusMatches(want, m.status),
  contentTypes: (m) => (m.type === 'xcap-response' && m.body !== undefined ? [m.body.contentType.toLowerCase()] : []),
  parties: (m) => {
    const user = m.type === 'xcap-request' ? /\/users\/([^/]+)\//.exec(m.path)?.[1] : undefined;
    return user === undefined ? [] : [decodeURIComponent(user)];
  },
};

/**
 * RFC 3550: an RTP packet is known by its source and sequence number, an RTCP report by its
 * source and kind. A step names them `RTP`, `SR` and `RR`.
 */
const rtp: WireFormat<MediaPacket> = {
  label: (m) =>
    m.type === 'rtp'
      ? `RTP PT=${m.payloadType} seq=${m.sequence}${m.csrc.length > 0 ? ` CSRC×${m.csrc.length}` : ''}`
      : `RTCP ${m.sender === undefined ? 'RR' : 'SR'}${m.reports.length > 0 ? ` (${m.reports.map((r) => `lost ${r.cumulativeLost}, jitter ${r.jitter}`).join('; ')})` : ''}${m.bye === true ? ' BYE' : ''}`,
  kind: (m) => (m.type === 'rtp' ? 'request' : 'notification'),
  text: (m) =>
    m.type === 'rtp'
      ? `RTP version 2, PT ${m.payloadType}${m.marker ? ', marker' : ''}, sequence ${m.sequence}, timestamp ${m.timestamp}, SSRC 0x${hex(m.ssrc)}${m.csrc.map((c) => `, CSRC 0x${hex(c)}`).join('')}, ${m.payloadOctets} payload octets\n`
      : [`RTCP ${m.sender === undefined ? 'RR' : 'SR'} SSRC 0x${hex(m.ssrc)}${m.sender === undefined ? '' : `, ${m.sender.packets} packets, ${m.sender.octets} octets sent`}`, ...m.reports.map((r) => `  source 0x${hex(r.ssrc)}: fraction lost ${r.fractionLost}/256, cumulative lost ${r.cumulativeLost}, highest sequence ${r.highestSequence}, jitter ${r.jitter}`), `SDES CNAME ${m.cname}`, ...(m.bye === true ? ['BYE'] : []), ''].join('\n'),
  hopKey: (m) => (m.type === 'rtp' ? `rtp|${m.ssrc}|${m.sequence}` : `rtcp|${m.ssrc}|${m.sender?.packets ?? 'rr'}|${m.reports.length}`),
  request: (m) => (m.type === 'rtp' ? 'RTP' : m.sender === undefined ? 'RR' : 'SR'),
  response: () => false,
  contentTypes: () => [],
  parties: () => [],
};

/** RFC 4582: a step names a message by its primitive (`FloorRequest`), a status by its request status (`Granted`). */
const bfcp: WireFormat<BfcpMessage> = {
  label: (m) => `BFCP ${m.primitive}${m.status === undefined ? '' : ` ${m.status}${m.status === 'Pending' ? ` (queue position ${m.queuePosition ?? 0})` : ''}`}`,
  kind: (m) => (m.primitive === 'FloorRequestStatus' ? (m.status === 'Denied' || m.status === 'Revoked' ? 'error' : m.transactionId === 0 ? 'notification' : 'success') : 'request'),
  text: (m) =>
    `BFCP ${m.primitive}, conference ${m.conferenceId}, transaction ${m.transactionId}, user ${m.userId}\nFLOOR-ID ${m.floorId}${m.floorRequestId === undefined ? '' : `\nFLOOR-REQUEST-ID ${m.floorRequestId}`}${m.status === undefined ? '' : `\nREQUEST-STATUS ${m.status}, queue position ${m.queuePosition ?? 0}`}\n`,
  hopKey: (m) => `bfcp|${m.conferenceId}|${m.userId}|${m.transactionId}|${m.primitive}|${m.status ?? ''}`,
  request: (m) => (m.primitive === 'FloorRequestStatus' ? undefined : m.primitive),
  response: (m, want) => m.primitive === 'FloorRequestStatus' && want === m.status,
  contentTypes: () => [],
  parties: () => [],
};

/**
 * MM7 over HTTP (3GPP TS 23.140 8.7): a step names a request by its operation (`SubmitReq`) and a
 * response by its operation (`SubmitRsp`) or its HTTP status; the MM7 status shows on the arrow.
 */
const mm7: WireFormat<Mm7Message> = {
  label: (m) => {
    if (m.type === 'mm7-request') return m.operation.kind === 'DeliveryReportReq' ? `MM7 ${m.operation.kind} (${m.operation.mmStatus})` : `MM7 ${m.operation.kind}`;
    return `MM7 ${m.operation.kind} ${m.operation.statusCode} ${m.operation.statusText}`;
  },
  kind: (m) => (m.type === 'mm7-request' ? 'request' : m.operation.statusCode >= 2000 ? 'error' : 'success'),
  text: serializeMm7,
  hopKey: (m) => `mm7|${m.transactionId}|${m.operation.kind}`,
  request: (m) => (m.type === 'mm7-request' ? m.operation.kind : undefined),
  response: (m, want) => m.type === 'mm7-response' && (want === m.operation.kind || statusMatches(want, m.status)),
  contentTypes: (m) => (m.operation.kind === 'SubmitReq' || m.operation.kind === 'DeliverReq' ? ['multipart/related', m.operation.content.contentType.split(';')[0]!.trim().toLowerCase()] : ['text/xml']),
  parties: (m) => {
    const op = m.operation;
    return op.kind === 'SubmitReq' || op.kind === 'DeliverReq' || op.kind === 'DeliveryReportReq' ? [`tel:${op.sender}`, `tel:${op.recipient}`] : [];
  },
};

/** OMA IMPS CSP over HTTP: a step names a transaction by its primitive (`SendMessage-Request`, `Status`). */
const imps: WireFormat<ImpsMessage> = {
  label: (m) => `IMPS ${cspSummary(m)}`,
  kind: (m) => (m.type === 'imps-request' ? (isCspNotification(m.csp.primitive) ? 'notification' : 'request') : m.status >= 300 || isCspError(m) ? 'error' : 'success'),
  text: serializeImps,
  hopKey: (m) => `imps|${m.client}|${m.csp?.transactionId ?? ''}|${m.type}`,
  request: (m) => (m.type === 'imps-request' ? m.csp.primitive.name : undefined),
  response: (m, want) => m.type === 'imps-response' && (want === m.csp?.primitive.name || want === (m.csp !== undefined && 'result' in m.csp.primitive ? m.csp.primitive.result.code : m.status)),
  contentTypes: (m) => (m.csp === undefined ? [] : ['application/vnd.wv.csp.xml']),
  parties: (m) => (m.csp === undefined ? [] : cspParties(m.csp.primitive)),
};

const hex = (n: number): string => n.toString(16).padStart(8, '0');

const FORMATS: { [K in ProtocolName]: WireFormat<PayloadOf<K>> } = { sip, smpp, smtp, msrp, xcap, rtp, bfcp, mm7, imps };

export function wireFormat(p: WirePayload): WireFormat<WirePayload> {
  return FORMATS[protocolOf(p)] as WireFormat<WirePayload>;
}

export const describeMessage = (p: WirePayload): string => wireFormat(p).label(p);
export const messageKind = (p: WirePayload): MessageKind => wireFormat(p).kind(p);
export const wireText = (p: WirePayload): string => wireFormat(p).text(p);

/** An SMPP PDU as Wireshark lists it: the header, then the fields that carry meaning here. */
function smppText(p: SmppPdu): string {
  const octets = encodePdu(p);
  const lines = [`SMPP ${p.command} (command_length ${octets.length}, sequence_number ${p.sequence}${'status' in p ? `, command_status 0x${p.status.toString(16).padStart(8, '0')}` : ''})`];
  if (p.command === 'bind_transceiver' || p.command === 'bind_transceiver_resp') lines.push(`system_id: ${p.systemId}`);
  if (p.command === 'submit_sm_resp' && p.status === 0) lines.push(`message_id: ${p.messageId}`);
  if (p.command === 'submit_sm' || p.command === 'deliver_sm') {
    const m = p.message;
    lines.push(
      `source_addr: +${m.source.address}`,
      `destination_addr: +${m.destination.address}`,
      `esm_class: 0x${m.esmClass.toString(16).padStart(2, '0')}`,
      `registered_delivery: ${m.registeredDelivery}`,
      `data_coding: 0x${m.dataCoding.toString(16).padStart(2, '0')}`,
      `${encodeText(m.text, m.dataCoding).length > 254 ? 'message_payload' : 'short_message'}: ${m.text}`,
    );
    if (m.tlvs.receiptedMessageId !== undefined) lines.push(`receipted_message_id: ${m.tlvs.receiptedMessageId}`);
    if (m.tlvs.messageState !== undefined) lines.push(`message_state: ${m.tlvs.messageState}`);
    if (m.tlvs.userMessageReference !== undefined) lines.push(`user_message_reference: ${m.tlvs.userMessageReference}`);
  }
  return `${lines.join('\n')}\n`;
}

/** RFC 3464: a delivery status notification is a multipart/report of report-type delivery-status. */
function isDsn(content: string): boolean {
  return /^Content-Type:\s*multipart\/report/im.test(content);
}

function ellipsis(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
