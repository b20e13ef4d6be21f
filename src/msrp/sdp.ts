import type { MediaDescription, SessionDescription } from 'sdp-transform';
import { formatMsrpUri, parseMsrpUri, type MsrpUri } from './uri.js';

/** What an SDP `m=message` line says of an MSRP endpoint (RFC 4975 8). */
export interface MsrpMedia {
  /** a=path: the endpoint's MSRP URI, after any relays (8.2). */
  path: MsrpUri[];
  /** a=accept-types (8.6), e.g. `message/cpim`. */
  acceptTypes: string[];
  /** a=accept-wrapped-types: what may travel inside CPIM. */
  acceptWrappedTypes: string[];
  /** a=setup (RFC 6135): which end opens the TCP connection. */
  setup?: 'active' | 'passive' | 'actpass';
  /** a=max-size (8.6): the largest message, in octets, the end is willing to receive. */
  maxSize?: number;
}

/** RFC 4975 8.1: the port of the m-line is the port of the endpoint's own MSRP URI. */
export function msrpMediaLine(media: MsrpMedia): MediaDescription {
  const own = media.path[media.path.length - 1];
  if (own === undefined) throw new RangeError('an MSRP media line needs a path');
  const attributes = [`accept-types:${media.acceptTypes.join(' ')}`];
  if (media.acceptWrappedTypes.length > 0) attributes.push(`accept-wrapped-types:${media.acceptWrappedTypes.join(' ')}`);
  if (media.maxSize !== undefined) attributes.push(`max-size:${media.maxSize}`);
  attributes.push(`path:${media.path.map(formatMsrpUri).join(' ')}`);
  return {
    type: 'message',
    port: own.port ?? 2855,
    protocol: own.secure ? 'TCP/TLS/MSRP' : 'TCP/MSRP',
    payloads: '*',
    rtp: [],
    fmtp: [],
    ...(media.setup === undefined ? {} : { setup: media.setup }),
    // sdp-transform has no grammar for the MSRP attributes and keeps them as `invalid` lines.
    invalid: attributes.map((value) => ({ value })),
  };
}

/** The MSRP attributes of an `m=message` line, or undefined for other media. */
export function readMsrpMedia(m: MediaDescription): MsrpMedia | undefined {
  if (m.type !== 'message' || !/^TCP(\/TLS)?\/MSRP$/i.test(m.protocol)) return undefined;
  const attribute = (name: string): string | undefined =>
    (m.invalid ?? []).map((a) => a.value).find((v) => v.startsWith(`${name}:`))?.slice(name.length + 1);
  const list = (value: string | undefined): string[] => (value ?? '').split(/\s+/).filter((t) => t !== '');
  const media: MsrpMedia = {
    path: list(attribute('path')).map(parseMsrpUri),
    acceptTypes: list(attribute('accept-types')),
    acceptWrappedTypes: list(attribute('accept-wrapped-types')),
  };
  if (m.setup === 'active' || m.setup === 'passive' || m.setup === 'actpass') media.setup = m.setup;
  const maxSize = Number(attribute('max-size'));
  if (Number.isInteger(maxSize) && maxSize > 0) media.maxSize = maxSize;
  return media;
}

/**
 * The MSRP line with a=max-size at most `octets` (RFC 4975 8.6): an element in the message path
 * that refuses larger messages says so, keeping a smaller limit the line already had.
 */
export function withMaxSize(m: MediaDescription, octets: number): MediaDescription {
  const msrp = readMsrpMedia(m);
  if (msrp === undefined) return m;
  const limit = Math.min(msrp.maxSize ?? octets, octets);
  const others = (m.invalid ?? []).filter((a) => !a.value.startsWith('max-size:'));
  const at = others.findIndex((a) => a.value.startsWith('path:'));
  const line = { value: `max-size:${limit}` };
  return { ...m, invalid: at < 0 ? [...others, line] : [...others.slice(0, at), line, ...others.slice(at)] };
}

/**
 * A session description (RFC 4566) for `host` with the given media. Hosts are named, so the
 * origin and connection address are fully qualified domain names (RFC 4566 5.7 allows them).
 */
export function sessionDescription(host: string, sessionId: string, version: number, media: MediaDescription[]): SessionDescription {
  return {
    version: 0,
    origin: { username: '-', sessionId, sessionVersion: version, netType: 'IN', ipVer: 4, address: host },
    name: '-',
    connection: { version: 4, ip: host },
    timing: { start: 0, stop: 0 },
    media,
  };
}
