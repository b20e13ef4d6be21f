import type { SessionDescription } from 'sdp-transform';
import type { Body } from '../../bodies/body.js';
import type { DisconnectionMethod, EndpointStatus } from '../../bodies/conference-info.js';
import type { MsrpMessage } from '../../msrp/message.js';
import { sameMsrpUri, type MsrpUri } from '../../msrp/uri.js';
import { createRequest, createResponse } from '../../sip/builders.js';
import { createDialogResponse, Dialog, inDialog } from '../../sip/dialog.js';
import { Invite2xxRetransmitter } from '../../sip/invite-2xx-retransmitter.js';
import { header, type Header, type SipRequest, type SipResponse } from '../../sip/message.js';
import { parseNameAddr, tagOf, type NameAddr } from '../../sip/name-addr.js';
import type { InviteClientTransaction } from '../../sip/transactions/invite-client-transaction.js';
import { InviteServerTransaction } from '../../sip/transactions/invite-server-transaction.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { aorOf, parseUri } from '../../sip/uri.js';
import { assertedIdentity } from '../../sip/asserted-identity.js';
import type { MediaType } from '../session-media.js';
import { referTargets } from '../session-requests.js';
import { failureReport, MsrpSends, wantsFailureReport } from '../../msrp/transactions.js';
import { sendRequest, sendResponse } from '../session-msrp.js';
import { answer, mediaTypes, msrpPeer, offer, sdpBody, sdpOf, sdpSessionId } from '../session-sdp.js';
import { CONTRIBUTION_ID, CONVERSATION_ID, IN_REPLY_TO_CONTRIBUTION_ID, cpmSessionHeaders } from '../service.js';
import type { PredefinedGroup } from './controlling-function.js';
import { addRefusal, bannedReason, modifyRefusal, removeRefusal } from './group-policy.js';
import type { ServicePolicy } from '../preferences.js';
import type { ServerPorts } from './ports.js';
import { ParticipantInformation } from './participant-information.js';
import type { FocusMedia } from './focus-media.js';
import { SessionRoster } from './session-roster.js';
import { advertisingLimit, oversizeSend } from './provider-policy.js';
import { ANONYMOUS, wantsIdentityPrivacy } from '../../sip/privacy.js';
import { adoptRefusal, MIN_SE_SECONDS, refreshHeaders, SessionTimer, sessionExpiresOf, supportsTimer, timerHeaders, type SessionExpires } from '../session-timer.js';

/** The prefix of the CPM Session Identities a Conversation Server hands out: a wildcarded PSI. */
export const SESSION_IDENTITY_PREFIX = 'conf-';

/** One Participant's signalling leg with the focus. */
interface Leg {
  aor: string;
  /**
   * The endpoint in the Participant Information (RFC 4575 5.6): the inviter's device by its
   * Contact; an invited user by the address the focus dialled.
   */
  endpoint: string;
  joiningMethod: 'dialed-in' | 'dialed-out';
  /** RFC 3323: the Participant joined asking for privacy (Privacy: id); the others do not learn who it is. */
  anonymous?: boolean;
  dialog?: Dialog;
  /** The Participant's end of the message stream (its a=path, RFC 4975 8.2). */
  msrpPath?: MsrpUri[];
  media: MediaType[];
  state: 'inviting' | 'connected' | 'gone';
  /** The focus invited this Participant: its pending INVITE, and the ACK of its 2xx. */
  invite?: InviteClientTransaction;
  ack?: SipRequest;
  /** ACKs of the dialogs other devices of the user set up by answering too (a forked INVITE), by their tag. */
  released?: Map<string, SipRequest>;
  /** This Participant invited the focus: the 2xx awaiting its ACK. */
  awaitingAck?: Invite2xxRetransmitter;
  /** RFC 4028: the leg's session interval, whether the focus refreshes it, and its timer. */
  interval?: number;
  focusRefreshes?: boolean;
  timer?: SessionTimer;
  /** RFC 4028 7.4: the largest Min-SE a 422 in the leg's dialog gave, which its refreshes carry. */
  minSe?: number;
}

/** What kind of group a session is for: its members, and the name its invitations come from. */
interface SessionShape {
  group: PredefinedGroup;
  subject: string;
  /** The From of the members' invitations: the Pre-defined Group, or the session for an Ad-hoc Group. */
  from: string;
  members: string[];
  identity: string;
}

/** A CPM Group Session the focus hosts. */
interface GroupSession {
  identity: string;
  group: PredefinedGroup;
  from: string;
  originator: string;
  conversationId: string;
  contributionId?: string;
  /** CPM 5.2.1.1: the Contribution-ID the invitation replied to, if it did. */
  inReplyTo?: string;
  media: MediaType[];
  msrp: MsrpUri;
  /** RFC 4566 5.2 sess-id and sess-version of the focus's descriptions. */
  sdpId: string;
  sdpVersion: number;
  /** Its Participant Information and the subscriptions to it (CPM 5.2.3.6). */
  info: ParticipantInformation;
  legs: Leg[];
  /** The originator's INVITE until the focus has answered it. */
  pending?: { tx: InviteServerTransaction; tag: string; offered: SessionDescription };
  /** RFC 4028: the session interval the originator asked for, which the focus asks of the members too. */
  interval?: number;
}

/**
 * The Controlling Function of CPM Group Sessions (CPM 5.2.3.2.1.2 to 5.2.3.6), a conference focus
 * in the RFC 4579 manner: it authorizes the inviting member against the group policy, gives the
 * session its CPM Session Identity, invites the other members, answers the inviter when the first
 * one alerts and accepts, keeps the Participant Information, handles leaving, adding, removing and
 * modification requests within the session, and releases Participants.
 */
export class SessionFocus {
  private readonly sessions: GroupSession[] = [];

  /** Copies of session messages waiting for their MSRP response, by the Participant they went to. */
  private readonly sends: MsrpSends<string>;

  constructor(
    private readonly ports: ServerPorts,
    /** Deliberately wrong behaviour for testing cpmsim explore (ServicePolicy.testFlaw); never a model of a real network. */
    private readonly flaw?: ServicePolicy['testFlaw'],
    /** With RTP on: the mixer of the sessions' real-time streams (CPM 5.2.3.9). */
    private readonly rtp?: FocusMedia,
    /** The provider's maximum size of a message (ServicePolicy.maxMessageSize), for session messages too. */
    private readonly maxMessageSize?: number,
  ) {
    this.sends = new MsrpSends(ports.sim);
  }

  /** Whether `req` is for a session this focus hosts (its identity, or one of its dialogs). */
  owns(req: SipRequest): boolean {
    return this.sessionAt(req) !== undefined || this.legOf(req) !== undefined || this.subscriptionOf(req) !== undefined;
  }

  /** C.2.1.2.1 step 5: an invitation to a hosted Pre-defined Group. */
  invited(group: PredefinedGroup, req: SipRequest, tx: ServerTransaction): void {
    if (!(tx instanceof InviteServerTransaction)) return this.respond(tx, 405);
    const inviter = assertedIdentity(req);
    const banned = inviter === undefined ? undefined : bannedReason(group, inviter);
    if (banned !== undefined) return this.refuseByPolicy(tx, group, inviter!, banned);
    if (inviter === undefined || (group.policy.allowedSenders === 'members' && !group.members.includes(inviter))) {
      this.ports.note(`refused ${inviter === undefined ? 'an unidentified user' : short(inviter)}: not a member of ${short(group.uri)}`);
      return this.respond(tx, 403, 'Not A Group Member');
    }
    const offered = sdpOf(req);
    this.host(req, tx, inviter, offered, (identity) => ({ group, subject: short(group.uri), from: group.uri, members: group.members, identity }));
  }

  /**
   * CPM 5.2.3.2.1.1 b: an invitation of a list of users (RFC 5366: SDP and a recipient-list URI
   * list) to this server's conference factory: it hosts the session, an Ad-hoc Group of the
   * inviter and the users listed, and invites them as for a Pre-defined Group.
   */
  adHoc(req: SipRequest, tx: ServerTransaction): void {
    if (!(tx instanceof InviteServerTransaction)) return this.respond(tx, 405);
    const inviter = assertedIdentity(req);
    if (inviter === undefined) return this.respond(tx, 403, 'No Asserted Identity');
    const parts = req.body?.kind === 'multipart' ? req.body.parts.map((p) => p.content) : [];
    const offered = parts.find((b) => b.kind === 'sdp');
    const list = parts.find((b) => b.kind === 'resource-lists');
    const invitees = list?.kind === 'resource-lists' ? [...new Set(list.list.entries.map((e) => aorOf(parseUri(e.uri))))].filter((u) => u !== inviter) : [];
    if (invitees.length === 0) return this.respond(tx, 400, 'Missing Recipient List');
    this.host(req, tx, inviter, offered?.kind === 'sdp' ? offered.sdp : undefined, (identity) => ({
      group: { uri: identity, members: [inviter, ...invitees], policy: { allowedSenders: 'members' } },
      subject: 'ad-hoc',
      from: identity,
      members: [inviter, ...invitees],
      identity,
    }));
  }

  /** CPM 5.2.3.2.1.2: give the session its identity and invite every member but the inviter. */
  private host(req: SipRequest, tx: InviteServerTransaction, inviter: string, offered: SessionDescription | undefined, shape: (identity: string) => SessionShape): void {
    const media = offered === undefined ? [] : mediaTypes(offered);
    if (offered === undefined || media.length === 0) return this.respond(tx, 488);
    if (this.intervalTooSmall(req, tx)) return;
    const { group, subject, from, members, identity } = shape(`sip:${SESSION_IDENTITY_PREFIX}${this.ports.rng.hex(8)}@${this.ports.domain}`);
    const session: GroupSession = {
      identity,
      group,
      from,
      originator: inviter,
      conversationId: header(req, CONVERSATION_ID) ?? this.ports.rng.uuid(),
      media,
      msrp: { secure: false, host: this.ports.host, port: 2855, sessionId: this.ports.rng.hex(10), transport: 'tcp' },
      sdpId: sdpSessionId(this.ports.rng),
      sdpVersion: 1,
      info: new ParticipantInformation(this.ports, new SessionRoster(identity, subject), (aor) => members.includes(aor), focusContact(identity)),
      legs: [{ aor: inviter, endpoint: endpointOf(req), joiningMethod: 'dialed-in', media, state: 'inviting', ...withPath(msrpPeer(offered)), ...privacyOf(req) }],
      pending: { tx, tag: this.ports.stack.newTag(), offered },
    };
    const contribution = header(req, CONTRIBUTION_ID);
    if (contribution !== undefined) session.contributionId = contribution;
    const inReplyTo = header(req, IN_REPLY_TO_CONTRIBUTION_ID);
    if (inReplyTo !== undefined) session.inReplyTo = inReplyTo;
    const asked = sessionExpiresOf(req);
    if (asked !== undefined && supportsTimer(req)) session.interval = asked.seconds;
    this.sessions.push(session);
    this.rtp?.hosted(session, offered);
    this.update(session, session.legs[0]!, 'dialing-in', ['participant', 'chairman']);
    tx.whenCancelled(() => this.cancelled(session));
    // A banned member is not invited (CPM 5.2.3.2.1.2: the members the group policy lets take part).
    const others = members.filter((m) => m !== inviter && bannedReason(group, m) === undefined);
    this.ports.note(`authorized ${short(inviter)}: session ${short(identity)}, inviting ${others.length}`);
    for (const member of others) this.inviteMember(session, member);
  }

  /** Requests within a hosted session, and subscriptions to its Participant Information. */
  receive(req: SipRequest, tx: ServerTransaction): void {
    const session = this.sessionAt(req);
    if (session !== undefined && req.method === 'SUBSCRIBE') return session.info.subscribe(req, tx, assertedIdentity(req));
    if (session !== undefined && req.method === 'INVITE' && !inDialog(req)) return this.rejoined(session, req, tx);
    const found = this.legOf(req);
    if (found === undefined) return this.respond(tx, 481);
    const [owner, leg] = found;
    if (leg.dialog!.receiveRequest(req) !== undefined) return this.respond(tx, 500);
    if (req.method === 'BYE') return this.left(owner, leg, tx);
    if (req.method === 'REFER') return this.referred(owner, leg, req, tx);
    if (req.method === 'INVITE') return this.modified(owner, leg, req, tx);
    if (req.method === 'UPDATE') return this.refreshed(owner, leg, req, tx);
    this.respond(tx, 405);
  }

  /**
   * CPM 5.2.3.2.1.1 (the last item of the invitation's contents): a member re-joins by an
   * invitation to the CPM Session Identity, if the group policy allows it and the session goes on;
   * the focus answers it as it answered the inviter, with the session's streams the member offers.
   */
  private rejoined(session: GroupSession, req: SipRequest, tx: ServerTransaction): void {
    if (!(tx instanceof InviteServerTransaction)) return this.respond(tx, 405);
    const joiner = assertedIdentity(req);
    if (joiner === undefined || !session.group.members.includes(joiner)) {
      this.ports.note(`refused ${joiner === undefined ? 'an unidentified user' : short(joiner)}: not a member of ${short(session.group.uri)}`);
      return this.respond(tx, 403, 'Not A Group Member');
    }
    if (session.group.policy.rejoin === false) {
      this.ports.note(`refused ${short(joiner)}: the group policy does not allow re-joining`);
      return this.respond(tx, 403, 'Re-joining Not Allowed');
    }
    if (session.pending !== undefined || !session.legs.some((l) => l.state === 'connected')) return this.respond(tx, 404, 'Session Has Ended');
    if (session.legs.some((l) => l.aor === joiner && l.state !== 'gone')) return this.respond(tx, 403, 'Already A Participant');
    const offered = sdpOf(req);
    const media = offered === undefined ? [] : mediaTypes(offered).filter((m) => session.media.includes(m));
    if (offered === undefined || media.length === 0) return this.respond(tx, 488);
    if (this.intervalTooSmall(req, tx)) return;
    const leg: Leg = { aor: joiner, endpoint: endpointOf(req), joiningMethod: 'dialed-in', media, state: 'connected', ...withPath(msrpPeer(offered)), ...privacyOf(req) };
    session.legs.push(leg);
    const local = answer(offered, this.ports.host, session.sdpId, session.sdpVersion, media, session.msrp, this.rtp?.portsOf(session, leg, short(joiner)));
    const res = createDialogResponse(req, 200, { toTag: this.ports.stack.newTag(), contact: this.focusContact(session), extra: this.answeredTimer(session, leg, req), body: this.described(local) });
    tx.respond(res);
    this.rtp?.negotiated(leg, local, offered, 'local');
    leg.dialog = Dialog.asUas(req, res);
    leg.awaitingAck = new Invite2xxRetransmitter(res, this.ports.stack, () => this.ports.note(`no ACK from ${short(joiner)}`));
    this.update(session, leg, 'connected');
    this.ports.note(`${short(joiner)} re-joined: ${media.join(', ')}`);
    this.participantsChanged(session);
  }

  /** The ACK of a 2xx the focus sent to an inviting Participant. */
  ack(ack: SipRequest): boolean {
    for (const session of this.sessions) {
      const leg = session.legs.find((l) => l.awaitingAck?.matches(ack));
      if (leg?.awaitingAck === undefined) continue;
      if (!leg.awaitingAck.acknowledged) leg.awaitingAck.ackReceived();
      return true;
    }
    return false;
  }

  // Inviting (C.2.1.2.2)

  /** CPM 5.2.3.2.1.2: a new INVITE to a member, through the group's SIP/IP Core. */
  private inviteMember(session: GroupSession, member: string): void {
    const { stack } = this.ports;
    const leg: Leg = { aor: member, endpoint: member, joiningMethod: 'dialed-out', media: [], state: 'inviting' };
    session.legs.push(leg);
    this.update(session, leg, 'dialing-out');
    const extra: Header[] = [
      ...cpmSessionHeaders(),
      // CPM 5.2.3.2.1.2: the inviting user, the invited user (To), the group (From) and the session
      // identity (Contact); an inviter who asked for privacy is named anonymously (RFC 3323 4.1.1.3).
      { name: 'Referred-By', value: `<${session.legs.some((l) => l.aor === session.originator && l.anonymous === true) ? ANONYMOUS : session.originator}>` },
      { name: 'P-Asserted-Identity', value: `<${session.from}>` },
      { name: CONVERSATION_ID, value: session.conversationId },
      ...(session.contributionId === undefined ? [] : [{ name: CONTRIBUTION_ID, value: session.contributionId }]),
      ...(session.inReplyTo === undefined ? [] : [{ name: IN_REPLY_TO_CONTRIBUTION_ID, value: session.inReplyTo }]),
      // RFC 4028 7.1: the session interval the originator asked for; the member's client chooses the refresher.
      ...(session.interval === undefined ? [] : timerHeaders({ seconds: session.interval }, 'request')),
    ];
    const req = createRequest({
      method: 'INVITE',
      uri: parseUri(member),
      from: { uri: parseUri(session.from), params: [{ name: 'tag', value: stack.newTag() }] },
      to: { uri: parseUri(member), params: [] },
      callId: stack.newCallId(),
      cseq: 1,
      contact: this.focusContact(session),
      extra,
      body: this.described(offer(this.ports.host, session.sdpId, session.sdpVersion, session.media, session.msrp, this.rtp?.portsOf(session, leg, short(member)))),
    });
    leg.invite = stack.invite(req, this.ports.coreHost, (res) => this.memberAnswered(session, leg, req, res));
  }

  /**
   * RFC 3261 13.2.2.4: each 2xx to a forked INVITE sets up a dialog of its own, which the UAC ACKs
   * and, since the session has its Participant already, ends with BYE. Its retransmissions get the
   * same ACK again. (Another device of the user answered while the core's CANCEL was on its way.)
   */
  private releaseSecondAnswer(leg: Leg, req: SipRequest, res: SipResponse): void {
    const tag = toTagOf(res) ?? '';
    leg.released ??= new Map();
    const known = leg.released.get(tag);
    const extra = Dialog.asUac(req, res);
    if (known !== undefined) return this.ports.stack.sendAck(known, extra.nextHop());
    const ack = extra.createAck(res);
    leg.released.set(tag, ack);
    this.ports.stack.sendAck(ack, extra.nextHop());
    this.ports.note(`${short(leg.aor)} answered on a second device: released`);
    this.ports.stack.request(extra.createRequest('BYE'), extra.nextHop(), () => undefined);
  }

  private memberAnswered(session: GroupSession, leg: Leg, req: SipRequest, res: SipResponse): void {
    if (res.status < 200) {
      if (res.status !== 180) return;
      this.update(session, leg, 'alerting');
      // C.2.1.2.1 steps 6-10: the first ALERTING of any invited client rings the inviter.
      const pending = session.pending;
      if (pending !== undefined && pending.tx.lastResponse?.status !== 180) {
        pending.tx.respond(createDialogResponse(pending.tx.request, 180, { toTag: pending.tag, contact: this.focusContact(session) }));
      }
      return this.participantsChanged(session);
    }
    if (res.status >= 300) {
      this.gone(session, leg, res.status === 486 || res.status === 600 ? 'busy' : 'failed');
      this.ports.note(`${short(leg.aor)} did not join: ${res.status}`);
      this.participantsChanged(session);
      return this.refuseIfNobody(session);
    }
    if (leg.dialog !== undefined && leg.ack !== undefined) {
      if (toTagOf(res) === leg.dialog.remoteTag || this.flaw === 'ack-first-answer-only') return this.ports.stack.sendAck(leg.ack, leg.dialog.nextHop());
      return this.releaseSecondAnswer(leg, req, res);
    }
    leg.dialog = Dialog.asUac(req, res);
    leg.ack = leg.dialog.createAck(res);
    this.ports.stack.sendAck(leg.ack, leg.dialog.nextHop());
    // RFC 3261 15: an acceptance that crossed the cancellation ends at once (the session is over).
    if (leg.state === 'gone') {
      this.ports.note(`${short(leg.aor)} accepted too late: released`);
      return void this.ports.stack.request(leg.dialog.createRequest('BYE'), leg.dialog.nextHop(), () => undefined);
    }
    leg.state = 'connected';
    this.timerFrom(session, leg, sessionExpiresOf(res), 'uac');
    const accepted = sdpOf(res);
    leg.media = accepted === undefined ? [] : mediaTypes(accepted);
    if (accepted !== undefined) Object.assign(leg, withPath(msrpPeer(accepted)));
    this.rtp?.negotiated(leg, sdpOf(req), accepted, 'remote');
    this.update(session, leg, 'connected');
    this.ports.note(`${short(leg.aor)} joined: ${leg.media.join(', ')}`);
    this.answerInviter(session, leg.media);
    this.participantsChanged(session);
  }

  /** C.2.1.2.1 steps 11-15 and CPM 5.2.3.8.1: the inviter gets the streams the first member accepted. */
  private answerInviter(session: GroupSession, accepted: MediaType[]): void {
    const pending = session.pending;
    if (pending === undefined) return;
    session.pending = undefined;
    const inviter = session.legs[0]!;
    inviter.media = session.media.filter((m) => accepted.includes(m));
    const local = answer(pending.offered, this.ports.host, session.sdpId, session.sdpVersion, inviter.media, session.msrp, this.rtp?.portsOf(session, inviter, short(inviter.aor)));
    const res = createDialogResponse(pending.tx.request, 200, {
      toTag: pending.tag,
      contact: this.focusContact(session),
      extra: this.answeredTimer(session, inviter, pending.tx.request),
      body: this.described(local),
    });
    pending.tx.respond(res);
    this.rtp?.negotiated(inviter, local, pending.offered, 'local');
    inviter.dialog = Dialog.asUas(pending.tx.request, res);
    inviter.awaitingAck = new Invite2xxRetransmitter(res, this.ports.stack, () => this.ports.note(`no ACK from ${short(inviter.aor)}`));
    inviter.state = 'connected';
    this.update(session, inviter, 'connected');
  }

  /** Every invited member refused or failed before anyone accepted: the inviter hears so. */
  private refuseIfNobody(session: GroupSession): void {
    const pending = session.pending;
    if (pending === undefined || session.legs.slice(1).some((l) => l.state !== 'gone')) return;
    session.pending = undefined;
    session.legs[0]!.state = 'gone';
    pending.tx.respond(createResponse(pending.tx.request, 480, { toTag: pending.tag, reason: 'No Member Available' }));
  }

  /** The inviter cancelled (RFC 3261 9.2): the focus cancels the members' pending invitations. */
  private cancelled(session: GroupSession): void {
    const pending = session.pending;
    if (pending === undefined) return;
    session.pending = undefined;
    pending.tx.respond(createResponse(pending.tx.request, 487, { toTag: pending.tag }));
    for (const leg of session.legs) {
      if (leg.invite !== undefined && leg.state === 'inviting') this.ports.stack.cancel(leg.invite);
      leg.state = 'gone';
    }
  }

  // Within the session (C.2.2 to C.2.4)

  /**
   * CPM 5.2.3.2.2 and C.2.3.1: the Participant leaves; when fewer than two Participants would be
   * left, the group policy ends the session and the others are released (step 11).
   */
  private left(session: GroupSession, leg: Leg, tx: ServerTransaction): void {
    this.respond(tx, 200);
    this.gone(session, leg, 'departed');
    this.ports.note(`${short(leg.aor)} left`);
    this.endIfAlone(session);
    this.participantsChanged(session);
  }

  /** C.2.3.1 step 11: with fewer than two Participants left, the group policy ends the session. */
  private endIfAlone(session: GroupSession): void {
    const remaining = session.legs.filter((l) => l.state === 'connected');
    if (remaining.length < 2) for (const other of remaining) this.release(session, other, 'booted');
  }

  /**
   * CPM 5.2.3.2.3 and 5.2.3.2.4 as REFER (RFC 4579 5.5, 5.11): any Participant may add users; only
   * the one who started the session may remove Participants (the group policy cpmsim models).
   */
  private referred(session: GroupSession, leg: Leg, req: SipRequest, tx: ServerTransaction): void {
    const targets = referTargets(req);
    if (targets.length === 0) return this.respond(tx, 400, 'Missing Refer-To');
    const removing = targets.every((t) => t.method === 'BYE');
    if (!removing && targets.some((t) => t.method !== 'INVITE')) return this.respond(tx, 400, 'Mixed Refer-To Methods');
    const present = session.legs.filter((l) => l.state !== 'gone').length;
    const refusal = removing
      ? removeRefusal(session.group, leg.aor, session.originator)
      : addRefusal(session.group, leg.aor, session.originator, targets.map((t) => t.aor), present);
    if (refusal !== undefined) return this.refuseByPolicy(tx, session.group, leg.aor, refusal, leg.dialog!.localTag);
    this.respond(tx, 202);
    for (const target of targets) {
      if (removing) {
        const victim = session.legs.find((l) => l.aor === target.aor && l.state === 'connected');
        if (victim === undefined) this.ports.note(`${short(target.aor)} is not a Participant`);
        else this.release(session, victim, 'booted');
      } else if (session.legs.some((l) => l.aor === target.aor && l.state !== 'gone')) {
        this.ports.note(`${short(target.aor)} is already in the session`);
      } else {
        this.ports.note(`invites ${short(target.aor)}`);
        this.inviteMember(session, target.aor);
      }
    }
    this.participantsChanged(session);
  }

  /**
   * CPM 5.2.3.2.6.1 and 5.2.3.8.2: the focus accepts the offered streams, then, if the modifying
   * Participant added streams or removed from all a stream it used, offers every other connected
   * Participant its current streams less the removed ones plus the added ones (C.2.4.1.2). Any
   * Participant may add streams; only the one who started the session may remove one from all
   * (the group policy cpmsim models, as for removing Participants); another who stops offering a
   * stream only stops using it itself.
   */
  private modified(session: GroupSession, leg: Leg, req: SipRequest, tx: ServerTransaction): void {
    const offered = sdpOf(req);
    const media = offered === undefined ? [] : mediaTypes(offered);
    if (offered === undefined || media.length === 0) return this.respond(tx, 488);
    const refusal = modifyRefusal(session.group, leg.aor, session.originator);
    if (refusal !== undefined) return this.refuseByPolicy(tx, session.group, leg.aor, refusal, leg.dialog!.localTag);
    if (this.intervalTooSmall(req, tx, leg.dialog!.localTag)) return;
    const added = media.filter((m) => !session.media.includes(m));
    const removed = leg.aor === session.originator ? leg.media.filter((m) => !media.includes(m)) : [];
    session.media = [...session.media.filter((m) => !removed.includes(m)), ...added];
    session.sdpVersion++;
    leg.media = media;
    Object.assign(leg, withPath(msrpPeer(offered)));
    if (added.length > 0) this.ports.note(`${short(leg.aor)} added ${added.join(', ')}`);
    if (removed.length > 0) this.ports.note(`${short(leg.aor)} removed ${removed.join(', ')} from the session`);
    const local = answer(offered, this.ports.host, session.sdpId, session.sdpVersion, media, session.msrp, this.rtp?.portsOf(session, leg, short(leg.aor)));
    const res = createDialogResponse(req, 200, {
      toTag: leg.dialog!.localTag,
      contact: this.focusContact(session),
      extra: this.answeredTimer(session, leg, req),
      body: this.described(local),
    });
    tx.respond(res);
    this.rtp?.negotiated(leg, local, offered, 'local');
    leg.awaitingAck = new Invite2xxRetransmitter(res, this.ports.stack, () => this.ports.note(`no ACK from ${short(leg.aor)}`));
    this.update(session, leg, 'connected');
    if (added.length > 0 || removed.length > 0) {
      for (const other of session.legs) {
        if (other === leg || other.state !== 'connected') continue;
        const kept = other.media.filter((m) => !removed.includes(m));
        const next = [...kept, ...added.filter((m) => !kept.includes(m))];
        // A Participant left with no stream at all cannot stay in the session.
        if (next.length === 0) this.release(session, other, 'booted');
        else this.offerTo(session, other, next);
      }
    }
    this.participantsChanged(session);
  }

  /**
   * C.2.4.1.2 steps 2-11: a re-INVITE to one Participant, and its ACK. CPM 5.2.3.8.2: if it fails,
   * the focus stops forwarding to it the streams it used and was not offered any more.
   */
  private offerTo(session: GroupSession, leg: Leg, media: MediaType[]): void {
    const local = offer(this.ports.host, session.sdpId, session.sdpVersion, media, session.msrp, this.rtp?.portsOf(session, leg, short(leg.aor)));
    this.reInvite(session, leg, media, local);
  }

  /** The re-INVITE of `offerTo`; sent again, the same offer, after a 422 (RFC 4028 7.4). */
  private reInvite(session: GroupSession, leg: Leg, media: MediaType[], local: SessionDescription): void {
    const dialog = leg.dialog!;
    const asked = leg.interval;
    const req = dialog.createRequest('INVITE', {
      contact: this.focusContact(session),
      // RFC 4028 7.1 and 7.4: a re-INVITE keeps the leg's session timer, with the same refresher.
      extra: [...cpmSessionHeaders(), ...(asked === undefined ? [] : refreshHeaders({ seconds: asked, refresher: leg.focusRefreshes === true ? 'uac' : 'uas' }, leg.minSe))],
      body: this.described(local),
    });
    this.ports.stack.invite(req, dialog.nextHop(), (res) => {
      if (res.status < 200) return;
      if (asked !== undefined && leg.state === 'connected' && this.longerAfterRefusal(leg, res, asked)) return this.reInvite(session, leg, media, local);
      if (res.status >= 300) {
        this.ports.note(`${short(leg.aor)} refused the new streams: ${res.status}`);
        const withdrawn = leg.media.filter((m) => !media.includes(m));
        if (withdrawn.length === 0 || leg.state !== 'connected') return;
        leg.media = leg.media.filter((m) => media.includes(m));
        this.ports.note(`stops forwarding ${withdrawn.join(', ')} to ${short(leg.aor)}`);
        this.rtp?.withdrawn(leg, withdrawn);
        this.update(session, leg, 'connected');
        return this.participantsChanged(session);
      }
      this.ports.stack.sendAck(dialog.createAck(res), dialog.nextHop());
      if (leg.state === 'connected') this.timerFrom(session, leg, sessionExpiresOf(res), 'uac');
      const accepted = sdpOf(res);
      leg.media = accepted === undefined ? leg.media : mediaTypes(accepted);
      this.rtp?.negotiated(leg, local, accepted, 'remote');
      this.update(session, leg, 'connected');
      this.participantsChanged(session);
    });
  }

  /** CPM 5.2.3.2.5 and C.2.3.3: a BYE to the Participant along its signalling path. */
  private release(session: GroupSession, leg: Leg, how: DisconnectionMethod): void {
    this.gone(session, leg, how);
    const dialog = leg.dialog!;
    this.ports.note(`releases ${short(leg.aor)}`);
    this.ports.stack.request(dialog.createRequest('BYE'), dialog.nextHop(), (res) => {
      if (res.status >= 300) this.ports.note(`release of ${short(leg.aor)} answered ${res.status}`);
    });
  }

  /**
   * C.2.5.2: the subscribers hear of each change; once no Participant is left the session is over
   * and so is its Participant Information (RFC 6665 4.2.2, the subscriptions terminated).
   */
  private participantsChanged(session: GroupSession): void {
    if (session.pending === undefined && !session.legs.some((l) => l.state === 'connected')) session.info.end();
    else session.info.changed();
  }

  private gone(session: GroupSession, leg: Leg, how: DisconnectionMethod): void {
    leg.state = 'gone';
    leg.timer?.stop();
    leg.media = [];
    this.rtp?.gone(leg);
    this.update(session, leg, 'disconnected', undefined, how);
  }

  /** The leg's state in the Participant Information (CPM 5.2.3.6). */
  private update(session: GroupSession, leg: Leg, status: EndpointStatus, roles?: string[], how?: DisconnectionMethod): void {
    const state = { status, joiningMethod: leg.joiningMethod, media: streamsOf(leg.media), ...(how === undefined ? {} : { disconnectionMethod: how }) };
    session.info.roster.set(leg.aor, leg.endpoint, state, roles, leg.anonymous === true);
  }

  // Session timers (RFC 4028)

  /**
   * RFC 4028 9: a request that supports session timers and asks for an interval below the focus's
   * Min-SE is refused 422 with the Min-SE (in its dialog, if it has one); one that does not support
   * them could not act on a 422, and gets no timer instead.
   */
  private intervalTooSmall(req: SipRequest, tx: ServerTransaction, dialogTag?: string): boolean {
    const asked = sessionExpiresOf(req);
    if (asked === undefined || asked.seconds >= MIN_SE_SECONDS || !supportsTimer(req)) return false;
    tx.respond(createResponse(req, 422, { toTag: dialogTag ?? this.ports.stack.newTag(), extra: [{ name: 'Min-SE', value: String(MIN_SE_SECONDS) }] }));
    return true;
  }

  /**
   * RFC 4028 9: the 2xx to a Participant's INVITE or UPDATE that asked for a session timer (and
   * supports it) grants its interval unchanged (a UAS never lengthens it) with the refresher it
   * asked for, else the Participant (refresher=uac); the focus's timer of the leg starts again. A
   * request that asks for none ends the leg's timer.
   */
  private answeredTimer(session: GroupSession, leg: Leg, req: SipRequest): Header[] {
    const asked = sessionExpiresOf(req);
    if (asked === undefined || !supportsTimer(req)) {
      this.timerFrom(session, leg, undefined, 'uas');
      return [];
    }
    const granted: SessionExpires = { seconds: asked.seconds, refresher: asked.refresher ?? 'uac' };
    this.timerFrom(session, leg, granted, 'uas');
    return timerHeaders(granted, 'response');
  }

  /**
   * The interval a 2xx granted on the leg, the focus having been `role` of its request: it
   * refreshes when the refresher is its side, else it watches for the Participant's refreshes.
   */
  private timerFrom(session: GroupSession, leg: Leg, granted: SessionExpires | undefined, role: 'uac' | 'uas'): void {
    if (granted === undefined) {
      leg.timer?.stop();
      delete leg.interval;
      return;
    }
    leg.interval = granted.seconds;
    leg.focusRefreshes = (granted.refresher ?? 'uac') === role;
    leg.timer ??= new SessionTimer(this.ports.sim, () => this.refreshLeg(session, leg), () => this.expired(session, leg));
    leg.timer.start(granted.seconds, leg.focusRefreshes);
  }

  /** RFC 4028 9: a refresh by UPDATE (RFC 3311), answered with the interval, its sender refreshing. */
  private refreshed(session: GroupSession, leg: Leg, req: SipRequest, tx: ServerTransaction): void {
    if (this.intervalTooSmall(req, tx, leg.dialog!.localTag)) return;
    const res = createDialogResponse(req, 200, { toTag: leg.dialog!.localTag, contact: this.focusContact(session), extra: this.answeredTimer(session, leg, req) });
    tx.respond(res);
  }

  /** RFC 4028 10: the focus refreshes a leg it is the refresher of; 408 or 481 means the Participant is gone. */
  private refreshLeg(session: GroupSession, leg: Leg): void {
    if (leg.state !== 'connected' || leg.interval === undefined) return;
    const dialog = leg.dialog!;
    const asked = leg.interval;
    const req = dialog.createRequest('UPDATE', { contact: this.focusContact(session), extra: refreshHeaders({ seconds: asked, refresher: 'uac' }, leg.minSe) });
    this.ports.stack.request(req, dialog.nextHop(), (res) => {
      if (res.status < 200 || leg.state !== 'connected') return;
      if (res.status < 300) return this.timerFrom(session, leg, sessionExpiresOf(res), 'uac');
      if (this.longerAfterRefusal(leg, res, asked)) return this.refreshLeg(session, leg);
      this.ports.note(`session refresh of ${short(leg.aor)} failed: ${res.status}`);
      if (res.status === 408 || res.status === 481) this.expired(session, leg);
    });
  }

  /**
   * RFC 4028 7.3 and 7.4: a refresh of the leg that asked for `asked` s and was refused 422 with a
   * larger Min-SE: the leg's dialog asks for that Min-SE from now on, as interval and Min-SE.
   */
  private longerAfterRefusal(leg: Leg, res: SipResponse, asked: number): boolean {
    const longer = adoptRefusal(leg, res, asked);
    if (longer === undefined) return false;
    this.ports.note(`session interval of ${short(leg.aor)} too small: asks for ${longer} s`);
    return true;
  }

  /**
   * RFC 4028 10: no refresh came before the leg's interval ran out (a client that crashed, say): the
   * focus releases the Participant (CPM 5.2.3.2.5) rather than keep a dead one in the session, and
   * the group policy ends a session left with fewer than two.
   */
  private expired(session: GroupSession, leg: Leg): void {
    if (leg.state !== 'connected') return;
    this.ports.note(`session of ${short(leg.aor)} expired: no refresh`);
    this.release(session, leg, 'failed');
    this.endIfAlone(session);
    this.participantsChanged(session);
  }

  // Media (C.2.1.1 step 12 of C.2.4.1, 5.2.3.9)

  /**
   * CPM 5.2.3.9: a message of a session's message stream (MSRP, no floor control) goes to every
   * other connected Participant that uses the stream; the sender gets the 200 (RFC 4975 7.2).
   */
  media(msg: MsrpMessage, fromHost: string): void {
    if (msg.type === 'msrp-response') {
      this.sends.answered(msg);
      if (msg.status >= 300) this.ports.note(`session message refused by a Participant: ${msg.status}`);
      return;
    }
    // RFC 4975 7.1.2: a REPORT is never answered; the focus sends none of its own on.
    if (msg.method === 'REPORT') return;
    const own = msg.toPath[msg.toPath.length - 1];
    const session = this.sessions.find((s) => own !== undefined && sameMsrpUri(s.msrp, own));
    // The sender is the last URI of the From-Path, whatever relays the message passed (RFC 4976).
    const from = msg.fromPath[msg.fromPath.length - 1];
    const sender = session?.legs.find((l) => {
      const end = l.msrpPath?.[l.msrpPath.length - 1];
      return l.state === 'connected' && from !== undefined && end !== undefined && sameMsrpUri(end, from);
    });
    // RFC 4975 7.3.1; and 5.2.3.2.2: the focus discards what a departed Participant still sends.
    if (session === undefined || sender === undefined) return this.ports.sendMedia(fromHost, sendResponse(msg, 481, 'Session Does Not Exist'));
    // RFC 4975 10.5: a message over the size the focus advertised (the provider's maximum) is refused, not relayed.
    const size = oversizeSend(msg, this.maxMessageSize);
    if (size !== undefined) {
      this.ports.note(`refused a session message of ${size} octets from ${short(sender.aor)}: the service provider's maximum is ${this.maxMessageSize}`);
      return this.ports.sendMedia(fromHost, sendResponse(msg, 413, 'Message Too Large'));
    }
    this.ports.sendMedia(fromHost, sendResponse(msg, 200, 'OK'));
    if (msg.method !== 'SEND' || msg.body === undefined) return;
    const receivers = session.legs.filter((l) => l !== sender && l.state === 'connected' && l.media.includes('message') && l.msrpPath !== undefined);
    this.ports.note(`relays ${short(sender.aor)}'s message to ${receivers.length}`);
    for (const leg of receivers) {
      const copy = sendRequest(this.ports.rng, leg.msrpPath!, [session.msrp], msg.body);
      // RFC 4975 7.1.1-7.1.2: a copy unanswered within 30 s failed, and the sender hears of it.
      this.sends.sent(copy, leg.aor, (aor) => {
        this.ports.note(`no MSRP response from ${short(aor)} within 30 s`);
        if (wantsFailureReport(msg)) this.ports.sendMedia(fromHost, failureReport(this.ports.rng, msg, session.msrp, 408));
      });
      this.ports.sendMedia(leg.msrpPath![0]!.host, copy);
    }
  }

  // Helpers

  /** The focus's own description, advertising the size of message it takes (RFC 4975 8.6). */
  private described(sdp: SessionDescription): Body {
    return sdpBody(advertisingLimit(sdp, this.maxMessageSize));
  }

  private focusContact(session: GroupSession): NameAddr {
    return focusContact(session.identity);
  }

  private sessionAt(req: SipRequest): GroupSession | undefined {
    const target = aorOf(req.uri);
    return this.sessions.find((s) => s.identity === target);
  }

  private legOf(req: SipRequest): [GroupSession, Leg] | undefined {
    for (const session of this.sessions) {
      const leg = session.legs.find((l) => l.dialog?.matches(req));
      if (leg !== undefined) return [session, leg];
    }
    return undefined;
  }

  private subscriptionOf(req: SipRequest): GroupSession | undefined {
    return this.sessions.find((s) => s.info.owns(req));
  }

  /**
   * 403 with the policy's reason (RFC 3261 21.4.4); a request within a session is answered in its
   * dialog, with the focus's tag of that dialog (RFC 3261 12.2.2).
   */
  private refuseByPolicy(tx: ServerTransaction, group: PredefinedGroup, user: string, reason: string, dialogTag?: string): void {
    this.ports.note(`group policy of ${short(group.uri)} refuses ${short(user)}: ${reason.toLowerCase()}`);
    tx.respond(createResponse(tx.request, 403, { toTag: dialogTag ?? this.ports.stack.newTag(), reason }));
  }

  private respond(tx: ServerTransaction, status: number, reason?: string): void {
    tx.respond(createResponse(tx.request, status, { toTag: this.ports.stack.newTag(), ...(reason === undefined ? {} : { reason }) }));
  }
}

/** RFC 4579 3: the focus's Contact is the conference URI, the CPM Session Identity, with `isfocus`. */
const focusContact = (identity: string): NameAddr => ({ uri: parseUri(identity), params: [{ name: 'isfocus' }] });

const withPath = (path: MsrpUri[] | undefined): { msrpPath?: MsrpUri[] } => (path === undefined ? {} : { msrpPath: path });

/** RFC 4575 5.6.9: one media element per stream the Participant uses. */
function streamsOf(media: MediaType[]): { id: string; type: MediaType; status: 'sendrecv' }[] {
  return media.map((type, i) => ({ id: String(i + 1), type, status: 'sendrecv' as const }));
}

/** The inviter's device, by the Contact of its INVITE. */
function endpointOf(req: SipRequest): string {
  const contact = header(req, 'Contact');
  return contact === undefined ? aorOf(parseNameAddr(header(req, 'From') ?? '').uri) : aorOf(parseNameAddr(contact).uri);
}

const short = (uri: string): string => uri.replace(/^sip:/, '');

/** RFC 3325 9.3: a Participant whose invitation asks `Privacy: id` is anonymous to the others. */
const privacyOf = (req: SipRequest): { anonymous?: true } => (wantsIdentityPrivacy(req) ? { anonymous: true } : {});

function toTagOf(res: SipResponse): string | undefined {
  return tagOf(header(res, 'To'));
}
