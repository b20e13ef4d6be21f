import { describe, expect, it } from 'vitest';
import { header } from '../../../src/sip/message.js';
import { at, harness, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const PHONE = 'phone.alice.a.example';

/** Carol mails Alice directly, and through the list team@mail.example whose members are Alice and Dave. */
function network() {
  const h = harness();
  h.net.addDomain('a.example');
  h.net.addNonCpmSystem('email', 'mail.example', ['mailto:carol@mail.example', 'mailto:dave@mail.example'], {}, {
    lists: [{ address: 'mailto:team@mail.example', members: ['mailto:alice@a.example', 'mailto:dave@mail.example'] }],
  });
  h.net.addUser(ALICE, ['phone']);
  h.net.at(0, () => h.net.client(ALICE, 'phone').register());
  return h;
}

/** SIP From, P-Asserted-Identity and CPIM From of each MESSAGE Alice's phone received. */
function received(h: ReturnType<typeof harness>): string[][] {
  return sent(h.trace, { to: PHONE, method: 'MESSAGE' }).map((e) => {
    const m = e.payload;
    const cpimFrom = m.body?.kind === 'cpim' ? m.body.cpim.headers.find((f) => f.name === 'From')?.value : undefined;
    return [header(m, 'From')!.replace(/;tag=.*/, ''), header(m, 'P-Asserted-Identity')!, String(cpimFrom), String(header(m, 'Non-CPM-Service'))];
  });
}

// covers: 5.1.2.5-1
describe('the e-mail Interworking Function and mailing lists (CPM 5.1.2.5)', () => {
  it("converts a list's copy to a CPM Message from the list, the author its CPIM From", () => {
    const h = network();
    h.net.at(at(1), () => h.net.sendFromNonCpm('mailto:carol@mail.example', 'mailto:team@mail.example', 'Friday suits me', false));
    h.net.run({ until: at(10) });
    expect(received(h)).toEqual([['<mailto:team@mail.example>', '<mailto:team@mail.example>', '<mailto:carol@mail.example>', 'email']]);
  });

  it('converts a mail of no list to a CPM Message from its sender', () => {
    const h = network();
    h.net.at(at(1), () => h.net.sendFromNonCpm('mailto:carol@mail.example', 'mailto:alice@a.example', 'Hi Alice', false));
    h.net.run({ until: at(10) });
    expect(received(h)).toEqual([['<mailto:carol@mail.example>', '<mailto:carol@mail.example>', '<mailto:carol@mail.example>', 'email']]);
  });
});
