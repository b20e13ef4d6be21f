import { buildCpim, cpimHeader, parseDispositionNotification } from '../bodies/cpim-codec.js';
import type { CpimMessage } from '../bodies/cpim.js';
import { buildImdnBody } from '../bodies/imdn-codec.js';
import type { DispositionRequest, ImdnStatus } from '../bodies/imdn.js';
import { createRequest } from '../sip/builders.js';
import type { Header, SipRequest } from '../sip/message.js';
import { parseNameAddr } from '../sip/name-addr.js';
import { aorOf, parseUri } from '../sip/uri.js';
import { CPM_MSG_ACCEPT_CONTACT, CPM_MSG_ICSI } from './service.js';

/** What a notification reports on: the message as its recipient saw it. */
export interface Reported {
  messageId: string;
  /** The sender's address (CPIM From): notifications go there (RFC 5438 7.1). */
  sender: string;
  /** The intended recipient (CPIM To). */
  recipient: string;
  dateTime: string;
  requested: DispositionRequest[];
}

/** The notification-relevant facts of a CPIM message, if it asks for any. */
export function reportedOf(cpim: CpimMessage): Reported | undefined {
  const messageId = cpimHeader(cpim, 'imdn.Message-ID');
  const from = cpimHeader(cpim, 'From');
  const to = cpimHeader(cpim, 'To');
  if (messageId === undefined || from === undefined || to === undefined) return undefined;
  const disposition = cpimHeader(cpim, 'imdn.Disposition-Notification');
  return {
    messageId,
    sender: aorOf(parseNameAddr(from).uri),
    recipient: aorOf(parseNameAddr(to).uri),
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
      originalRecipientUri: reported.recipient,
      notification: status,
    }),
    contentHeaders: [{ name: 'Content-Disposition', value: 'notification' }],
  });
  const to = parseUri(reported.sender);
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
