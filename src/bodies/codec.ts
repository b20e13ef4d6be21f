import { Buffer } from 'node:buffer';
import type { Body } from './body.js';
import { BodyParseError } from './errors.js';
import { decodeConferenceInfo, encodeConferenceInfo } from './conference-info-codec.js';
import { decodeCpim, encodeCpim } from './cpim-codec.js';
import { decodeImdn, encodeImdn } from './imdn-codec.js';
import { decodeMultipart, encodeMultipart } from './multipart-codec.js';
import { decodeReginfo, encodeReginfo } from './reginfo-codec.js';
import { decodeResourceList, encodeResourceList } from './resource-lists-codec.js';
import { decodeSdp, encodeSdp } from './sdp-codec.js';

/**
 * The media type of a Content-Type value: type/subtype without parameters, lower-cased, because
 * type and subtype names are case-insensitive (RFC 2045 5.1).
 */
function mediaType(contentType: string): string {
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

/** Serialises a typed body to its wire text (the payload only; `contentType` travels separately). */
export function encodeBody(body: Body): string {
  switch (body.kind) {
    case 'text':
      return body.text;
    case 'cpim':
      return encodeCpim(body.cpim);
    case 'imdn':
      return encodeImdn(body.imdn);
    case 'reginfo':
      return encodeReginfo(body.reginfo);
    case 'conference-info':
      return encodeConferenceInfo(body.conference);
    case 'resource-lists':
      return encodeResourceList(body.list);
    case 'sdp':
      return encodeSdp(body.sdp);
    case 'multipart':
      return encodeMultipart(body.contentType, body.parts);
    case 'binary':
      // Wire text here is UTF-8; opaque octets are only ever received (parsed), never sent.
      throw new RangeError(`a ${body.contentType} body of ${body.octets.length} opaque octets has no text form`);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The octets as UTF-8 text, or undefined when they are not valid UTF-8. */
export function utf8Text(octets: Uint8Array): string | undefined {
  try {
    return UTF8.decode(octets);
  } catch {
    return undefined;
  }
}

/** Media types whose payload must be text; other types may carry opaque octets. */
function isTextual(type: string): boolean {
  return /^(text|message)\//.test(type) || type === 'application/sdp' || type.endsWith('+xml');
}

/**
 * Decodes a body from its octets: multipart bodies part by part, so that a binary part stays opaque
 * beside text parts; otherwise as UTF-8 text by {@link decodeBody}.
 * @throws BodyParseError when a textual media type is not valid UTF-8 or not valid for its type.
 */
export function decodeBodyOctets(contentType: string, octets: Uint8Array): Body {
  const type = mediaType(contentType);
  if (type.startsWith('multipart/')) return { kind: 'multipart', contentType, parts: decodeMultipart(contentType, octets) };
  const text = utf8Text(octets);
  if (text !== undefined) return decodeBody(contentType, text);
  if (isTextual(type)) throw new BodyParseError(contentType, 'not valid UTF-8 text');
  return { kind: 'binary', contentType, octets };
}

/**
 * Decodes wire text according to its Content-Type. Media types without a typed codec are kept as
 * text; `contentType` is stored verbatim so re-encoding reproduces the original header.
 * @throws BodyParseError when the text is not valid for its media type.
 */
export function decodeBody(contentType: string, text: string): Body {
  const type = mediaType(contentType);
  // RFC 2046 5.1.7: every multipart subtype, known or not, has the syntax of multipart/mixed.
  if (type.startsWith('multipart/')) return { kind: 'multipart', contentType, parts: decodeMultipart(contentType, Buffer.from(text, 'utf8')) };
  switch (type) {
    case 'message/cpim':
      return { kind: 'cpim', contentType, cpim: decodeCpim(contentType, text) };
    case 'message/imdn+xml':
      return { kind: 'imdn', contentType, imdn: decodeImdn(contentType, text) };
    case 'application/reginfo+xml':
      return { kind: 'reginfo', contentType, reginfo: decodeReginfo(contentType, text) };
    case 'application/conference-info+xml':
      return { kind: 'conference-info', contentType, conference: decodeConferenceInfo(contentType, text) };
    case 'application/resource-lists+xml':
      return { kind: 'resource-lists', contentType, list: decodeResourceList(contentType, text) };
    case 'application/sdp':
      return { kind: 'sdp', contentType, sdp: decodeSdp(contentType, text) };
    default:
      return { kind: 'text', contentType, text };
  }
}
