import { describe, expect, it } from 'vitest';
import { isSip } from '../../../src/wire/payload.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const CAROL = 'mailto:carol@mail.example';
const IWF = 'iwf-email.a.example';

function network() {
  const h = harness();
  h.net.addDomain('a.example');
  h.net.addNonCpmSystem('email', 'mail.example', [CAROL]);
  h.net.addUser(ALICE, ['phone']);
  h.net.at(0, () => h.net.client(ALICE, 'phone').register());
  h.net.at(at(1), () => h.net.sendFromNonCpm(CAROL, 'mailto:alice@a.example', 'Thanks Alice', true));
  return h;
}

/** The DSN mails the mail system received: SMTP content from the function to the mail exchanger. */
function dsnsToCarol(trace: ReturnType<typeof harness>['trace']): number {
  return trace.events.filter((e) => e.type === 'transmit' && e.from === IWF && !isSip(e.payload) && e.payload.protocol === 'smtp' && 'content' in e.payload && /delivery-status/.test(e.payload.content)).length;
}

describe('e-mail Interworking Function across a restart', () => {
  it("keeps an inbound mail's DSN request on its disk: Alice's IMDN after the restart still becomes the DSN to Carol (RFC 3461 4.4)", () => {
    // Where Alice's IMDN reaches the function when nothing fails.
    const plain = network();
    plain.net.run({ until: at(40) });
    expect(dsnsToCarol(plain.trace)).toBe(1);
    const imdn = sent(plain.trace, { to: IWF, method: 'MESSAGE' })[0]!;
    // The function crashes just before, loses its memory, and is back 2 s later: the core's
    // transaction retransmits the IMDN (RFC 3261 17.1.2.2) to the new process.
    const { net, trace } = network();
    net.at(imdn.at, () => net.crash(IWF, 'lost'));
    net.at(imdn.at + at(2), () => net.restart(IWF));
    net.run({ until: at(40) });
    expect(notes(trace, IWF)).toContain('restarted afresh');
    expect(dsnsToCarol(trace)).toBe(1);
    expect(sent(trace, { from: IWF, status: 404 })).toHaveLength(0);
  });
});
