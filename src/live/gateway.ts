import { Buffer } from 'node:buffer';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createConnection, createServer, isIP, type Server, type Socket } from 'node:net';
import { createResponse } from '../sip/builders.js';
import { SipParseError } from '../sip/errors.js';
import { readLeniently } from '../sip/lenient.js';
import type { SipMessage } from '../sip/message.js';
import { parseMessage } from '../sip/parser.js';
import { serializeMessageOctets } from '../sip/serializer.js';
import { fillRport, formatAddress, type Address, type Outlet } from './sip-edge.js';
import { StreamFramer } from './stream-framer.js';

export interface GatewayOptions {
  /** The address to bind: loopback unless the user names another one; never a wildcard. */
  host: string;
  /** 0 lets the system pick a free port (tests); UDP and TCP then share the port UDP got. */
  port: number;
  /** Packets (or stream messages) one source address may send per second before it is refused. */
  maxPacketsPerSecond: number;
  /** The largest message accepted, in octets; a longer one is answered 513 (RFC 3261 21.5.7). */
  maxMessageOctets: number;
}

/** Why the gateway refused a packet, and what it answered (none for a response or an unreadable request). */
export interface Refusal {
  source: Address;
  reason: 'malformed' | 'oversize' | 'rate-limited';
  status?: number;
  detail: string;
}

export interface GatewayEvents {
  /** A message that parsed, from a real client; its wire text is the octets it sent (rport filled). */
  message(msg: SipMessage, source: Address): void;
  refused(refusal: Refusal): void;
  /** A packet could not go out (a TCP connection refused, a socket error). */
  sendFailed(to: Address, why: string): void;
}

export interface GatewayCounts {
  received: number;
  sent: number;
  malformed: number;
  oversize: number;
  rateLimited: number;
  sendFailed: number;
}

export class GatewayError extends Error {
  override readonly name = 'GatewayError';
}

/** RFC 3261 21.5.4: an overloaded server says when to try again; one second is the limiter's window. */
const RETRY_AFTER_SECONDS = 1;
/** Sources whose rate is tracked; past this, the oldest window is forgotten (a flood of new ports cannot grow memory). */
const MAX_TRACKED_SOURCES = 4096;

/** The address a user may name for the gateway: a literal IP address that is not the wildcard. */
export function checkListenHost(host: string): void {
  if (isIP(host) === 0) throw new GatewayError(`--listen needs an IP address such as 127.0.0.1, not ${host}`);
  if (host === '0.0.0.0' || host === '::') throw new GatewayError(`--listen ${host} would take packets from every network: name one address (127.0.0.1 for this machine only)`);
}

/**
 * The sockets through which real SIP clients reach the simulated network: UDP and TCP on one
 * address and port (RFC 3261 18: a server listens on both). Each packet is bounded in size and in
 * rate per source, then parsed with the simulator's own parser; what does not parse is answered
 * 400 here (RFC 3261 8.2, 16.3), what is too long 513 (21.5.7), a source over its rate 503 with
 * Retry-After (21.5.4), so a bad client never reaches the simulated elements and never stops a run.
 */
export class Gateway implements Outlet {
  readonly counts: GatewayCounts = { received: 0, sent: 0, malformed: 0, oversize: 0, rateLimited: 0, sendFailed: 0 };
  private readonly windows = new Map<string, { second: number; packets: number }>();
  /** Open TCP connections by the remote address, accepted or opened here; reused in both directions. */
  private readonly connections = new Map<string, Socket>();
  private nextTag = 1;

  private constructor(
    private readonly options: GatewayOptions,
    private readonly events: GatewayEvents,
    private readonly udp: UdpSocket,
    private readonly tcp: Server,
    readonly port: number,
    private readonly now: () => number,
  ) {
    udp.on('message', (octets, info) => this.datagram(octets, { transport: 'udp', address: info.address, port: info.port }));
    tcp.on('connection', (socket) => this.accept(socket));
  }

  /** Binds UDP then TCP on the same port; a port in use is the user's to change (GatewayError). */
  static async open(options: GatewayOptions, events: GatewayEvents, now: () => number = Date.now): Promise<Gateway> {
    checkListenHost(options.host);
    const udp = createSocket(isIP(options.host) === 6 ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', (e) => reject(new GatewayError(`cannot listen on udp ${options.host}:${options.port}: ${(e as NodeJS.ErrnoException).code ?? e.message}`)));
      udp.bind(options.port, options.host, () => resolve());
    });
    const port = udp.address().port;
    const tcp = createServer();
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', (e) => {
        udp.close();
        reject(new GatewayError(`cannot listen on tcp ${options.host}:${port}: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
      });
      tcp.listen(port, options.host, () => resolve());
    });
    udp.on('error', () => undefined);
    return new Gateway(options, events, udp, tcp, port, now);
  }

  async close(): Promise<void> {
    for (const socket of this.connections.values()) socket.destroy();
    this.connections.clear();
    await Promise.all([new Promise<void>((resolve) => this.udp.close(() => resolve())), new Promise<void>((resolve) => this.tcp.close(() => resolve()))]);
  }

  send(to: Address, octets: Buffer, why: string): void {
    this.counts.sent++;
    if (to.transport === 'udp') {
      this.udp.send(octets, to.port, to.address, (e) => {
        if (e) this.failed(to, `${why}: ${e.message}`);
      });
      return;
    }
    const key = formatAddress(to);
    const open = this.connections.get(key);
    if (open !== undefined && !open.destroyed) {
      open.write(octets);
      return;
    }
    // RFC 3261 18.1.1: without a connection to the target, the client side opens one.
    const socket = createConnection({ host: to.address, port: to.port });
    socket.once('error', (e) => this.failed(to, `${why}: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    socket.once('connect', () => socket.write(octets));
    this.track(socket, to);
  }

  private failed(to: Address, why: string): void {
    this.counts.sendFailed++;
    this.events.sendFailed(to, why);
  }

  private accept(socket: Socket): void {
    const source: Address = { transport: 'tcp', address: socket.remoteAddress ?? '?', port: socket.remotePort ?? 0 };
    socket.on('error', () => undefined);
    this.track(socket, source);
  }

  private track(socket: Socket, remote: Address): void {
    const key = formatAddress(remote);
    this.connections.set(key, socket);
    const framer = new StreamFramer(this.options.maxMessageOctets);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of framer.push(chunk)) {
        if (frame.kind === 'message') this.packet(frame.octets, remote, socket);
        else {
          // The octets after a message that cannot be framed have no known start: the connection is lost (18.3).
          const reason = frame.kind === 'oversize' ? 'oversize' : 'malformed';
          const detail = frame.kind === 'oversize' ? `${frame.octets} octets, more than ${this.options.maxMessageOctets}` : frame.reason;
          this.refuse(reason, frame.kind === 'oversize' ? 513 : 400, Buffer.from(frame.head, 'latin1'), remote, detail, socket);
          socket.end();
        }
      }
    });
    socket.on('close', () => {
      if (this.connections.get(key) === socket) this.connections.delete(key);
    });
  }

  private datagram(octets: Buffer, source: Address): void {
    if (octets.length > this.options.maxMessageOctets) {
      this.refuse('oversize', 513, octets, source, `${octets.length} octets, more than ${this.options.maxMessageOctets}`);
      return;
    }
    // RFC 5626 4.4.1: a bare CRLF (or a double one) is a keep-alive, not a message.
    if (/^(?:\r\n)+$/.test(octets.toString('latin1'))) return;
    this.packet(octets, source);
  }

  private packet(octets: Buffer, source: Address, connection?: Socket): void {
    this.counts.received++;
    const over = this.overRate(source);
    if (over > 0) {
      // A flood is answered and reported once a second: the rest is counted and dropped, so the
      // flood grows neither the trace nor the traffic back (RFC 3261 21.5.4: 503 tells it to wait).
      if (over === 1) this.refuse('rate-limited', 503, octets, source, `more than ${this.options.maxPacketsPerSecond} packets in a second`, connection);
      else this.counts.rateLimited++;
      return;
    }
    let msg: SipMessage;
    try {
      // A proxy's view: the bodies travel as they are, the elements that read them decode them.
      msg = parseMessage(octets, 'opaque');
    } catch (e) {
      if (!(e instanceof SipParseError)) throw e;
      this.refuse('malformed', 400, octets, source, e.message, connection);
      return;
    }
    const text = fillRport(octets.toString('utf8'), source.port);
    this.events.message({ ...msg, wire: text }, source);
  }

  /** How far over its rate a source is with this packet in the current second: 0 within it, 1 for the first packet over. */
  private overRate(source: Address): number {
    const key = formatAddress(source);
    const second = Math.floor(this.now() / 1000);
    const window = this.windows.get(key);
    if (window === undefined || window.second !== second) {
      this.windows.delete(key);
      if (this.windows.size >= MAX_TRACKED_SOURCES) this.windows.delete(this.windows.keys().next().value!);
      this.windows.set(key, { second, packets: 1 });
      return this.options.maxPacketsPerSecond >= 1 ? 0 : 1;
    }
    window.packets++;
    return Math.max(0, window.packets - this.options.maxPacketsPerSecond);
  }

  /**
   * Answers a refused request along the way it came (a response, or a request without the headers
   * a response copies, is only counted: there is nothing to answer it along).
   */
  private refuse(reason: Refusal['reason'], status: number, octets: Buffer, source: Address, detail: string, connection?: Socket): void {
    this.counts[reason === 'rate-limited' ? 'rateLimited' : reason]++;
    const answer = this.answer(status, octets.toString('utf8', 0, Math.min(octets.length, this.options.maxMessageOctets)), detail);
    if (answer !== undefined) {
      this.counts.sent++;
      if (connection !== undefined) connection.write(answer);
      else this.udp.send(answer, source.port, source.address);
    }
    this.events.refused({ source, reason, detail, ...(answer !== undefined && { status }) });
  }

  private answer(status: number, text: string, detail: string): Buffer | undefined {
    const req = readLeniently(text);
    const has = (name: string) => req.headers.some((h) => h.name === name);
    if (req.type !== 'request' || !['Via', 'From', 'To', 'Call-ID', 'CSeq'].every(has)) return undefined;
    // RFC 3261 20.43: what was wrong goes in a 399 warning; the reason phrase stays the standard one.
    const extra = [{ name: 'Warning', value: `399 cpmsim-live "${detail.replace(/["\\]/g, "'")}"` }];
    if (status === 503) extra.push({ name: 'Retry-After', value: String(RETRY_AFTER_SECONDS) });
    return serializeMessageOctets(createResponse(req, status, { toTag: `gw${this.nextTag++}`, extra }));
  }
}
