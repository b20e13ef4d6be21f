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
