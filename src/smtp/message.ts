/** Internet Message Format (RFC 5322) and DSN (RFC 3464) texts the simulated mail hosts write and read. */

export interface MailText {
  from: string;
  to: string;
  date: string;
  subject: string;
  messageId: string;
  text: string;
}

/** RFC 5322 3.3: the date-time of an instant, in UTC. */
export function mailDate(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

export function formatMail(m: MailText): string {
  return [
    `From: <${m.from}>`,
    `To: <${m.to}>`,
    `Date: ${m.date}`,
    `Subject: ${m.subject}`,
    `Message-ID: <${m.messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    m.text,
    '',
  ].join('\r\n');
}

/** The header fields and body of a message, unfolded (RFC 5322 2.2.3). */
export function parseMail(content: string): { headers: Map<string, string>; body: string } {
  const text = content.replace(/\r\n/g, '\n');
  const split = text.indexOf('\n\n');
  const head = (split < 0 ? text : text.slice(0, split)).replace(/\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: split < 0 ? '' : text.slice(split + 2).replace(/\n$/, '') };
}

export interface DsnReport {
  reportingMta: string;
  envelopeId?: string;
  recipient: string;
  action: 'delivered' | 'failed' | 'delayed' | 'relayed' | 'expanded';
  status: string;
}

/** RFC 3464 2: a multipart/report with a human-readable part and a message/delivery-status part. */
export function formatDsn(r: DsnReport, m: { from: string; to: string; date: string; boundary: string }): string {
  const outcome = r.action === 'delivered' ? 'Success' : 'Failure';
  return [
    `From: <${m.from}>`,
    `To: <${m.to}>`,
    `Date: ${m.date}`,
    `Subject: Delivery Status Notification (${outcome})`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${m.boundary}"`,
    '',
    `--${m.boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    `Your message to ${r.recipient} was ${r.action}.`,
    '',
    `--${m.boundary}`,
    'Content-Type: message/delivery-status',
    '',
    `Reporting-MTA: dns; ${r.reportingMta}`,
    ...(r.envelopeId === undefined ? [] : [`Original-Envelope-Id: ${r.envelopeId}`]),
    '',
    `Final-Recipient: rfc822; ${r.recipient}`,
    `Action: ${r.action}`,
    `Status: ${r.status}`,
    '',
    `--${m.boundary}--`,
    '',
  ].join('\r\n');
}

/** The per-message and first per-recipient fields of a DSN, if the content is one. */
export function parseDsn(content: string): DsnReport | undefined {
  if (!/^Content-Type:\s*multipart\/report/im.test(content)) return undefined;
  // Trimmed after matching: a lazy `(.+?)\s*$` retries the blanks at every step, quadratic on a long run.
  const field = (name: string): string | undefined => new RegExp(`^${name}:(.*)$`, 'im').exec(content)?.[1]?.trim() || undefined;
  const action = field('Action')?.toLowerCase();
  const recipient = field('Final-Recipient')?.replace(/^rfc822;\s*/i, '');
  if (action === undefined || recipient === undefined || !['delivered', 'failed', 'delayed', 'relayed', 'expanded'].includes(action)) return undefined;
  const envelopeId = field('Original-Envelope-Id');
  return { reportingMta: (field('Reporting-MTA') ?? '').replace(/^dns;\s*/i, ''), recipient, action: action as DsnReport['action'], status: field('Status') ?? '', ...(envelopeId === undefined ? {} : { envelopeId }) };
}
