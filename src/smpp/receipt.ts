import { MESSAGE_STATE } from './pdu.js';

/**
 * The text of an SMSC delivery receipt (SMPP 3.4 Appendix B): its format is the one SMSCs
 * commonly use, which the specification gives as an example and applications parse.
 */
export interface DeliveryReceipt {
  messageId: string;
  submitted: number;
  delivered: number;
  /** YYMMDDhhmm */
  submitDate: string;
  doneDate: string;
  state: ReceiptState;
  error: number;
  /** The first 20 characters of the original message. */
  text: string;
}

export type ReceiptState = 'DELIVRD' | 'EXPIRED' | 'UNDELIV' | 'REJECTD';

/** message_state TLV value (SMPP 3.4 5.3.2.35) of each receipt state. */
export const RECEIPT_MESSAGE_STATE: Record<ReceiptState, number> = {
  DELIVRD: MESSAGE_STATE.DELIVERED,
  EXPIRED: MESSAGE_STATE.EXPIRED,
  UNDELIV: MESSAGE_STATE.UNDELIVERABLE,
  REJECTD: MESSAGE_STATE.REJECTED,
};

const three = (n: number): string => String(n).padStart(3, '0');

export function formatReceipt(r: DeliveryReceipt): string {
  return (
    `id:${r.messageId} sub:${three(r.submitted)} dlvrd:${three(r.delivered)} submit date:${r.submitDate} ` +
    `done date:${r.doneDate} stat:${r.state} err:${three(r.error)} text:${r.text.slice(0, 20)}`
  );
}

const RECEIPT = /^id:(\S+) sub:(\d+) dlvrd:(\d+) submit date:(\d{10}) done date:(\d{10}) stat:(DELIVRD|EXPIRED|UNDELIV|REJECTD) err:(\d+) text:(.*)$/is;

export function parseReceipt(text: string): DeliveryReceipt | undefined {
  const m = RECEIPT.exec(text);
  if (m === null) return undefined;
  return {
    messageId: m[1]!,
    submitted: Number(m[2]),
    delivered: Number(m[3]),
    submitDate: m[4]!,
    doneDate: m[5]!,
    state: m[6]!.toUpperCase() as ReceiptState,
    error: Number(m[7]),
    text: m[8]!,
  };
}

/** YYMMDDhhmm of an instant (UTC), the receipt's date form. */
export function receiptDate(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(date.getUTCFullYear() % 100)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}`;
}
