import type { Body } from '../../bodies/body.js';
import { buildCpim } from '../../bodies/cpim-codec.js';
import type { CpimMessage } from '../../bodies/cpim.js';
import { buildImdnBody } from '../../bodies/imdn-codec.js';
import type { ImdnNotification } from '../../bodies/imdn.js';
import { buildMultipart } from '../../bodies/multipart-codec.js';
import type { Timer } from '../../kernel/simulator.js';
import { createRequest } from '../../sip/builders.js';
import { headers, type SipResponse } from '../../sip/message.js';
import { parseNameAddr } from '../../sip/name-addr.js';
import { aorOf, formatUri, parseUri } from '../../sip/uri.js';
import { cpmServiceHeaders, IMDN_ROUTE, type Reported } from '../notification.js';
import type { ServicePolicy } from '../preferences.js';
import type { ServerPorts } from './ports.js';
import { REPORTED_WARNING } from './report.js';

/** What the Controlling Function knows of one member's copy of a message. */
interface MemberOutcome {
  /** A final response to the copy arrived. */
  answered: boolean;
  /** The member's delivery notification, received or made here; the first one is the one that counts. */
  delivery?: ImdnNotification;
}

/** One message the Controlling Function sent on to the members, asking for notifications. */
interface Fanout {
  group: string;
  /** The message as its sender sent it: sender, imdn.Message-ID, requested dispositions. */
  message: Reported;
  members: Map<string, MemberOutcome>;
  /** `aggregate` policy: the one notification has gone; later ones are forwarded alone. */
  aggregated: boolean;
  window?: Timer;
}

/**
 * CPM 5.2.2.3 and 5.2.2.3.1 at a Pre-defined Group's Controlling Function: the members' delivery
 * notifications come back to the group (RFC 5438 IMDN-Route) and go on to the sender, either each
 * as it comes (`forward`) or incorporated into one notification (`aggregate`, C.3.1.2 step 13)
 * once every member has answered or the provider's window has passed. Members the message could not
 * reach are reported as failed to a sender who asked for negative delivery notifications. Exactly
 * one delivery notification per member reaches the sender; display and processing notifications
 * are always forwarded.
 */
export class GroupNotifications {
  private readonly fanouts = new Map<string, Fanout>();

  constructor(
    private readonly ports: ServerPorts,
    private readonly policy: ServicePolicy,
  ) {}

  /** The message went on to `members`; returns what to tell of each member's final response. */
  track(group: string, message: Reported, members: string[]): (member: string, res: SipResponse) => void {
    const key = `${group}|${message.messageId}`;
    const fanout: Fanout = { group, message, members: new Map(members.map((m) => [m, { answered: false }])), aggregated: false };
    this.fanouts.set(key, fanout);
    if (this.policy.groupImdn === 'aggregate' || message.requested.includes('negative-delivery')) {
      fanout.window = this.ports.sim.schedule(this.policy.aggregationWindow, () => this.windowPassed(fanout));
    }
    // Notifications may come as late as a member's server holds the message (CPM 5.2.2.2).
    this.ports.sim.schedule(this.policy.maxHold, () => this.fanouts.delete(key));
    return (member, res) => this.answered(fanout, member, res);
  }

  /** A notification addressed to the group, already answered: forward, aggregate or withhold it. */
  received(group: string, cpim: CpimMessage, imdn: ImdnNotification): void {
    const fanout = this.fanouts.get(`${group}|${imdn.messageId}`);
    const member = imdn.recipientUri === undefined ? undefined : aorOf(parseUri(imdn.recipientUri));
    if (fanout === undefined || member === undefined || !fanout.members.has(member)) {
      this.ports.note(`dropped a notification about a message ${short(group)} did not send`);
      return;
    }
    const forwarded = { ...cpim, headers: withoutOwnRoute(cpim.headers, group) };
    if (imdn.notification.type === 'delivery') this.settle(fanout, member, imdn, forwarded);
    else this.toSender(fanout, forwarded);
  }

  /** CPM 5.2.2.3.1: a member's copy failed, unless its own server has already reported that. */
  private answered(fanout: Fanout, member: string, res: SipResponse): void {
    const outcome = fanout.members.get(member)!;
    outcome.answered = true;
    if (res.status < 300 || headers(res, 'Warning').some((w) => w.includes(REPORTED_WARNING))) return;
    this.settle(fanout, member, this.failed(fanout, member));
  }

  /** The window passed: members that never answered count as not reached; the aggregate goes now. */
  private windowPassed(fanout: Fanout): void {
    if (fanout.message.requested.includes('negative-delivery')) {
      for (const [member, outcome] of fanout.members) {
        if (!outcome.answered && outcome.delivery === undefined) this.settle(fanout, member, this.failed(fanout, member));
      }
    }
    if (this.policy.groupImdn === 'aggregate' && !fanout.aggregated) this.aggregate(fanout);
  }

  /** Records a member's delivery outcome; `received` is the member's own notification, if it sent one. */
  private settle(fanout: Fanout, member: string, imdn: ImdnNotification, received?: CpimMessage): void {
    const outcome = fanout.members.get(member)!;
    if (outcome.delivery !== undefined) {
      this.ports.note(`withheld ${imdn.notification.status} for ${short(member)} (already reported)`);
      return;
    }
    outcome.delivery = imdn;
    if (this.policy.groupImdn === 'aggregate' && !fanout.aggregated) {
      if ([...fanout.members.values()].every((o) => o.delivery !== undefined)) this.aggregate(fanout);
      return;
    }
    if (!wanted(fanout, imdn)) return;
    this.toSender(fanout, received ?? this.fromGroup(fanout, buildImdnBody(imdn)));
  }

  /** C.3.1.2 step 13: the members' notifications incorporated into one, a part per member. */
  private aggregate(fanout: Fanout): void {
    fanout.aggregated = true;
    fanout.window?.cancel();
    const reported = [...fanout.members.values()].flatMap((o) => (o.delivery !== undefined && wanted(fanout, o.delivery) ? [o.delivery] : []));
    if (reported.length === 0) return this.ports.note('no delivery notification to aggregate');
    const parts = reported.map((imdn) => ({ contentHeaders: [], content: buildImdnBody(imdn) }));
    this.ports.note(`aggregates ${reported.length} delivery notification(s)`);
    this.toSender(fanout, this.fromGroup(fanout, buildMultipart(this.ports.rng.hex(16), parts)));
  }

  /** A delivery notification the Controlling Function makes for a member it could not reach (RFC 5438 8). */
  private failed(fanout: Fanout, member: string): ImdnNotification {
    this.ports.note(`could not deliver to ${short(member)}`);
    return {
      messageId: fanout.message.messageId,
      dateTime: fanout.message.dateTime,
      recipientUri: member,
      originalRecipientUri: fanout.group,
      notification: { type: 'delivery', status: 'failed' },
    };
  }

  /** A notification written by the group itself, in its CPIM wrapper (RFC 5438 7.2.1). */
  private fromGroup(fanout: Fanout, content: Body): CpimMessage {
    return buildCpim({
      from: fanout.group,
      to: fanout.message.sender,
      dateTime: this.ports.dateTime(),
      messageId: this.ports.rng.hex(12),
      content,
      contentHeaders: [{ name: 'Content-Disposition', value: 'notification' }],
    });
  }

  /** CPM 5.2.2.3.1 "SHALL forward ... to the CPM Client originating the CPM Message", via the group's core. */
  private toSender(fanout: Fanout, cpim: CpimMessage): void {
    const sender = parseUri(fanout.message.sender);
    const req = createRequest({
      method: 'MESSAGE',
      uri: sender,
      from: { uri: parseUri(fanout.group), params: [{ name: 'tag', value: this.ports.stack.newTag() }] },
      to: { uri: sender, params: [] },
      callId: this.ports.stack.newCallId(),
      cseq: 1,
      extra: cpmServiceHeaders(),
      body: { kind: 'cpim', contentType: 'message/cpim', cpim },
    });
    this.ports.stack.request(req, this.ports.coreHost, (res) => {
      if (res.status >= 300) this.ports.note(`notification to ${short(fanout.message.sender)} failed: ${res.status}`);
    });
  }
}

/** RFC 5438: positive and negative delivery notifications are sent only when asked for. */
function wanted(fanout: Fanout, imdn: ImdnNotification): boolean {
  const kind = imdn.notification.status === 'delivered' ? 'positive-delivery' : 'negative-delivery';
  return fanout.message.requested.includes(kind);
}

/** RFC 5438 8: an intermediary removes the IMDN-Route naming itself before sending the notification on. */
function withoutOwnRoute(fields: CpimMessage['headers'], group: string): CpimMessage['headers'] {
  const own = fields.findIndex((f) => f.name === IMDN_ROUTE && formatUri(parseNameAddr(f.value).uri) === group);
  return own < 0 ? fields : fields.filter((_, i) => i !== own);
}

const short = (uri: string): string => uri.replace(/^sip:/, '');
