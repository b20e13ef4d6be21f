/**
 * OMA IMPS (Wireless Village) Client-Server Protocol as cpmsim carries it: CSP transactions in
 * XML (WV-CSP 1.2 Data Types), each in an HTTP/1.1 POST whose response carries the answer
 * (WV-CSP 1.2 HTTP transport binding). Only the primitives the IMPS Interworking Function uses.
 */

/** A CSP Result: a status code (WV-CSP 1.2 status codes) and an optional description. */
export interface CspResult {
  code: number;
  description?: string;
}

/** WV-CSP 1.2 status codes cpmsim's server and Interworking Function use. */
export const CSP_STATUS = {
  SUCCESSFUL: 200,
  /** The request could not be understood: a malformed or missing element. */
  BAD_PARAMETER: 402,
  /** No session, or not the session of this client. */
  INVALID_SESSION: 604,
  UNKNOWN_USER: 531,
  RECIPIENT_NOT_LOGGED_IN: 533,
  MESSAGE_EXPIRED: 542,
  GROUP_DOES_NOT_EXIST: 801,
  NOT_GROUP_MEMBER: 808,
} as const;

/**
 * WV-CSP 1.2 Recipient or Sender: a user (`wv:bob@imps.example`), a group
 * (`wv:carol/friends@imps.example`), or both when a group's message is delivered to one member.
 * At least one of the two is present.
 */
export interface CspParty {
  user?: string;
  group?: string;
  screenName?: string;
}

/** WV-CSP 1.2 MessageInfo: what a message says of itself besides its content. */
export interface MessageInfo {
  messageId?: string;
  contentType: string;
  /** Octets of ContentData. */
  contentSize: number;
  recipient: CspParty;
  sender: CspParty;
  /** ISO 8601 basic format, UTC (WV-CSP 1.2: `20080601T000000Z`). */
  dateTime: string;
}

export type CspPrimitive =
  | { name: 'Login-Request'; userId: string; clientId: string; password: string }
  | { name: 'Login-Response'; result: CspResult; sessionId?: string }
  | { name: 'SendMessage-Request'; deliveryReport: boolean; info: MessageInfo; content: string }
  | { name: 'SendMessage-Response'; result: CspResult; messageId?: string }
  | { name: 'NewMessage'; info: MessageInfo & { messageId: string }; content: string }
  | { name: 'MessageDelivered'; messageId: string }
  | { name: 'DeliveryReport-Request'; result: CspResult; info: MessageInfo & { messageId: string }; deliveryTime?: string }
  | { name: 'JoinGroup-Request'; userId: string; groupId: string; screenName: string }
  | { name: 'JoinGroup-Response'; joined: string[] }
  | { name: 'Status'; result: CspResult };

export type CspPrimitiveName = CspPrimitive['name'];

/** WV-CSP-Message: one transaction, in a session (Inband) or before one exists (Outband). */
export interface CspMessage {
  /** Absent before login (SessionType Outband). */
  sessionId?: string;
  mode: 'Request' | 'Response';
  transactionId: string;
  primitive: CspPrimitive;
}

/**
 * One HTTP message of the binding: a POST from `client` carrying a CSP request, or the response
 * carrying the answer. `client` is the end that opened the connection and sends the requests:
 * the Interworking Function for its own transactions, the server for those it starts.
 */
export type ImpsMessage =
  | { protocol: 'imps'; type: 'imps-request'; client: string; host: string; path: string; csp: CspMessage }
  | { protocol: 'imps'; type: 'imps-response'; client: string; status: number; reason: string; csp?: CspMessage };

/** Primitives that start a transaction, and those that answer one (a scenario step names them). */
export const CSP_REQUESTS = ['Login-Request', 'SendMessage-Request', 'NewMessage', 'MessageDelivered', 'DeliveryReport-Request', 'JoinGroup-Request'] as const;
export const CSP_RESPONSES = ['Login-Response', 'SendMessage-Response', 'JoinGroup-Response', 'Status'] as const;
