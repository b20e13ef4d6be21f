import type { RandomStream } from '../../kernel/random.js';
import type { SipRequest } from '../../sip/message.js';
import type { SipStack } from '../../sip/stack.js';
import { notificationRequest, type Reported } from '../notification.js';

/**
 * CPM 5.2.2.3, 5.3: the delivery notification an Interworking Function sends the CPM sender for the
 * non-CPM recipient, whom it asserts as the reporter within the trust domain (CPM 5.1.1.3).
 */
export function recipientNotification(reported: Reported, recipient: string, delivered: boolean, from: { stack: SipStack; ids: RandomStream; dateTime: string }): SipRequest {
  const notification = notificationRequest(reported, recipient, { type: 'delivery', status: delivered ? 'delivered' : 'failed' }, {
    callId: from.stack.newCallId(),
    fromTag: from.stack.newTag(),
    imdnMessageId: from.ids.hex(12),
    dateTime: from.dateTime,
  });
  notification.headers = [...notification.headers, { name: 'P-Asserted-Identity', value: `<${recipient}>` }];
  return notification;
}
