/** Hand-made traces for the monitor tests: a few SIP, MSRP and RTP messages between named hosts. */
import type { Body } from '../../../src/bodies/body.js';
import { buildCpim } from '../../../src/bodies/cpim-codec.js';
import { buildImdnBody } from '../../../src/bodies/imdn-codec.js';
import type { ImdnNotification, ImdnStatus } from '../../../src/bodies/imdn.js';
import type { MsrpMessage } from '../../../src/msrp/message.js';
import { parseMsrpUri } from '../../../src/msrp/uri.js';
import type { RtpPacket } from '../../../src/rtp/packet.js';
import { createRequest, createResponse } from '../../../src/sip/builders.js';
import type { Header, SipRequest, SipResponse } from '../../../src/sip/message.js';
import { sipUri } from '../../../src/sip/uri.js';
import type { Micros } from '../../../src/kernel/time.js';
import type { MonitorInput } from '../../../src/trace/monitors/monitor.js';
import type { TraceEvent } from '../../../src/trace/recorder.js';
import type { WirePayload } from '../../../src/wire/payload.js';

export const ALICE = 'phone.alice.a.example';
export const BOB = 'phone.bob.b.example';
export const BOB2 = 'tablet.bob.b.example';
export const CORE = 'core.a.example';
export const SERVER = 'cs.b.example';
/** The users' devices; the cores and servers are not clients. */
export const CLIENTS: ReadonlyMap<string, string> = new Map([
  [ALICE, 'sip:alice@a.example'],
  [BOB, 'sip:bob@b.example'],
  [BOB2, 'sip:bob@b.example'],
]);

export interface RequestParts {
  callId?: string;
  branch?: string;
  fromTag?: string;
  toTag?: string;
  user?: string;
  extra?: Header[];
  body?: Body;
}

/** A request from Alice to `user`@b.example (bob), with a Via branch and a From tag unless told none. */
export function request(method: string, parts: RequestParts = {}): SipRequest {
  const user = parts.user ?? 'bob';
  return createRequest({
    method,
    uri: sipUri(user, 'b.example'),
    from: { uri: sipUri('alice', 'a.example'), params: parts.fromTag === '' ? [] : [{ name: 'tag', value: parts.fromTag ?? 'fa' }] },
    to: { uri: sipUri(user, 'b.example'), params: parts.toTag === undefined ? [] : [{ name: 'tag', value: parts.toTag }] },
    callId: parts.callId ?? 'call-1',
    cseq: 1,
    ...(parts.branch === '' ? {} : { via: { protocol: 'SIP/2.0', transport: 'UDP', host: CORE, params: [{ name: 'branch', value: parts.branch ?? 'z9hG4bK1' }] } }),
    extra: parts.extra ?? [],
    ...(parts.body === undefined ? {} : { body: parts.body }),
  });
}

export const response = (req: SipRequest, status: number, toTag?: string): SipResponse => createResponse(req, status, toTag === undefined ? {} : { toTag });

const DATE = '2026-01-01T00:00:00Z';
const text = (t: string): Body => ({ kind: 'text', contentType: 'text/plain;charset=UTF-8', text: t });

/** A CPM message body (message/cpim) with its imdn.Message-ID, when given. */
export function cpim(messageId: string | undefined, content: Body = text('Hello')): Body {
  return { kind: 'cpim', contentType: 'message/cpim', cpim: buildCpim({ from: 'sip:alice@a.example', to: 'sip:bob@b.example', dateTime: DATE, ...(messageId === undefined ? {} : { messageId }), content }) };
}

/** An IMDN (RFC 5438) about `messageId`, as the CPIM body of a MESSAGE. */
export function notification(messageId: string, status: ImdnStatus, about: Partial<ImdnNotification> = {}): Body {
  return cpim(`n-${messageId}-${status.status}`, buildImdnBody({ messageId, dateTime: DATE, notification: status, ...about }));
}

/** An MSRP request (RFC 4975 7.1: a transaction id of 4 to 32 characters) along `toPath`, its URIs separated by spaces, with no body. */
export function msrpRequest(toPath = 'msrp://b.example:2855/s;tcp', method = 'SEND', fromPath = 'msrp://a.example:2855/s;tcp'): MsrpMessage {
  return { protocol: 'msrp', type: 'msrp-request', transactionId: 'tx01', method, toPath: toPath.split(' ').map(parseMsrpUri), fromPath: [parseMsrpUri(fromPath)], headers: [], continuation: '$' };
}

/** An RTP packet of 160 PCMU octets (RFC 3550 5.1) from `srcPort` to `dstPort`. */
export const rtpPacket = (dstPort: number, srcPort = 40000): RtpPacket => ({ protocol: 'rtp', type: 'rtp', srcPort, dstPort, payloadType: 0, marker: false, sequence: 7, timestamp: 160, ssrc: 0xbeef, csrc: [], payloadOctets: 160 });

/** Events in order, ids from 1, 1 ms apart unless told; a transmit arrives 0.5 ms after it is sent, before the next is sent. */
export class Trace {
  readonly events: TraceEvent[] = [];

  private next(at: Micros | undefined): { id: number; at: Micros } {
    const id = this.events.length + 1;
    return { id, at: at ?? id * 1000 };
  }

  send(from: string, to: string, payload: WirePayload, at?: Micros, arriveAt?: Micros): TraceEvent {
    const when = this.next(at);
    const e: TraceEvent = { type: 'transmit', ...when, arriveAt: arriveAt ?? when.at + 500, from, to, payload };
    this.events.push(e);
    return e;
  }

  /** A message the network could not deliver at all. */
  undeliverable(from: string, to: string, payload: WirePayload): TraceEvent {
    const e: TraceEvent = { type: 'undeliverable', ...this.next(undefined), from, to, payload, reason: 'host-down' };
    this.events.push(e);
    return e;
  }

  /** The transmit `sent` lost in flight: its host went down before it arrived. */
  lostInFlight(sent: TraceEvent): void {
    if (sent.type !== 'transmit') throw new Error('only a transmit is lost in flight');
    this.events.push({ type: 'undeliverable', id: sent.id, at: sent.arriveAt, from: sent.from, to: sent.to, payload: sent.payload, reason: 'host-down' });
  }

  note(host: string, text: string, message?: string): TraceEvent {
    const e: TraceEvent = { type: 'note', ...this.next(undefined), host, text, ...(message === undefined ? {} : { message }) };
    this.events.push(e);
    return e;
  }

  input(endUs: Micros = 10_000_000_000): MonitorInput {
    return { events: this.events, clients: CLIENTS, endUs };
  }
}
