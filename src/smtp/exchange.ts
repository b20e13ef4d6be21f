/**
 * What one side of an SMTP session (RFC 5321) sends in one write: the client's commands, several
 * at once where PIPELINING allows it (RFC 2920), or the message content after 354; the server's
 * replies. A session is opened by the client and begins with the server's greeting.
 */
export interface SmtpReply {
  code: number;
  /** One line, or the lines of a multiline reply (RFC 5321 4.2.1). */
  lines: string[];
}

interface Side {
  protocol: 'smtp';
  /** The host that opened the session's connection, to tell which end is the client. */
  client: string;
}

export type SmtpExchange =
  /** The client opens the connection (the TCP handshake); the server answers with its greeting. */
  | (Side & { role: 'client'; opens: true })
  | (Side & { role: 'client'; commands: string[] })
  /** RFC 5321 4.1.1.4: the content, ended by CRLF.CRLF on the wire (dot-stuffed there, 4.5.2). */
  | (Side & { role: 'client'; content: string })
  | (Side & { role: 'server'; replies: SmtpReply[] });

/** The octets of an exchange: CRLF lines, the content dot-stuffed and ended by a lone dot. */
export function formatExchange(x: SmtpExchange): string {
  if (x.role === 'server') {
    return x.replies.map((r) => r.lines.map((line, i) => `${r.code}${i < r.lines.length - 1 ? '-' : ' '}${line}\r\n`).join('')).join('');
  }
  if ('opens' in x) return '';
  if ('commands' in x) return x.commands.map((c) => `${c}\r\n`).join('');
  const body = x.content.replace(/\r?\n/g, '\r\n');
  const stuffed = body.split('\r\n').map((line) => (line.startsWith('.') ? `.${line}` : line)).join('\r\n');
  return `${stuffed}${stuffed.endsWith('\r\n') ? '' : '\r\n'}.\r\n`;
}

/** The verb of a command line (`MAIL` of `MAIL FROM:<a@b>`). */
export function verbOf(command: string): string {
  return command.split(/[ :]/)[0]!.toUpperCase();
}

/** Octets that are not what the reading side of an SMTP session expects (RFC 5321 4.1, 4.2). */
export class SmtpParseError extends Error {
  override readonly name = 'SmtpParseError';
}

/**
 * What a side's octets are read as. The wire does not say: the session does (RFC 5321 4.1.1.4,
 * after a 354 the client sends content), so the reader names what it expects.
 */
export type SmtpReading = 'commands' | 'content' | 'replies';

/** RFC 5321 4.5.3.1.4-6: command and reply lines are at most 512 octets, text lines 1000, CRLF included. */
const MAX_COMMAND_LINE = 512;
const MAX_TEXT_LINE = 1000;
/** Content of one message; the simulated mail hosts exchange short texts and their reports. */
const MAX_CONTENT_OCTETS = 4 * 1024 * 1024;

/** The CRLF-ended lines of `text`, refusing a bare CR or LF (RFC 5321 2.3.8) and overlong lines. */
function crlfLines(text: string, maxLine: number): string[] {
  if (!text.endsWith('\r\n')) throw new SmtpParseError('the last line does not end in CRLF');
  const lines = text.slice(0, -2).split('\r\n');
  for (const line of lines) {
    if (/[\r\n]/.test(line)) throw new SmtpParseError(`bare CR or LF in line ${JSON.stringify(line)} (RFC 5321 2.3.8)`);
    if (line.length + 2 > maxLine) throw new SmtpParseError(`line of ${line.length + 2} octets exceeds ${maxLine} (RFC 5321 4.5.3.1)`);
  }
  return lines;
}

/** RFC 5321 4.2: Reply-code = %x32-35 %x30-35 %x30-39, then SP (last line) or "-" (more lines). */
const REPLY_LINE = /^([2-5][0-5]\d)([ -])(.*)$/s;

function parseReplies(text: string): SmtpReply[] {
  const replies: SmtpReply[] = [];
  let open: SmtpReply | undefined;
  for (const line of crlfLines(text, MAX_COMMAND_LINE)) {
    const m = REPLY_LINE.exec(line);
    if (m === null) throw new SmtpParseError(`malformed reply line ${JSON.stringify(line)}`);
    const code = Number(m[1]);
    if (open !== undefined && open.code !== code) throw new SmtpParseError(`reply line ${JSON.stringify(line)} changes the code of a multiline reply (RFC 5321 4.2.1)`);
    open ??= { code, lines: [] };
    open.lines.push(m[3]!);
    if (m[2] === ' ') {
      replies.push(open);
      open = undefined;
    }
  }
  if (open !== undefined) throw new SmtpParseError('the last reply line ends in "-": the reply is incomplete');
  return replies;
}

/** RFC 5321 4.5.2: the content ends at a line holding one dot; a leading dot was doubled. */
function parseContent(text: string): string {
  if (text.length > MAX_CONTENT_OCTETS) throw new SmtpParseError(`content longer than ${MAX_CONTENT_OCTETS} octets`);
  const lines = crlfLines(text, MAX_TEXT_LINE);
  if (lines.pop() !== '.') throw new SmtpParseError('the content does not end with CRLF.CRLF (RFC 5321 4.1.1.4)');
  const body = lines.map((line) => {
    if (line === '.') throw new SmtpParseError('a line holding one dot before the end of the content');
    return line.startsWith('.') ? line.slice(1) : line;
  });
  return body.map((line) => `${line}\r\n`).join('');
}

/**
 * Reads one write of an SMTP session back into an exchange: the inverse of {@link formatExchange}.
 * Content comes back with CRLF line ends, each line ended, as the wire carries it.
 * @throws SmtpParseError naming what is malformed.
 */
export function parseExchange(text: string, reading: SmtpReading, client: string): SmtpExchange {
  if (reading === 'replies') return { protocol: 'smtp', client, role: 'server', replies: parseReplies(text) };
  if (reading === 'content') return { protocol: 'smtp', client, role: 'client', content: parseContent(text) };
  // The connection's opening carries no octets (formatExchange writes none).
  if (text === '') return { protocol: 'smtp', client, role: 'client', opens: true };
  const commands = crlfLines(text, MAX_COMMAND_LINE);
  if (commands.some((c) => c === '')) throw new SmtpParseError('an empty command line');
  return { protocol: 'smtp', client, role: 'client', commands };
}
