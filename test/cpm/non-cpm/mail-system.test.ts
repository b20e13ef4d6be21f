import { describe, expect, it } from 'vitest';
import { formatExchange, type SmtpExchange } from '../../../src/smtp/exchange.js';
import { isSip } from '../../../src/wire/payload.js';
import { at, harness, notes, sent } from '../harness.js';
import { facingScript } from './fixtures.js';

const ALICE = 'sip:alice@a.example';
const MX = 'mx.mail.example';
const LIST = 'mailto:team@mail.example';

/** mail.example hosts Carol's and Dave's mailboxes and the list team@ (Alice, Carol, Dave); a.example interworks where no SIP/IP Core is. */
function network() {
  const h = harness();
  h.net.addDomain('a.example', { policy: { onNoSipCore: 'interwork' } });
  h.net.addNonCpmSystem('email', 'mail.example', ['mailto:carol@mail.example', 'mailto:dave@mail.example'], {}, {
    lists: [{ address: LIST, members: ['mailto:alice@a.example', 'mailto:carol@mail.example', 'mailto:dave@mail.example'] }],
  });
  h.net.addUser(ALICE, ['phone']);
  h.net.at(0, () => h.net.client(ALICE, 'phone').register());
  return h;
}

/** What the mail system sent over SMTP as a client: its commands and its contents. */
function fromMx(h: ReturnType<typeof harness>): { commands: string[]; contents: string[] } {
  const out = { commands: [] as string[], contents: [] as string[] };
  for (const e of h.trace.events) {
    if (e.type !== 'transmit' || e.from !== MX || isSip(e.payload) || e.payload.protocol !== 'smtp') continue;
    const x = e.payload as SmtpExchange;
    if ('commands' in x) out.commands.push(...x.commands);
    if ('content' in x) out.contents.push(x.content);
  }
  return out;
}

describe('a mailing list of the mail system (RFC 5321 3.9.2; CPM 5.1.2.5 Non-CPM Group)', () => {
  it('sends a post on to every member but its poster, and reports it delivered once the list has it (RFC 3461 5.2.3)', () => {
    const h = network();
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').send({ to: 'sip:team@mail.example', text: 'Lunch on Friday?', notify: ['positive-delivery'] }));
    h.net.run({ until: at(10) });
    const mx = notes(h.trace, MX);
    expect(mx).toContain('expands the list team@mail.example to 2 members');
    expect(mx.filter((n) => n.startsWith('delivered into the mailbox of'))).toEqual(['delivered into the mailbox of carol@mail.example', 'delivered into the mailbox of dave@mail.example']);
    // No copy goes back to Alice: the only mail from the system to a.example is the DSN.
    expect(fromMx(h).contents.map((c) => /delivery-status/.test(c))).toEqual([true]);
    expect(notes(h.trace, 'phone.alice.a.example').filter((n) => n.startsWith('delivery:'))).toEqual(['delivery: delivered']);
  });

  it('copies a post of one of its users from the list owner, saying the list, with no NOTIFY', () => {
    const h = network();
    h.net.at(at(1), () => h.net.sendFromNonCpm('mailto:carol@mail.example', LIST, 'Friday suits me', true));
    h.net.run({ until: at(10) });
    const { commands, contents } = fromMx(h);
    // The envelope: the return path is the list's owner, and Carol's NOTIFY does not go on.
    expect(commands.filter((c) => /^(MAIL|RCPT)/.test(c))).toEqual(['MAIL FROM:<team-owner@mail.example>', 'RCPT TO:<alice@a.example>']);
    expect(contents).toHaveLength(1);
    expect(contents[0]).toMatch(/^List-Id: <team\.mail\.example>\r\nList-Post: <mailto:team@mail\.example>\r\nFrom: <carol@mail\.example>\r\n/);
    expect(notes(h.trace, MX)).toEqual(expect.arrayContaining(['expands the list team@mail.example to 2 members', 'delivered into the mailbox of dave@mail.example', 'list mail to alice@a.example accepted']));
    expect(notes(h.trace, MX).filter((n) => n.startsWith('sends a DSN'))).toEqual([]);
  });

  it('a list is no mailbox: mail to an address that is neither is refused', () => {
    const h = network();
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').send({ to: 'sip:nobody@mail.example', text: 'Hello?' }));
    h.net.run({ until: at(10) });
    expect(sent(h.trace, { to: 'phone.alice.a.example', status: 404 })).toHaveLength(1);
  });
});

const CAROL = 'mailto:carol@mail.example';

/**
 * mail.example (Carol, Dave, the list team@ of Alice, Carol and a member at b.example) facing a
 * script at a.example's mail exchanger: it accepts every command there but a RCPT to
 * nobody@a.example, which it refuses 550 (RFC 5321 4.2.3: mailbox unavailable), and the DATA after it.
 */
function mailScript() {
  return facingScript({
    service: 'email',
    domain: 'mail.example',
    users: [CAROL, 'mailto:dave@mail.example'],
    hosted: { lists: [{ address: LIST, members: ['mailto:alice@a.example', CAROL, 'mailto:bob@b.example'] }, { address: 'mailto:pair@mail.example', members: [CAROL, 'mailto:nobody@a.example'] }] },
    reply: (p, answer) => {
      if (!('protocol' in p) || p.protocol !== 'smtp' || p.role !== 'client') return;
      const replies =
        'opens' in p
          ? [{ code: 220, lines: ['iwf-email.a.example ESMTP'] }]
          : 'commands' in p
            ? p.commands.map((c) =>
                c.includes('nobody@a.example')
                  ? { code: 550, lines: ['no such mailbox'] }
                  : c !== 'DATA'
                    ? { code: 250, lines: ['Ok'] }
                    : // RFC 2920 3.1: DATA after the only recipient was refused is refused too.
                      p.commands.some((r) => r.includes('nobody@a.example'))
                      ? { code: 554, lines: ['No valid recipients'] }
                      : { code: 354, lines: ['Go ahead'] },
              )
            : [{ code: 250, lines: ['Ok'] }];
      answer({ protocol: 'smtp', client: p.client, role: 'server', replies });
    },
  });
}

/** What the mail system sent the script as an SMTP client: its commands and its contents. */
function toScript(s: ReturnType<typeof mailScript>): { commands: string[]; contents: string[] } {
  const out = { commands: [] as string[], contents: [] as string[] };
  for (const e of s.trace.events) {
    if (e.type !== 'transmit' || e.from !== MX || isSip(e.payload) || e.payload.protocol !== 'smtp' || e.payload.role !== 'client') continue;
    if ('commands' in e.payload) out.commands.push(...e.payload.commands);
    if ('content' in e.payload) out.contents.push(e.payload.content);
  }
  return out;
}

/** The script, as a mail client at a.example, sends one message to mail.example (RFC 5321 3.3), one write per step. */
function mailIn(s: ReturnType<typeof mailScript>, start: number, mail: string, rcpt: string): void {
  const x = (rest: object): SmtpExchange => ({ protocol: 'smtp', client: s.host, role: 'client', ...rest }) as SmtpExchange;
  s.net.at(at(start), () => s.sendTo(MX, x({ opens: true })));
  s.net.at(at(start + 0.1), () => s.sendTo(MX, x({ commands: ['EHLO iwf-email.a.example'] })));
  s.net.at(at(start + 0.2), () => s.sendTo(MX, x({ commands: [mail, rcpt, 'DATA'] })));
  s.net.at(at(start + 0.3), () => s.sendTo(MX, x({ content: 'From: <alice@a.example>\r\nTo: <carol@mail.example>\r\nSubject: Hi\r\n\r\nHi Carol\r\n' })));
}

/** The replies the mail system sent the script as a server, as on the wire (RFC 5321 4.2). */
const repliesToScript = (s: ReturnType<typeof mailScript>): string[] =>
  s.trace.events.flatMap((e) => (e.type === 'transmit' && e.from === MX && !isSip(e.payload) && e.payload.protocol === 'smtp' && e.payload.role === 'server' ? [formatExchange(e.payload)] : []));

describe('the mail system on the wire, facing a scripted mail exchanger (RFC 5321, 5322, 3461, 3464)', () => {
  it('answers nothing to what is not SMTP, and notes it', () => {
    const s = mailScript();
    s.net.at(0, () => s.sendTo(MX, { protocol: 'smpp', command: 'enquire_link', sequence: 1 }));
    s.net.run({ until: at(1) });
    expect(s.received).toEqual([]);
    expect(notes(s.trace, MX)).toEqual([`ignored a non-SMTP message from ${s.host}`]);
  });

  it("writes a user's mail as RFC 5322 asks: a Date of the sending instant, a Message-ID, a Subject line within 78 characters", () => {
    const s = mailScript();
    s.net.at(at(61), () => s.net.sendFromNonCpm(CAROL, 'mailto:alice@a.example', 'A long text to say that the meeting moves to Friday at ten, in the big room on the second floor.', false));
    s.net.run({ until: at(70) });
    const [content, ...more] = toScript(s).contents;
    expect(more).toEqual([]);
    const lines = content!.split('\r\n');
    // RFC 5322 3.3 date-time: 61 s after 23:59:00 on Monday 7 December 2026.
    expect(lines).toContain('Date: Tue, 08 Dec 2026 00:00:01 +0000');
    // RFC 5322 3.6.4: msg-id = "<" id-left "@" id-right ">".
    expect(lines.filter((l) => /^Message-ID: <[^@<>\s]+@[^@<>\s]+>$/.test(l))).toHaveLength(1);
    // RFC 5322 2.1.1: a line SHOULD be no more than 78 characters.
    const subject = lines.find((l) => l.startsWith('Subject: '))!;
    expect(subject.length).toBeLessThanOrEqual(78);
    expect(notes(s.trace, MX)).toEqual(['mail to alice@a.example accepted']);
  });

  it('notes a refused mail with its reply code, and mail to a domain with no mail exchanger', () => {
    const s = mailScript();
    s.net.at(at(1), () => s.net.sendFromNonCpm(CAROL, 'mailto:nobody@a.example', 'Hi', false));
    s.net.at(at(2), () => s.net.sendFromNonCpm(CAROL, 'mailto:bob@b.example', 'Hi', false));
    s.net.run({ until: at(10) });
    expect(notes(s.trace, MX)).toEqual(['mail to nobody@a.example refused: 550', 'no mail exchanger for bob@b.example']);
  });

  it("expands a list to the members it can reach: 'no mail exchanger' for one at a domain without, 'refused' with the code for one its exchanger refuses", () => {
    const s = mailScript();
    s.net.at(at(1), () => s.net.sendFromNonCpm(CAROL, LIST, 'Hi all', false));
    s.net.at(at(2), () => s.net.sendFromNonCpm(CAROL, 'mailto:pair@mail.example', 'Hi', false));
    s.net.run({ until: at(10) });
    expect(notes(s.trace, MX)).toEqual([
      'expands the list team@mail.example to 2 members',
      'no mail exchanger for bob@b.example',
      'list mail to alice@a.example accepted',
      'expands the list pair@mail.example to 1 member',
      'list mail to nobody@a.example refused: 550',
    ]);
  });

  it('takes a mail with a one-line 250 reply (RFC 5321 4.2 Reply-line) and sends the DSN asked for: null reverse path, RFC 3464 fields, no Original-Envelope-Id without ENVID', () => {
    const s = mailScript();
    mailIn(s, 1, 'MAIL FROM:<alice@a.example>', 'RCPT TO:<carol@mail.example> NOTIFY=SUCCESS');
    s.net.run({ until: at(10) });
    // The reply to the content (the last of the session's four replies).
    expect(repliesToScript(s)[3]).toMatch(/^250( [\t -~]+)?\r\n$/);
    const { commands, contents } = toScript(s);
    // RFC 3461 6.2: a DSN goes with the null reverse-path.
    expect(commands).toContain('MAIL FROM:<>');
    expect(contents).toHaveLength(1);
    const dsn = contents[0]!;
    const boundary = /boundary="([^"]*)"/.exec(dsn)![1]!;
    // RFC 2046 5.1.1: a boundary of 1 to 70 characters, delimiting the parts.
    expect(boundary.length).toBeGreaterThan(0);
    expect(dsn).toContain(`\r\n--${boundary}--\r\n`);
    expect(dsn).toMatch(/^From: <[^@<>]+@mail\.example>\r\n/);
    expect(dsn).toContain('\r\nReporting-MTA: dns; mx.mail.example\r\n');
    expect(dsn).toContain('\r\nFinal-Recipient: rfc822; carol@mail.example\r\nAction: delivered\r\nStatus: 2.0.0\r\n');
    expect(dsn).not.toContain('Original-Envelope-Id');
    expect(notes(s.trace, MX)).toEqual(['delivered into the mailbox of carol@mail.example', 'sends a DSN (delivered) to alice@a.example']);
  });

  it('sends no DSN for a mail with the null reverse path, whatever its NOTIFY (RFC 3461 5.2), and none where the sender has no mail exchanger', () => {
    const s = mailScript();
    mailIn(s, 1, 'MAIL FROM:<>', 'RCPT TO:<carol@mail.example> NOTIFY=SUCCESS');
    mailIn(s, 3, 'MAIL FROM:<bob@b.example>', 'RCPT TO:<carol@mail.example> NOTIFY=SUCCESS');
    s.net.run({ until: at(10) });
    expect(toScript(s).contents).toEqual([]);
    expect(notes(s.trace, MX)).toEqual(['delivered into the mailbox of carol@mail.example', 'delivered into the mailbox of carol@mail.example', 'no mail exchanger for bob@b.example']);
  });
});
