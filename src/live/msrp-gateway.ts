import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { serializeMsrp, parseMsrp } from '../msrp/codec.js';
import { MsrpParseError } from '../msrp/errors.js';
import type { MsrpMessage, MsrpRequest } from '../msrp/message.js';
import { formatMsrpUri, parseMsrpUri, type MsrpUri } from '../msrp/uri.js';
import { GatewayError, type Refusal } from './gateway.js';
import { MsrpFramer } from './msrp-framer.js';
import { formatAddress, type Address } from './sip-edge.js';

export interface MsrpGatewayOptions {
  host: string;
  /** 0: a port the system picks. */
  port: number;
  /** MSRP messages (chunks) one connection may send per second; past it the gateway stops reading it until the next second. */
  maxPacketsPerSecond: number;
  /** The largest chunk accepted, in octets; a longer one is answered 413 and the connection closed. */
  maxMessageOctets: number;
}

export interface MsrpGatewayEvents {
  /** A message that parsed, from a real client, its paths as the client wrote them. */
  message(msg: MsrpMessage, source: Address): void;
  refused(refusal: Refusal): void;
  /** What the gateway did on its own: a connection opened, bound, throttled. */
  note(host: string, text: string): void;
  sendFailed(to: Address, why: string): void;
}

export interface MsrpCounts {
  received: number;
  sent: number;
  malformed: number;
  oversize: number;
  /** Times a connection was paused for sending over the rate (its messages are read later, not dropped). */
  throttled: number;
  sendFailed: number;
}

/** Messages held for a client that is to connect (it is the active end) but has not yet; per session, and sessions held. */
const MAX_HELD = 64;
const MAX_HELD_SESSIONS = 256;

/** One connection of a real client: its address, its framer, and the chunks read but not yet taken over the rate. */
interface Connection {
  socket: Socket;
  remote: Address;
  framer: MsrpFramer;
  backlog: string[];
  second: number;
  taken: number;
  paused: boolean;
}

/**
 * The TCP side of the real clients' message streams (RFC 4975 6): a listener on the gateway's
 * address for clients that connect (the active end, RFC 4975 5.4), and connections the gateway
 * opens to clients that wait (passive). Each connection is bound to the client's MSRP URI by the
 * From-Path of the first request on it, or, for a connection the gateway opened, by the URI it
 * connected to. Chunks are framed, bounded in size and rate, and parsed with the project's codec:
 * what does not parse is answered 400 (RFC 4975 7.2), a chunk over the bound 413 (10.5).
 */
export class MsrpGateway {
  readonly counts: MsrpCounts = { received: 0, sent: 0, malformed: 0, oversize: 0, throttled: 0, sendFailed: 0 };
  /** Connections by the client MSRP URI they are bound to. */
  private readonly bound = new Map<string, Connection>();
  private readonly open = new Set<Connection>();
  /** Messages for a client URI whose connection has not come yet. */
  private readonly held = new Map<string, string[]>();
  /** Transaction ids of the binding SENDs the gateway sent itself: their responses end here. */
  private readonly own = new Set<string>();

  private constructor(
    private readonly options: MsrpGatewayOptions,
    private readonly events: MsrpGatewayEvents,
    private readonly server: Server,
    readonly port: number,
    private readonly now: () => number,
  ) {
    server.on('connection', (socket) => this.track(socket, { transport: 'tcp', address: socket.remoteAddress ?? '?', port: socket.remotePort ?? 0 }));
  }

  static async open(options: MsrpGatewayOptions, events: MsrpGatewayEvents, now: () => number = Date.now): Promise<MsrpGateway> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) => reject(new GatewayError(`cannot listen for MSRP on tcp ${options.host}:${options.port}: ${(e as NodeJS.ErrnoException).code ?? e.message}`)));
      server.listen(options.port, options.host, () => resolve());
    });
    const address = server.address();
    return new MsrpGateway(options, events, server, typeof address === 'object' && address !== null ? address.port : options.port, now);
  }

  get host(): string {
    return this.options.host;
  }

  async close(): Promise<void> {
    for (const c of this.open) c.socket.destroy();
    this.open.clear();
    this.bound.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Sends a message to the client at `to` (its URI, the first of the To-Path), on its connection or once it connects. */
  send(to: MsrpUri, msg: MsrpMessage): void {
    const key = formatMsrpUri(to);
    const text = serializeMsrp(msg);
    const connection = this.bound.get(key);
    if (connection !== undefined && !connection.socket.destroyed) {
      this.counts.sent++;
      connection.socket.write(text);
      return;
    }
    let queue = this.held.get(key);
    if (queue === undefined) {
      if (this.held.size >= MAX_HELD_SESSIONS) this.held.delete(this.held.keys().next().value!);
      queue = [];
      this.held.set(key, queue);
    }
    if (queue.length >= MAX_HELD) return this.failed(uriAddress(to), `more than ${MAX_HELD} MSRP messages wait for ${key} to connect`);
    queue.push(text);
  }

  /**
   * RFC 4975 5.4: the active end opens the connection, and the first thing it sends binds it to
   * the session (7.1.1: a SEND, empty when there is nothing to say). The gateway is the active end
   * towards a client that answered a simulated offer: it connects to the client's URI and binds.
   */
  connect(to: MsrpUri, from: MsrpUri[]): void {
    const key = formatMsrpUri(to);
    if (this.bound.has(key)) return;
    const remote = uriAddress(to);
    const socket = createConnection({ host: to.host, port: to.port ?? MSRP_PORT });
    socket.once('error', (e) => this.failed(remote, `MSRP connection: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    const connection = this.track(socket, remote);
    this.bind(key, connection);
    // RFC 4975 7.1: a transaction id carries at least 64 bits of randomness.
    const id = randomBytes(8).toString('hex');
    const bindSend: MsrpRequest = { protocol: 'msrp', type: 'msrp-request', transactionId: id, method: 'SEND', toPath: [to], fromPath: from, headers: [{ name: 'Message-ID', value: id }, { name: 'Byte-Range', value: '1-0/0' }], continuation: '$' };
    this.own.add(bindSend.transactionId);
    this.counts.sent++;
    socket.write(serializeMsrp(bindSend));
    socket.once('connect', () => this.events.note(this.options.host, `opened an MSRP connection to ${formatAddress(remote)} for ${key} and bound it with an empty SEND (RFC 4975 5.4)`));
  }

  private bind(key: string, connection: Connection): void {
    this.bound.set(key, connection);
    const queue = this.held.get(key);
    this.held.delete(key);
    for (const text of queue ?? []) {
      this.counts.sent++;
      connection.socket.write(text);
    }
  }

  private failed(to: Address, why: string): void {
    this.counts.sendFailed++;
    this.events.sendFailed(to, why);
  }

  private track(socket: Socket, remote: Address): Connection {
    const connection: Connection = { socket, remote, framer: new MsrpFramer(this.options.maxMessageOctets), backlog: [], second: -1, taken: 0, paused: false };
    this.open.add(connection);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of connection.framer.push(chunk)) {
        if (frame.kind === 'message') connection.backlog.push(frame.text);
        else {
          // The octets after a chunk that cannot be framed have no known start: the connection is lost.
          const oversize = frame.kind === 'oversize';
          const detail = oversize ? `${frame.octets} octets, more than ${this.options.maxMessageOctets}` : frame.reason;
          this.refuse(oversize ? 'oversize' : 'malformed', oversize ? 413 : 400, frame.head, connection, detail);
          socket.end();
        }
      }
      this.drain(connection);
    });
    socket.on('close', () => {
      this.open.delete(connection);
      for (const [key, c] of this.bound) if (c === connection) this.bound.delete(key);
    });
    return connection;
  }

  /** Takes the chunks read so far, up to the rate; over it, stops reading the connection until the next second (TCP holds the rest). */
  private drain(connection: Connection): void {
    if (connection.paused && connection.backlog.length > 0 && connection.taken >= this.options.maxPacketsPerSecond && Math.floor(this.now() / 1000) === connection.second) return;
    while (connection.backlog.length > 0) {
      const second = Math.floor(this.now() / 1000);
      if (second !== connection.second) {
        connection.second = second;
        connection.taken = 0;
      }
      if (connection.taken >= this.options.maxPacketsPerSecond) {
        if (!connection.paused) {
          connection.paused = true;
          connection.socket.pause();
          this.counts.throttled++;
          this.events.note(connection.remote.address, `throttled MSRP from ${formatAddress(connection.remote)}: more than ${this.options.maxPacketsPerSecond} messages in a second`);
        }
        setTimeout(() => this.drain(connection), 1000 - (this.now() % 1000)).unref();
        return;
      }
      connection.taken++;
      this.chunk(connection.backlog.shift()!, connection);
    }
    if (connection.paused) {
      connection.paused = false;
      connection.socket.resume();
    }
  }

  private chunk(text: string, connection: Connection): void {
    this.counts.received++;
    let msg: MsrpMessage;
    try {
      msg = parseMsrp(text);
    } catch (e) {
      if (!(e instanceof MsrpParseError)) throw e;
      this.refuse('malformed', 400, text, connection, e.message);
      return;
    }
    if (msg.type === 'msrp-response' && this.own.delete(msg.transactionId)) return;
    if (msg.type === 'msrp-request') {
      const key = formatMsrpUri(msg.fromPath[0]!);
      if (this.bound.get(key) !== connection) {
        this.bind(key, connection);
        this.events.note(connection.remote.address, `MSRP connection from ${formatAddress(connection.remote)} bound to ${key} (RFC 4975 5.4)`);
      }
      // RFC 4975 7.1.1: an empty SEND only binds the connection; the gateway, its end, answers it.
      if (msg.method === 'SEND' && msg.body === undefined) {
        this.counts.sent++;
        connection.socket.write(serializeMsrp({ protocol: 'msrp', type: 'msrp-response', transactionId: msg.transactionId, status: 200, comment: 'OK', toPath: msg.fromPath.slice(0, 1), fromPath: msg.toPath.slice(0, 1), headers: [] }));
        return;
      }
    }
    this.events.message(msg, connection.remote);
  }

  /**
   * RFC 4975 7.2: a request is answered along its hop (To-Path the first From-Path URI, From-Path
   * the first To-Path URI); a response, or a request whose paths cannot be read, is only counted.
   */
  private refuse(reason: 'malformed' | 'oversize', status: number, text: string, connection: Connection, detail: string): void {
    this.counts[reason]++;
    const answer = errorResponse(text, status);
    if (answer !== undefined) {
      this.counts.sent++;
      connection.socket.write(answer);
    }
    this.events.refused({ source: connection.remote, reason, detail, ...(answer !== undefined && { status }) });
  }
}

/** RFC 4975 6.2: msrp URIs without a port mean 2855. */
const MSRP_PORT = 2855;

function uriAddress(uri: MsrpUri): Address {
  return { transport: 'tcp', address: uri.host, port: uri.port ?? MSRP_PORT };
}

const PHRASES: Record<number, string> = { 400: 'Bad Request', 413: 'Message Too Large' };

/** The error response to what a client sent, read leniently: its transaction id and the first URI of each path. */
export function errorResponse(text: string, status: number): string | undefined {
  const start = /^MSRP ([A-Za-z0-9][A-Za-z0-9.\-+%=]{3,31}) ([A-Z]+)\r\n/.exec(text);
  if (start === null) return undefined;
  const first = (name: string): MsrpUri | undefined => {
    const value = new RegExp(`^${name}:[ \\t]*(\\S+)`, 'im').exec(text)?.[1];
    try {
      return value === undefined ? undefined : parseMsrpUri(value);
    } catch (e) {
      if (e instanceof MsrpParseError) return undefined;
      throw e;
    }
  };
  const to = first('To-Path');
  const from = first('From-Path');
  if (to === undefined || from === undefined) return undefined;
  return serializeMsrp({ protocol: 'msrp', type: 'msrp-response', transactionId: start[1]!, status, comment: PHRASES[status]!, toPath: [from], fromPath: [to], headers: [] });
}
