/**
 * The SMPP link through a long outage (SMPP 3.4 4.11, 7.2): the centre probes its ESMEs too, an
 * ESME's binds back off (RFC 5626 4.5), and the receipt of an SMS already reported failed is not
 * passed over (RFC 5438: one delivery notification per message).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/kernel/time.js';
import { loadScenarioFile } from '../../../src/scenario/loader.js';
import { runScenario } from '../../../src/scenario/runner.js';
import type { SmppPdu } from '../../../src/smpp/pdu.js';
import type { SmppLinkSettings } from '../../../src/cpm/interworking/sms-iwf.js';
import type { TraceEvent } from '../../../src/trace/recorder.js';
import { isSip } from '../../../src/wire/payload.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const IWF = 'iwf-sms.a.example';
const SMSC = 'smsc.sms.example';
const NUMBER = 'tel:+15559870001';
const root = fileURLToPath(new URL('../../..', import.meta.url));

function network(link: SmppLinkSettings) {
  const h = harness();
  h.net.addDomain('a.example');
  h.net.addNonCpmSystem('sms', 'sms.example', [NUMBER], link);
  h.net.addUser(ALICE, ['phone'], { aliases: ['tel:+15551230001'] });
  h.net.at(0, () => h.net.client(ALICE, 'phone').register());
  return h;
}

/** The SMPP PDUs of one command that were sent (delivered or not), with when and by whom. */
function pdus(events: readonly TraceEvent[], command: SmppPdu['command']): { at: number; from: string }[] {
  return events.flatMap((e) => (e.type !== 'note' && !isSip(e.payload) && e.payload.protocol === 'smpp' && e.payload.command === command ? [{ at: e.at, from: e.from }] : []));
}

describe('the SMS centre probes its ESMEs too (SMPP 3.4 4.11: either side may send enquire_link)', () => {
  it('probes a silent session, and ends the session of an ESME that crashed; the ESME binds again when it restarts and is probed again', () => {
    const { net, trace } = network({ centreEnquireLink: 30 * SECOND });
    net.at(at(5), () => net.crash(IWF, 'lost'));
    net.at(at(60), () => net.restart(IWF));
    net.run({ until: at(100) });
    const probes = pdus(trace.events, 'enquire_link');
    expect(probes.every((p) => p.from === SMSC)).toBe(true);
    // 30 s after the bind (0.01 s): unanswered, the ESME is down; then 30 s after the new bind at 60 s.
    expect(probes.map((p) => Math.floor(p.at / SECOND))).toEqual([30, 90]);
    expect(notes(trace, SMSC)).toContain(`no enquire_link_resp from ${IWF}: ends its session`);
    expect(pdus(trace.events, 'enquire_link_resp').map((p) => [p.from, Math.floor(p.at / SECOND)])).toEqual([[IWF, 90]]);
    expect(pdus(trace.events, 'bind_transceiver').map((p) => Math.floor(p.at / SECOND))).toEqual([0, 60]);
  });

  it('a centre that ended the session refuses a submission until the ESME binds again, and the CPM sender is answered', () => {
    // The function is cut off from 20 s to 50 s: the centre's probe at 30 s goes unanswered.
    const h = network({ centreEnquireLink: 30 * SECOND });
    h.net.at(at(20), () => h.net.crash(IWF, 'kept'));
    h.net.at(at(50), () => h.net.restart(IWF));
    h.net.at(at(55), () => h.net.client(ALICE, 'phone').send({ to: NUMBER, text: 'Hi' }));
    h.net.run({ until: at(80) });
    expect(notes(h.trace, SMSC)).toContain(`no enquire_link_resp from ${IWF}: ends its session`);
    // SMPP 3.4 5.1.3: ESME_RINVBNDSTS; the function answers 502 and binds again.
    expect(notes(h.trace, IWF)).toContain(`the SMSC refused the SMS to ${NUMBER}: 0x00000004`);
    expect(sent(h.trace, { from: IWF, status: 502 })).toHaveLength(1);
    expect(pdus(h.trace.events, 'bind_transceiver').map((p) => Math.floor(p.at / SECOND))).toEqual([0, 55]);
  });

  it('never probes without its own enquire_link_timer', () => {
    const { net, trace } = network({});
    net.run({ until: at(200) });
    expect(pdus(trace.events, 'enquire_link')).toEqual([]);
  });
});

describe('re-binding through a long outage backs off (RFC 5626 4.5)', () => {
  const outage = (link: SmppLinkSettings) => {
    const { net, trace } = network({ enquireLink: 30 * SECOND, ...link });
    net.at(at(5), () => net.crash(SMSC, 'lost'));
    net.run({ until: at(900) });
    return pdus(trace.events, 'bind_transceiver').map((p) => p.at / SECOND);
  };

  it('without rebind-backoff, one bind every response timer (10 s)', () => {
    const binds = outage({});
    const gaps = binds.slice(2).map((t, i) => t - binds[i + 1]!);
    for (const g of gaps) expect(g).toBeCloseTo(10, 6);
  });

  it('with rebind-backoff, waits of min(max, 10 s x 2^failures), each 50 to 100 % of that, after the response timer', () => {
    const binds = outage({ rebindBackoff: 160 * SECOND });
    // The link breaks at 40.02 s (the probe 30 s after the bind is unanswered): the first bind goes at once.
    expect(binds[1]).toBeCloseTo(40.02, 6);
    const waits = binds.slice(2).map((t, i) => t - binds[i + 1]! - 10);
    const ceilings = waits.map((_, n) => Math.min(160, 10 * 2 ** (n + 1)));
    waits.forEach((w, n) => {
      expect(w).toBeGreaterThanOrEqual(ceilings[n]! / 2 - 1e-6);
      expect(w).toBeLessThanOrEqual(ceilings[n]! + 1e-6);
    });
    // 20, 40, 80, 160, 160, ...: far fewer binds than one each 10 s in the same 15 min.
    expect(ceilings.slice(0, 5)).toEqual([20, 40, 80, 160, 160]);
    expect(binds.length).toBeLessThan(outage({}).length / 4);
  });
});

describe('an SMS reported failed and delivered after all (faults-sms-partition-late-receipt.yaml)', () => {
  const run = runScenario(loadScenarioFile(join(root, 'scenarios/behaviour/faults-sms-partition-late-receipt.yaml')));
  const messages = run.events.flatMap((e) => (e.type === 'transmit' && isSip(e.payload) && e.payload.type === 'request' && e.payload.method === 'MESSAGE' && e.payload.body?.kind === 'cpim' ? [{ e, cpim: e.payload.body.cpim }] : []));
  const sentByAlice = messages.filter((m) => m.e.from === 'phone.alice.a.example' && m.e.to === 'core.a.example' && m.cpim.content.kind !== 'imdn');
  const imdnsToAlice = messages.filter((m) => m.e.to === 'phone.alice.a.example' && m.cpim.content.kind === 'imdn');
  const idOf = (m: (typeof messages)[number]): string | undefined => m.cpim.headers.find((h) => h.name === 'imdn.Message-ID')?.value;

  it('each SMS gets one delivery notification: the first keeps its failure, the second (positive only) gets its late delivery', () => {
    const [first, second] = [...new Map(sentByAlice.map((m) => [idOf(m), m])).values()];
    const outcomes = imdnsToAlice.map((m) => (m.cpim.content.kind === 'imdn' ? [m.cpim.content.imdn.messageId, m.cpim.content.imdn.notification.status] : []));
    expect(outcomes).toEqual([
      [idOf(first!), 'failed'],
      [idOf(second!), 'delivered'],
    ]);
  });

  it('the late receipt of the first is recorded, and both SMS did reach the handset', () => {
    const iwf = run.events.flatMap((e) => (e.type === 'note' && e.host === IWF ? [e.text] : []));
    expect(iwf.filter((n) => n.startsWith('late delivery receipt'))).toEqual([`late delivery receipt (delivered) for the SMS to ${NUMBER} already reported failed: the failure notification stands`]);
    expect(run.events.filter((e) => e.type === 'note' && e.host === SMSC && e.text.startsWith('SMS delivered to'))).toHaveLength(2);
  });
});
