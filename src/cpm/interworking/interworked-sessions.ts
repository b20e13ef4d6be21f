import type { RandomStream } from '../../kernel/random.js';
import type { Simulator, Timer } from '../../kernel/simulator.js';
import { SECOND, type Micros } from '../../kernel/time.js';
import type { MsrpMessage, MsrpRequest } from '../../msrp/message.js';
import { MsrpSends, failureReport, successReport, wantsFailureReport, wantsSuccessReport } from '../../msrp/transactions.js';
import { sameMsrpUri, type MsrpUri } from '../../msrp/uri.js';
import { createResponse } from '../../sip/builders.js';
import { createDialogResponse, Dialog } from '../../sip/dialog.js';
import { Invite2xxRetransmitter } from '../../sip/invite-2xx-retransmitter.js';
import type { SipRequest } from '../../sip/message.js';
import type { NameAddr } from '../../sip/name-addr.js';
import type { SipStack } from '../../sip/stack.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { aorOf } from '../../sip/uri.js';
import { sendRequest, sendResponse, sessionMessage } from '../session-msrp.js';
import { answer, mediaTypes, msrpPeer, sdpBody, sdpOf, sdpSessionId } from '../session-sdp.js';
import { assertedSipIdentity, originatorAddress, type InterworkingService } from './addresses.js';

/**
 * How long an interworked session may pass no message either way before the Interworking Function
 * ends it (a BYE to the CPM side). SMS and e-mail have no session to close, so silence is the only
 * end the non-CPM user can give it (docs/spec-notes.md "Session interworking").
 */
export const SESSION_IDLE = 5 * 60 * SECOND;

/** One message of the session, as the non-CPM service is to carry it. */
export interface OutboundSessionMessage {
  /** The CPM user's address in the non-CPM service (CPM 5.3.1: its routable address). */
  from: string;
  /** The non-CPM user's address, the session's target. */
  to: string;
  text: string;
  /** Whether the delivery outcome is wanted: the SEND asked for a success or a failure REPORT. */
  report: boolean;
}

/** What the non-CPM service made of one message: whether its system took it, and later whether it was delivered. */
export interface Outcome {
  /** The system took the message (200) or refused it or did not answer (403, 408: RFC 4975 10). */
  accepted(status: 200 | 403 | 408, why?: string): void;
  /** The delivery receipt or DSN, mapped to a REPORT (RFC 4975 7.1.2). */
  reported(delivered: boolean): void;
}

export interface SessionPorts {
  host: string;
  service: InterworkingService;
  stack: SipStack;
  sim: Simulator;
  rng: RandomStream;
  contact: NameAddr;
  note(text: string): void;
  sendMedia(toHost: string, msg: MsrpMessage): void;
  dateTime(): string;
  /** Converts one session message to the non-CPM service (an SMS, a mail). */
  toNonCpm(message: OutboundSessionMessage, outcome: Outcome): void;
  /** The idle time after which the function ends a session; SESSION_IDLE unless a test says. */
  idle?: Micros;
}

interface Bridged {
  dialog: Dialog;
  /** The CPM user (its SIP identity) and its address in the non-CPM service. */
  cpmUser: string;
  cpmAddress: string;
  /** The non-CPM party: the address the Interworking Selection Function put in the Request-URI. */
  party: string;
  msrp: MsrpUri;
  peerPath: MsrpUri[];
  awaitingAck: Invite2xxRetransmitter;
  idle: Timer;
  ended: boolean;
}

/**
 * The session form of SMS and e-mail interworking (CPM 5.3.1.1, 5.3.1.2: "convert the CPM Session
 * Invitation ... to a non-CPM session invitation"): neither service has sessions, so the
 * Interworking Function is the end of the CPM Session itself, as UAS of the SIP dialog and
 * endpoint of the MSRP message stream (RFC 4975). Each SEND from the CPM user becomes one non-CPM
 * message to the invited party; each message from that party to the CPM user, while the session
 * is open, becomes a SEND in it (CPM 5.3.2). The session ends with the CPM user's BYE, or with the
 * function's own BYE after SESSION_IDLE without a message.
 */
export class InterworkedSessions {
  private readonly sessions: Bridged[] = [];
  /** SENDs of non-CPM messages into sessions, waiting for their MSRP response (RFC 4975 7.1.1). */
  private readonly sends: MsrpSends<(status: number) => void>;
  private next = 0;

  constructor(private readonly ports: SessionPorts) {
    this.sends = new MsrpSends(ports.sim);
  }

  /** CPM 5.3.1: a CPM Session Invitation for a non-CPM user: accepted here with its message stream. */
  invited(req: SipRequest, tx: ServerTransaction): void {
    const { ports } = this;
    const offered = sdpOf(req);
    const cpmAddress = originatorAddress(ports.service, req);
    const cpmUser = assertedSipIdentity(req);
    if (cpmAddress === undefined || cpmUser === undefined) return this.refuse(tx, 403, `No Routable Originator ${ports.service === 'sms' ? 'Number' : 'Address'}`);
    // SMS and e-mail carry text only: the session's message stream, nothing real-time.
    if (offered === undefined || !mediaTypes(offered).includes('message') || msrpPeer(offered) === undefined) return this.refuse(tx, 488, 'Only A Message Stream Interworks');
    const party = aorOf(req.uri);
    const msrp: MsrpUri = { secure: false, host: ports.host, port: 2855, sessionId: `iw${++this.next}${ports.rng.hex(6)}`, transport: 'tcp' };
    const local = answer(offered, ports.host, sdpSessionId(ports.rng), 1, ['message'], msrp);
    ports.note(`opens a session between ${cpmUser.replace(/^sip:/, '')} and ${party}: each message becomes ${ports.service === 'sms' ? 'an SMS' : 'a mail'}`);
    const res = createDialogResponse(req, 200, { toTag: ports.stack.newTag(), contact: ports.contact, body: sdpBody(local) });
    tx.respond(res);
    const session: Bridged = {
      dialog: Dialog.asUas(req, res),
      cpmUser,
      cpmAddress,
      party,
      msrp,
      peerPath: msrpPeer(offered)!,
      awaitingAck: new Invite2xxRetransmitter(res, ports.stack, () => this.close(session, 'no ACK for the 200 (INVITE)', true)),
      idle: ports.sim.schedule(this.idleTime, () => undefined),
      ended: false,
    };
    this.sessions.push(session);
    this.touch(session);
  }

  /** The ACK of a session's 2xx (RFC 3261 13.3.1.4); false when it is of no session here. */
  ack(ack: SipRequest): boolean {
    const session = this.sessions.find((s) => s.awaitingAck.matches(ack));
    if (session === undefined) return false;
    session.awaitingAck.ackReceived();
    return true;
  }

  /** A request within one of the sessions; false when it belongs to none. */
  withinSession(req: SipRequest, tx: ServerTransaction): boolean {
    const session = this.sessions.find((s) => s.dialog.matches(req));
    if (session === undefined) return false;
    if (session.dialog.receiveRequest(req) !== undefined) return this.refused(tx, 500);
    if (req.method === 'BYE') {
      this.respond(tx, 200);
      this.close(session, `the CPM side ended the session with ${session.party}`, false);
      return true;
    }
    // RFC 3261 14.2: a modification this end cannot take leaves the session as it was.
    return this.refused(tx, req.method === 'INVITE' ? 488 : 405);
  }

  /** MSRP of a session's message stream: a SEND from the CPM user, or the answer to one sent into it. */
  media(msg: MsrpMessage, fromHost: string): void {
    if (msg.type === 'msrp-response') {
      this.sends.answered(msg)?.(msg.status);
      return;
    }
    const own = msg.toPath[msg.toPath.length - 1];
    const session = this.sessions.find((s) => !s.ended && own !== undefined && sameMsrpUri(s.msrp, own));
    // RFC 4975 7.3.1: a request for a session this end does not have.
    if (session === undefined) return this.ports.sendMedia(fromHost, sendResponse(msg, 481, 'Session Does Not Exist'));
    if (msg.method !== 'SEND') return;
    const content = msg.body?.kind === 'cpim' ? msg.body.cpim.content : msg.body;
    if (content?.kind !== 'text') return this.ports.sendMedia(fromHost, sendResponse(msg, 415, 'Only Text Interworks'));
    this.touch(session);
    const report = wantsSuccessReport(msg) || wantsFailureReport(msg);
    this.ports.toNonCpm(
      { from: session.cpmAddress, to: session.party, text: content.text, report },
      {
        // RFC 4975 7.2: the transaction's response says whether this end took the message.
        accepted: (status, why) => this.ports.sendMedia(fromHost, sendResponse(msg, status, status === 200 ? 'OK' : (why ?? 'Failed'))),
        // RFC 4975 7.1.2: the outcome learnt after the response goes to the sender as a REPORT, when asked.
        reported: (delivered) => this.report(session, msg, delivered),
      },
    );
  }

  /**
   * CPM 5.3.2 in a session: a message of the non-CPM party to the CPM user while a session between
   * them is open goes into it as a SEND; `answered` gets the MSRP status (408 without one within
   * RFC 4975 7.1.1's 30 s). False when no session is open between them.
   */
  deliver(from: string, to: string, text: string, answered: (status: number) => void): boolean {
    const session = this.sessions.find((s) => !s.ended && s.party === from && s.cpmAddress === to);
    if (session === undefined) return false;
    this.touch(session);
    const send = sendRequest(this.ports.rng, session.peerPath, [session.msrp], sessionMessage(from, session.cpmUser, this.ports.dateTime(), text));
    this.sends.sent(send, answered, (done) => done(408));
    this.ports.note(`puts the ${this.ports.service === 'sms' ? 'SMS' : 'mail'} from ${from} into the session with ${session.cpmUser.replace(/^sip:/, '')}`);
    this.ports.sendMedia(session.peerPath[0]!.host, send);
    return true;
  }

  private get idleTime(): Micros {
    return this.ports.idle ?? SESSION_IDLE;
  }

  private touch(session: Bridged): void {
    session.idle.cancel();
    session.idle = this.ports.sim.schedule(this.idleTime, () => this.close(session, `nothing from either side for ${this.idleTime / SECOND} s: ends the session with ${session.party}`, true));
  }

  private report(session: Bridged, send: MsrpRequest, delivered: boolean): void {
    if (session.ended) return;
    if (delivered && !wantsSuccessReport(send)) return;
    if (!delivered && !wantsFailureReport(send)) return;
    this.ports.note(`maps the ${this.ports.service === 'sms' ? 'delivery receipt' : 'DSN'} to an MSRP REPORT (${delivered ? 'delivered' : 'failed'})`);
    const report = delivered ? successReport(this.ports.rng, send, session.msrp) : failureReport(this.ports.rng, send, session.msrp, 403);
    this.ports.sendMedia(report.toPath[0]!.host, report);
  }

  private close(session: Bridged, why: string, bye: boolean): void {
    if (session.ended) return;
    session.ended = true;
    session.idle.cancel();
    this.ports.note(why);
    if (!bye) return;
    const req = session.dialog.createRequest('BYE');
    this.ports.stack.request(req, session.dialog.nextHop(), () => undefined);
  }

  private refuse(tx: ServerTransaction, status: number, reason: string): void {
    tx.respond(createResponse(tx.request, status, { reason, toTag: this.ports.stack.newTag() }));
  }

  private respond(tx: ServerTransaction, status: number): void {
    tx.respond(createResponse(tx.request, status, { toTag: this.ports.stack.newTag() }));
  }

  private refused(tx: ServerTransaction, status: number): true {
    this.respond(tx, status);
    return true;
  }
}
