import { describe, expect, it } from 'vitest';
import { header } from '../../../src/sip/message.js';
import { aliceAndBob, at, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@b.example';

describe('identity privacy (RFC 3323 4.1.1.3, RFC 3325 9.3)', () => {
  it('asserts the sender inside the trust domain and withholds it from the recipient\u2019s device', () => {
    const h = aliceAndBob();
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').send({ to: BOB, text: 'guess who', privacy: true }));
    h.net.run({ until: at(3) });
    const between = sent(h.trace, { from: 'core.a.example', to: 'core.b.example', method: 'MESSAGE' });
    expect(between.map((e) => header(e.payload, 'P-Asserted-Identity'))).toEqual([`<${ALICE}>`]);
    const delivered = sent(h.trace, { to: 'phone.bob.b.example', method: 'MESSAGE' });
    expect(delivered).toHaveLength(1);
    const msg = delivered[0]!.payload;
    expect(header(msg, 'P-Asserted-Identity')).toBeUndefined();
    expect(header(msg, 'From')).toMatch(/^Anonymous <sip:anonymous@anonymous\.invalid>;tag=/);
    expect(msg.body?.kind === 'cpim' ? msg.body.cpim.headers.find((f) => f.name === 'From')?.value : undefined).toBe('<sip:anonymous@anonymous.invalid>');
    expect(notes(h.trace, 'phone.bob.b.example')).toContain('shown to the user');
  });

  it('lets privacy hide only behind the anonymous From: another user\u2019s address with Privacy: id is refused', () => {
    const h = aliceAndBob();
    const forged = ['MESSAGE sip:bob@b.example SIP/2.0', 'Max-Forwards: 70', 'From: <sip:carol@a.example>;tag=f', `To: <${BOB}>`, 'Call-ID: forged@a.example', 'CSeq: 1 MESSAGE', 'Privacy: id', 'Content-Type: text/plain', 'Content-Length: 2', '', 'hi'].join('\r\n');
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').inject(forged));
    h.net.run({ until: at(3) });
    // docs/security.md, refusal paths; RFC 3323 4.1.1.3 makes only the anonymous From stand for the user.
    const refused = sent(h.trace, { from: 'core.a.example', to: 'phone.alice.a.example', method: 'MESSAGE', status: 403 });
    expect(refused.map((e) => (e.payload.type === 'response' ? e.payload.reason : ''))).toEqual(['Identity Not Registered From This Client']);
    expect(sent(h.trace, { to: 'phone.bob.b.example', method: 'MESSAGE' })).toEqual([]);
  });

  it('keeps the asserted identity for a sender who does not ask for privacy', () => {
    const h = aliceAndBob();
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').send({ to: BOB, text: 'hi' }));
    h.net.run({ until: at(3) });
    expect(sent(h.trace, { to: 'phone.bob.b.example', method: 'MESSAGE' }).map((e) => header(e.payload, 'P-Asserted-Identity'))).toEqual([`<${ALICE}>`]);
  });

  it('withholds the identity from the members of a group, whose Controlling Function still authorizes the sender', () => {
    const h = aliceAndBob();
    h.net.addGroup('sip:friends@b.example', { members: [ALICE, BOB] });
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').send({ to: 'sip:friends@b.example', text: 'guess who', privacy: true }));
    h.net.run({ until: at(3) });
    expect(notes(h.trace, 'cs.b.example')).toContain('authorized alice@a.example: 1 copies');
    const copy = sent(h.trace, { to: 'phone.bob.b.example', method: 'MESSAGE' })[0]!.payload;
    expect(copy.body?.kind === 'cpim' ? copy.body.cpim.headers.find((f) => f.name === 'From')?.value : undefined).toBe('<sip:anonymous@anonymous.invalid>');
  });

  it('does the same for a session invitation, and the session messages name the inviter anonymously', () => {
    const h = aliceAndBob();
    const session = { id: '' };
    h.net.at(at(1), () => {
      session.id = h.net.client(ALICE, 'phone').session.invite(BOB, ['message'], undefined, false, undefined, true);
    });
    h.net.at(at(4), () => h.net.client(ALICE, 'phone').session.say(session.id, 'guess who'));
    h.net.run({ until: at(6) });
    const sentInvite = sent(h.trace, { from: 'phone.alice.a.example', method: 'INVITE' })[0]!.payload;
    expect(header(sentInvite, 'From')).toMatch(/^Anonymous <sip:anonymous@anonymous\.invalid>;tag=/);
    expect(header(sentInvite, 'Privacy')).toBe('id');
    expect(sent(h.trace, { from: 'core.a.example', to: 'core.b.example', method: 'INVITE' }).map((e) => header(e.payload, 'P-Asserted-Identity'))).toEqual([`<${ALICE}>`]);
    const invited = sent(h.trace, { to: 'phone.bob.b.example', method: 'INVITE' });
    expect(invited).toHaveLength(1);
    expect(header(invited[0]!.payload, 'P-Asserted-Identity')).toBeUndefined();
    expect(notes(h.trace, 'phone.alice.a.example')).toContain('session established: message');
    const said = h.trace.events.find((e) => e.type === 'transmit' && 'protocol' in e.payload && e.payload.protocol === 'msrp' && e.from === 'phone.alice.a.example');
    expect(JSON.stringify(said)).toContain('sip:anonymous@anonymous.invalid');
    expect(JSON.stringify(said)).not.toContain(ALICE);
  });
});
