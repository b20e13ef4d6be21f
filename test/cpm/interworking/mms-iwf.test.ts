import { describe, expect, it } from 'vitest';
import { at, harness, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const PICTURE = "<svg xmlns='http://www.w3.org/2000/svg' width='8' height='8'/>";

function network() {
  const h = harness();
  h.net.addDomain('a.example');
  h.net.addNonCpmSystem('mms', 'mms.example', ['tel:+15559870003']);
  h.net.addUser(ALICE, ['phone'], { aliases: ['tel:+15551230001'] });
  h.net.at(0, () => h.net.client(ALICE, 'phone').register());
  return h;
}

describe('MMS Interworking Function, a sender who asked only for negative delivery notifications', () => {
  it('sends no IMDN for a retrieved MMS, and notes the delivery report against the CPM Message (RFC 5438)', () => {
    const { net, trace } = network();
    let id = '';
    net.at(at(1), () => (id = net.client(ALICE, 'phone').send({ to: 'tel:+15559870003', text: PICTURE, contentType: 'image/svg+xml', notify: ['negative-delivery'] })));
    net.run({ until: at(60) });
    expect(sent(trace, { to: 'phone.alice.a.example', status: 202 })).toHaveLength(1);
    expect(sent(trace, { from: 'iwf-mms.a.example', method: 'MESSAGE' })).toHaveLength(0);
    const notes = trace.events.flatMap((e) => (e.type === 'note' && e.host === 'iwf-mms.a.example' && e.message === id ? [e.text] : []));
    expect(notes).toContain('the MMS to tel:+15559870003 was retrieved; no notification was asked for');
  });
});
