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
