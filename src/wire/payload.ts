/**
 * What the simulated network carries: a closed union of the protocols' messages. SIP is the CPM
 * signalling; MSRP carries the message streams of CPM Sessions; XCAP (HTTP) reads the XDMS; the others are the non-CPM
 * services' own protocols, spoken between Interworking Functions and non-CPM systems. A protocol joins by adding its message type to `OtherPayload`,
 * with a `protocol` tag; the type checker then asks for its entry in every per-protocol table
 * (trace/wire-format.ts, trace/pcap-transports.ts).
 */
import type { MsrpMessage } from '../msrp/message.js';
import type { MediaPacket } from '../rtp/packet.js';
import type { BfcpMessage } from '../bfcp/message.js';
import { cloneMessage, type SipMessage } from '../sip/message.js';
import type { SmppPdu } from '../smpp/pdu.js';
import type { SmtpExchange } from '../smtp/exchange.js';
import type { XcapMessage } from '../xcap/message.js';
import type { Mm7Message } from '../mm7/message.js';
import type { ImpsMessage } from '../imps/message.js';

/** Messages of the protocols other than SIP, each tagged with its protocol's name. */
export type OtherPayload = SmppPdu | SmtpExchange | MsrpMessage | XcapMessage | MediaPacket | BfcpMessage | Mm7Message | ImpsMessage;

export type WirePayload = SipMessage | OtherPayload;

export type ProtocolName = 'sip' | OtherPayload['protocol'];

export type PayloadOf<K extends ProtocolName> = K extends 'sip' ? SipMessage : Extract<OtherPayload, { protocol: K }>;

/** SIP messages carry no tag: they are the network's original payload. */
export function isSip(payload: WirePayload): payload is SipMessage {
  return !('protocol' in payload);
}

export function protocolOf(payload: WirePayload): ProtocolName {
  return isSip(payload) ? 'sip' : payload.protocol;
}

/**
 * Copies a payload, as the network does so that no sender or receiver shares one object: SIP as
 * `cloneMessage` does (the parts elements change; bodies are shared values), the other protocols'
 * small messages whole. RTP and RTCP packets are immutable (rtp/packet.ts) and pass as they are:
 * a media stream is most of the packets of a session.
 */
export function copyPayload<P extends WirePayload>(payload: P): P {
  if (isSip(payload)) return cloneMessage(payload) as P;
  if (payload.protocol === 'rtp') return payload;
  // XCAP goes with nearly every message (the recipient's preferences): two fields deep, copied by
  // hand, as structuredClone costs more than the rest of the hop.
  if (payload.protocol === 'xcap') return (payload.type === 'xcap-response' && payload.body !== undefined ? { ...payload, body: { ...payload.body } } : { ...payload }) as P;
  return structuredClone(payload);
}

/**
 * The connection a payload travels on: SIP goes as UDP datagrams here (RFC 3261 18.1.1), and so do
 * RTP and RTCP (RFC 3550 11); the others go over TCP (MSRP, RFC 4975 6; XCAP over HTTP, RFC 4825;
 * SMPP 3.4 2.1; SMTP, RFC 5321 2.1; BFCP, RFC 4583; MM7 over HTTP, TS 23.140 8.7), one connection per protocol between two hosts.
 * IMPS CSP over HTTP has one connection for each end's own requests (the binding's client and
 * server roles), so its flows are told apart by the end that opened them.
 */
export function reliableFlow(payload: WirePayload): string | undefined {
  if (isSip(payload) || payload.protocol === 'rtp') return undefined;
  return payload.protocol === 'imps' ? `imps ${payload.client}` : payload.protocol;
}
