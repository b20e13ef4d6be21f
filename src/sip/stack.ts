import type { Simulator } from '../kernel/simulator.js';
import type { RandomStream } from '../kernel/random.js';
import { createResponse, methodOf } from './builders.js';
import { formatVia, parseVia } from './header-values.js';
import { SipParseError } from './errors.js';
import { decodeReceivedBody, parseMessage, type BodyReading } from './parser.js';
import { popVia, previousHop, topVia } from './routing.js';
import { pushHeader, type SipMessage, type SipRequest, type SipResponse } from './message.js';
import { ClientTransaction, type ClientTransport } from './transactions/client-transaction.js';
import { ServerTransaction, type ServerTransport } from './transactions/server-transaction.js';
import { getParam } from './uri.js';

/** What the stack needs of the network: it sends SIP, whatever else the network carries. */
export interface SipTransport {
  send(fromHost: string, toHost: string, msg: SipMessage): void;
  has(host: string): boolean;
  note(host: string, text: string): void;
}

export type RequestHandler = (req: SipRequest, tx: ServerTransaction) => void;

/** RFC 3261 8.1.1.7: branches start with the magic cookie so they are known to be unique. */
const MAGIC_COOKIE = 'z9hG4bK';

/**
 * The transport and transaction layers of one SIP element: matches requests to server
 * transactions and responses to client transactions, and routes responses along the Via path.
 */
export class SipStack implements ClientTransport, ServerTransport {
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly servers = new Map<string, ServerTransaction>();

  constructor(
    readonly host: string,
    private readonly sim: Simulator,
    private readonly net: SipTransport,
    private readonly rng: RandomStream,
    private readonly onRequest: RequestHandler,
    private readonly bodies: BodyReading = 'decode',
  ) {}

  newBranch(): string {
    return MAGIC_COOKIE + this.rng.hex(12);
  }

  newTag(): string {
    return this.rng.hex(8);
  }

  newCallId(): string {
    return `${this.rng.hex(16)}@${this.host}`;
  }

  /** Starts a client transaction: pushes our Via and sends `req` to `nextHop`. */
  request(req: SipRequest, nextHop: string, onResponse: (res: SipResponse) => void): void {
    const branch = this.newBranch();
    pushHeader(req, 'Via', formatVia({ protocol: 'SIP/2.0', transport: 'UDP', host: this.host, params: [{ name: 'branch', value: branch }] }));
    this.start(req, branch, nextHop, onResponse);
  }

  /**
   * Sends a request exactly as it is, Via included (an injected malformed one whose bytes must not
   * change), still as a client transaction so its answer is matched and retransmissions happen.
   */
  requestAsIs(req: SipRequest, nextHop: string, onResponse: (res: SipResponse) => void): void {
    const via = topVia(req);
    const branch = via === undefined ? undefined : getParam(via.params, 'branch');
    if (typeof branch !== 'string') throw new Error('an injected request needs a Via with a branch to be answered');
    this.start(req, branch, nextHop, onResponse);
  }

  private start(req: SipRequest, branch: string, nextHop: string, onResponse: (res: SipResponse) => void): void {
    const key = `${branch}|${req.method}`;
    const tx = new ClientTransaction(key, req, nextHop, this, onResponse);
    this.clients.set(key, tx);
    if (!this.net.has(nextHop)) {
      // RFC 3263 resolution failed: no element answers for that host.
      this.net.note(this.host, `cannot resolve ${nextHop}`);
      this.sim.schedule(0, () => tx.transportFailed());
      return;
    }
    tx.start();
  }

  receive(msg: SipMessage, fromHost: string): void {
    let parsed = msg;
    try {
      // Injected bytes are read as a real element would read them; a body that a proxy passed on
      // unread is read by the first element that reads bodies. What does not parse is refused.
      if (msg.wire !== undefined) parsed = parseMessage(msg.wire, this.bodies);
      else if (this.bodies === 'decode' && msg.body?.kind === 'text') parsed = { ...msg, body: decodeReceivedBody(msg.body) };
    } catch (e) {
      if (!(e instanceof SipParseError)) throw e;
      return this.rejectMalformed(msg, e);
    }
    if (parsed.type === 'request') this.receiveRequest(parsed, fromHost);
    else this.receiveResponse(parsed);
  }

  /** RFC 3261 16.3 and 8.2: a malformed request is answered 400 when there is a Via to answer along. */
  private rejectMalformed(msg: SipMessage, error: SipParseError): void {
    if (msg.type === 'response' || topVia(msg) === undefined) {
      this.net.note(this.host, `discarded a malformed message: ${error.message}`);
      return;
    }
    this.net.note(this.host, `rejected malformed ${msg.method}`);
    // RFC 3261 20.43: the details go in a 399 warning, the reason phrase stays standard.
    const warning = { name: 'Warning', value: `399 ${this.host} "${error.message.replace(/["\\]/g, "'")}"` };
    this.sendResponse(createResponse(msg, 400, { toTag: this.newTag(), extra: [warning] }));
  }

  // ClientTransport / ServerTransport

  sendRequest(req: SipRequest, nextHop: string): void {
    this.net.send(this.host, nextHop, req);
  }

  sendResponse(res: SipResponse): void {
    const hop = previousHop(res);
    if (hop === undefined) throw new Error('response without Via');
    this.net.send(this.host, hop, res);
  }

  schedule(delay: number, action: () => void): ReturnType<Simulator['schedule']> {
    return this.sim.schedule(delay, action);
  }

  forget(key: string): void {
    this.clients.delete(key);
    this.servers.delete(key);
  }

  synthesize(req: SipRequest, status: number): SipResponse {
    const res = createResponse(req, status);
    popVia(res);
    return res;
  }

  private receiveRequest(req: SipRequest, fromHost: string): void {
    const via = topVia(req);
    const branch = via === undefined ? undefined : getParam(via.params, 'branch');
    if (via === undefined || typeof branch !== 'string') {
      this.net.note(this.host, `dropped a request from ${fromHost} without a Via branch`);
      return;
    }
    // RFC 3261 18.2.1: record where the request really came from when sent-by says otherwise.
    if (via.host !== fromHost) {
      const first = req.headers.find((h) => h.name === 'Via');
      if (first !== undefined) {
        const vias = parseVia(first.value);
        vias[0] = { ...via, params: [...via.params, { name: 'received', value: fromHost }] };
        first.value = vias.map(formatVia).join(', ');
      }
    }
    const key = `${branch}|${via.host}|${req.method}`;
    const existing = this.servers.get(key);
    if (existing !== undefined) {
      existing.retransmitted();
      return;
    }
    const tx = new ServerTransaction(key, req, this);
    this.servers.set(key, tx);
    this.onRequest(req, tx);
  }

  private receiveResponse(res: SipResponse): void {
    const via = topVia(res);
    const branch = via === undefined ? undefined : getParam(via.params, 'branch');
    const tx = typeof branch === 'string' ? this.clients.get(`${branch}|${methodOf(res)}`) : undefined;
    if (tx === undefined) {
      // RFC 3261 18.1.2: a response matching no transaction is discarded; say so in the trace.
      this.net.note(this.host, `discarded stray ${res.status} response`);
      return;
    }
    popVia(res);
    tx.receive(res);
  }
}
