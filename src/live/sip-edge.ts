import type { Buffer } from 'node:buffer';
import type { NetNode } from '../net/node.js';
import type { NetAccess } from '../net/port.js';
import { serializeMessageOctets } from '../sip/serializer.js';
import type { SipMessage } from '../sip/message.js';
import { cloneMessage, pushHeader } from '../sip/message.js';
import { popRoute, popVia, topBranch, topRoute, topVia } from '../sip/routing.js';
import { getParam, isSipUri } from '../sip/uri.js';
import { isSip, protocolOf, type WirePayload } from '../wire/payload.js';
import type { MsrpMessage } from '../msrp/message.js';
import type { MediaPacket } from '../rtp/packet.js';
import type { MediaAlg } from './media-alg.js';

export type Transport = 'udp' | 'tcp';

/** A real endpoint: where a packet came from, or where one goes. */
export interface Address {
  transport: Transport;
  address: string;
  port: number;
}

export function formatAddress(a: Address): string {
  return `${a.address}:${a.port}`;
}

/** What the edge needs of the sockets: sending octets to a real address (the gateway). */
export interface Outlet {
  send(to: Address, octets: Buffer, why: string): void;
}

/** Branches of the gateway's Via: the magic cookie (RFC 3261 8.1.1.7), then a mark of its own. */
const GATEWAY_BRANCH_PREFIX = 'z9hG4bK-gw-';
/** RFC 3261 19.1.2: the default SIP port. */
const SIP_PORT = 5060;
/** Requests whose responses have not come yet, remembered for their transport: plenty for loopback clients. */
const MAX_OPEN_REQUESTS = 4096;

/**
 * The node of the simulated network that stands for a real host (one IP address) and the SIP
 * clients on it. What they send enters the network from this host, so the core identifies them by
 * where they are, as it does any device (RFC 3261 18.2.1); what the network sends here leaves as
 * octets for the real address: a response along its top Via (RFC 3261 18.2.2, RFC 3581 4), a
 * request to the host and port of its Request-URI, the contact the client registered (RFC 3263 4.2
 * with a numeric host).
 */
export class SipEdge implements NetNode<WirePayload> {
  /** Top Via branch of each request from a real client over TCP: its response goes back on that connection (18.2.2). */
  private readonly connections = new Map<string, Address>();

  constructor(
    readonly host: string,
    readonly domain: string,
    private readonly net: NetAccess<WirePayload>,
    private readonly outlet: Outlet,
    /** Where the real clients' requests go first: the SIP/IP Core serving them. */
    private readonly firstHop: string,
    /** The gateway's own address, which real clients use as their outbound proxy. */
    private readonly gateway: { host: string; port: number },
    /** The media of the real clients' sessions (MSRP, RTP); without it, media is noted and not sent. */
    private readonly msrp?: MediaAlg,
  ) {
    net.attach(this);
  }

  /** An MSRP message of a real client on this host: it enters the network towards the first URI of its To-Path (RFC 4975 7.1). */
  fromClientMedia(msg: MsrpMessage, source: Address): void {
    if (this.msrp === undefined) return this.net.note(this.host, `could not send to ${this.host}: MSRP from ${formatAddress(source)}, with no media gateway`);
    const way = this.msrp.fromClient(msg);
    if ('drop' in way) return this.net.note(this.host, `discarded ${way.drop}`);
    if ('answer' in way) return this.msrp.toClient(way.answer);
    const next = way.carry.toPath[0];
    if (next === undefined) return this.net.note(this.host, `discarded an MSRP message from ${formatAddress(source)} with an empty To-Path`);
    this.net.send(this.host, next.host, way.carry);
  }

  /** RTP or RTCP of a real client on this host, for the simulated end `toHost` (RFC 3550). */
  fromClientRtp(packet: MediaPacket, toHost: string): void {
    this.net.send(this.host, toHost, packet);
  }

  /** A message of a real client, parsed, with the octets it sent as its wire text. */
  fromClient(parsed: SipMessage, source: Address): void {
    const msg = this.unwrap(parsed);
    if (msg === undefined) {
      this.net.note(this.host, `could not send to ${this.host}: a response from ${formatAddress(source)} whose top Via is not the gateway's`);
      return;
    }
    const branch = topBranch(msg);
    if (msg.type === 'request' && source.transport === 'tcp' && branch !== undefined) {
      if (this.connections.size >= MAX_OPEN_REQUESTS) this.connections.delete(this.connections.keys().next().value!);
      this.connections.set(branch, source);
    }
    this.msrp?.incoming(msg, source.address);
    this.net.send(this.host, this.firstHop, msg);
  }

  receive(payload: WirePayload, fromHost: string): void {
    if (!isSip(payload) && payload.protocol === 'msrp' && this.msrp !== undefined) return this.msrp.toClient(payload);
    if (!isSip(payload) && payload.protocol === 'rtp' && this.msrp !== undefined) return this.msrp.rtpToClient(payload, fromHost, this.host);
    if (!isSip(payload)) {
      this.net.note(this.host, `could not send to ${this.host}: cpmsim live carries SIP, MSRP and RTP, not ${protocolOf(payload)} from ${fromHost}`);
      return;
    }
    const to = payload.type === 'response' ? this.responseTarget(payload) : this.requestTarget(payload);
    if (typeof to === 'string') {
      this.net.note(this.host, `could not send to ${this.host}: ${to}`);
      return;
    }
    const media = this.msrp === undefined ? payload : this.msrp.outgoing(payload);
    const out = media.type === 'request' ? this.wrap(media, to) : media;
    this.outlet.send(to, serializeMessageOctets(out), payload.type === 'response' ? `${payload.status}` : payload.method);
  }

  /**
   * RFC 3261 16.11: the gateway forwards a request to a real client as a stateless proxy, with a
   * Via of its own on top (its branch derived from the one below), so the client answers to an
   * address it can reach rather than to a simulated host name it cannot resolve.
   */
  private wrap(req: SipMessage, to: Address): SipMessage {
    const out = cloneMessage(req);
    const below = topBranch(req) ?? '';
    pushHeader(out, 'Via', `SIP/2.0/${to.transport.toUpperCase()} ${this.gatewayHostPort()};branch=${GATEWAY_BRANCH_PREFIX}${below.replace(/^z9hG4bK/, '')};rport`);
    return out;
  }

  /**
   * What the gateway takes off a real client's message before it enters the network: from a
   * response, the gateway's own Via (16.11, 16.7 step 3), and from a request, a first Route that
   * names the gateway, the client's outbound proxy (16.4). The rest is the client's octets.
   */
  private unwrap(msg: SipMessage): SipMessage | undefined {
    if (msg.type === 'response') {
      const via = topVia(msg);
      if (via === undefined || !topBranch(msg)?.startsWith(GATEWAY_BRANCH_PREFIX)) return undefined;
      popVia(msg);
      return { ...msg, ...(msg.wire !== undefined && { wire: dropFirstValue(msg.wire, 'via|v') }) };
    }
    const route = topRoute(msg);
    if (route === undefined || !isSipUri(route) || route.host !== this.gateway.host || (route.port ?? SIP_PORT) !== this.gateway.port) return msg;
    popRoute(msg);
    return { ...msg, ...(msg.wire !== undefined && { wire: dropFirstValue(msg.wire, 'route') }) };
  }

  private gatewayHostPort(): string {
    return `${this.gateway.host.includes(':') ? `[${this.gateway.host}]` : this.gateway.host}:${this.gateway.port}`;
  }

  private responseTarget(res: SipMessage): Address | string {
    const via = topVia(res);
    if (via === undefined) return 'a response without Via';
    const branch = topBranch(res);
    const transport = via.transport.toLowerCase();
    if (transport === 'tcp') {
      const connection = branch === undefined ? undefined : this.connections.get(branch);
      if (connection !== undefined) {
        if (res.type === 'response' && res.status >= 200) this.connections.delete(branch!);
        return connection;
      }
    } else if (transport !== 'udp') return `Via transport ${via.transport} is not served by cpmsim live`;
    const received = getParam(via.params, 'received');
    const rport = getParam(via.params, 'rport');
    const port = typeof rport === 'string' && /^\d+$/.test(rport) ? Number(rport) : (via.port ?? SIP_PORT);
    return { transport: transport as Transport, address: typeof received === 'string' ? received : via.host, port };
  }

  private requestTarget(req: SipMessage): Address | string {
    if (req.type !== 'request' || !isSipUri(req.uri)) return 'a request whose Request-URI is not a SIP URI';
    const transport = getParam(req.uri.params, 'transport');
    const named = typeof transport === 'string' ? transport.toLowerCase() : 'udp';
    if (named !== 'udp' && named !== 'tcp') return `transport=${named} is not served by cpmsim live`;
    return { transport: named, address: req.uri.host, port: req.uri.port ?? SIP_PORT };
  }
}

/**
 * RFC 3581 4: a server fills in the `rport` a client left empty with the source port, so the
 * response finds a client behind a NAT; done here on the octets, as the network knows no ports.
 * Only the top Via's value is touched; anything else in the message is kept as the client wrote it.
 */
export function fillRport(text: string, port: number): string {
  const head = text.search(/\r?\n\r?\n/);
  const headText = head < 0 ? text : text.slice(0, head);
  const line = /^(?:via|v)[ \t]*:/im.exec(headText);
  if (line === null) return text;
  const start = line.index + line[0].length;
  const lineEnd = headText.indexOf('\n', start);
  const end = lineEnd < 0 ? headText.length : lineEnd;
  const value = headText.slice(start, end);
  const firstComma = value.indexOf(',');
  const first = firstComma < 0 ? value : value.slice(0, firstComma);
  const filled = first.replace(/;[ \t]*rport(?=[ \t]*(?:;|\r|$))/i, `;rport=${port}`);
  if (filled === first) return text;
  return text.slice(0, start) + filled + value.slice(first.length) + text.slice(end);
}

/**
 * The message text without the first value of the first header line of a name (`via|v`, `route`):
 * the whole line when it holds one value, else that value and its comma.
 */
export function dropFirstValue(text: string, names: string): string {
  const head = text.search(/\r?\n\r?\n/);
  const headText = head < 0 ? text : text.slice(0, head);
  const line = new RegExp(`^(?:${names})[ \\t]*:[ \\t]*`, 'im').exec(headText);
  if (line === null) return text;
  const start = line.index;
  const valueStart = start + line[0].length;
  const lineEnd = headText.indexOf('\n', valueStart);
  const end = lineEnd < 0 ? headText.length : lineEnd + 1;
  const value = headText.slice(valueStart, end);
  const comma = value.search(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  // The last header line has no line end of its own in the head: take the one before it instead.
  if (comma < 0) return lineEnd < 0 ? text.slice(0, text.lastIndexOf('\n', start - 1) - (text[text.lastIndexOf('\n', start - 1) - 1] === '\r' ? 1 : 0)) + text.slice(end) : text.slice(0, start) + text.slice(end);
  return text.slice(0, valueStart) + value.slice(comma + 1).replace(/^[ \t]+/, '') + text.slice(end);
}
