import { Buffer } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import type { Body } from '../bodies/body.js';
import { decodeBodyOctets } from '../bodies/codec.js';
import { BodyParseError } from '../bodies/errors.js';
import { parseMsrp } from '../msrp/codec.js';
import { MsrpParseError } from '../msrp/errors.js';
import { SipParseError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { parseMessage } from '../sip/parser.js';
import { formatUri } from '../sip/uri.js';
import { decodePdu } from '../smpp/codec.js';
import { SmppParseError } from '../smpp/errors.js';
import { parseXcap, XcapParseError } from '../xcap/codec.js';
import { EXIT, UsageError, type CliIo } from './io.js';

export const PARSE_AS = ['sip', 'msrp', 'xcap', 'smpp'] as const;

export interface ParseOptions {
  /** The protocol; by default guessed from the first line (MSRP, HTTP), else SIP. */
  as?: (typeof PARSE_AS)[number];
  /** Read the file as a body of this media type instead of a message. */
  contentType?: string;
  /** Turn bare LF line ends into CRLF first, for a file written by a text editor. */
  crlf: boolean;
}

/** Larger than any message a codec accepts (SIP stops at 1 MiB), so the codec names the limit. */
const MAX_FILE_OCTETS = 8 * 1024 * 1024;

function readInput(path: string, file: string, crlf: boolean): Buffer {
  let octets: Buffer;
  try {
    const size = statSync(path).size;
    if (size > MAX_FILE_OCTETS) throw new UsageError(`${file}: ${size} bytes, more than the ${MAX_FILE_OCTETS} a message file may have`);
    octets = readFileSync(path);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read the file (${code ?? String(e)})`}`);
  }
  return crlf ? Buffer.from(octets.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1') : octets;
}

function guess(octets: Buffer): (typeof PARSE_AS)[number] {
  const head = octets.subarray(0, 16).toString('latin1');
  if (head.startsWith('MSRP ')) return 'msrp';
  if (/^(GET |HTTP\/1\.1 )/.test(head)) return 'xcap';
  return 'sip';
}

/** A body as readable data: its media type, how it was decoded, and the decoded value. */
function bodyView(body: Body): unknown {
  switch (body.kind) {
    case 'binary':
      return { 'content-type': body.contentType, kind: 'binary', octets: body.octets.length, hex: Buffer.from(body.octets.subarray(0, 32)).toString('hex') + (body.octets.length > 32 ? '…' : '') };
    case 'text':
      return { 'content-type': body.contentType, kind: 'text', text: body.text };
    case 'multipart':
      return { 'content-type': body.contentType, kind: 'multipart', parts: body.parts.map((p) => ({ headers: p.contentHeaders.map((f) => `${f.name}: ${f.value}`), content: bodyView(p.content) })) };
    case 'cpim':
      return { 'content-type': body.contentType, kind: 'cpim', headers: body.cpim.headers.map((f) => `${f.name}: ${f.value}`), 'content-headers': body.cpim.contentHeaders.map((f) => `${f.name}: ${f.value}`), content: bodyView(body.cpim.content) };
    default: {
      const { kind, contentType, ...value } = body;
      return { 'content-type': contentType, kind, ...value };
    }
  }
}

function sipView(m: SipMessage): unknown {
  const start = m.type === 'request' ? { request: `${m.method} ${formatUri(m.uri)}` } : { response: `${m.status} ${m.reason}` };
  return { ...start, headers: m.headers.map((h) => `${h.name}: ${h.value}`), ...(m.body === undefined ? {} : { body: bodyView(m.body) }) };
}

/** The codec's reading of the octets, as data to print. @throws the codec's typed error. */
function read(octets: Buffer, opts: ParseOptions): unknown {
  if (opts.contentType !== undefined) return bodyView(decodeBodyOctets(opts.contentType, octets));
  switch (opts.as ?? guess(octets)) {
    case 'sip':
      return sipView(parseMessage(octets));
    case 'msrp': {
      const m = parseMsrp(octets.toString('utf8'));
      return m.type === 'msrp-request' && m.body !== undefined ? { ...m, body: bodyView(m.body) } : m;
    }
    case 'xcap':
      return parseXcap(octets.toString('utf8'));
    case 'smpp':
      return decodePdu(octets);
  }
}

const TYPED = [SipParseError, BodyParseError, MsrpParseError, XcapParseError, SmppParseError];

/**
 * `cpmsim parse <file>`: the message as the simulated elements read it, printed as YAML, or where
 * and why it does not parse (exit 2). A SIP error is placed at the line and column of the header
 * or line at fault.
 */
export function parseCommand(file: string, opts: ParseOptions, io: CliIo): number {
  const octets = readInput(resolve(io.cwd, file), file, opts.crlf);
  try {
    io.stdout(stringify(read(octets, opts), { lineWidth: 0 }));
    return EXIT.ok;
  } catch (e) {
    if (!TYPED.some((T) => e instanceof T)) throw e;
    const where = e instanceof SipParseError && e.line !== undefined ? `:${e.line}:${e.column ?? 1}` : '';
    io.stderr(`${file}${where}: ${(e as Error).message}\n`);
    return EXIT.badInput;
  }
}
