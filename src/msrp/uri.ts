import { MsrpParseError } from './errors.js';

/** RFC 4975 9: `msrp://authority/session-id;tcp`, the address of one end of an MSRP session. */
export interface MsrpUri {
  secure: boolean;
  host: string;
  port?: number;
  sessionId: string;
  transport: string;
}

const URI = /^(msrps?):\/\/([^/:;\s]+)(?::(\d{1,5}))?\/([A-Za-z0-9\-._~!$&'()*+,=:@%]+);([A-Za-z0-9\-._~]+)$/;

/** @throws MsrpParseError when the text is not an MSRP URI with a session id and transport. */
export function parseMsrpUri(text: string): MsrpUri {
  const m = URI.exec(text);
  if (m === null) throw new MsrpParseError('uri', `malformed MSRP URI '${text}'`);
  const uri: MsrpUri = { secure: m[1] === 'msrps', host: m[2]!, sessionId: m[4]!, transport: m[5]!.toLowerCase() };
  if (m[3] !== undefined) uri.port = Number(m[3]);
  return uri;
}

export function formatMsrpUri(uri: MsrpUri): string {
  const port = uri.port === undefined ? '' : `:${uri.port}`;
  return `${uri.secure ? 'msrps' : 'msrp'}://${uri.host}${port}/${uri.sessionId};${uri.transport}`;
}

/**
 * RFC 4975 6.1: two MSRP URIs are equal when scheme, host (case-insensitively), port, session id
 * (case-sensitively) and transport match.
 */
export function sameMsrpUri(a: MsrpUri, b: MsrpUri): boolean {
  return a.secure === b.secure && a.host.toLowerCase() === b.host.toLowerCase() && a.port === b.port && a.sessionId === b.sessionId && a.transport === b.transport;
}
