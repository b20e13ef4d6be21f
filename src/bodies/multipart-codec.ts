import type { Body } from './body.js';
// Parts are any body, so they go back through the codec; the cycle is safe as for CPIM.
import { Buffer } from 'node:buffer';
import { decodeBodyOctets, encodeBodyOctets } from './codec.js';
import { BodyParseError } from './errors.js';
import { MAX_MULTIPART_PARTS } from './limits.js';
import type { Field } from './field.js';
import type { MultipartPart } from './multipart.js';

const CRLF = '\r\n';

/** RFC 2046 5.1.1: 1 to 70 characters from this set, not ending in a space. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

/** What may follow a delimiter (RFC 2046 5.1.1), matched in place: slicing per match is quadratic. */
const AFTER_DELIMITER = /--|[ \t]*\r?\n/y;

/** The boundary parameter of a multipart Content-Type, unquoted (RFC 2045 5.1). */
export function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary\s*=\s*("([^"]*)"|[^;\s]+)/i.exec(contentType);
  if (match === null) return undefined;
  return match[2] ?? match[1];
}

function requireBoundary(contentType: string): string {
  const boundary = boundaryOf(contentType);
  if (boundary === undefined || !BOUNDARY.test(boundary)) {
    throw new BodyParseError(contentType, 'missing or invalid boundary parameter (RFC 2046 5.1.1)');
  }
  return boundary;
}

/**
 * Serialises the parts between `--boundary` delimiters and a closing `--boundary--` (RFC 2046
 * 5.1.1). The CRLF before each delimiter belongs to the delimiter, so a part is its exact octets;
 * a part may be opaque octets (an S/MIME signature), hence octets rather than text.
 * @throws RangeError when the boundary is invalid or a line of a part starts with the delimiter.
 */
export function encodeMultipartOctets(contentType: string, parts: MultipartPart[]): Buffer {
  const boundary = boundaryOf(contentType);
  if (boundary === undefined || !BOUNDARY.test(boundary)) throw new RangeError(`invalid multipart boundary in ${contentType}`);
  const delimiter = `--${boundary}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const inner = encodeBodyOctets(part.content);
    if (inner.indexOf(delimiter, 0, 'latin1') === 0 || inner.includes(`\n${delimiter}`, 0, 'latin1')) throw new RangeError(`a line of a body part starts with the delimiter of boundary ${boundary}`);
    const fields: Field[] = [{ name: 'Content-Type', value: part.content.contentType }, ...part.contentHeaders];
    for (const f of fields) if (/[\r\n]/.test(f.name + f.value)) throw new RangeError(`part header ${f.name} contains a line break`);
    chunks.push(Buffer.from(delimiter + CRLF + fields.map((f) => `${f.name}: ${f.value}${CRLF}`).join('') + CRLF, 'utf8'), inner, Buffer.from(CRLF));
  }
  chunks.push(Buffer.from(`${delimiter}--${CRLF}`));
  return Buffer.concat(chunks);
}

/** The text form of {@link encodeMultipartOctets}, for parts that are all text. */
export function encodeMultipart(contentType: string, parts: MultipartPart[]): string {
  return encodeMultipartOctets(contentType, parts).toString('utf8');
}

/**
 * Parses a multipart body: the preamble and epilogue are dropped, each part is decoded from its own
 * octets by its own Content-Type (text/plain when it names none, RFC 2046 5.1).
 * @throws BodyParseError without a boundary, without a closing delimiter, or with an invalid part.
 */
export function decodeMultipart(contentType: string, octets: Uint8Array, depth = 0): MultipartPart[] {
  // One character per octet: delimiters and part headers are ASCII, and offsets are octet offsets.
  const bytes = Buffer.from(octets.buffer, octets.byteOffset, octets.byteLength);
  const text = bytes.toString('latin1');
  const delimiter = `--${requireBoundary(contentType)}`;
  // RFC 2046 5.1.1: a delimiter starts a line and ends it, but for a closing "--" or padding.
  // A line of a part must not start with the delimiter either (RFC 2046 5.1.1), which the encoder
  // refuses too: such a part could not be written back.
  const starts: number[] = [];
  let closed = false;
  for (let i = text.indexOf(delimiter); i >= 0 && !closed; i = text.indexOf(delimiter, i + 1)) {
    if (i > 0 && text[i - 1] !== '\n') continue;
    AFTER_DELIMITER.lastIndex = i + delimiter.length;
    if (AFTER_DELIMITER.test(text)) {
      starts.push(i);
      closed = text.startsWith('--', i + delimiter.length);
    } else if (starts.length > 0) {
      throw new BodyParseError(contentType, `part ${starts.length}: a line starts with the delimiter ${delimiter} (RFC 2046 5.1.1)`);
    }
    if (starts.length > MAX_MULTIPART_PARTS + 1) throw new BodyParseError(contentType, `more than ${MAX_MULTIPART_PARTS} parts`);
  }
  const parts: MultipartPart[] = [];
  for (let k = 0; k < starts.length; k++) {
    const at = starts[k]!;
    if (text.startsWith('--', at + delimiter.length)) return parts;
    const next = starts[k + 1];
    if (next === undefined) break;
    // The line break before the next delimiter belongs to that delimiter.
    const start = text.indexOf('\n', at) + 1;
    const end = text[next - 2] === '\r' ? next - 2 : next - 1;
    parts.push(decodePart(contentType, bytes.subarray(start, Math.max(start, end)), k + 1, depth));
  }
  throw new BodyParseError(contentType, `missing closing ${delimiter}--`);
}

function decodePart(contentType: string, octets: Buffer, index: number, depth: number): MultipartPart {
  const text = octets.toString('latin1');
  const head = /^((?:[^\r\n]+\r?\n)*)\r?\n/.exec(text);
  if (head === null) throw new BodyParseError(contentType, `part ${index}: missing blank line after its headers`);
  let partType = 'text/plain';
  const contentHeaders: Field[] = [];
  // Found on the octet view, read as UTF-8: header values may hold non-ASCII text.
  const headerText = octets.toString('utf8', 0, head[1]!.length);
  for (const line of headerText.split(/\r?\n/).filter((l) => l !== '')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new BodyParseError(contentType, `part ${index}: header line ${JSON.stringify(line)} has no name`);
    const field = { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() };
    if (field.name.toLowerCase() === 'content-type') partType = field.value;
    else contentHeaders.push(field);
  }
  let content: Body;
  try {
    content = decodeBodyOctets(partType, octets.subarray(head[0].length), depth + 1);
  } catch (e) {
    if (!(e instanceof BodyParseError)) throw e;
    throw new BodyParseError(contentType, `part ${index}: ${e.message}`, { cause: e });
  }
  return { contentHeaders, content };
}

/** A multipart/mixed body (RFC 2046 5.1.3) of `parts`, delimited by `boundary`. */
export function buildMultipart(boundary: string, parts: MultipartPart[]): Body {
  return { kind: 'multipart', contentType: `multipart/mixed;boundary=${boundary}`, parts };
}
