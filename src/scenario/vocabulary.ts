/**
 * The request names and status codes a scenario step may expect: those of the protocols the
 * simulated network carries, so `request: REGISTR` or `response: 299` fail in `cpmsim validate`
 * instead of at run time as a step that never matches.
 */
import { BFCP_PRIMITIVES, REQUEST_STATUSES } from '../bfcp/message.js';
import { reasonPhrase } from '../sip/reason-phrases.js';
import { COMMAND_IDS } from '../smpp/pdu.js';
import { CSP_REQUESTS, CSP_RESPONSES } from '../imps/message.js';

/** RFC 3261 and the extensions CPM uses: 3262 PRACK, 3265/6665 SUBSCRIBE/NOTIFY, 3903 PUBLISH, 6086 INFO, 3515 REFER, 3428 MESSAGE, 3311 UPDATE. */
export const SIP_METHODS = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE'];
/** RFC 4975 7.1 */
const MSRP_METHODS = ['SEND', 'REPORT'];
/** RFC 4825 over RFC 9110 */
const HTTP_METHODS = ['GET', 'PUT', 'DELETE'];
/** RFC 5321 4.1.1 verbs, and an SMTP client's connect and content (the trace draws them as requests). */
const SMTP_REQUESTS = ['EHLO', 'HELO', 'MAIL', 'RCPT', 'DATA', 'QUIT', 'RSET', 'NOOP', 'VRFY', 'connect', 'content'];
const SMPP_COMMANDS = Object.keys(COMMAND_IDS);
/** RFC 3550: an RTP packet, and the RTCP sender and receiver reports (6.4). */
const RTP_REQUESTS = ['RTP', 'SR', 'RR'];
/** RFC 4582 5.1: the floor control primitives the simulation sends. */
const BFCP_REQUESTS = Object.keys(BFCP_PRIMITIVES);
/** 3GPP TS 23.140 8.7.3: the MM7 operations an Interworking Function and an MMS Relay/Server send. */
const MM7_REQUESTS = ['SubmitReq', 'DeliveryReportReq', 'DeliverReq'];
/** Their responses, which a step names as it names an SMPP response. */
export const MM7_RESPONSES = ['SubmitRsp', 'DeliveryReportRsp', 'DeliverRsp'];

export const REQUEST_NAMES = [...new Set([...SIP_METHODS, ...MSRP_METHODS, ...HTTP_METHODS, ...SMTP_REQUESTS, ...SMPP_COMMANDS.filter((c) => !c.endsWith('_resp')), ...RTP_REQUESTS, ...BFCP_REQUESTS, ...MM7_REQUESTS, ...CSP_REQUESTS])];
export const SMPP_RESPONSES = SMPP_COMMANDS.filter((c) => c.endsWith('_resp'));
/** OMA IMPS WV-CSP 1.2: a transaction's answer is matched by its primitive (SendMessage-Response, Status). */
export const IMPS_RESPONSES: readonly string[] = CSP_RESPONSES;
/** RFC 4582 5.2.5: a FloorRequestStatus is matched by its request status (Granted, Pending, ...). */
export const BFCP_STATUSES = Object.keys(REQUEST_STATUSES);

/** RFC 5321 4.2.3 */
const SMTP_CODES = [211, 214, 220, 221, 250, 251, 252, 354, 421, 450, 451, 452, 455, 500, 501, 502, 503, 504, 550, 551, 552, 553, 554, 555];
/** RFC 9110 15 (XCAP answers over HTTP) */
const HTTP_CODES = [100, 101, 200, 201, 202, 203, 204, 205, 206, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 421, 422, 426, 500, 501, 502, 503, 504, 505];
/** RFC 4975 10 */
const MSRP_CODES = [200, 400, 403, 408, 413, 415, 423, 481, 501, 506];
const OTHER_CODES = new Set([...SMTP_CODES, ...HTTP_CODES, ...MSRP_CODES]);

/** A status code some simulated protocol defines: SIP's registered codes (RFC 3261 21 and later), SMTP, HTTP or MSRP. */
export function isKnownStatus(code: number): boolean {
  return reasonPhrase(code) !== '' || OTHER_CODES.has(code);
}
