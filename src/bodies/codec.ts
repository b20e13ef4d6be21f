import { Buffer } from 'node:buffer';
import type { Body } from './body.js';
import { BodyParseError } from './errors.js';
import { decodeConferenceInfo, encodeConferenceInfo } from './conference-info-codec.js';
import { decodeCpim, encodeCpim } from './cpim-codec.js';
import { decodeImdn, encodeImdn } from './imdn-codec.js';
import { MAX_BODY_NESTING, MAX_BODY_OCTETS } from './limits.js';
import { decodeMultipart, encodeMultipart, encodeMultipartOctets } from './multipart-codec.js';
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

/**
 * Bodies are values no element changes (a change makes a new body), and one body crosses every
 * hop of its message: its text is made once, for every output that prints the message.
 */
const encoded = new WeakMap<Body, string>();

/** Serialises a typed body to its wire text (the payload only; `contentType` travels separately). */
export function encodeBody(body: Body): string {
  let text = encoded.get(body);
  if (text === undefined) {
    text = encodeFresh(body);
    encoded.set(body, text);
  }
  return text;
}

function encodeFresh(body: Body): string {
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
      if (holdsOctets(body)) throw new RangeError(`a ${body.contentType} body with an opaque part has no text form`);
      return encodeMultipart(body.contentType, body.parts);
    case 'binary':
      // Opaque octets that are not UTF-8 have no text form; encodeBodyOctets writes them.
      throw new RangeError(`a ${body.contentType} body of ${body.octets.length} opaque octets has no text form`);
  }
}

/** True when the body is or holds opaque octets, which only {@link encodeBodyOctets} can write. */
export function holdsOctets(body: Body): boolean {
  return body.kind === 'binary' || (body.kind === 'multipart' && body.parts.some((p) => holdsOctets(p.content)));
}

/** Serialises a body to its octets: the UTF-8 of its text, or its opaque octets as received. */
export function encodeBodyOctets(body: Body): Buffer {
  if (body.kind === 'binary') return Buffer.from(body.octets);
  if (body.kind === 'multipart') return encodeMultipartOctets(body.contentType, body.parts);
  return Buffer.from(encodeBody(body), 'utf8');
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

/** `depth` counts the bodies that enclose this one (a CPIM or multipart body is one level). */
function checkBounds(contentType: string, size: number, depth: number): void {
  if (depth > MAX_BODY_NESTING) throw new BodyParseError(contentType, `bodies nested more than ${MAX_BODY_NESTING} deep`);
  if (size > MAX_BODY_OCTETS) throw new BodyParseError(contentType, `body of ${size} octets exceeds the limit of ${MAX_BODY_OCTETS}`);
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
export function decodeBodyOctets(contentType: string, octets: Uint8Array, depth = 0): Body {
  checkBounds(contentType, octets.length, depth);
  const type = mediaType(contentType);
  if (type.startsWith('multipart/')) return { kind: 'multipart', contentType, parts: decodeMultipart(contentType, octets, depth) };
  const text = utf8Text(octets);
  if (text !== undefined) return decodeBody(contentType, text, depth);
  if (isTextual(type)) throw new BodyParseError(contentType, 'not valid UTF-8 text');
  return { kind: 'binary', contentType, octets };
}

/**
 * Decodes wire text according to its Content-Type. Media types without a typed codec are kept as
 * text; `contentType` is stored verbatim so re-encoding reproduces the original header.
 * @throws BodyParseError when the text is not valid for its media type.
 */
export function decodeBody(contentType: string, text: string, depth = 0): Body {
  // Each UTF-16 unit is at least one octet, so the length is a lower bound of the octet size.
  checkBounds(contentType, text.length, depth);
  const type = mediaType(contentType);
  // RFC 2046 5.1.7: every multipart subtype, known or not, has the syntax of multipart/mixed.
  if (type.startsWith('multipart/')) return { kind: 'multipart', contentType, parts: decodeMultipart(contentType, Buffer.from(text, 'utf8'), depth) };
  switch (type) {
    case 'message/cpim':
      return { kind: 'cpim', contentType, cpim: decodeCpim(contentType, text, depth) };
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
