import { cpimHeader } from '../../bodies/cpim-codec.js';
import type { CpimMessage } from '../../bodies/cpim.js';
import type { Field } from '../../bodies/field.js';
import { assertedIdentity } from '../../sip/asserted-identity.js';
import { createRequest, createResponse } from '../../sip/builders.js';
import { header, type Header, type SipRequest, type SipResponse } from '../../sip/message.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { aorOf, parseUri, type Uri } from '../../sip/uri.js';
import { IMDN_ORIGINAL_TO, IMDN_RECORD_ROUTE, reportedOf } from '../notification.js';
import type { ServicePolicy } from '../preferences.js';
import { CONTRIBUTION_ID, CONVERSATION_ID, IN_REPLY_TO_CONTRIBUTION_ID } from '../service.js';
import { GroupNotifications } from './group-imdn.js';
import { bannedReason, type Permitted } from './group-policy.js';
import type { ServerPorts } from './ports.js';

/** Group and service control policy of a Pre-defined Group (CPM C.3.1.2 step 6). */
export interface GroupPolicy {
  /** Who may send to the group: its members only, or anyone. */
  allowedSenders: 'members' | 'anyone';
  /** Users who may neither send to the group, nor start, join or be added to its sessions. */
  banned?: string[];
  /** At most this many Participants in a session of the group (its originator included). */
  maxParticipants?: number;
  /** Who may add users to a session (default: any Participant). */
  mayAdd?: Permitted;
  /** Who may remove Participants (default: the originator of the session). */
  mayRemove?: Permitted;
  /** Who may modify the session's Media Streams (default: any Participant). */
  mayModify?: Permitted;
  /** CPM 5.2.3.2.1.1: whether a member who is not in a session of the group may (re-)join it by its CPM Session Identity; default yes. */
  rejoin?: boolean;
}

/** A CPM Pre-defined Group as its hosting Conversation Server holds it (provisioned, like an XDMS list). */
export interface PredefinedGroup {
  /** The group's address, a public service identity such as `sip:friends@x.example`. */
  uri: string;
  /** The members' CPM Addresses. */
  members: string[];
  policy: GroupPolicy;
}

/**
 * Headers of the sender's request that every member's copy carries: the CPM Service indication,
 * the conversation indications the Controlling Function SHALL include as received (CPM 5.2.1.1),
 * and the validity of the content (RFC 3428 8).
 */
const KEPT = ['Accept-Contact', 'P-Preferred-Service', CONVERSATION_ID, CONTRIBUTION_ID, IN_REPLY_TO_CONTRIBUTION_ID, 'Expires'];

/** The namespace declaration the imdn.* CPIM headers need (RFC 3862 NS, RFC 5438). */
const IMDN_NS: Field = { name: 'NS', value: 'imdn <urn:ietf:params:imdn>' };

/**
 * The CPM Controlling Function of the Pre-defined Groups a domain hosts, for pager-mode messages
 * (CPM 5.2.2.1, C.3.1.2, C.3.1.3): it authorizes the sender, answers 202 Accepted, and sends the
 * message to every other member as a new request through the group's SIP/IP Core, whose
 * notifications it then handles (GroupNotifications, CPM 5.2.2.3.1).
 */
export class ControllingFunction {
  /** The addresses of the groups hosted here; their documents are in the XDMS. */
  private readonly hosted = new Set<string>();
  private readonly notifications: GroupNotifications;

  constructor(
    private readonly ports: ServerPorts,
    policy: ServicePolicy,
  ) {
    this.notifications = new GroupNotifications(ports, policy);
  }

  /** Provisioning: this server hosts the group at `uri`; not a network interaction. */
  host(uri: string): void {
    this.hosted.add(uri);
  }

  /** Whether a Request-URI names a group hosted here. */
  hosts(uri: Uri): boolean {
    return this.hosted.has(aorOf(uri));
  }

  /**
   * C.3.1.3 steps 16-17: a member's notification, addressed to the group, is answered here and
   * goes on to the sender (it needs no group document). False for any other request.
   */
  notification(req: SipRequest, tx: ServerTransaction): boolean {
    const cpim = req.method === 'MESSAGE' && req.body?.kind === 'cpim' ? req.body.cpim : undefined;
    if (cpim?.content.kind !== 'imdn') return false;
    this.respond(tx, 200);
    this.notifications.received(aorOf(req.uri), cpim, cpim.content.imdn);
    return true;
  }

  /** A request to the group's address, which the group's SIP/IP Core routes here (CPM 5.2.2.1). */
  receive(group: PredefinedGroup, req: SipRequest, tx: ServerTransaction): void {
    if (req.method !== 'MESSAGE') return this.respond(tx, 405, { extra: [{ name: 'Allow', value: 'MESSAGE' }] });
    if (req.body?.kind !== 'cpim') return this.respond(tx, 415, { extra: [{ name: 'Accept', value: 'message/cpim' }] });
    const cpim = req.body.cpim;
    const sender = assertedIdentity(req);
    const banned = sender === undefined ? undefined : bannedReason(group, sender);
    if (banned !== undefined) {
      this.ports.note(`group policy of ${short(group.uri)} refuses ${short(sender!)}: ${banned.toLowerCase()}`);
      return this.respond(tx, 403, { reason: banned });
    }
    if (sender === undefined || (group.policy.allowedSenders === 'members' && !group.members.includes(sender))) {
      this.ports.note(`refused ${sender === undefined ? 'an unidentified sender' : short(sender)}: not a member of ${short(group.uri)}`);
      return this.respond(tx, 403, { reason: 'Not A Group Member' });
    }
    const recipients = group.members.filter((member) => member !== sender);
    this.ports.note(`authorized ${short(sender)}: ${recipients.length} copies`);
    const message = reportedOf(cpim);
    const answered = message !== undefined && message.requested.length > 0 ? this.notifications.track(group.uri, message, recipients) : undefined;
    for (const member of recipients) {
      this.toMember(group, member, req, cpim, (res) => answered?.(member, res));
    }
    // C.3.1.2: the members' copies (step 6) leave before the Accepted response (steps 7-11).
    this.respond(tx, 202);
  }

  /** C.3.1.3 step 2: a new MESSAGE from the group to one member, through the group's SIP/IP Core. */
  private toMember(group: PredefinedGroup, member: string, original: SipRequest, cpim: CpimMessage, onFinal: (res: SipResponse) => void): void {
    const kept = KEPT.flatMap((name): Header[] => {
      const value = header(original, name);
      return value === undefined ? [] : [{ name, value }];
    });
    const req = createRequest({
      method: 'MESSAGE',
      uri: parseUri(member),
      from: { uri: parseUri(group.uri), params: [{ name: 'tag', value: this.ports.stack.newTag() }] },
      to: { uri: parseUri(member), params: [] },
      callId: this.ports.stack.newCallId(),
      cseq: 1,
      // The group's network asserts the group as the originator of its requests (3GPP TS 24.229 5.7.3).
      extra: [{ name: 'P-Asserted-Identity', value: `<${group.uri}>` }, ...kept],
      body: { kind: 'cpim', contentType: 'message/cpim', cpim: copyFor(cpim, group.uri, member) },
    });
    this.ports.stack.request(req, this.ports.coreHost, (res) => {
      if (res.status < 200) return;
      if (res.status >= 300) this.ports.note(`copy to ${short(member)} failed: ${res.status}`);
      onFinal(res);
    });
  }

  private respond(tx: ServerTransaction, status: number, opts: { reason?: string; extra?: Header[] } = {}): void {
    tx.respond(createResponse(tx.request, status, { ...opts, toTag: this.ports.stack.newTag() }));
  }
}

/**
 * A member's copy of the CPIM message. The From stays the sender, so the member sees who wrote.
 * The To becomes the member, with the group kept in imdn.Original-To as RFC 5438 requires of an
 * intermediary that changes the To: the member's notifications then name the member as
 * recipient-uri and the group as original-recipient-uri. imdn.IMDN-Record-Route makes them come
 * back through the group (C.3.1.3 step 16) before they reach the sender.
 */
function copyFor(cpim: CpimMessage, group: string, member: string): CpimMessage {
  const fields: Field[] = [];
  for (const field of cpim.headers) {
    if (field.name === 'To') fields.push({ name: 'To', value: `<${member}>` });
    else if (field.name !== IMDN_RECORD_ROUTE) fields.push(field);
  }
  const hasNs = cpim.headers.some((f) => f.name === IMDN_NS.name && f.value === IMDN_NS.value);
  const originalTo = cpimHeader(cpim, IMDN_ORIGINAL_TO) ?? cpimHeader(cpim, 'To') ?? `<${group}>`;
  // Like SIP Record-Route, the intermediary nearest the recipient is recorded first.
  const recorded = cpim.headers.filter((f) => f.name === IMDN_RECORD_ROUTE);
  return {
    ...cpim,
    headers: [
      ...(hasNs ? [] : [IMDN_NS]),
      ...fields.filter((f) => f.name !== IMDN_ORIGINAL_TO),
      { name: IMDN_ORIGINAL_TO, value: originalTo },
      { name: IMDN_RECORD_ROUTE, value: `<${group}>` },
      ...recorded,
    ],
  };
}

const short = (uri: string): string => uri.replace(/^sip:/, '');
