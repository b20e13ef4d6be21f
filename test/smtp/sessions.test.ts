import { describe, expect, it } from 'vitest';
import { SmtpClientSession, type SessionResult } from '../../src/smtp/client-session.js';
import { formatExchange, type SmtpExchange } from '../../src/smtp/exchange.js';
import { formatDsn, parseDsn, parseMail, formatMail } from '../../src/smtp/message.js';
import { SmtpServerSession, type Delivery } from '../../src/smtp/server-session.js';

/** A client and a server session wired back to back; returns every exchange in order. */
function converse(accepts: (a: string) => boolean, notify?: ('SUCCESS' | 'FAILURE')[]) {
  const exchanges: SmtpExchange[] = [];
  const delivered: Delivery[] = [];
  let result: SessionResult | undefined;
  let closed = false;
  const client = new SmtpClientSession('c.example', 'c.example', { from: 'a@c.example', to: 'b@s.example', envelopeId: 'E1', ...(notify && { notify }) }, 'Subject: x\r\n\r\n.hidden dot\r\n', (r) => (result = r), () => (closed = true));
  const server = new SmtpServerSession('c.example', 's.example', {
    accepts,
    receive: (d, reply) => {
      delivered.push(d);
      reply({ code: 250, lines: ['2.0.0 queued'] });
    },
  }, (x) => {
    exchanges.push(x);
    if (x.role === 'server') {
      const next = client.replied(x.replies);
      if (next !== undefined) {
        exchanges.push(next);
        server.received(next);
      }
    }
  });
  const open = client.open();
  exchanges.push(open);
  server.received(open);
  return { exchanges, delivered, result, closed };
}

describe('SMTP sessions (RFC 5321, RFC 2920, RFC 3461)', () => {
  it('runs greeting, EHLO, pipelined MAIL/RCPT/DATA, content, QUIT', () => {
    const { exchanges, delivered, result, closed } = converse(() => true, ['SUCCESS']);
    expect(exchanges.map((x) => formatExchange(x).split('\r\n')[0])).toEqual([
      '',
      '220 s.example ESMTP ready',
      'EHLO c.example',
      '250-s.example',
      'MAIL FROM:<a@c.example> RET=HDRS ENVID=E1',
      '250 2.1.0 Sender OK',
      'Subject: x',
      '250 2.0.0 queued',
      'QUIT',
      '221 2.0.0 s.example closing connection',
    ]);
    expect(delivered[0]).toMatchObject({ from: 'a@c.example', to: ['b@s.example'], envelopeId: 'E1', notify: new Map([['b@s.example', ['SUCCESS']]]) });
    expect(result?.accepted).toBe(true);
    expect(closed).toBe(true);
  });

  it('dot-stuffs the content and ends it with a lone dot (RFC 5321 4.5.2)', () => {
    expect(formatExchange({ protocol: 'smtp', client: 'c', role: 'client', content: 'a\n.b\n' })).toBe('a\r\n..b\r\n.\r\n');
  });

  it('refuses an unknown recipient with 550, then DATA with 554, and the client quits', () => {
    const { exchanges, delivered, result } = converse(() => false);
    const replies = exchanges.find((x) => x.role === 'server' && x.replies.length === 3);
    expect(replies?.role === 'server' && replies.replies.map((r) => r.code)).toEqual([250, 550, 554]);
    expect(delivered).toEqual([]);
    expect(result).toMatchObject({ accepted: false, permanent: true, reply: { code: 550 } });
  });
});

describe('Mail and DSN texts (RFC 5322, RFC 3464)', () => {
  it('writes a DSN that reads back with its envelope id and action', () => {
    const dsn = formatDsn({ reportingMta: 'mx.s.example', envelopeId: 'E1', recipient: 'b@s.example', action: 'delivered', status: '2.0.0' }, { from: 'MAILER-DAEMON@s.example', to: 'a@c.example', date: 'd', boundary: 'B' });
    expect(dsn).toContain('Content-Type: multipart/report; report-type=delivery-status; boundary="B"');
    expect(parseDsn(dsn)).toEqual({ reportingMta: 'mx.s.example', envelopeId: 'E1', recipient: 'b@s.example', action: 'delivered', status: '2.0.0' });
    expect(parseDsn(formatMail({ from: 'a', to: 'b', date: 'd', subject: 's', messageId: 'm', text: 'Action: delivered' }))).toBeUndefined();
  });

  it('reads a mail body back', () => {
    const mail = formatMail({ from: 'a@c.example', to: 'b@s.example', date: 'd', subject: 'Hi', messageId: 'm@c', text: 'Two\r\nlines' });
    expect(parseMail(mail).body).toBe('Two\nlines');
    expect(parseMail(mail).headers.get('subject')).toBe('Hi');
  });
});
