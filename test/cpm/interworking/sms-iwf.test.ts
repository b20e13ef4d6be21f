import { describe, expect, it } from 'vitest';
import { cpimHeader } from '../../../src/bodies/cpim-codec.js';
import { header } from '../../../src/sip/message.js';
import { isSip } from '../../../src/wire/payload.js';
import { at, harness, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';

function network() {
  const h = harness();
  h.net.addDomain('a.example');
  h.net.addNonCpmSystem('sms', 'sms.example', ['tel:+15559870001']);
  h.net.addUser(ALICE, ['phone'], { aliases: ['tel:+15551230001'] });
  h.net.at(0, () => h.net.client(ALICE, 'phone').register());
  return h;
}

describe('SMS Interworking Function', () => {
  it('maps the SMSC delivery receipt to a delivered IMDN from the number, about the CPM Message', () => {
    const { net, trace } = network();
    let id = '';
    net.at(at(1), () => (id = net.client(ALICE, 'phone').send({ to: 'tel:+15559870001', text: 'Hi', notify: ['positive-delivery'] })));
    net.run({ until: at(10) });
    const imdn = sent(trace, { from: 'iwf-sms.a.example', method: 'MESSAGE' })[0]!.payload;
    const body = imdn.body;
    expect(body?.kind === 'cpim' && body.cpim.content.kind === 'imdn' && body.cpim.content.imdn).toMatchObject({ messageId: id, notification: { type: 'delivery', status: 'delivered' } });
    expect(body?.kind === 'cpim' && cpimHeader(body.cpim, 'From')).toBe('<tel:+15559870001>');
    expect(header(imdn, 'P-Asserted-Identity')).toBe('<tel:+15559870001>');
  });

  it('sends the CPM originator number it was asserted as the SMS source address', () => {
    const { net, trace } = network();
    net.at(at(1), () => net.client(ALICE, 'phone').send({ to: 'tel:+15559870001', text: 'Hi' }));
    net.run({ until: at(10) });
    const submit = trace.events.find((e) => e.type === 'transmit' && !isSip(e.payload) && e.payload.protocol === 'smpp' && e.payload.command === 'submit_sm');
    const pdu = submit?.type === 'transmit' ? submit.payload : undefined;
    expect(pdu !== undefined && !isSip(pdu) && pdu.protocol === 'smpp' && pdu.command === 'submit_sm' && pdu.message.source.address).toBe('15551230001');
  });

  it('refuses a CPM Message from a user without a number: no routable SMS address (CPM 5.3.1.1)', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addNonCpmSystem('sms', 'sms.example', ['tel:+15559870001']);
    h.net.addUser(ALICE, ['phone']);
    h.net.at(0, () => h.net.client(ALICE, 'phone').register());
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').send({ to: 'tel:+15559870001', text: 'Hi' }));
    h.net.run({ until: at(10) });
    expect(sent(h.trace, { to: 'phone.alice.a.example', status: 404 })).toHaveLength(1);
    expect(sent(h.trace, { to: 'iwf-sms.a.example' })).toHaveLength(0);
  });

  it('maps a delivery report request to an IMDN request, and carries the service identifier (CPM 5.3.2)', () => {
    const { net, trace } = network();
    net.at(at(1), () => net.sendFromNonCpm('tel:+15559870001', 'tel:+15551230001', 'Hi Alice', true));
    net.run({ until: at(10) });
    const message = sent(trace, { from: 'iwf-sms.a.example', method: 'MESSAGE' })[0]!.payload;
    expect(header(message, 'Non-CPM-Service')).toBe('sms');
    expect(message.body?.kind === 'cpim' && cpimHeader(message.body.cpim, 'imdn.Disposition-Notification')).toBe('positive-delivery, negative-delivery');
  });
});

describe('SMS Interworking Function, a sender who asked only for negative delivery notifications', () => {
  it('sends no IMDN for a delivered SMS, and notes the receipt against the CPM Message (RFC 5438)', () => {
    const { net, trace } = network();
    let id = '';
    net.at(at(1), () => (id = net.client(ALICE, 'phone').send({ to: 'tel:+15559870001', text: 'Hi', notify: ['negative-delivery'] })));
    net.run({ until: at(10) });
    expect(sent(trace, { from: 'iwf-sms.a.example', method: 'MESSAGE' })).toHaveLength(0);
    const notes = trace.events.flatMap((e) => (e.type === 'note' && e.host === 'iwf-sms.a.example' && e.message === id ? [e.text] : []));
    expect(notes).toContain('the SMS to tel:+15559870001 was delivered; no notification was asked for');
  });
});

describe('SMS Interworking Function, a sender who asked only for positive delivery notifications', () => {
  it('sends no IMDN for an SMS that expired, and notes the failure against the CPM Message (RFC 5438)', () => {
    const { net, trace } = network();
    let id = '';
    // The handset stays off past the centre's validity period (10 min): the receipt says EXPIRED.
    net.at(at(0.5), () => net.setNonCpmPresent('tel:+15559870001', false));
    net.at(at(1), () => (id = net.client(ALICE, 'phone').send({ to: 'tel:+15559870001', text: 'Hi', notify: ['positive-delivery'] })));
    net.run({ until: at(900) });
    expect(sent(trace, { from: 'iwf-sms.a.example', method: 'MESSAGE' })).toHaveLength(0);
    const notes = trace.events.flatMap((e) => (e.type === 'note' && e.host === 'iwf-sms.a.example' && e.message === id ? [e.text] : []));
    expect(notes).toContain('the SMS to tel:+15559870001 failed; no notification was asked for');
  });
});
