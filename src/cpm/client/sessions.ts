import type { SessionDescription } from 'sdp-transform';
import type { Body } from '../../bodies/body.js';
import { buildMultipart } from '../../bodies/multipart-codec.js';
import type { RandomStream } from '../../kernel/random.js';
import type { Micros } from '../../kernel/time.js';
import type { Simulator } from '../../kernel/simulator.js';
import { msrpHeader, type MsrpMessage } from '../../msrp/message.js';
import { MsrpSends, successReport, wantsSuccessReport } from '../../msrp/transactions.js';
import { sameMsrpUri, type MsrpUri } from '../../msrp/uri.js';
import { createRequest, createResponse } from '../../sip/builders.js';
import { createDialogResponse, Dialog, inDialog } from '../../sip/dialog.js';
import { Invite2xxRetransmitter } from '../../sip/invite-2xx-retransmitter.js';
import { header, type Header, type SipRequest, type SipResponse } from '../../sip/message.js';
import { parseNameAddr, type NameAddr } from '../../sip/name-addr.js';
import type { SipStack } from '../../sip/stack.js';
import type { InviteClientTransaction } from '../../sip/transactions/invite-client-transaction.js';
import { InviteServerTransaction } from '../../sip/transactions/invite-server-transaction.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { ANONYMOUS } from '../../sip/privacy.js';
import { aorOf, parseUri, type Uri } from '../../sip/uri.js';
import { conferenceFactoryUri } from '../naming.js';
import type { ProxyCredentials } from './proxy-credentials.js';
import { referRequest } from '../session-requests.js';
import { ParticipantSubscriptions } from './participant-subscriptions.js';
import { messageText, sendRequest, sendResponse, sessionMessage } from '../session-msrp.js';
import { answer, floorServer, mediaTypes, msrpPeer, offer, offersFloorControl, rtpPortsOf, sdpBody, sdpOf, sdpSessionId, type RtpPorts } from '../session-sdp.js';
import type { BfcpMessage } from '../../bfcp/message.js';
import type { MediaPacket } from '../../rtp/packet.js';
import { RtpSession, type RtpSessionPorts } from '../rtp-session.js';
import { negotiatedStreams } from '../rtp-streams.js';
import type { Answer, MediaType } from '../session-media.js';
import { CONTRIBUTION_ID, CONVERSATION_ID, IN_REPLY_TO_CONTRIBUTION_ID, cpmSessionHeaders } from '../service.js';
import { adoptRefusal, refreshHeaders, retryWithMinSe, SessionTimer, sessionExpiresOf, supportsTimer, timerHeaders } from '../session-timer.js';

/** What the client's sessions use of their device. */
export interface SessionPorts {
  stack: SipStack;
  sim: Simulator;
  rng: RandomStream;
  aor: string;
  host: string;
  coreHost: string;
  /** The home domain, whose conference factory hosts Ad-hoc Group sessions. */
  domain: string;
  contact: NameAddr;
  /** Sends an MSRP message of a session's message stream to the next hop of its To-Path. */
  sendMedia(toHost: string, msg: MsrpMessage): void;
  dateTime(): string;
  answer: Answer;
  /** Delay from an invitation to the device's ALERTING. */
  alert: Micros;
  media: readonly MediaType[];
  note(text: string): void;
  /** Answers a SIP/IP Core's 407 to an invitation or subscription (RFC 3261 22.3). */
  credentials: ProxyCredentials;
  /** Present when the device sends and receives RTP in its audio and video streams (a scenario's `rtp: true`). */
  rtp?: RtpSessionPorts;
  /** With RTP on: sends a BFCP message to a floor control server (RFC 4582). */
  sendFloor?(toHost: string, msg: BfcpMessage): void;
  /** RFC 4028: the device supports session timers and asks for this session interval, in seconds. */
  sessionTimer?: number;
}

/** RFC 4582: the floor control server of a session, and this client's floor request. */
interface Floor {
  host: string;
  port: number;
  confId: number;
  userId: number;
  nextTransaction: number;
  /** The talkspurt waiting for the floor, and the request once the server has numbered it. */
  talk?: Micros;
  requestId?: number;
}

/** One CPM Session of this device, as UAC (it invited) or UAS (it was invited). */
interface Session {
  /** CPM 5.2.1.1: the conversation the session belongs to; scenarios name sessions by it. */
  conversationId: string;
  dialog?: Dialog;
  /** The CPM Session Identity (CPM 5.1.2.6): the focus's Contact, for a group session. */
  identity?: Uri;
  media: MediaType[];
  /** RFC 4566 5.2 sess-id (digits) and sess-version of this end's descriptions. */
  sdpId: string;
  sdpVersion: number;
  msrp: MsrpUri;
  /** The far end of the message stream: the other device, or the focus (RFC 4975 8.2). */
  peerPath?: MsrpUri[];
  /** The other party, as the session messages' CPIM To. */
  peer?: string;
  /** RFC 3323: this end invited asking for privacy, and writes the anonymous address in its session messages too. */
  anonymous?: boolean;
  /** UAC: the pending INVITE, cancellable, and whether the user gave it up. */
  inviting?: InviteClientTransaction;
  cancelled?: boolean;
  /** UAC: the ACK sent for the 2xx, sent again for each retransmission (RFC 3261 13.2.2.4). */
  ack?: SipRequest;
  /** UAS: the 2xx awaiting its ACK. */
  awaitingAck?: Invite2xxRetransmitter;
  ended: boolean;
  /** With RTP: this session's ports, its latest own description, and its RTP session (RFC 3550). */
  rtpPorts?: RtpPorts;
  local?: SessionDescription;
  rtp?: RtpSession;
  floor?: Floor;
  /** RFC 4028: the session interval in use, in seconds, whether this end refreshes it, and its timer. */
  interval?: number;
  refreshes?: boolean;
  timer?: SessionTimer;
  /** RFC 4028 7.4: the largest Min-SE a 422 in the session's dialog gave, which its refreshes carry. */
  minSe?: number;
}

/** A NOTIFY of the Participant Information (RFC 4575). */
const isConferenceEvent = (req: SipRequest): boolean => /^conference\b/.test(header(req, 'Event') ?? '');

/**
 * The CPM Session side of a CPM Client (CPM 5.2.3): invites a user or a group with an SDP offer
 * of Media Streams, answers invitations as its scripted user does (alerting at once, then
 * accepting, rejecting or letting it ring), leaves, asks the Controlling Function to add or remove
 * Participants, modifies the Media Streams and subscribes to the Participant Information.
 */
export class ClientSessions {
  private readonly sessions: Session[] = [];
  /** This device's Participant Information subscriptions. */
  private readonly participants: ParticipantSubscriptions;
  private nextMsrpSession = 0;
  /** Ports that got RTP after their session ended, each noted once. */
  private readonly strayPorts = new Set<number>();

  /** The SENDs of this device's message streams waiting for their response, with their text. */
  private readonly sends: MsrpSends<string>;

  constructor(private readonly ports: SessionPorts) {
    this.sends = new MsrpSends(ports.sim);
    this.participants = new ParticipantSubscriptions(ports);
  }

  // User actions

  /**
   * CPM 5.2.3.1.1.1 and 5.2.3.2.1.1: invite `to` (a user or a Pre-defined Group) to a new session;
   * returns its Conversation-ID (CPM 5.2.1.1), by which every Participant's device knows it. With
   * `privacy`, the invitation and the session's messages name the user anonymously (RFC 3323
   * 4.1.1.3) and ask the network to withhold the identity it asserts (Privacy: id, RFC 3325 9.3).
   */
  invite(to: string | string[], media: MediaType[], direction?: 'sendonly', floorControl = false, inReplyTo?: { conversationId: string; contributionId: string }, privacy = false): string {
    const { stack } = this.ports;
    // CPM 5.2.1.1: a new conversation, or the one of the message the invitation replies to.
    const conversationId = inReplyTo?.conversationId ?? this.ports.rng.uuid();
    const session = this.newSession(conversationId, media);
    if (privacy) session.anonymous = true;
    // CPM 5.2.3.2.1.1: several users make an Ad-hoc Group, invited at the home conference factory.
    const adHoc = Array.isArray(to) ? to : undefined;
    const target = parseUri(adHoc === undefined ? (to as string) : conferenceFactoryUri(this.ports.domain));
    // RFC 4566 6 a=sendonly: a simplex stream from this end (CPM 5.2.3.9).
    // RFC 4583: floor control by BFCP, this end the client.
    const floor = floorControl ? { floor: { port: 0, floorctrl: 'c-only' as const } } : {};
    const sdpOffer = offer(this.ports.host, session.sdpId, session.sdpVersion, media, session.msrp, session.rtpPorts && { ...session.rtpPorts, ...(direction && { direction }), ...floor });
    session.local = sdpOffer;
    const req = createRequest({
      method: 'INVITE',
      uri: target,
      from: { ...(privacy && { displayName: 'Anonymous' }), uri: parseUri(privacy ? ANONYMOUS : this.ports.aor), params: [{ name: 'tag', value: stack.newTag() }] },
      to: { uri: target, params: [] },
      callId: stack.newCallId(),
      cseq: 1,
      contact: this.ports.contact,
      extra: [
        ...cpmSessionHeaders(),
        ...(privacy ? [{ name: 'Privacy', value: 'id' }] : []),
        { name: CONVERSATION_ID, value: conversationId },
        { name: CONTRIBUTION_ID, value: this.ports.rng.uuid() },
        ...(inReplyTo === undefined ? [] : [{ name: IN_REPLY_TO_CONTRIBUTION_ID, value: inReplyTo.contributionId }]),
        ...this.askedTimer(),
      ],
      body: adHoc === undefined ? sdpBody(sdpOffer) : recipientList(sdpOffer, adHoc),
    });
    this.sendInvite(session, req);
    return conversationId;
  }

  /**
   * CPM 5.2.3.2.1.1: re-join a group session this device has left or was released from, by an
   * invitation to its CPM Session Identity, in the same conversation (CPM 5.2.1.1).
   */
  rejoin(conversationId: string): void {
    if (this.sessions.some((s) => s.conversationId === conversationId && !s.ended)) return this.ports.note('cannot rejoin: already in that session');
    const old = [...this.sessions].reverse().find((s) => s.conversationId === conversationId && s.identity !== undefined);
    if (old?.identity === undefined) return this.ports.note('cannot rejoin: no CPM Session Identity of that session here');
    const { stack } = this.ports;
    const media = old.media.length > 0 ? old.media : [...this.ports.media];
    const session = this.newSession(conversationId, media);
    const sdpOffer = offer(this.ports.host, session.sdpId, session.sdpVersion, media, session.msrp, session.rtpPorts);
    session.local = sdpOffer;
    const req = createRequest({
      method: 'INVITE',
      uri: old.identity,
      from: { uri: parseUri(this.ports.aor), params: [{ name: 'tag', value: stack.newTag() }] },
      to: { uri: old.identity, params: [] },
      callId: stack.newCallId(),
      cseq: 1,
      contact: this.ports.contact,
      extra: [...cpmSessionHeaders(), { name: CONVERSATION_ID, value: conversationId }, { name: CONTRIBUTION_ID, value: this.ports.rng.uuid() }, ...this.askedTimer()],
      body: sdpBody(sdpOffer),
    });
    this.sendInvite(session, req);
  }

  /** RFC 4028 7.1: an invitation of a device supporting session timers asks for its interval. */
  private askedTimer(): Header[] {
    const seconds = this.ports.sessionTimer;
    return seconds === undefined ? [] : timerHeaders({ seconds }, 'request');
  }

  /** An initial INVITE, sent again with credentials after a 407 (RFC 3261 22.3) or a longer interval after a 422 (RFC 4028 7.3). */
  private sendInvite(session: Session, sent: SipRequest): void {
    session.inviting = this.ports.stack.invite(sent, this.ports.coreHost, (res) => {
      const retry = this.ports.credentials.retry(sent, res) ?? (this.ports.sessionTimer === undefined ? undefined : retryWithMinSe(sent, res));
      if (retry === undefined) return this.inviteAnswered(session, sent, res);
      if (res.status === 422) this.ports.note(`session interval too small: asks for ${header(retry, 'Session-Expires') ?? ''} s`);
      this.sendInvite(session, retry);
    });
  }

  /** The user gives up a pending invitation (RFC 3261 9.1: CANCEL once it rings). */
  cancel(conversationId: string): void {
    const session = this.sessions.find((s) => s.conversationId === conversationId && s.inviting !== undefined && !s.ended);
    if (session?.inviting === undefined || session.inviting.finalReceived) return this.ports.note('cannot cancel: no pending invitation');
    session.cancelled = true;
    this.ports.stack.cancel(session.inviting);
  }

  /** CPM 5.2.3.2.2: leave the session (a BYE along the dialog's route set). */
  leave(conversationId: string): void {
    const session = this.active(conversationId, 'leave');
    if (session === undefined) return;
    this.end(session);
    this.inDialog(session, 'BYE', {}, (res) => this.ports.note(res.status < 300 ? 'left the session' : `leaving failed: ${res.status}`));
  }

  /** CPM 5.2.3.2.3 and 5.2.3.2.4: ask the Controlling Function to invite or release `users`. */
  change(conversationId: string, kind: 'add' | 'remove', users: string[]): void {
    const session = this.active(conversationId, kind);
    if (session?.dialog === undefined) return;
    const req = referRequest(session.dialog, kind, users, this.ports.contact);
    this.ports.stack.request(req, session.dialog.nextHop(), (res) => {
      if (res.status >= 300) this.ports.note(`${kind === 'add' ? 'adding' : 'removing'} refused: ${res.status}`);
    });
  }

  /** CPM 5.2.3.2.6.1: offer a new set of Media Streams (a re-INVITE). */
  modify(conversationId: string, media: MediaType[]): void {
    const session = this.active(conversationId, 'modify');
    if (session?.dialog === undefined) return;
    session.sdpVersion++;
    this.reInvite(session, session.dialog, offer(this.ports.host, session.sdpId, session.sdpVersion, media, session.msrp, session.rtpPorts));
  }

  /** The re-INVITE of a modification; sent again, the same offer, after a 422 (RFC 4028 7.4). */
  private reInvite(session: Session, dialog: Dialog, local: SessionDescription): void {
    const asked = session.interval;
    const req = dialog.createRequest('INVITE', {
      contact: this.ports.contact,
      // RFC 4028 7.4: a re-INVITE of a session with a timer keeps its interval and refresher (and refreshes it).
      extra: [...cpmSessionHeaders(), ...(asked === undefined ? [] : refreshHeaders({ seconds: asked, refresher: session.refreshes === true ? 'uac' : 'uas' }, session.minSe))],
      body: sdpBody(local),
    });
    this.ports.stack.invite(req, dialog.nextHop(), (res) => {
      if (res.status < 200) return;
      if (asked !== undefined && !session.ended && this.longerAfterRefusal(session, res, asked)) return this.reInvite(session, dialog, local);
      if (res.status >= 300) return this.ports.note(`modification refused: ${res.status}`);
      this.ports.stack.sendAck(dialog.createAck(res), dialog.nextHop());
      this.timerFrom(session, res, 'uac');
      const accepted = sdpOf(res);
      if (accepted !== undefined) {
        session.media = mediaTypes(accepted);
        session.peerPath = msrpPeer(accepted) ?? session.peerPath;
        session.local = local;
        this.negotiated(session, accepted, 'remote');
      }
      this.ports.note(`media: ${session.media.join(', ')}`);
    });
  }

  /**
   * CPM 5.2.3.6: subscribe to the Participant Information of one of this device's sessions, for
   * `seconds`; refreshed while the device takes part in the session.
   */
  subscribeParticipants(conversationId: string, seconds?: number): void {
    const session = this.active(conversationId, 'subscribe to participants');
    if (session === undefined) return;
    if (session.identity === undefined) return this.ports.note('cannot subscribe: the session has no CPM Session Identity');
    this.participants.subscribe(session.identity, () => !session.ended, seconds);
  }

  /** CPM 5.2.3.6: subscribe to the Participant Information at a CPM Session Identity. */
  subscribeAt(identityUri: string | Uri): void {
    this.participants.subscribe(identityUri);
  }

  /** CPM 5.2.3.9: a message in the session's message stream, an MSRP SEND (RFC 4975 7.1). */
  say(conversationId: string, text: string, successReport = false): void {
    const session = this.active(conversationId, 'say');
    if (session === undefined) return;
    if (session.peerPath === undefined || !session.media.includes('message')) return this.ports.note('cannot say: the session has no message stream');
    const body = sessionMessage(session.anonymous === true ? ANONYMOUS : this.ports.aor, session.peer ?? this.ports.aor, this.ports.dateTime(), text);
    const send = sendRequest(this.ports.rng, session.peerPath, [session.msrp], body);
    if (successReport) send.headers.push({ name: 'Success-Report', value: 'yes' });
    // RFC 4975 7.1.1: unanswered within 30 s, the message failed; the user is told.
    this.sends.sent(send, text, (said) => this.ports.note(`session message not delivered (no MSRP response): ${said}`));
    this.ports.sendMedia(session.peerPath[0]!.host, send);
  }

  /**
   * The user talks for `duration` (RFC 3550): RTP at each audio and video stream's interval, which
   * the other end or the focus receives and reports on in RTCP.
   */
  talk(conversationId: string, duration: Micros): void {
    const session = this.active(conversationId, 'talk');
    if (session === undefined) return;
    if (session.floor !== undefined) return this.requestFloor(session.floor, duration);
    const streams = session.rtp?.talk(duration) ?? 0;
    this.ports.note(streams === 0 ? 'cannot talk: the session has no audio or video stream this device sends' : `talks on ${streams} stream${streams === 1 ? '' : 's'}`);
  }

  /** RFC 4582 9: ask the floor control server for the floor; the user talks once it is granted. */
  private requestFloor(floor: Floor, duration: Micros): void {
    if (floor.talk !== undefined) return this.ports.note('already waiting for the floor');
    floor.talk = duration;
    this.floorMessage(floor, 'FloorRequest');
    this.ports.note('requests the floor');
  }

  private floorMessage(floor: Floor, primitive: 'FloorRequest' | 'FloorRelease'): void {
    const msg: BfcpMessage = {
      protocol: 'bfcp',
      primitive,
      conferenceId: floor.confId,
      transactionId: floor.nextTransaction,
      userId: floor.userId,
      floorId: 1,
      ...(floor.requestId === undefined ? {} : { floorRequestId: floor.requestId }),
      client: this.ports.host,
      serverPort: floor.port,
    };
    // RFC 4582 8: transaction IDs are not 0, which the server's own messages use.
    floor.nextTransaction = (floor.nextTransaction % 0xffff) + 1;
    this.ports.sendFloor?.(floor.host, msg);
  }

  /** A FloorRequestStatus from the floor control server: granted, the user talks, then releases. */
  floorStatus(msg: BfcpMessage, fromHost: string): void {
    const session = this.sessions.find((s) => !s.ended && s.floor?.host === fromHost && s.floor.confId === msg.conferenceId && s.floor.userId === msg.userId);
    const floor = session?.floor;
    if (session === undefined || floor === undefined || msg.primitive !== 'FloorRequestStatus') return this.ports.note(`BFCP ${msg.primitive} of no session: discarded`);
    if (msg.floorRequestId !== undefined) floor.requestId = msg.floorRequestId;
    if (msg.status === 'Pending') return this.ports.note(`floor request queued at position ${msg.queuePosition ?? 0}`);
    if (msg.status === 'Granted' && floor.talk !== undefined) {
      const talk = floor.talk;
      this.ports.note('floor granted');
      session.rtp?.talk(talk);
      this.ports.sim.schedule(talk, () => {
        if (session.ended) return;
        this.floorMessage(floor, 'FloorRelease');
      });
      return;
    }
    if (msg.status === 'Released' || msg.status === 'Revoked' || msg.status === 'Denied' || msg.status === 'Cancelled') {
      delete floor.talk;
      delete floor.requestId;
      if (msg.status === 'Revoked') session.rtp?.silence();
      this.ports.note(`floor ${msg.status.toLowerCase()}`);
    }
  }

  /** RTP or RTCP to one of this device's sessions; after the session it is discarded (RFC 3550 has no error for it). */
  rtpPacket(packet: MediaPacket): void {
    const session = this.sessions.find((s) => !s.ended && s.rtp?.owns(packet.dstPort) === true);
    if (session !== undefined) return session.rtp!.receive(packet);
    if (this.strayPorts.has(packet.dstPort)) return;
    this.strayPorts.add(packet.dstPort);
    this.ports.note(`${packet.type.toUpperCase()} to port ${packet.dstPort}, of no session: discarded`);
  }

  /** An MSRP message of one of this device's message streams. */
  media(msg: MsrpMessage, fromHost: string): void {
    if (msg.type === 'msrp-response') {
      this.sends.answered(msg);
      if (msg.status >= 300) this.ports.note(`session message refused: ${msg.status} ${msg.comment ?? ''}`.trim());
      return;
    }
    // RFC 4975 7.1.2: a failure report of a message this device sent; a REPORT is not answered.
    if (msg.method === 'REPORT') {
      const status = msrpHeader(msg, 'Status') ?? 'no status';
      return this.ports.note(/^000 200\b/.test(status) ? 'session message delivered' : `session message not delivered: ${status}`);
    }
    const own = msg.toPath[msg.toPath.length - 1];
    const session = this.sessions.find((s) => own !== undefined && sameMsrpUri(s.msrp, own));
    // RFC 4975 7.3.1: a SEND for a session this end does not have is answered 481.
    if (session === undefined || session.ended) return this.ports.sendMedia(fromHost, sendResponse(msg, 481, 'Session Does Not Exist'));
    this.ports.sendMedia(fromHost, sendResponse(msg, 200, 'OK'));
    if (msg.method !== 'SEND') return;
    this.ports.note(`session message: ${messageText(msg)}`);
    // RFC 4975 7.1.3: the sender asked to hear that the whole message arrived; the REPORT goes along its From-Path.
    if (wantsSuccessReport(msg) && msg.continuation === '$') this.ports.sendMedia(msg.fromPath[0]!.host, successReport(this.ports.rng, msg, session.msrp));
  }

  // Network side

  /** Requests that belong to sessions: INVITE, BYE, NOTIFY of the conference event. */
  /**
   * Whether `receive` takes `req` when the device has never had a session: an invitation, and the
   * requests it answers 481 for want of a dialog or a subscription (see below). Others go on to
   * the pager side.
   */
  static answersWithoutSessions(req: SipRequest): boolean {
    return req.method === 'INVITE' || req.method === 'BYE' || req.method === 'UPDATE' || (req.method === 'NOTIFY' && isConferenceEvent(req));
  }

  receive(req: SipRequest, tx: ServerTransaction): boolean {
    if (req.method === 'INVITE' && !inDialog(req)) {
      this.invited(req, tx);
      return true;
    }
    const session = this.sessions.find((s) => s.dialog?.matches(req));
    if (req.method === 'NOTIFY' && isConferenceEvent(req)) {
      // RFC 6665 4.1.3: a NOTIFY for no subscription of this device is answered 481.
      if (this.participants.owns(req)) this.participants.notified(req, tx);
      else this.respond(tx, 481);
      return true;
    }
    if (session?.dialog === undefined) {
      if (!['INVITE', 'BYE', 'UPDATE'].includes(req.method)) return false;
      this.respond(tx, 481);
      return true;
    }
    if (session.dialog.receiveRequest(req) !== undefined) {
      this.respond(tx, 500);
      return true;
    }
    if (req.method === 'BYE') {
      this.end(session);
      this.respond(tx, 200);
      this.ports.note('released from the session');
      return true;
    }
    if (req.method === 'INVITE') {
      this.reinvited(session, req, tx);
      return true;
    }
    if (req.method === 'UPDATE') {
      this.updated(session, req, tx);
      return true;
    }
    return false;
  }

  /** The ACK of a 2xx this device sent (RFC 3261 13.3.1.4). */
  ack(ack: SipRequest): void {
    const session = this.sessions.find((s) => s.awaitingAck?.matches(ack));
    if (session?.awaitingAck === undefined || session.awaitingAck.acknowledged) return;
    session.awaitingAck.ackReceived();
  }

  // UAC

  private inviteAnswered(session: Session, req: SipRequest, res: SipResponse): void {
    if (res.status < 200) {
      if (res.status === 180) this.ports.note('alerting');
      return;
    }
    if (res.status >= 300) {
      session.ended = true;
      this.ports.note(res.status === 487 && session.cancelled ? 'invitation cancelled' : `invitation refused: ${res.status}`);
      return;
    }
    // Every 2xx reaches the TU; a retransmitted one (or one from another fork) gets the same ACK.
    if (session.dialog !== undefined && session.ack !== undefined) return this.ports.stack.sendAck(session.ack, session.dialog.nextHop());
    const dialog = Dialog.asUac(req, res);
    session.dialog = dialog;
    session.identity = focusOf(res);
    session.peer = aorOf(dialog.remoteUri);
    const accepted = sdpOf(res);
    if (accepted !== undefined) {
      session.media = mediaTypes(accepted);
      session.peerPath = msrpPeer(accepted);
      this.negotiated(session, accepted, 'remote');
      this.floorFrom(session, accepted);
    }
    session.ack = dialog.createAck(res);
    this.ports.stack.sendAck(session.ack, dialog.nextHop());
    this.ports.note(`session established: ${session.media.join(', ')}`);
    this.timerFrom(session, res, 'uac');
  }

  // UAS

  private invited(req: SipRequest, tx: ServerTransaction): void {
    const offered = sdpOf(req);
    const conversationId = header(req, CONVERSATION_ID) ?? this.ports.rng.uuid();
    const supported = offered === undefined ? [] : mediaTypes(offered).filter((m) => this.ports.media.includes(m));
    // CPM 5.2.3.8.1 NOTE 8: no acceptable Media Stream, no session.
    if (offered === undefined || supported.length === 0) return this.respond(tx, 488);
    const behaviour = this.ports.answer;
    if (behaviour.kind === 'reject') return this.respond(tx, behaviour.status);
    const session = this.newSession(conversationId, supported);
    session.identity = focusOf(req);
    session.peerPath = msrpPeer(offered);
    const tag = this.ports.stack.newTag();
    if (tx instanceof InviteServerTransaction) {
      // RFC 3261 9.2: the stack has answered the CANCEL; the invitation ends with 487.
      tx.whenCancelled(() => {
        session.ended = true;
        tx.respond(createResponse(req, 487, { toTag: tag }));
        this.ports.note('the invitation was cancelled');
      });
    }
    this.ports.sim.schedule(this.ports.alert, () => {
      if (tx.answered) return;
      tx.respond(createDialogResponse(req, 180, { toTag: tag, contact: this.ports.contact }));
      this.ports.note('alerting the user');
    });
    if (behaviour.kind === 'ignore') return;
    this.ports.sim.schedule(behaviour.after, () => this.accept(session, req, tx, tag, offered));
  }

  private accept(session: Session, req: SipRequest, tx: ServerTransaction, tag: string, offered: SessionDescription): void {
    // The invitation was cancelled (RFC 3261 9.2: the stack answered 487) or answered meanwhile.
    if (tx.answered) return void (session.ended = true);
    // RFC 4583: a focus offering floor control is the server; this end takes the client's side.
    const floor = session.rtpPorts !== undefined && offersFloorControl(offered) ? { floor: { port: 0, floorctrl: 'c-only' as const } } : {};
    session.local = answer(offered, this.ports.host, session.sdpId, session.sdpVersion, session.media, session.msrp, session.rtpPorts && { ...session.rtpPorts, ...floor });
    this.floorFrom(session, offered);
    const res = createDialogResponse(req, 200, { toTag: tag, contact: this.ports.contact, extra: this.answeredTimer(req), body: sdpBody(session.local) });
    tx.respond(res);
    this.negotiated(session, offered, 'local');
    session.dialog = Dialog.asUas(req, res);
    this.timerFrom(session, res, 'uas');
    session.peer = aorOf(session.dialog.remoteUri);
    session.awaitingAck = new Invite2xxRetransmitter(res, this.ports.stack, () => this.ports.note('no ACK for the 200 (INVITE)'));
    this.ports.note(`accepted: ${session.media.join(', ')}`);
  }

  /** CPM 5.2.3.8.2: accept the supported subset of a new offer within the session. */
  private reinvited(session: Session, req: SipRequest, tx: ServerTransaction): void {
    const offered = sdpOf(req);
    const supported = offered === undefined ? [] : mediaTypes(offered).filter((m) => this.ports.media.includes(m));
    if (offered === undefined || supported.length === 0) return this.respond(tx, 488);
    session.media = supported;
    session.peerPath = msrpPeer(offered) ?? session.peerPath;
    session.sdpVersion++;
    session.local = answer(offered, this.ports.host, session.sdpId, session.sdpVersion, supported, session.msrp, session.rtpPorts);
    const res = createDialogResponse(req, 200, {
      toTag: session.dialog!.localTag,
      contact: this.ports.contact,
      extra: this.answeredTimer(req),
      body: sdpBody(session.local),
    });
    tx.respond(res);
    this.negotiated(session, offered, 'local');
    this.timerFrom(session, res, 'uas');
    session.awaitingAck = new Invite2xxRetransmitter(res, this.ports.stack, () => this.ports.note('no ACK for the 200 (re-INVITE)'));
    this.ports.note(`media: ${supported.join(', ')}`);
  }

  // Session timers (RFC 4028)

  /**
   * RFC 4028 9: a device supporting session timers answers a request that supports them and asks
   * for one with the interval and the refresher asked for; left to choose, it refreshes itself
   * (refresher=uas).
   */
  private answeredTimer(req: SipRequest): Header[] {
    const asked = sessionExpiresOf(req);
    if (this.ports.sessionTimer === undefined || asked === undefined || !supportsTimer(req)) return [];
    return timerHeaders({ seconds: asked.seconds, refresher: asked.refresher ?? 'uas' }, 'response');
  }

  /**
   * RFC 4028 7.2 and 9: the 2xx of an INVITE or UPDATE says the interval and who refreshes; this end
   * was the request's `role`. Without Session-Expires there is no session timer.
   */
  private timerFrom(session: Session, res: SipResponse, role: 'uac' | 'uas'): void {
    const granted = this.ports.sessionTimer === undefined ? undefined : sessionExpiresOf(res);
    if (granted === undefined) {
      session.timer?.stop();
      delete session.interval;
      delete session.refreshes;
      return;
    }
    session.interval = granted.seconds;
    // RFC 4028 7.2: a 2xx without refresher comes from a UAS that does not support timers: the UAC refreshes.
    session.refreshes = (granted.refresher ?? 'uac') === role;
    session.timer ??= new SessionTimer(this.ports.sim, () => this.refresh(session), () => this.timerExpired(session));
    session.timer.start(granted.seconds, session.refreshes);
  }

  /** RFC 4028 10: the refresher refreshes by UPDATE (RFC 3311), no new offer; 408 or 481 ends the session. */
  private refresh(session: Session): void {
    if (session.ended || session.dialog === undefined || session.interval === undefined) return;
    const dialog = session.dialog;
    const asked = session.interval;
    const req = dialog.createRequest('UPDATE', { contact: this.ports.contact, extra: refreshHeaders({ seconds: asked, refresher: 'uac' }, session.minSe) });
    this.ports.stack.request(req, dialog.nextHop(), (res) => {
      if (res.status < 200 || session.ended) return;
      if (res.status < 300) return this.timerFrom(session, res, 'uac');
      if (this.longerAfterRefusal(session, res, asked)) return this.refresh(session);
      this.ports.note(`session refresh failed: ${res.status}`);
      // RFC 4028 10 and RFC 3261 12.2.1.2: the dialog is gone; the session ends with BYE.
      if (res.status === 408 || res.status === 481) this.endByTimer(session);
    });
  }

  /**
   * RFC 4028 7.3 and 7.4: a refresh that asked for `asked` s and was refused 422 with a larger
   * Min-SE: the dialog asks for that Min-SE from now on, as its interval and its Min-SE.
   */
  private longerAfterRefusal(session: Session, res: SipResponse, asked: number): boolean {
    const longer = adoptRefusal(session, res, asked);
    if (longer === undefined) return false;
    this.ports.note(`session interval too small: asks for ${longer} s`);
    return true;
  }

  /** An UPDATE refreshing the session (RFC 4028 9): answered with the interval, the sender refreshing. */
  private updated(session: Session, req: SipRequest, tx: ServerTransaction): void {
    const res = createDialogResponse(req, 200, { toTag: session.dialog!.localTag, contact: this.ports.contact, extra: this.answeredTimer(req) });
    tx.respond(res);
    this.timerFrom(session, res, 'uas');
  }

  /** RFC 4028 10: no refresh came before the session interval ran out: this end sends BYE. */
  private timerExpired(session: Session): void {
    if (session.ended) return;
    this.ports.note('session expired: no refresh');
    this.endByTimer(session);
  }

  private endByTimer(session: Session): void {
    this.end(session);
    this.inDialog(session, 'BYE', {}, () => undefined);
  }

  // Helpers

  private newSession(conversationId: string, media: MediaType[]): Session {
    const msrp: MsrpUri = { secure: false, host: this.ports.host, port: 2855, sessionId: `s${++this.nextMsrpSession}${this.ports.rng.hex(6)}`, transport: 'tcp' };
    const session: Session = { conversationId, media, sdpId: sdpSessionId(this.ports.rng), sdpVersion: 1, msrp, ended: false };
    if (this.ports.rtp !== undefined) session.rtpPorts = rtpPortsOf(this.sessions.length);
    this.sessions.push(session);
    return session;
  }

  /** RFC 3264: the RTP streams of this end's description and the other's, one of them the answer. */
  private negotiated(session: Session, remote: SessionDescription, answered: 'local' | 'remote'): void {
    const rtp = this.ports.rtp;
    if (rtp === undefined || session.local === undefined) return;
    session.rtp ??= new RtpSession({ ...rtp, note: (text) => this.ports.note(text) });
    session.rtp.setStreams(negotiatedStreams(session.local, remote, answered));
  }

  /** The floor control server the other end's description names, when this end sends RTP. */
  private floorFrom(session: Session, remote: SessionDescription): void {
    const server = session.rtpPorts === undefined ? undefined : floorServer(remote);
    if (server !== undefined) session.floor = { ...server, nextTransaction: 1 };
  }

  /** The session is over for this device: its RTP session sends its BYE (RFC 3550 6.3.7). */
  private end(session: Session): void {
    session.ended = true;
    session.timer?.stop();
    if (session.rtp === undefined) return;
    session.rtp.close();
    for (const line of session.rtp.summary()) this.ports.note(line);
  }

  private active(conversationId: string, what: string): Session | undefined {
    const session = this.sessions.find((s) => s.conversationId === conversationId && !s.ended && s.dialog !== undefined);
    if (session === undefined) this.ports.note(`cannot ${what}: not in that session`);
    return session;
  }

  private inDialog(session: Session, method: string, opts: { extra?: Header[]; body?: Body }, onFinal: (res: SipResponse) => void): void {
    const dialog = session.dialog!;
    this.ports.stack.request(dialog.createRequest(method, opts), dialog.nextHop(), (res) => {
      if (res.status >= 200) onFinal(res);
    });
  }

  private respond(tx: ServerTransaction, status: number): void {
    tx.respond(createResponse(tx.request, status, { toTag: this.ports.stack.newTag() }));
  }
}

/** RFC 5366 4: the offer and the list of users to invite, as multipart/mixed. */
function recipientList(sdp: SessionDescription, users: string[]): Body {
  return buildMultipart('cpm-recipient-list', [
    { contentHeaders: [], content: sdpBody(sdp) },
    {
      contentHeaders: [{ name: 'Content-Disposition', value: 'recipient-list' }],
      content: { kind: 'resource-lists', contentType: 'application/resource-lists+xml', list: { entries: users.map((uri) => ({ uri })) } },
    },
  ]);
}

/** RFC 4579 3: a focus marks its Contact with `isfocus`; that URI is the conference (session) URI. */
function focusOf(msg: SipRequest | SipResponse): Uri | undefined {
  const contact = header(msg, 'Contact');
  if (contact === undefined) return undefined;
  const na = parseNameAddr(contact);
  return na.params.some((p) => p.name === 'isfocus') ? na.uri : undefined;
}
