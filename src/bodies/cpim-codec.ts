import type { Body } from './body.js';
// Encapsulated content is any body, so it goes back through the codec. The import cycle with
// codec.ts is safe: the functions are only called after both modules have loaded.
import { decodeBody, encodeBody } from './codec.js';
import type { CpimMessage } from './cpim.js';
import { BodyParseError } from './errors.js';
import { MAX_CPIM_HEADER_LINES } from './limits.js';
import type { Field } from './field.js';
import type { DispositionRequest } from './imdn.js';

const CRLF = '\r\n';

/** RFC 3862 3.1: a header name is a run of printable US-ASCII other than ':' (no whitespace). */
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

/** RFC 5438 6.3 disposition types. */
const DISPOSITIONS: readonly DispositionRequest[] = [
  'positive-delivery',
  'negative-delivery',
  'display',
  'processing',
];

/**
 * Writes one header line. RFC 3862 3.1 puts a single SP between the colon and the value, except
 * that header parameters follow the colon directly (`Subject:;lang=fr ...`), so a value that
 * starts with ';' is written without the SP; `parseLine` undoes exactly this.
 */
function formatLine(field: Field): string {
  if (!HEADER_NAME.test(field.name)) {
    throw new RangeError(`invalid CPIM/MIME header name ${JSON.stringify(field.name)}`);
  }
  if (/[\r\n]/.test(field.value)) {
    throw new RangeError(`header ${field.name} value contains a line break`);
  }
  const sep = field.value.startsWith(';') ? ':' : ': ';
  return `${field.name}${sep}${field.value}${CRLF}`;
}

/** Serialises a CPIM message (RFC 3862 2: headers, blank line, MIME headers, blank line, content). */
export function encodeCpim(msg: CpimMessage): string {
  for (const f of msg.contentHeaders) {
    const lower = f.name.toLowerCase();
    if (lower === 'content-type' || lower === 'content-length') {
      throw new RangeError(`contentHeaders must not contain ${f.name}: it is derived from content`);
    }
  }
  const inner = encodeBody(msg.content);
  const mime: Field[] = [
    { name: 'Content-Type', value: msg.content.contentType },
    ...msg.contentHeaders,
    { name: 'Content-Length', value: String(Buffer.byteLength(inner, 'utf8')) },
  ];
  return (
    msg.headers.map(formatLine).join('') + CRLF + mime.map(formatLine).join('') + CRLF + inner
  );
}

interface Block {
  fields: Field[];
  /** Offset of the first character after the blank line that ends the block. */
  end: number;
}

/**
 * Reads `Name: value` lines from `start` up to and including the terminating empty line. Lines end
 * in CRLF (RFC 3862 3.1); a bare LF is also accepted so hand-written bodies decode. There is no
 * line folding in CPIM headers, so every line must carry its own name and colon.
 */
function readBlock(contentType: string, text: string, start: number, what: string): Block {
  const fields: Field[] = [];
  let pos = start;
  for (;;) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) {
      throw new BodyParseError(contentType, `missing blank line after the ${what}`);
    }
    const line = text.slice(pos, nl > pos && text[nl - 1] === '\r' ? nl - 1 : nl);
    pos = nl + 1;
    if (line === '') return { fields, end: pos };
    if (fields.length === MAX_CPIM_HEADER_LINES) throw new BodyParseError(contentType, `more than ${MAX_CPIM_HEADER_LINES} lines in the ${what}`);
    fields.push(parseLine(contentType, line, what));
  }
}

function parseLine(contentType: string, line: string, what: string): Field {
  // RFC 3862 3.1: a header line ends at CRLF and holds no other CR; formatLine refuses one too.
  if (line.includes('\r')) {
    throw new BodyParseError(contentType, `line ${JSON.stringify(line)} in the ${what} contains a CR that does not end it`);
  }
  const colon = line.indexOf(':');
  if (colon < 0) {
    throw new BodyParseError(contentType, `line ${JSON.stringify(line)} in the ${what} has no colon`);
  }
  const name = line.slice(0, colon);
  if (!HEADER_NAME.test(name)) {
    throw new BodyParseError(contentType, `invalid header name ${JSON.stringify(name)} in the ${what}`);
  }
  const rest = line.slice(colon + 1);
  return { name, value: rest.startsWith(' ') ? rest.slice(1) : rest };
}

/**
 * Parses a message/cpim payload. CPIM header names keep their case (they are case-sensitive,
 * RFC 3862 3.1); the MIME headers of the content are matched case-insensitively (RFC 2045).
 * @throws BodyParseError on a structural problem, a Content-Length mismatch, or invalid content.
 */
export function decodeCpim(contentType: string, text: string, depth = 0): CpimMessage {
  const headers = readBlock(contentType, text, 0, 'message headers');
  const mime = readBlock(contentType, text, headers.end, 'MIME content headers');
  const inner = text.slice(mime.end);

  let innerType: string | undefined;
  let innerLength: string | undefined;
  const contentHeaders: Field[] = [];
  for (const f of mime.fields) {
    const lower = f.name.toLowerCase();
    if (lower === 'content-type' || lower === 'content-length') {
      if ((lower === 'content-type' ? innerType : innerLength) !== undefined) {
        throw new BodyParseError(contentType, `duplicate ${f.name} in the MIME content headers`);
      }
      if (lower === 'content-type') innerType = f.value;
      else innerLength = f.value.trim();
    } else {
      contentHeaders.push(f);
    }
  }
  if (innerType === undefined || innerType.trim() === '') {
    throw new BodyParseError(contentType, 'missing Content-Type in the MIME content headers');
  }
  if (innerLength !== undefined) {
    const actual = Buffer.byteLength(inner, 'utf8');
    if (!/^\d+$/.test(innerLength)) {
      throw new BodyParseError(contentType, `invalid Content-Length ${JSON.stringify(innerLength)}`);
    }
    if (Number(innerLength) !== actual) {
      throw new BodyParseError(
        contentType,
        `Content-Length ${innerLength} does not match the ${actual}-byte encapsulated content`,
      );
    }
  }

  let content: Body;
  try {
    content = decodeBody(innerType, inner, depth + 1);
  } catch (e) {
    if (!(e instanceof BodyParseError)) throw e;
    throw new BodyParseError(contentType, `encapsulated content: ${e.message}`, { cause: e });
  }
  return { headers: headers.fields, contentHeaders, content };
}

/**
 * Value of the first CPIM message header called exactly `name` (e.g. `imdn.Message-ID`).
 * The comparison is case-sensitive because CPIM header names are (RFC 3862 3.1).
 */
export function cpimHeader(msg: CpimMessage, name: string): string | undefined {
  return msg.headers.find((f) => f.name === name)?.value;
}

/**
 * Parses an imdn.Disposition-Notification value (RFC 5438 6.3): a comma-separated list of
 * disposition types. Tokens are case-insensitive ABNF literals.
 * @throws BodyParseError for an empty list or an unknown disposition type.
 */
export function parseDispositionNotification(value: string): DispositionRequest[] {
  return value.split(',').map((raw) => {
    const token = raw.trim().toLowerCase();
    const found = DISPOSITIONS.find((d) => d === token);
    if (found === undefined) {
      throw new BodyParseError(
        'message/cpim',
        `unknown imdn.Disposition-Notification value ${JSON.stringify(raw.trim())}`,
      );
    }
    return found;
  });
}

/**
 * Builds the CPIM wrapper the CPM entities send. With `messageId` the imdn namespace is declared
 * and the message is identified (RFC 5438 6.2/6.4); requested dispositions go in
 * imdn.Disposition-Notification (6.3), which RFC 5438 only allows alongside imdn.Message-ID.
 */
export function buildCpim(opts: {
  from: string;
  to: string;
  dateTime: string;
  messageId?: string;
  dispositionNotification?: DispositionRequest[];
  content: Body;
  contentHeaders?: Field[];
}): CpimMessage {
  const headers: Field[] = [
    { name: 'From', value: `<${opts.from}>` },
    { name: 'To', value: `<${opts.to}>` },
    { name: 'DateTime', value: opts.dateTime },
  ];
  const dispositions = opts.dispositionNotification ?? [];
  if (opts.messageId === undefined) {
    if (dispositions.length > 0) {
      throw new RangeError('imdn.Disposition-Notification requires a messageId (RFC 5438 6.3)');
    }
  } else {
    headers.push(
      { name: 'NS', value: 'imdn <urn:ietf:params:imdn>' },
      { name: 'imdn.Message-ID', value: opts.messageId },
    );
    if (dispositions.length > 0) {
      headers.push({ name: 'imdn.Disposition-Notification', value: dispositions.join(', ') });
    }
  }
  return { headers, contentHeaders: opts.contentHeaders ?? [], content: opts.content };
}
