import type { Body } from './body.js';
import type { Field } from './field.js';

/**
 * One body part of a multipart entity (RFC 2046 5.1): its MIME headers other than Content-Type,
 * which is derived from `content` (as for CPIM content), and the part itself.
 */
export interface MultipartPart {
  contentHeaders: Field[];
  content: Body;
}
