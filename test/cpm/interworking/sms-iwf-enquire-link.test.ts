import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/kernel/time.js';
import type { SmppPdu } from '../../../src/smpp/pdu.js';
import { isSip } from '../../../src/wire/payload.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const IWF = 'iwf-sms.a.example';
const SMSC = 'smsc.sms.example';
const NUMBER = 'tel:+15559870001';

function network(enquireLink?: number) {
  const h = harness();
  h.net.addDomain('a.example');
  h.net.addNonCpmSystem('sms', 'sms.example', [NUMBER], enquireLink === undefined ? {} : { enquireLink });
  h.net.addUser(ALICE, ['phone'], { aliases: ['tel:+15551230001'] });
  h.net.at(0, () => h.net.client(ALICE, 'phone').register());
  // The handset is off: the centre stores the SMS and its receipt is still to come.
  h.net.at(0, () => h.net.setNonCpmPresent(NUMBER, false));
  return h;
}

/** The SMPP PDUs of one command that left their sender, with when. */
function pdus(trace: ReturnType<typeof harness>['trace'], command: SmppPdu['command']): { at: number; from: string; pdu: SmppPdu }[] {
  return trace.events.flatMap((e) =>
    e.type !== 'note' && !isSip(e.payload) && e.payload.protocol === 'smpp' && e.payload.command === command ? [{ at: e.at, from: e.from, pdu: e.payload }] : [],
  );
}

function failedImdns(trace: ReturnType<typeof harness>['trace']): number[] {
  return sent(trace, { from: IWF, method: 'MESSAGE' }).flatMap((e) => {
    const b = e.payload.body;
    return b?.kind === 'cpim' && b.cpim.content.kind === 'imdn' && b.cpim.content.imdn.notification.status === 'failed' ? [e.at] : [];
  });
}

describe('SMS Interworking Function, enquire_link (SMPP 3.4 4.11)', () => {
  it('never probes the link without an enquire_link_timer: a scenario that sets none keeps its trace', () => {
    const { net, trace } = network();
    net.at(at(1), () => net.client(ALICE, 'phone').send({ to: NUMBER, text: 'Hi', notify: ['negative-delivery'] }));
    net.run({ until: at(300) });
    expect(pdus(trace, 'enquire_link')).toHaveLength(0);
  });

  it('probes a silent link once per interval; the centre answers and nothing is reported', () => {
    const { net, trace } = network(30 * SECOND);
    net.at(at(1), () => net.client(ALICE, 'phone').send({ to: NUMBER, text: 'Hi', notify: ['negative-delivery'] }));
    net.run({ until: at(100) });
    const probes = pdus(trace, 'enquire_link');
    // 30 s after the submit_sm_resp arrived (1.026 s), then 30 s after each enquire_link_resp.
    expect(probes.map((p) => p.from)).toEqual([IWF, IWF, IWF]);
    expect(probes.map((p) => Math.round(p.at / SECOND))).toEqual([31, 61, 91]);
    expect(pdus(trace, 'enquire_link_resp').map((p) => p.pdu.command === 'enquire_link_resp' && p.pdu.status)).toEqual([0, 0, 0]);
    expect(failedImdns(trace)).toHaveLength(0);
    expect(notes(trace, IWF).filter((n) => n.includes('link'))).toEqual([]);
  });

  it('takes an unanswered link for broken: the SMS awaiting its receipt is reported failed, the one awaiting its submit_sm_resp gets 504', () => {
    const { net, trace } = network(30 * SECOND);
    net.at(at(1), () => net.client(ALICE, 'phone').send({ to: NUMBER, text: 'Hi', notify: ['negative-delivery'] }));
    net.at(at(5), () => net.crash(SMSC, 'lost'));
    net.at(at(35), () => net.client(ALICE, 'phone').send({ to: NUMBER, text: 'Still there?' }));
    net.run({ until: at(60) });
    // The probe at 31.026 s goes unanswered for the response timer (10 s): the link breaks at 41.026 s,
    // before the second SMS's own response timer (45.006 s) and 15 min before the receipt wait.
    expect(notes(trace, IWF)).toEqual(
      expect.arrayContaining([
        'no enquire_link_resp from the SMSC: the link is broken',
        `the link to the SMSC broke for the SMS to ${NUMBER}`,
        `the link to the SMSC broke for the SMS to ${NUMBER}: reports it failed`,
      ]),
    );
    expect(failedImdns(trace).map((t) => Math.floor(t / SECOND))).toEqual([41]);
    expect(sent(trace, { from: IWF, to: 'core.a.example', status: 504 }).map((e) => Math.floor(e.at / SECOND))).toEqual([41]);
    expect(notes(trace, IWF).filter((n) => n.startsWith('no submit_sm_resp'))).toEqual([]);
    // SMPP 3.4 7.2: it binds again each response timer while the centre stays down.
    expect(pdus(trace, 'bind_transceiver').map((p) => Math.round(p.at / SECOND))).toEqual([0, 41, 51]);
  });

  it('hears from a centre that restarted that it has no session: reports what it stored as failed and binds again', () => {
    const { net, trace } = network(30 * SECOND);
    net.at(at(1), () => net.client(ALICE, 'phone').send({ to: NUMBER, text: 'Hi', notify: ['negative-delivery'] }));
    net.at(at(5), () => net.crash(SMSC, 'lost'));
    net.at(at(10), () => net.restart(SMSC));
    net.run({ until: at(40) });
    const answer = pdus(trace, 'enquire_link_resp')[0]?.pdu;
    // SMPP 3.4 5.1.3 ESME_RINVBNDSTS: the command is not allowed in the session's state (not bound).
    expect(answer?.command === 'enquire_link_resp' && answer.status).toBe(0x04);
    expect(notes(trace, IWF)).toContain('the SMSC has no session for this function: it lost what it held');
    expect(failedImdns(trace).map((t) => Math.floor(t / SECOND))).toEqual([31]);
    const binds = pdus(trace, 'bind_transceiver_resp');
    expect(binds.map((p) => Math.floor(p.at / SECOND))).toEqual([0, 31]);
  });
});
