/**
 * MM7 (3GPP TS 23.140 8.7): the interface between a value-added service, here a CPM Interworking
 * Function, and an MMS Relay/Server, as SOAP 1.1 over HTTP/1.1. Each request is an HTTP POST whose
 * SOAP envelope names the transaction in its header (TransactionID) and carries one operation in its
 * body; the answer is the HTTP response with the operation's response (TS 23.140 8.7.1).
 */

/** The multimedia content of a submission or a delivery: a SOAP attachment (TS 23.140 8.7.2). */
export interface Mm7Content {
  contentType: string;
  text: string;
}

/** TS 23.140 8.7.4: MM7 status codes (1000 success, 2xxx client errors, 3xxx server errors). */
export const MM7_STATUS = {
  SUCCESS: 1000,
  CLIENT_ERROR: 2000,
  ADDRESS_ERROR: 2002,
  SERVER_ERROR: 3000,
} as const;

/** TS 23.140 8.7.3: the state a delivery report tells. */
export type MmStatus = 'Retrieved' | 'Expired' | 'Rejected' | 'Indeterminate';

export type Mm7Operation =
  | { kind: 'SubmitReq'; vaspId: string; sender: string; recipient: string; deliveryReport: boolean; subject: string; content: Mm7Content }
  | { kind: 'SubmitRsp'; statusCode: number; statusText: string; messageId?: string }
  | { kind: 'DeliveryReportReq'; relayServerId: string; messageId: string; recipient: string; sender: string; date: string; mmStatus: MmStatus }
  | { kind: 'DeliveryReportRsp'; statusCode: number; statusText: string }
  | { kind: 'DeliverReq'; relayServerId: string; linkedId: string; sender: string; recipient: string; timeStamp: string; subject: string; content: Mm7Content }
  | { kind: 'DeliverRsp'; statusCode: number; statusText: string };

export type Mm7RequestKind = 'SubmitReq' | 'DeliveryReportReq' | 'DeliverReq';

export interface Mm7Request {
  protocol: 'mm7';
  type: 'mm7-request';
  /** The HTTP client: who opens the connection this request goes on (RFC 9112 9.3). */
  client: string;
  /** The server's host, the Host header. */
  host: string;
  transactionId: string;
  operation: Extract<Mm7Operation, { kind: Mm7RequestKind }>;
}

export interface Mm7Response {
  protocol: 'mm7';
  type: 'mm7-response';
  client: string;
  /** HTTP status: 200 for every answered operation (its own status is in the SOAP body). */
  status: number;
  transactionId: string;
  operation: Exclude<Mm7Operation, { kind: Mm7RequestKind }>;
}

export type Mm7Message = Mm7Request | Mm7Response;

/** Numbers go in MM7 as digits with the international '+' (TS 23.140 8.7: Number element); CPM uses tel URIs. */
export const telToMm7 = (tel: string): string => tel.replace(/^tel:/, '');
export const mm7ToTel = (number: string): string => (number.startsWith('tel:') ? number : `tel:${number}`);
