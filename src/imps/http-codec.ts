import { Buffer } from 'node:buffer';
import { BodyParseError } from '../bodies/errors.js';
import { CSP_CONTENT_TYPE, decodeCsp, encodeCsp } from './csp-codec.js';
import type { ImpsMessage } from './message.js';

const CRLF = '\r\n';
/** Far above a CSP transaction of a short message; RFC 9112 lets a server refuse more (413). */
const MAX_OCTETS = 256 * 1024;

/** An HTTP message of the CSP binding that does not follow the part of HTTP/1.1 cpmsim speaks. */
export class ImpsParseError extends Error {
  override readonly name = 'ImpsParseError';
}

/** HTTP/1.1 wire text (RFC 9112) of a CSP transaction: a POST, or its response. */
export function serializeImps(m: ImpsMessage): string {
  const body = m.csp === undefined ? '' : encodeCsp(m.csp);
  const fields =
    m.type === 'imps-request'
      ? [`POST ${m.path} HTTP/1.1`, `Host: ${m.host}`]
      : [`HTTP/1.1 ${m.status} ${m.reason}`];
  if (body !== '') fields.push(`Content-Type: ${CSP_CONTENT_TYPE}`);
  fields.push(`Content-Length: ${Buffer.byteLength(body, 'utf8')}`);
  return `${fields.join(CRLF)}${CRLF}${CRLF}${body}`;
}

/**
 * Reads back what `serializeImps` writes. `client` is the end that sent the requests on the
 * connection: the wire shows it only as the connection's opener.
 * @throws ImpsParseError naming what is malformed (the CSP document's own errors included).
 */
export function parseImps(text: string, client: string): ImpsMessage {
  if (text.length > MAX_OCTETS) throw new ImpsParseError(`message longer than ${MAX_OCTETS} octets`);
  const end = text.indexOf(CRLF + CRLF);
  if (end < 0) throw new ImpsParseError('the header section is not terminated by an empty line');
  const [start = '', ...lines] = text.slice(0, end).split(CRLF);
  const fields = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0 || !/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/.test(line.slice(0, colon))) throw new ImpsParseError(`malformed header line ${JSON.stringify(line)}`);
    const name = line.slice(0, colon).toLowerCase();
    if (fields.has(name)) throw new ImpsParseError(`repeated header field ${line.slice(0, colon)}`);
    fields.set(name, line.slice(colon + 1).trim());
  }
  const body = Buffer.from(text.slice(end + 4), 'utf8');
  const length = fields.get('content-length') ?? '0';
  if (!/^\d{1,10}$/.test(length) || Number(length) !== body.length) throw new ImpsParseError(`Content-Length ${JSON.stringify(length)} does not match the ${body.length}-octet body`);
  const type = fields.get('content-type');
  if (body.length > 0 && type?.toLowerCase() !== CSP_CONTENT_TYPE) throw new ImpsParseError(`a CSP body is ${CSP_CONTENT_TYPE}, not ${type ?? 'untyped'}`);
  let csp;
  try {
    csp = body.length === 0 ? undefined : decodeCsp(body.toString('utf8'));
  } catch (e) {
    if (e instanceof BodyParseError) throw new ImpsParseError(e.message, { cause: e });
    throw e;
  }
  const request = /^POST (\/\S*) HTTP\/1\.1$/.exec(start);
  if (request !== null) {
    const host = fields.get('host');
    if (host === undefined || csp === undefined) throw new ImpsParseError('a CSP request needs a Host and a CSP body');
    return { protocol: 'imps', type: 'imps-request', client, host, path: request[1]!, csp };
  }
  const status = /^HTTP\/1\.1 (\d{3}) ([^\r\n]*)$/.exec(start);
  if (status === null) throw new ImpsParseError(`malformed start line '${start}'`);
  return { protocol: 'imps', type: 'imps-response', client, status: Number(status[1]), reason: status[2]!, ...(csp === undefined ? {} : { csp }) };
}
