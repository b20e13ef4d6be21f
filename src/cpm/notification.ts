import { buildCpim, cpimHeader, parseDispositionNotification } from '../bodies/cpim-codec.js';
import type { CpimMessage } from '../bodies/cpim.js';
import { buildImdnBody } from '../bodies/imdn-codec.js';
import type { DispositionRequest, ImdnStatus } from '../bodies/imdn.js';
import { createRequest } from '../sip/builders.js';
import type { Header, SipRequest } from '../sip/message.js';
import { parseNameAddr } from '../sip/name-addr.js';
import { aorOf, formatUri, parseUri } from '../sip/uri.js';
import { CPM_MSG_ACCEPT_CONTACT, CPM_MSG_ICSI } from './service.js';

/** What a notification reports on: the message as its recipient saw it. */
export interface Reported {
  messageId: string;
  /** The sender's address (CPIM From): notifications go there (RFC 5438 7.1). */
  sender: string;
  /** The intended recipient (CPIM To). */
  recipient: string;
  /** Who the sender addressed, when an intermediary changed the To (RFC 5438 Original-To: a group). */
  originalRecipient: string;
  /** The intermediaries its notifications must pass through (RFC 5438 IMDN-Record-Route). */
  imdnRoute: string[];
  dateTime: string;
  requested: DispositionRequest[];
}

/** RFC 5438 CPIM headers of intermediaries (section 8), such as a group's Controlling Function. */
export const IMDN_ORIGINAL_TO = 'imdn.Original-To';
export const IMDN_RECORD_ROUTE = 'imdn.IMDN-Record-Route';
export const IMDN_ROUTE = 'imdn.IMDN-Route';

/** The notification-relevant facts of a CPIM message, if it asks for any. */
export function reportedOf(cpim: CpimMessage): Reported | undefined {
  const messageId = cpimHeader(cpim, 'imdn.Message-ID');
  const from = cpimHeader(cpim, 'From');
  const to = cpimHeader(cpim, 'To');
  if (messageId === undefined || from === undefined || to === undefined) return undefined;
  const disposition = cpimHeader(cpim, 'imdn.Disposition-Notification');
  const recipient = aorOf(parseNameAddr(to).uri);
  const originalTo = cpimHeader(cpim, IMDN_ORIGINAL_TO);
  return {
    messageId,
    sender: aorOf(parseNameAddr(from).uri),
    recipient,
    originalRecipient: originalTo === undefined ? recipient : aorOf(parseNameAddr(originalTo).uri),
    imdnRoute: cpim.headers.filter((f) => f.name === IMDN_RECORD_ROUTE).map((f) => formatUri(parseNameAddr(f.value).uri)),
    dateTime: cpimHeader(cpim, 'DateTime') ?? '',
    requested: disposition === undefined ? [] : parseDispositionNotification(disposition),
  };
}

/** Headers every standalone CPM request carries: the CPM Service indication. */
export function cpmServiceHeaders(): Header[] {
  return [
    { name: 'Accept-Contact', value: CPM_MSG_ACCEPT_CONTACT },
    { name: 'P-Preferred-Service', value: CPM_MSG_ICSI },
  ];
}

export interface NotificationIds {
  callId: string;
  fromTag: string;
  imdnMessageId: string;
  dateTime: string;
}

/**
 * A disposition notification (RFC 5438 7.2.1): a MESSAGE to the sender whose CPIM body carries
 * message/imdn+xml with Content-Disposition: notification. `reporter` is who reports, the recipient
 * or a server acting for it (CPM 5.2.2.3.1).
 */
export function notificationRequest(reported: Reported, reporter: string, status: ImdnStatus, ids: NotificationIds): SipRequest {
  const cpim = buildCpim({
    from: reporter,
    to: reported.sender,
    dateTime: ids.dateTime,
    messageId: ids.imdnMessageId,
    content: buildImdnBody({
      messageId: reported.messageId,
      dateTime: reported.dateTime,
      recipientUri: reported.recipient,
      originalRecipientUri: reported.originalRecipient,
      notification: status,
    }),
    contentHeaders: [{ name: 'Content-Disposition', value: 'notification' }],
  });
  // RFC 5438: the recorded intermediaries become the notification's IMDN-Route, in order; it is
  // sent to the first of them, and the last one sends it on to the CPIM To (the sender).
  cpim.headers.push(...reported.imdnRoute.map((uri) => ({ name: IMDN_ROUTE, value: `<${uri}>` })));
  const to = parseUri(reported.imdnRoute[0] ?? reported.sender);
  return createRequest({
    method: 'MESSAGE',
    uri: to,
    from: { uri: parseUri(reporter), params: [{ name: 'tag', value: ids.fromTag }] },
    to: { uri: to, params: [] },
    callId: ids.callId,
    cseq: 1,
    extra: cpmServiceHeaders(),
    body: { kind: 'cpim', contentType: 'message/cpim', cpim },
  });
}
