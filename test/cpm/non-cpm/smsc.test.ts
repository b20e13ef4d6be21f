import { describe, expect, it } from 'vitest';
import { isSmppResponse, type SmppPdu } from '../../../src/smpp/pdu.js';
import { isSip } from '../../../src/wire/payload.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';

function network() {
  const h = harness();
  h.net.addDomain('a.example');
  h.net.addNonCpmSystem('sms', 'sms.example', ['tel:+15559870001']);
  h.net.addUser(ALICE, ['phone'], { aliases: ['tel:+15551230001'] });
  h.net.at(0, () => h.net.client(ALICE, 'phone').register());
  return h;
}

/** The SMPP PDUs of the trace, with who sent them. */
function pdus(trace: ReturnType<typeof harness>['trace']): { from: string; pdu: SmppPdu }[] {
  return trace.events.flatMap((e) => (e.type === 'transmit' && !isSip(e.payload) && e.payload.protocol === 'smpp' ? [{ from: e.from, pdu: e.payload }] : []));
}

describe('SMS centre (SMPP 3.4)', () => {
  it('binds the Interworking Function as a transceiver before anything else', () => {
    const { net, trace } = network();
    net.run({ until: at(1) });
    expect(pdus(trace).map((p) => p.pdu.command)).toEqual(['bind_transceiver', 'bind_transceiver_resp']);
  });

  it('delivers a long text in concatenated segments and sends one receipt for the message', () => {
    const { net, trace } = network();
    net.at(at(1), () => net.client(ALICE, 'phone').send({ to: 'tel:+15559870001', text: 'x'.repeat(400), notify: ['positive-delivery'] }));
    net.run({ until: at(10) });
    expect(notes(trace, 'smsc.sms.example')).toContain('SMS delivered to tel:+15559870001 in 3 segments (GSM 7-bit)');
    const receipts = pdus(trace).filter((p) => p.pdu.command === 'deliver_sm');
    expect(receipts).toHaveLength(1);
    const imdns = sent(trace, { to: 'phone.alice.a.example', method: 'MESSAGE' }).filter((e) => e.payload.type === 'request');
    expect(imdns).toHaveLength(1);
  });

  it('asks for no receipt when the sender asked for no delivery notification', () => {
    const { net, trace } = network();
    net.at(at(1), () => net.client(ALICE, 'phone').send({ to: 'tel:+15559870001', text: 'No report please' }));
    net.run({ until: at(10) });
    const submitted = pdus(trace).find((p) => p.pdu.command === 'submit_sm')!.pdu;
    expect(submitted.command === 'submit_sm' && submitted.message.registeredDelivery).toBe(0);
    expect(pdus(trace).filter((p) => p.pdu.command === 'deliver_sm')).toHaveLength(0);
  });

  it('refuses a number it does not serve with ESME_RINVDSTADR, and the sender gets 404', () => {
    const { net, trace } = network();
    net.at(at(1), () => net.client(ALICE, 'phone').send({ to: 'tel:+15550000000', text: 'Anyone?' }));
    net.run({ until: at(10) });
    const resp = pdus(trace).find((p) => p.pdu.command === 'submit_sm_resp')!.pdu;
    expect(isSmppResponse(resp) && resp.status).toBe(0x0b);
    expect(sent(trace, { to: 'phone.alice.a.example', status: 404 })).toHaveLength(1);
  });

  it('routes a handset text to a CPM user number to the Interworking Function of its domain (ENUM)', () => {
    const { net, trace } = network();
    net.at(at(1), () => net.sendFromNonCpm('tel:+15559870001', 'tel:+15551230001', 'Hi Alice', true));
    net.run({ until: at(10) });
    const delivered = pdus(trace).find((p) => p.pdu.command === 'deliver_sm')!;
    expect(delivered.from).toBe('smsc.sms.example');
    expect(delivered.pdu.command === 'deliver_sm' && delivered.pdu.message.registeredDelivery).toBe(1);
    expect(notes(trace, 'phone.alice.a.example')).toContain('shown to the user');
  });
});

/** sms.example with Dave and Erin and the distribution list tel:+15550100 (Alice's number, Dave, Erin). */
function withList() {
  const h = harness();
  h.net.addDomain('a.example');
  h.net.addNonCpmSystem('sms', 'sms.example', ['tel:+15559870001', 'tel:+15559870002'], {}, {
    distributionLists: [{ number: 'tel:+15550100', members: ['tel:+15551230001', 'tel:+15559870001', 'tel:+15559870002'] }],
  });
  h.net.addUser(ALICE, ['phone'], { aliases: ['tel:+15551230001'] });
  h.net.at(0, () => h.net.client(ALICE, 'phone').register());
  return h;
}

/** The text of each deliver_sm the centre sent. */
const delivered = (trace: ReturnType<typeof harness>['trace']): string[] =>
  pdus(trace).flatMap((p) => (p.pdu.command === 'deliver_sm' ? [p.pdu.message.text] : []));

describe('a distribution list of the SMS centre (CPM 5.1.2.5 Non-CPM Group; SMPP 3.4 4.5.1)', () => {
  it('sends a copy to each member but the author, and one receipt counting the copies once all have their outcome', () => {
    const { net, trace } = withList();
    net.at(at(0.5), () => net.setNonCpmPresent('tel:+15559870002', false));
    net.at(at(1), () => net.client(ALICE, 'phone').send({ to: 'tel:+15550100', text: 'Lunch?', notify: ['positive-delivery'] }));
    net.at(at(60), () => net.setNonCpmPresent('tel:+15559870002', true));
    net.run({ until: at(200) });
    const smsc = notes(trace, 'smsc.sms.example');
    expect(smsc).toContain('expands the distribution list tel:+15550100 to 2 members');
    expect(smsc.filter((n) => n.startsWith('SMS delivered'))).toEqual(['SMS delivered to tel:+15559870001 in 1 segment (GSM 7-bit)', 'SMS delivered to tel:+15559870002 in 1 segment (GSM 7-bit)']);
    // SMPP 3.4 Appendix B: sub and dlvrd count a list's copies; one receipt, after Erin's retry.
    const [receipt, ...more] = delivered(trace);
    expect(more).toEqual([]);
    expect(receipt).toMatch(/^id:\S+ sub:002 dlvrd:002 .* stat:DELIVRD /);
  });

  it('counts a copy that expired: the receipt says how many were delivered', () => {
    const { net, trace } = withList();
    net.at(at(0.5), () => net.setNonCpmPresent('tel:+15559870002', false));
    net.at(at(1), () => net.client(ALICE, 'phone').send({ to: 'tel:+15550100', text: 'Lunch?', notify: ['positive-delivery'] }));
    net.run({ until: at(700) });
    expect(delivered(trace)).toEqual([expect.stringMatching(/ sub:002 dlvrd:001 .* stat:DELIVRD /)]);
  });

  it("sends a member's message on from the member, to a CPM user's number through its Interworking Function", () => {
    const { net, trace } = withList();
    net.at(at(1), () => net.sendFromNonCpm('tel:+15559870001', 'tel:+15550100', 'Friday suits me', false));
    net.run({ until: at(10) });
    const toAlice = sent(trace, { to: 'phone.alice.a.example', method: 'MESSAGE' });
    expect(toAlice.map((e) => e.payload.type === 'request' && e.payload.body?.kind === 'cpim' && e.payload.body.cpim.headers.find((f) => f.name === 'From')?.value)).toEqual(['<tel:+15559870001>']);
    expect(notes(trace, 'smsc.sms.example')).toContain('SMS delivered to tel:+15559870002 in 1 segment (GSM 7-bit)');
    expect(notes(trace, 'smsc.sms.example').filter((n) => n.includes('tel:+15559870001 in'))).toEqual([]);
  });
});
