import { cpimHeader } from '../../src/bodies/cpim-codec.js';
import type { CpimMessage } from '../../src/bodies/cpim.js';
import { header, type SipMessage } from '../../src/sip/message.js';
import type { TraceEvent } from '../../src/trace/recorder.js';
import { isSip } from '../../src/wire/payload.js';

/** A pager-mode CPM Message a client sent, and how it ended for its sender. */
export interface PagerOutcome {
  messageId: string;
  sender: string;
  sentAt: number;
  /** `untold`: it failed, and its sender asked to hear only of a delivery (RFC 5438). */
  outcome: 'error' | 'timeout' | 'delivered' | 'stored' | 'deferred' | 'notified' | 'untold' | 'unreported';
  why: string;
}

const cpimOf = (msg: SipMessage): CpimMessage | undefined => (msg.body?.kind === 'cpim' ? msg.body.cpim : undefined);
const isNotice = (cpim: CpimMessage): boolean => cpim.content.kind === 'imdn' || cpim.content.kind === 'multipart';
/** An Interworking Function's note that the non-CPM group a message went to reports no deliveries. */
const GROUP_UNREPORTED = /^the IMPS group \S+ reports no deliveries; no notification will come$/;
/** An Interworking Function's note that the non-CPM system reported an outcome it was not to pass on. */
const UNREPORTED = /^the (?:SMS|MMS|IMPS message) to \S+ (was (?:delivered|retrieved)|failed); no notification was asked for$/;

/**
 * How every pager message sent by a client (`clients`: their hosts) ended, read from the trace:
 * answered with an error, timed out (the client transaction reports 408 to its user, RFC 3261
 * 17.1.2.2), delivered (200 OK, or a copy reached a device), accepted by whoever stores it (an Interworking Function answers
 * 202 only once the SMS centre or mail relay took the message, a Conversation Server once it
 * deferred it), or reported by a negative delivery notification; otherwise `unreported`.
 * A sender who asked for delivery notifications of an interworked message hears of the outcomes
 * asked for only (RFC 5438): one who asked only for negative ones is told nothing of a delivery,
 * one who asked only for positive ones nothing of a failure. Silence is right only where the
 * Interworking Function noted, for that message, the outcome its non-CPM system reported.
 */
export function pagerOutcomes(events: readonly TraceEvent[], clients: ReadonlySet<string>): PagerOutcome[] {
  const lost = new Set(events.flatMap((e) => (e.type === 'undeliverable' ? [e.id] : [])));
  const arrived = events.flatMap((e) => (e.type === 'transmit' && !lost.has(e.id) && isSip(e.payload) ? [{ ...e, payload: e.payload }] : []));
  const sent = new Map<string, { sender: string; callId: string; at: number; positive: boolean; negative: boolean }>();
  for (const e of events) {
    if (e.type !== 'transmit' && e.type !== 'undeliverable') continue;
    const msg = e.payload;
    if (!clients.has(e.from) || !isSip(msg) || msg.type !== 'request' || msg.method !== 'MESSAGE') continue;
    const cpim = cpimOf(msg);
    const id = cpim && cpimHeader(cpim, 'imdn.Message-ID');
    if (cpim === undefined || id === undefined || isNotice(cpim) || sent.has(id)) continue;
    const disposition = cpimHeader(cpim, 'imdn.Disposition-Notification') ?? '';
    sent.set(id, { sender: e.from, callId: header(msg, 'Call-ID') ?? '', at: e.at, positive: /positive-delivery/.test(disposition), negative: /negative-delivery/.test(disposition) });
  }
  const outcomes: PagerOutcome[] = [];
  for (const [messageId, m] of sent) {
    const end = (outcome: PagerOutcome['outcome'], why: string) => outcomes.push({ messageId, sender: m.sender, sentAt: m.at, outcome, why });
    const finals = arrived.filter((e) => e.to === m.sender && e.payload.type === 'response' && e.payload.status >= 200 && header(e.payload, 'Call-ID') === m.callId);
    const final = finals[0]?.payload;
    if (final === undefined || final.type !== 'response') {
      end('timeout', 'no final response reached the sender');
      continue;
    }
    if (final.status >= 300) {
      end('error', `${final.status}`);
      continue;
    }
    // RFC 3428 7: 200 OK means the recipient (a device, or a service such as deferred retrieval) has it.
    if (final.status === 200) {
      end('delivered', 'answered 200');
      continue;
    }
    const notices = arrived.filter((e) => {
      const cpim = e.to === m.sender && e.payload.type === 'request' ? cpimOf(e.payload) : undefined;
      return cpim !== undefined && cpim.content.kind === 'imdn' && cpim.content.imdn.messageId === messageId;
    });
    const negative = notices.find((e) => {
      const cpim = cpimOf(e.payload)!;
      return cpim.content.kind === 'imdn' && cpim.content.imdn.notification.type === 'delivery' && cpim.content.imdn.notification.status !== 'delivered';
    });
    if (negative !== undefined) {
      end('notified', 'a negative delivery notification');
      continue;
    }
    const copy = arrived.find((e) => {
      const cpim = clients.has(e.to) && e.to !== m.sender && e.payload.type === 'request' ? cpimOf(e.payload) : undefined;
      return cpim !== undefined && !isNotice(cpim) && cpimHeader(cpim, 'imdn.Message-ID') === messageId;
    });
    if (copy !== undefined) {
      end('delivered', `to ${copy.to}`);
      continue;
    }
    // Who made the 2xx: the first 2xx of the sender's Call-ID on the wire.
    const origin = events.find((e) => e.type === 'transmit' && isSip(e.payload) && e.payload.type === 'response' && e.payload.status < 300 && header(e.payload, 'Call-ID') === m.callId);
    const by = origin?.type === 'transmit' ? origin.from : '';
    if (by.startsWith('iwf-')) {
      const untold = events.flatMap((e) => (e.type === 'note' && e.host === by && e.message === messageId ? [UNREPORTED.exec(e.text)] : [])).find((x) => x !== null);
      const groupSilent = events.some((e) => e.type === 'note' && e.host === by && e.message === messageId && GROUP_UNREPORTED.test(e.text));
      if (notices.length > 0 || !(m.positive || m.negative)) end('stored', `accepted by ${by}`);
      else if (groupSilent) end('untold', `accepted by ${by} for a non-CPM group, which reports no deliveries`);
      else if (untold !== undefined && untold[1] === 'failed' && !m.negative) end('untold', `failed at ${by}'s non-CPM system, and only a delivery was to be reported`);
      else if (untold !== undefined && untold[1] !== 'failed' && !m.positive) end('delivered', `by ${by}'s non-CPM system, and only a failure was to be reported`);
      else end('unreported', `accepted by ${by}, and neither the delivery notification asked for nor an outcome it was not to report came`);
      continue;
    }
    const deferred = events.some((e) => e.type === 'note' && e.host === by && e.at >= m.at && /deferred \(/.test(e.text));
    if (by.startsWith('cs.') && deferred) end('deferred', `by ${by}`);
    else if (notices.length > 0) end('notified', 'a delivery notification');
    else end('unreported', `${final.status} from ${by || 'nobody'}, then nothing`);
  }
  return outcomes;
}
