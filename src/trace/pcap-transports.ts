/**
 * How each protocol of the trace travels in a capture: its transport, its well-known port, and
 * which end opens and closes the connection. One entry per member of the WirePayload union.
 */
import { Buffer } from 'node:buffer';
import { serializeMsrp } from '../msrp/codec.js';
import { serializeXcap } from '../xcap/codec.js';
import type { XcapMessage } from '../xcap/message.js';
import { serializeMm7 } from '../mm7/codec.js';
import type { Mm7Message } from '../mm7/message.js';
import { serializeImps } from '../imps/http-codec.js';
import type { ImpsMessage } from '../imps/message.js';
import type { MsrpMessage } from '../msrp/message.js';
import { encodeRtcp, encodeRtp } from '../rtp/codec.js';
import { encodeBfcp } from '../bfcp/codec.js';
import type { BfcpMessage } from '../bfcp/message.js';
import type { MediaPacket } from '../rtp/packet.js';
import { encodePdu } from '../smpp/codec.js';
import type { SmppPdu } from '../smpp/pdu.js';
import { formatExchange, type SmtpExchange } from '../smtp/exchange.js';
import type { SipMessage } from '../sip/message.js';
import { readableTopVia } from '../sip/routing.js';
import { cseqMethod } from './monitors/sip-facts.js';
import { serializeMessageOctets } from '../sip/serializer.js';
import { protocolOf, type PayloadOf, type ProtocolName, type WirePayload } from '../wire/payload.js';

/** RFC 3261 19.1.2. */
export const SIP_PORT = 5060;
/** SMPP 3.4 2.2: the port IANA registered for SMPP. */
export const SMPP_PORT = 2775;
/** RFC 5321 2.3.5 and IANA: SMTP relay on port 25. */
export const SMTP_PORT = 25;
/** RFC 9110 4.2.1: HTTP, which XCAP rides on (RFC 4825). */
export const HTTP_PORT = 80;
/** RFC 4975 15.5: the port IANA registered for MSRP. */
export const MSRP_PORT = 2855;
const PATH_MTU = 1500;
/**
 * RFC 3261 18.1.1: a request larger than 1300 octets, or within 200 octets of the path MTU, goes
 * over a congestion-controlled transport. With a 1500-octet MTU both rules draw the line at 1300.
 */
export const UDP_MAX_SIP = Math.min(1300, PATH_MTU - 200);

export interface PcapTransport {
  octets: Uint8Array;
  tcp: boolean;
  port: number;
  /** The sender's port when it is not `port` (RTP: each end's own, from its description). */
  srcPort?: number;
  /** The client that opens the connection, when the protocol tells (else whoever sends first). */
  opener?: string;
  /** The sender closes the connection after this message. */
  closes: boolean;
}

type Choose<P> = (p: P, from: string, to: string) => PcapTransport;

/** The table, with the state SIP's transport choice keeps for one capture. */
export function pcapTransports(): (p: WirePayload, from: string, to: string) => PcapTransport {
  const overTcp = new Set<string>();
  const table: { [K in ProtocolName]: Choose<PayloadOf<K>> } = {
    sip: (m, from, to) => {
      const octets = serializeMessageOctets(m);
      return { octets, tcp: sipUsesTcp(from, to, m, octets.length, overTcp), port: SIP_PORT, closes: false };
    },
    // SMPP 3.4 2.3: the ESME opens the session (here with bind_transceiver) and keeps it.
    smpp: (p: SmppPdu) => ({ octets: encodePdu(p), tcp: true, port: SMPP_PORT, closes: false }),
    smtp: (x: SmtpExchange, from) => ({
      octets: Buffer.from(formatExchange(x), 'utf8'),
      tcp: true,
      port: SMTP_PORT,
      opener: x.client,
      closes: x.role === 'server' && x.replies.some((r) => r.code === 221) && from !== x.client,
    }),
    // RFC 4975 6, RFC 6135: the offerer's end (a=setup:active) opens the connection and sends first.
    msrp: (m: MsrpMessage) => ({ octets: Buffer.from(serializeMsrp(m), 'utf8'), tcp: true, port: MSRP_PORT, closes: false }),
    // RFC 9112 9.3: the reader opens the connection and keeps it for its next requests.
    xcap: (m: XcapMessage) => ({ octets: Buffer.from(serializeXcap(m), 'utf8'), tcp: true, port: HTTP_PORT, closes: false }),
    // TS 23.140 8.7, RFC 9112 9.3: MM7 is HTTP; whoever sends a request is the client and opens its own connection.
    mm7: (m: Mm7Message) => ({ octets: Buffer.from(serializeMm7(m), 'utf8'), tcp: true, port: HTTP_PORT, opener: m.client, closes: false }),
    // WV-CSP 1.2 HTTP binding: the end that sends a transaction's request opens its connection.
    imps: (m: ImpsMessage) => ({ octets: Buffer.from(serializeImps(m), 'utf8'), tcp: true, port: HTTP_PORT, opener: m.client, closes: false }),
    // RFC 3550 11: RTP and RTCP over UDP between the ports the session descriptions gave.
    // RFC 4583 and RFC 4145: the client (a=setup:active) opens the TCP connection to the focus's port.
    bfcp: (m: BfcpMessage) => ({ octets: encodeBfcp(m), tcp: true, port: m.serverPort, opener: m.client, closes: false }),
    rtp: (m: MediaPacket) => ({ octets: m.type === 'rtp' ? encodeRtp(m) : encodeRtcp(m), tcp: false, port: m.dstPort, srcPort: m.srcPort, closes: false }),
  };
  return (p, from, to) => (table[protocolOf(p)] as Choose<WirePayload>)(p, from, to);
}

/**
 * A request takes TCP by the size rule of RFC 3261 18.1.1. A response follows its request onto TCP
 * (18.2.2), and is otherwise held to the same rule, which the RFC states for requests only, so no
 * datagram comes near the MTU. `overTcp` remembers the requests sent over TCP, by hop and transaction.
 */
function sipUsesTcp(from: string, to: string, msg: SipMessage, size: number, overTcp: Set<string>): boolean {
  const bySize = size > UDP_MAX_SIP;
  if (msg.type === 'response') return bySize || overTcp.has(hopTransaction(to, from, msg));
  if (bySize) overTcp.add(hopTransaction(from, to, msg));
  return bySize;
}

/**
 * On one hop, a response matches its request by the top Via's branch (the requester's) and the
 * CSeq method (RFC 3261 17.1.3: CANCEL reuses the branch of the request it cancels). A message a
 * scenario injected without a readable Via or CSeq is still drawn: it matches by what it has.
 */
function hopTransaction(requester: string, responder: string, msg: SipMessage): string {
  const branch = readableTopVia(msg)?.params.find((p) => p.name.toLowerCase() === 'branch')?.value;
  return `${requester} ${responder} ${branch ?? ''} ${cseqMethod(msg) ?? ''}`;
}
