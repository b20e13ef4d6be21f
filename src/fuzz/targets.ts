import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { decodeBodyOctets, encodeBodyOctets } from '../bodies/codec.js';
import { BodyParseError } from '../bodies/errors.js';
import { MsrpParseError } from '../msrp/errors.js';
import { parseMsrp, serializeMsrp } from '../msrp/codec.js';
import { SipParseError } from '../sip/errors.js';
import { parseMessage } from '../sip/parser.js';
import { serializeMessageOctets } from '../sip/serializer.js';
import { ImpsParseError, parseImps, serializeImps } from '../imps/http-codec.js';
import { decodeRtp, encodeRtp, RtpCodecError } from '../rtp/codec.js';
import { decodePdu, encodePdu } from '../smpp/codec.js';
import { SmppParseError } from '../smpp/errors.js';
import { formatExchange, parseExchange, SmtpParseError, type SmtpReading } from '../smtp/exchange.js';
import { parseDsn, parseMail } from '../smtp/message.js';
import { parseXcap, serializeXcap, XcapParseError } from '../xcap/codec.js';

/**
 * One codec as the fuzzer and the property tests drive it: `parse` reads octets and throws only
 * `typed` for what it refuses; `reencode` writes a parsed value back to octets, so that parsing
 * those gives the same value again (a round trip that loses nothing).
 */
export interface CodecTarget {
  name: string;
  /** A body codec reads its payload under this Content-Type. */
  contentType?: string;
  parse(octets: Buffer): unknown;
  reencode(value: unknown): Buffer;
  typed: new (...args: never[]) => Error;
}

const utf8 = (octets: Buffer): string => octets.toString('utf8');

function body(name: string, contentType: string): CodecTarget {
  return {
    name,
    contentType,
    parse: (octets) => decodeBodyOctets(contentType, octets),
    reencode: (value) => encodeBodyOctets(value as Parameters<typeof encodeBodyOctets>[0]),
    typed: BodyParseError,
  };
}

function smtp(name: string, reading: SmtpReading): CodecTarget {
  return {
    name,
    parse: (octets) => {
      const text = utf8(octets);
      // The mail readers are lenient by design (RFC 5322 parsers skip what they cannot read):
      // they must not throw at all, so they run on every input as well.
      if (reading === 'content') {
        parseMail(text);
        parseDsn(text);
      }
      return parseExchange(text, reading, 'client.example');
    },
    reencode: (value) => Buffer.from(formatExchange(value as Parameters<typeof formatExchange>[0]), 'utf8'),
    typed: SmtpParseError,
  };
}

export const BOUNDARY = 'fuzz-boundary';
/** A datagram's ports are the socket's, not in its octets: any fixed pair reads the same. */
const RTP_PORTS = { srcPort: 0, dstPort: 0 };

/** Every codec, by the name `--target` takes. */
export const TARGETS: readonly CodecTarget[] = [
  { name: 'sip', parse: (o) => parseMessage(o), reencode: (v) => serializeMessageOctets(v as ReturnType<typeof parseMessage>), typed: SipParseError },
  { name: 'sip-proxy', parse: (o) => parseMessage(o, 'opaque'), reencode: (v) => serializeMessageOctets(v as ReturnType<typeof parseMessage>), typed: SipParseError },
  body('cpim', 'message/cpim'),
  body('imdn', 'message/imdn+xml'),
  body('reginfo', 'application/reginfo+xml'),
  body('conference-info', 'application/conference-info+xml'),
  body('resource-lists', 'application/resource-lists+xml'),
  body('sdp', 'application/sdp'),
  body('multipart', `multipart/mixed;boundary=${BOUNDARY}`),
  { name: 'msrp', parse: (o) => parseMsrp(utf8(o)), reencode: (v) => Buffer.from(serializeMsrp(v as ReturnType<typeof parseMsrp>), 'utf8'), typed: MsrpParseError },
  { name: 'xcap', parse: (o) => parseXcap(utf8(o)), reencode: (v) => Buffer.from(serializeXcap(v as ReturnType<typeof parseXcap>), 'utf8'), typed: XcapParseError },
  { name: 'smpp', parse: (o) => decodePdu(o), reencode: (v) => encodePdu(v as ReturnType<typeof decodePdu>), typed: SmppParseError },
  // WV-CSP over HTTP: the IMPS server and Interworking Function read each other's transactions.
  { name: 'imps', parse: (o) => parseImps(utf8(o), 'client.example'), reencode: (v) => Buffer.from(serializeImps(v as ReturnType<typeof parseImps>), 'utf8'), typed: ImpsParseError },
  // RTP from a real client reaches the simulated network through the live gateway.
  { name: 'rtp', parse: (o) => decodeRtp(o, RTP_PORTS), reencode: (v) => Buffer.from(encodeRtp(v as ReturnType<typeof decodeRtp>)), typed: RtpCodecError },
  smtp('smtp-commands', 'commands'),
  smtp('smtp-content', 'content'),
  smtp('smtp-replies', 'replies'),
];

export function targetNamed(name: string): CodecTarget | undefined {
  return TARGETS.find((t) => t.name === name);
}

/** What one input did to a codec. */
export type Outcome =
  | { kind: 'parsed' }
  | { kind: 'refused' }
  /** Anything but the codec's typed error: a bug. */
  | { kind: 'crashed'; error: unknown }
  /** Parsed, but writing the value back and parsing that gave something else, or could not be done. */
  | { kind: 'lossy'; detail: string };

/**
 * Feeds one input to a codec and checks that its value survives a round trip; `parseMs` is the
 * time the parse alone took, which is what an element spends on a message it receives.
 */
export function exercise(target: CodecTarget, octets: Buffer): { outcome: Outcome; parseMs: number } {
  const start = performance.now();
  let value: unknown;
  try {
    value = target.parse(octets);
  } catch (e) {
    const parseMs = performance.now() - start;
    return { outcome: e instanceof target.typed ? { kind: 'refused' } : { kind: 'crashed', error: e }, parseMs };
  }
  const parseMs = performance.now() - start;
  return { outcome: roundTrip(target, value, octets), parseMs };
}

const describeError = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : String(e));

function roundTrip(target: CodecTarget, value: unknown, input: Buffer): Outcome {
  let written: Buffer;
  try {
    written = target.reencode(value);
  } catch (e) {
    return { kind: 'lossy', detail: `parsed but cannot be written back: ${describeError(e)}` };
  }
  let again: unknown;
  try {
    again = target.parse(written);
  } catch (e) {
    // An encoder may write more than it read (XML indentation): past a size limit the codec
    // refuses its own output, which is the limit at work, not a loss.
    if (e instanceof target.typed && written.length > input.length) return { kind: 'parsed' };
    return { kind: 'lossy', detail: `written back but not read again: ${describeError(e)}` };
  }
  return isDeepStrictEqual(comparable(again), comparable(value)) ? { kind: 'parsed' } : { kind: 'lossy', detail: 'read back differently after writing' };
}

/** Binary bodies hold Buffers or Uint8Arrays depending on the path: compare their octets. */
function comparable(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return value.map(comparable);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : [[k, comparable(v)]])));
  }
  return value;
}
