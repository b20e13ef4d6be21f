import { describe, expect, it } from 'vitest';
import type { SmtpExchange } from '../../../src/smtp/exchange.js';
import { isSip } from '../../../src/wire/payload.js';
import { at, harness, notes, sent } from '../harness.js';

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
