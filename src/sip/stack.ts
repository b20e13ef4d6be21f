import type { Alarm, Simulator } from '../kernel/simulator.js';
import type { RandomStream } from '../kernel/random.js';
import { flat } from '../kernel/intern.js';
import { createCancel, createResponse, methodOf } from './builders.js';
import type { Via } from './header-values.js';
import { viaLine, viasOf } from './parsed-lines.js';
import { SipParseError } from './errors.js';
import { decodeReceivedBody, parseMessage, type BodyReading } from './parser.js';
import { popVia, previousHop, readableTopVia, topBranch, topVia } from './routing.js';
import { header, pushLine, replaceAt, type Header, type SipMessage, type SipRequest, type SipResponse } from './message.js';
import { tagOf } from './name-addr.js';
import { ClientTransaction, type ClientTransport } from './transactions/client-transaction.js';
import { InviteClientTransaction } from './transactions/invite-client-transaction.js';
import { InviteServerTransaction } from './transactions/invite-server-transaction.js';
import { LingeringClient, LingeringServer, type LingeringOwner } from './transactions/lingering.js';
import { ServerTransaction, type ServerTransport } from './transactions/server-transaction.js';
import { getParam } from './uri.js';

/** What the stack needs of the network: it sends SIP, whatever else the network carries. */
export interface SipTransport {
  send(fromHost: string, toHost: string, msg: SipMessage): void;
  has(host: string): boolean;
  note(host: string, text: string): void;
}

/**
 * The element above the stack, RFC 3261's transaction user (TU): the stack hands it new requests and
 * the ACKs of 2xx responses. An object rather than two callbacks, since every device has a stack:
 * two closures and their context took about 200 bytes a device.
 */
export interface TransactionUser {
  /** A new request; an INVITE arrives with an InviteServerTransaction (a ServerTransaction): narrow with instanceof. */
  handleRequest(req: SipRequest, tx: ServerTransaction): void;
  /** An ACK for a 2xx: it belongs to no transaction (17.2.3) and goes up as it is. A TU without this method has it noted and discarded. */
  handleAck?(ack: SipRequest, fromHost: string): void;
}

/** RFC 3261 8.1.1.7: branches start with the magic cookie so they are known to be unique. */
const MAGIC_COOKIE = 'z9hG4bK';

/**
 * The transport and transaction layers of one SIP element: matches requests to server
 * transactions and responses to client transactions, and routes responses along the Via path.
 */
export class SipStack implements ClientTransport, ServerTransport, LingeringOwner {
  // Made at the first transaction and dropped once the last one has ended: an idle element (most
  // devices of a population, most of the time) holds no tables, which took 370 bytes a device.
  private clients: Map<string, ClientTransaction | InviteClientTransaction | LingeringClient> | undefined;
  private servers: Map<string, ServerTransaction | LingeringServer> | undefined;

  constructor(
    readonly host: string,
    private readonly sim: Simulator,
    private readonly net: SipTransport,
    private readonly rng: RandomStream,
    private readonly tu: TransactionUser,
    private readonly bodies: BodyReading = 'decode',
  ) {}

  newBranch(): string {
    return this.rng.hex(12, MAGIC_COOKIE);
  }

  newTag(): string {
    return this.rng.hex(8);
  }

  newCallId(): string {
    return `${this.rng.hex(16)}@${this.host}`;
  }

  /**
   * Starts a client transaction: pushes our Via and sends `req` to `nextHop`. An INVITE gets an
   * INVITE client transaction (17.1.1), anything else a non-INVITE one (17.1.2).
   */
  request(req: SipRequest, nextHop: string, onResponse: (res: SipResponse) => void): ClientTransaction | InviteClientTransaction {
    return this.start(req, this.pushVia(req), nextHop, onResponse);
  }

  /** `request` for an INVITE, typed so that the caller can `cancel` it. */
  invite(req: SipRequest, nextHop: string, onResponse: (res: SipResponse) => void): InviteClientTransaction {
    if (req.method !== 'INVITE') throw new Error(`invite() needs an INVITE, not ${req.method}`);
    const tx = new InviteClientTransaction(flat(`${this.pushVia(req)}|INVITE`), req, nextHop, this, onResponse);
    this.launch(tx, nextHop);
    return tx;
  }

  /**
   * Sends a request exactly as it is, Via included (an injected malformed one whose bytes must not
   * change), still as a client transaction so its answer is matched and retransmissions happen.
   */
  requestAsIs(req: SipRequest, nextHop: string, onResponse: (res: SipResponse) => void): ClientTransaction | InviteClientTransaction {
    const branch = topBranch(req);
    if (branch === undefined) throw new Error('an injected request needs a Via with a branch to be answered');
    return this.start(req, branch, nextHop, onResponse);
  }

  /**
   * RFC 3261 9.1: cancels a pending INVITE with a CANCEL on the same branch to the same next hop,
   * once a provisional response arrived; nothing is sent once the INVITE has a final response.
   * The INVITE's own final response (normally 487) still reaches its `onResponse`.
   */
  cancel(invite: InviteClientTransaction, onResponse: (res: SipResponse) => void = () => undefined): void {
    invite.cancel(() => {
      const branch = topBranch(invite.request);
      if (branch === undefined) throw new Error('the INVITE to cancel has no Via branch');
      const req = createCancel(invite.request);
      this.launch(new ClientTransaction(`${branch}|CANCEL`, req, invite.nextHop, this, onResponse), invite.nextHop);
    });
  }

  /**
   * Sends an ACK for a 2xx, which has no transaction (17.1.1.3, 13.2.2.4; a proxy forwards one the
   * same way, 16.6 step 8). Our Via with a new branch goes on top unless it is already there: the
   * same ACK sent again for a retransmitted 2xx goes out unchanged.
   */
  sendAck(ack: SipRequest, nextHop: string): void {
    if (topVia(ack)?.host !== this.host) this.pushVia(ack);
    if (!this.net.has(nextHop)) {
      this.net.note(this.host, `cannot resolve ${nextHop}`);
      return;
    }
    this.sendRequest(ack, nextHop);
  }

  private pushVia(req: SipRequest): string {
    const branch = this.newBranch();
    const via: Via = { protocol: 'SIP/2.0', transport: 'UDP', host: this.host, params: [{ name: 'branch', value: branch }] };
    // The value formatVia would write, written at once: one Via a hop, on every request sent.
    pushLine(req, viasOf.seed({ name: 'Via', value: `SIP/2.0/UDP ${this.host};branch=${branch}` }, [via]));
    return branch;
  }

  private start(req: SipRequest, branch: string, nextHop: string, onResponse: (res: SipResponse) => void): ClientTransaction | InviteClientTransaction {
    const key = flat(`${branch}|${req.method}`);
    const tx = req.method === 'INVITE' ? new InviteClientTransaction(key, req, nextHop, this, onResponse) : new ClientTransaction(key, req, nextHop, this, onResponse);
    this.launch(tx, nextHop);
    return tx;
  }

  private launch(tx: ClientTransaction | InviteClientTransaction, nextHop: string): void {
    (this.clients ??= new Map()).set(tx.key, tx);
    if (!this.net.has(nextHop)) {
      // RFC 3263 resolution failed: no element answers for that host.
      this.net.note(this.host, `cannot resolve ${nextHop}`);
      this.sim.post(0, () => tx.transportFailed());
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
      return this.rejectMalformed(msg, e, fromHost);
    }
    if (parsed.type === 'request') this.receiveRequest(parsed, fromHost);
    else this.receiveResponse(parsed);
  }

  /** RFC 3261 16.3 and 8.2: a malformed request is answered 400 when there is a Via to answer along. */
  private rejectMalformed(msg: SipMessage, error: SipParseError, fromHost: string): void {
    const via = readableTopVia(msg);
    if (msg.type === 'response' || via === undefined) {
      this.net.note(this.host, `discarded a malformed message: ${error.message}`);
      return;
    }
    // The 400 goes where the request came from, not to a host its Via names (18.2.1, 18.2.2).
    stampReceived(msg, via, fromHost);
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

  arm(alarm: Alarm, delay: number): void {
    this.sim.arm(alarm, this.sim.now + delay);
  }

  disarm(alarm: Alarm): void {
    this.sim.disarm(alarm);
  }

  forget(key: string): void {
    this.forgetClient(key);
    this.forgetServer(key);
  }

  absorb(key: string, delay: number): void {
    const lingering = new LingeringClient(this, key);
    (this.clients ??= new Map()).set(key, lingering);
    this.sim.arm(lingering, this.sim.now + delay);
  }

  linger(key: string, last: SipResponse, delay: number, arrived: readonly Header[]): void {
    const lingering = new LingeringServer(this, key, last, arrived);
    (this.servers ??= new Map()).set(key, lingering);
    this.sim.arm(lingering, this.sim.now + delay);
  }

  /** Timer K or J of a lingering transaction ran out: whatever is filed under its key goes. */
  lingered(lingering: LingeringClient | LingeringServer): void {
    if (lingering instanceof LingeringServer) this.forgetServer(lingering.key);
    else this.forgetClient(lingering.key);
  }

  private forgetClient(key: string): void {
    if (this.clients?.delete(key) === true && this.clients.size === 0) this.clients = undefined;
  }

  private forgetServer(key: string): void {
    if (this.servers?.delete(key) === true && this.servers.size === 0) this.servers = undefined;
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
    stampReceived(req, via, fromHost);
    if (req.method === 'ACK') return this.receiveAck(req, `${branch}|${via.host}|INVITE`, fromHost);
    const key = flat(`${branch}|${via.host}|${req.method}`);
    const existing = this.servers?.get(key);
    if (existing instanceof LingeringServer) {
      const last = existing.last(req.headers);
      if (last !== undefined) this.sendResponse(last);
      else this.net.note(this.host, `absorbed a ${req.method} from ${fromHost} matching a completed transaction but not its lines`);
      return;
    }
    if (existing !== undefined) {
      existing.retransmitted();
      return;
    }
    if (req.method === 'CANCEL') return this.receiveCancel(req, key, `${branch}|${via.host}|INVITE`);
    const tx = req.method === 'INVITE' ? this.inviteServerTransaction(key, req) : new ServerTransaction(key, req, this);
    (this.servers ??= new Map()).set(key, tx);
    this.tu.handleRequest(req, tx);
  }

  /** Defaults the TU may replace: a CANCEL answered 487 (9.2), a missing ACK noted (17.2.1). */
  private inviteServerTransaction(key: string, req: SipRequest): InviteServerTransaction {
    const tx = new InviteServerTransaction(key, req, this);
    tx.whenCancelled((toTag) => tx.respond(createResponse(req, 487, { toTag })));
    tx.whenAckTimedOut(() => this.net.note(this.host, `no ACK for ${tx.lastResponse?.status ?? ''} to INVITE`));
    return tx;
  }

  /**
   * RFC 3261 9.2: a CANCEL matches the INVITE server transaction with its branch; it is answered 200
   * here (To tag as in the INVITE's responses) and the TU is told; 481 when nothing matches, which
   * includes an INVITE already answered 2xx (RFC 3261 ends its transaction there).
   */
  private receiveCancel(req: SipRequest, key: string, inviteKey: string): void {
    const tx = new ServerTransaction(key, req, this);
    const servers = (this.servers ??= new Map());
    servers.set(key, tx);
    const invite = servers.get(inviteKey);
    if (!(invite instanceof InviteServerTransaction) || invite.isAccepted) {
      tx.respond(createResponse(req, 481, { toTag: this.newTag() }));
      return;
    }
    // 9.2: the CANCEL's response and the INVITE's carry one To tag, drawn here if none was sent yet.
    const toTag = this.toTagOf(invite);
    tx.respond(createResponse(req, 200, { toTag }));
    invite.cancel(toTag);
  }

  /** RFC 3261 17.2.3: the ACK of a non-2xx matches its INVITE's transaction; any other goes up. */
  private receiveAck(ack: SipRequest, inviteKey: string, fromHost: string): void {
    const invite = this.servers?.get(inviteKey);
    if (invite instanceof InviteServerTransaction && invite.ackReceived()) return;
    if (this.tu.handleAck === undefined) {
      this.net.note(this.host, `discarded ACK from ${fromHost} matching no transaction`);
      return;
    }
    this.tu.handleAck(ack, fromHost);
  }

  /** The To tag this element already gave the request, or a new one. */
  private toTagOf(tx: ServerTransaction): string {
    const last = tx.lastResponse;
    return tagOf(last === undefined ? undefined : header(last, 'To')) ?? this.newTag();
  }

  private receiveResponse(res: SipResponse): void {
    const via = topVia(res);
    const branch = via === undefined ? undefined : getParam(via.params, 'branch');
    const tx = typeof branch === 'string' ? this.clients?.get(`${branch}|${methodOf(res)}`) : undefined;
    if (tx === undefined) {
      // RFC 3261 18.1.2: a response matching no transaction is discarded; say so in the trace.
      this.net.note(this.host, `discarded stray ${res.status} response`);
      return;
    }
    if (tx instanceof LingeringClient) return;
    popVia(res);
    tx.receive(res);
  }
}

/**
 * RFC 3261 18.2.1: record where a request really came from when sent-by says otherwise. A
 * `received` the sender wrote itself says nothing about where the packet came from: it is replaced
 * (or removed), or any element reading the previous hop would trust a forged one.
 */
function stampReceived(req: SipMessage, via: Readonly<Via>, fromHost: string): void {
  if (via.host === fromHost && getParam(via.params, 'received') === undefined) return;
  const at = req.headers.findIndex((h) => h.name === 'Via');
  if (at < 0) return;
  const vias = [...viasOf(req.headers[at]!)];
  const own = via.params.filter((p) => p.name.toLowerCase() !== 'received');
  vias[0] = { ...via, params: via.host === fromHost ? own : [...own, { name: 'received', value: fromHost }] };
  req.headers = replaceAt(req.headers, at, viaLine('Via', vias));
}
