import type { Body } from '../bodies/body.js';
import type { Field } from '../bodies/field.js';
import type { MsrpUri } from './uri.js';

/** RFC 4975 7.1 end-line flag: `$` last chunk, `+` more chunks follow, `#` the message was aborted. */
export type Continuation = '$' | '+' | '#';

/** RFC 4975 7.1.1 Byte-Range: the octets of the whole message that this chunk carries. */
export interface ByteRange {
  start: number;
  /** Undefined for `*`: the sender does not know yet (an interruptible chunk). */
  end?: number;
  /** Undefined for `*`: the total size is unknown. */
  total?: number;
}

interface MsrpCommon {
  /** The tag of the network's payload union (wire/payload.ts). */
  protocol: 'msrp';
  transactionId: string;
  /** To-Path and From-Path (RFC 4975 7.1): the first URI of To-Path is the next hop. */
  toPath: MsrpUri[];
  fromPath: MsrpUri[];
  /**
   * Every other header in order (Message-ID, Byte-Range, Success-Report, Failure-Report, Status,
   * and MIME headers other than Content-Type), values as written.
   */
  headers: Field[];
}

/** An MSRP request: SEND carries content, REPORT carries a Status (RFC 4975 7.1.2). */
export interface MsrpRequest extends MsrpCommon {
  type: 'msrp-request';
  method: string;
  /** Content-Type is derived from the body, as for SIP. */
  body?: Body;
  continuation: Continuation;
}

/** RFC 4975 7.2: responses carry no body. */
export interface MsrpResponse extends MsrpCommon {
  type: 'msrp-response';
  status: number;
  comment?: string;
}

export type MsrpMessage = MsrpRequest | MsrpResponse;

/** The first value of header `name` (case-insensitive, RFC 4975 9). */
export function msrpHeader(msg: MsrpMessage, name: string): string | undefined {
  const lower = name.toLowerCase();
  return msg.headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

export function formatByteRange(range: ByteRange): string {
  return `${range.start}-${range.end ?? '*'}/${range.total ?? '*'}`;
}
