import type { Body } from './body.js';
import type { Field } from './field.js';

/**
 * RFC 3862 message/cpim. `headers` are the CPIM message headers (From, To, DateTime, NS,
 * imdn.Message-ID, imdn.Disposition-Notification, ...) in order; `contentHeaders` are the MIME
 * headers of the encapsulated content other than Content-Type and Content-Length, which are derived
 * from `content` (e.g. Content-Disposition: notification for an IMDN, RFC 5438 7.2.1.1).
 */
export interface CpimMessage {
  headers: Field[];
  contentHeaders: Field[];
  content: Body;
}
