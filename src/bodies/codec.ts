import type { Body } from './body.js';
import { decodeCpim, encodeCpim } from './cpim-codec.js';
import { decodeImdn, encodeImdn } from './imdn-codec.js';
import { decodeReginfo, encodeReginfo } from './reginfo-codec.js';
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
    case 'sdp':
      return encodeSdp(body.sdp);
  }
}

/**
 * Decodes wire text according to its Content-Type. Media types without a typed codec are kept as
 * text; `contentType` is stored verbatim so re-encoding reproduces the original header.
 * @throws BodyParseError when the text is not valid for its media type.
 */
export function decodeBody(contentType: string, text: string): Body {
  switch (mediaType(contentType)) {
    case 'message/cpim':
      return { kind: 'cpim', contentType, cpim: decodeCpim(contentType, text) };
    case 'message/imdn+xml':
      return { kind: 'imdn', contentType, imdn: decodeImdn(contentType, text) };
    case 'application/reginfo+xml':
      return { kind: 'reginfo', contentType, reginfo: decodeReginfo(contentType, text) };
    case 'application/sdp':
      return { kind: 'sdp', contentType, sdp: decodeSdp(contentType, text) };
    default:
      return { kind: 'text', contentType, text };
  }
}
