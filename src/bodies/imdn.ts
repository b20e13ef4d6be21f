/** RFC 5438 disposition types a sender may request in imdn.Disposition-Notification. */
export type DispositionRequest = 'positive-delivery' | 'negative-delivery' | 'display' | 'processing';

export type ImdnStatus =
  | { type: 'delivery'; status: 'delivered' | 'failed' | 'forbidden' | 'error' }
  | { type: 'display'; status: 'displayed' | 'forbidden' | 'error' }
  | { type: 'processing'; status: 'processed' | 'stored' | 'forbidden' | 'error' };

/** RFC 5438 message/imdn+xml document (section 7.2.1). */
export interface ImdnNotification {
  messageId: string;
  dateTime: string;
  recipientUri?: string;
  originalRecipientUri?: string;
  subject?: string;
  notification: ImdnStatus;
}
