import type { SessionDescription } from 'sdp-transform';
import type { ConferenceInfo } from './conference-info.js';
import type { CpimMessage } from './cpim.js';
import type { ImdnNotification } from './imdn.js';
import type { MultipartPart } from './multipart.js';
import type { RegInfo } from './reginfo.js';
import type { ResourceList } from './resource-lists.js';

/**
 * A typed message body. `contentType` is the full Content-Type value as written on the wire
 * (with parameters); the variant says how the payload was decoded.
 */
export type Body =
  | { kind: 'text'; contentType: string; text: string }
  | { kind: 'cpim'; contentType: string; cpim: CpimMessage }
  | { kind: 'imdn'; contentType: string; imdn: ImdnNotification }
  | { kind: 'reginfo'; contentType: string; reginfo: RegInfo }
  | { kind: 'conference-info'; contentType: string; conference: ConferenceInfo }
  | { kind: 'resource-lists'; contentType: string; list: ResourceList }
  | { kind: 'sdp'; contentType: string; sdp: SessionDescription }
  | { kind: 'multipart'; contentType: string; parts: MultipartPart[] }
  /** Octets that are not UTF-8 text, such as an S/MIME signature part (RFC 4475 3.1.1.11): opaque. */
  | { kind: 'binary'; contentType: string; octets: Uint8Array };
