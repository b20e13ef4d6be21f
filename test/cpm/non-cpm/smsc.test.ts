import { describe, expect, it } from 'vitest';
import type { DistributionList } from '../../../src/cpm/non-cpm/smsc.js';
import { SECOND } from '../../../src/kernel/time.js';
import { shortMessage } from '../../../src/smpp/codec.js';
import { ESM_CLASS, MESSAGE_STATE, SMPP_STATUS, isSmppResponse, type ShortMessage, type SmppPdu } from '../../../src/smpp/pdu.js';
import { isSip } from '../../../src/wire/payload.js';
import { at, harness, notes, sent } from '../harness.js';
import { ALICE, ALICE_NUMBER, BOB_NUMBER, facingScript } from './fixtures.js';

function network() {
  const h = harness();
  h.net.addDomain('a.example');
  h.net.addNonCpmSystem('sms', 'sms.example', ['tel:+15559870001']);
  h.net.addUser(ALICE, ['phone'], { aliases: ['tel:+15551230001'] });
  h.net.at(0, () => h.net.client(ALICE, 'phone').register());
  return h;
}

/** The SMPP PDUs of the trace, with who sent them. */
function pdus(trace: ReturnType<typeof harness>['trace']): { at: number; from: string; pdu: SmppPdu }[] {
  return trace.events.flatMap((e) => (e.type === 'transmit' && !isSip(e.payload) && e.payload.protocol === 'smpp' ? [{ at: e.at, from: e.from, pdu: e.payload }] : []));
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

const SMSC = 'smsc.sms.example';
const IWF = 'iwf-sms.a.example';
const H1 = 'tel:+15559870001';
const H2 = 'tel:+15559870002';
/** A CPM user's number the centre's lists do not hold, the author of the submissions. */
const CAROL_NUMBER = 'tel:+15551230009';

/**
 * The centre facing a scripted ESME at a.example's Interworking Function address: `received`
 * holds what the centre sent it; `answer` has the script answer each deliver_sm with ESME_ROK.
 */
/** `answer`: the script answers each deliver_sm at once, with `status` (ESME_ROK unless given). */
function scripted(options: { lists?: DistributionList[]; centreEnquireLink?: number; answer?: boolean; status?: number } = {}) {
  const s = facingScript({
    service: 'sms',
    domain: 'sms.example',
    users: [H1, H2],
    link: options.centreEnquireLink === undefined ? {} : { centreEnquireLink: options.centreEnquireLink },
    hosted: { distributionLists: options.lists ?? [] },
    reply: (p, send) => {
      if (options.answer === true && !isSip(p) && p.protocol === 'smpp' && p.command === 'deliver_sm') send({ protocol: 'smpp', command: 'deliver_sm_resp', sequence: p.sequence, status: options.status ?? SMPP_STATUS.ESME_ROK });
    },
  });
  const received = s.received as SmppPdu[];
  const send = (pdu: SmppPdu): void => s.sendTo(SMSC, pdu);
  let sequence = 0;
  const bind = (): void => send({ protocol: 'smpp', command: 'bind_transceiver', sequence: ++sequence, systemId: 'iwf', password: 'secret' });
  const submit = (message: ShortMessage): void => send({ protocol: 'smpp', command: 'submit_sm', sequence: ++sequence, message });
  /** The deliver_sm the centre sent the script, with when. */
  const deliveries = (): { at: number; message: ShortMessage }[] =>
    pdus(s.trace).flatMap((p) => (p.from === SMSC && p.pdu.command === 'deliver_sm' ? [{ at: p.at, message: p.pdu.message }] : []));
  /** The message_id of the first submit_sm_resp. */
  const messageId = (): string => received.flatMap((p) => (p.command === 'submit_sm_resp' ? [p.messageId] : []))[0]!;
  return { net: s.net, trace: s.trace, received, send, bind, submit, deliveries, messageId };
}

describe('SMS centre on the wire, facing a scripted ESME (SMPP 3.4)', () => {
  it('identifies itself in bind_transceiver_resp (SMPP 3.4 4.1.6 system_id)', () => {
    const s = scripted();
    s.net.at(0, s.bind);
    s.net.run({ until: at(1) });
    expect(s.received).toEqual([expect.objectContaining({ command: 'bind_transceiver_resp', sequence: 1, status: 0 })]);
    expect(s.received[0]!.command === 'bind_transceiver_resp' && s.received[0]!.systemId).not.toBe('');
  });

  it('answers nothing to what is not SMPP, and notes it', () => {
    const s = scripted();
    s.net.at(0, () => s.net.net.send(IWF, SMSC, { protocol: 'smtp', client: IWF, role: 'client', opens: true }));
    s.net.run({ until: at(1) });
    expect(s.received).toEqual([]);
    expect(notes(s.trace, SMSC)).toEqual([`ignored a non-SMPP message from ${IWF}`]);
  });

  it('refuses a deliver_sm from an ESME (SMPP 3.4 4.6.1: only an SMSC delivers) with an error deliver_sm_resp of the same sequence', () => {
    const s = scripted();
    s.net.at(0, s.bind);
    s.net.at(at(1), () => s.send({ protocol: 'smpp', command: 'deliver_sm', sequence: 7, message: shortMessage(ALICE_NUMBER, H1, 'Hi') }));
    s.net.run({ until: at(2) });
    const resp = s.received[1]!;
    expect(resp).toMatchObject({ protocol: 'smpp', command: 'deliver_sm_resp', sequence: 7 });
    expect(isSmppResponse(resp) && resp.status).not.toBe(SMPP_STATUS.ESME_ROK);
    expect(notes(s.trace, SMSC)).toEqual([]);
  });

  it('refuses a submit_sm to a number it does not serve, ESME_RINVDSTADR, and notes it', () => {
    const s = scripted();
    s.net.at(0, s.bind);
    s.net.at(at(1), () => s.submit(shortMessage(CAROL_NUMBER, 'tel:+15550000000', 'Anyone?')));
    s.net.run({ until: at(5) });
    expect(s.received[1]).toMatchObject({ command: 'submit_sm_resp', sequence: 2, status: SMPP_STATUS.ESME_RINVDSTADR });
    expect(notes(s.trace, SMSC)).toEqual(['refused an SMS to unknown number tel:+15550000000']);
  });

  it('notes an error deliver_sm_resp with its command_status, and no ESME_ROK one', () => {
    const s = scripted();
    s.net.at(0, s.bind);
    s.net.at(at(1), () => s.net.sendFromNonCpm(H1, ALICE_NUMBER, 'one', false));
    s.net.at(at(2), () => s.net.sendFromNonCpm(H1, ALICE_NUMBER, 'two', false));
    s.net.at(at(1.5), () => s.send({ protocol: 'smpp', command: 'deliver_sm_resp', sequence: 1, status: SMPP_STATUS.ESME_ROK }));
    s.net.at(at(2.5), () => s.send({ protocol: 'smpp', command: 'deliver_sm_resp', sequence: 2, status: SMPP_STATUS.ESME_RX_P_APPN }));
    s.net.run({ until: at(5) });
    expect(notes(s.trace, SMSC)).toEqual([`deliver_sm_resp error 0x65 from ${IWF}`]);
  });

  it('keeps a message answered with a temporary error (ESME_RX_T_APPN) and delivers it again after its retry interval while valid (SMPP 3.4 5.1.3; TS 23.040 3.2.5)', () => {
    // The Interworking Function answers 0x64 when the CPM side is unreachable for now (a 408 or a 5xx).
    const s = scripted({ answer: true, status: SMPP_STATUS.ESME_RX_T_APPN });
    s.net.at(0, s.bind);
    s.net.at(at(1), () => s.net.sendFromNonCpm(H1, ALICE_NUMBER, 'Hi', false));
    s.net.run({ until: at(1000) });
    const first = s.deliveries()[0]!.at;
    // Each copy's answer arrives 20 ms after it left (10 ms each way); the retry interval (120 s)
    // counts from it. Validity 600 s: a sixth copy would leave after it ended.
    expect(s.deliveries().map((d) => Math.round((d.at - first) / (10 * SECOND / 1000)) / 100)).toEqual([0, 120.02, 240.04, 360.06, 480.08]);
    expect(notes(s.trace, SMSC).filter((n) => n.startsWith('temporary'))).toEqual([
      ...Array.from({ length: 4 }, () => `temporary error from ${IWF}: retries in 120 s`),
      `temporary error from ${IWF} and no retry left in the validity period: gives up`,
    ]);
  });

  it('delivers no second copy of a message answered with a permanent error (ESME_RX_P_APPN)', () => {
    const s = scripted({ answer: true, status: SMPP_STATUS.ESME_RX_P_APPN });
    s.net.at(0, s.bind);
    s.net.at(at(1), () => s.net.sendFromNonCpm(H1, ALICE_NUMBER, 'Hi', false));
    s.net.run({ until: at(1000) });
    expect(s.deliveries()).toHaveLength(1);
  });

  it('takes only a deliver_sm_resp for the answer to a deliver_sm: a response of another command with its sequence number leaves it unanswered (SMPP 3.4 2.2)', () => {
    const s = scripted();
    s.net.at(0, s.bind);
    s.net.at(at(1), () => s.net.sendFromNonCpm(H1, ALICE_NUMBER, 'Hi', false));
    s.net.at(at(1.5), () => s.send({ protocol: 'smpp', command: 'enquire_link_resp', sequence: 1, status: SMPP_STATUS.ESME_ROK }));
    s.net.run({ until: at(15) });
    // SMPP 3.4 7.2: sent again once the response timer (10 s) ran out.
    expect(s.deliveries().map((d) => (d.at - s.deliveries()[0]!.at) / SECOND)).toEqual([0, 10]);
  });

  it('probes a session silent for its enquire_link_timer, counting from the last PDU it received (SMPP 3.4 7.2)', () => {
    const s = scripted({ centreEnquireLink: 30 * SECOND });
    s.net.at(0, s.bind);
    s.net.at(at(20), () => s.submit(shortMessage(CAROL_NUMBER, H1, 'Hi')));
    s.net.run({ until: at(55) });
    const probes = pdus(s.trace).filter((p) => p.from === SMSC && p.pdu.command === 'enquire_link');
    // The submit_sm arrives 20.010 s in (10 ms between two domains): the probe is due 30 s later.
    expect(probes.map((p) => p.at)).toEqual([at(50.01)]);
  });

  it('retries a deliver_sm nobody answers every response timer while the message is valid, no longer (SMPP 3.4 7.2; TS 23.040 3.2.5)', () => {
    const s = scripted();
    s.net.at(0, s.bind);
    s.net.at(at(1), () => s.net.sendFromNonCpm(H1, ALICE_NUMBER, 'Hi', false));
    s.net.run({ until: at(1000) });
    const first = s.deliveries()[0]!.at;
    // Validity 600 s (the centre's default): the last copy whose 10 s response timer still ends within it leaves at 590 s.
    expect(s.deliveries().map((d) => (d.at - first) / SECOND)).toEqual(Array.from({ length: 60 }, (_, i) => i * 10));
    expect(notes(s.trace, SMSC)).toContain(`no deliver_sm_resp from ${IWF} within the validity period: gives up`);
  });

  it('retries a delivery receipt nobody answers, as any deliver_sm', () => {
    const s = scripted();
    s.net.at(0, s.bind);
    s.net.at(at(1), () => s.submit(shortMessage(CAROL_NUMBER, H1, 'Hi', { receipt: true })));
    s.net.run({ until: at(20) });
    expect(s.deliveries().map((d) => (d.at - s.deliveries()[0]!.at) / SECOND)).toEqual([0, 10]);
  });

  it('sends a delivery receipt from the recipient to the originator: Appendix B text, dates in YYMMDDhhmm UTC, receipted_message_id and message_state', () => {
    const s = scripted({ answer: true });
    s.net.at(0, s.bind);
    s.net.at(0, () => s.net.setNonCpmPresent(H1, false));
    s.net.at(at(1), () => s.submit(shortMessage(CAROL_NUMBER, H1, 'Hi Dave', { receipt: true })));
    s.net.at(at(100), () => s.net.setNonCpmPresent(H1, true));
    s.net.run({ until: at(200) });
    // Submitted 23:59:01; on air after 2 s, retried 120 s later: delivered 00:01:03 on 8 December.
    const [receipt, ...more] = s.deliveries();
    expect(more).toEqual([]);
    expect(receipt!.message).toEqual({
      ...shortMessage(H1, CAROL_NUMBER, `id:${s.messageId()} sub:001 dlvrd:001 submit date:2612072359 done date:2612080001 stat:DELIVRD err:000 text:Hi Dave`),
      esmClass: ESM_CLASS.SMSC_DELIVERY_RECEIPT,
      tlvs: { receiptedMessageId: s.messageId(), messageState: MESSAGE_STATE.DELIVERED },
    });
  });

  it('reports a message whose validity period ended before the handset came back EXPIRED, none delivered (TS 23.040 3.2.5)', () => {
    const s = scripted({ answer: true });
    s.net.at(0, s.bind);
    s.net.at(0, () => s.net.setNonCpmPresent(H1, false));
    s.net.at(at(1), () => s.submit(shortMessage(CAROL_NUMBER, H1, 'Hi', { receipt: true })));
    s.net.run({ until: at(700) });
    // Validity 600 s from 23:59:01: ended 00:09:01.
    expect(s.deliveries().map((d) => [d.message.text, d.message.tlvs.messageState])).toEqual([
      [`id:${s.messageId()} sub:001 dlvrd:000 submit date:2612072359 done date:2612080009 stat:EXPIRED err:000 text:Hi`, MESSAGE_STATE.EXPIRED],
    ]);
  });

  it('delivers an ESME delivery acknowledgement (esm_class 0x08) to the handset as a status report', () => {
    const s = scripted();
    s.net.at(0, s.bind);
    s.net.at(at(1), () => s.submit(shortMessage(CAROL_NUMBER, H1, 'read', { esmClass: ESM_CLASS.ESME_DELIVERY_ACK })));
    s.net.run({ until: at(5) });
    expect(notes(s.trace, SMSC)).toEqual([`status report delivered to ${H1} in 1 segment (GSM 7-bit)`]);
  });

  it('sends a handset text to another handset of its own over the air, in UCS-2 when a character is not in the GSM alphabet (TS 23.038)', () => {
    const s = scripted();
    s.net.at(at(1), () => s.net.sendFromNonCpm(H1, H2, 'Hi', false));
    s.net.at(at(2), () => s.net.sendFromNonCpm(H1, H2, '你好', false));
    s.net.run({ until: at(10) });
    expect(notes(s.trace, SMSC)).toEqual([`SMS delivered to ${H2} in 1 segment (GSM 7-bit)`, `SMS delivered to ${H2} in 1 segment (UCS-2)`]);
    expect(s.deliveries()).toEqual([]);
  });

  it('finds no route for a handset text to a number without ENUM entry, nor to one whose Interworking Function is not bound', () => {
    const s = scripted();
    s.net.at(at(1), () => s.net.sendFromNonCpm(H1, 'tel:+15550000001', 'Hi', false));
    s.net.at(at(2), () => s.net.sendFromNonCpm(H1, ALICE_NUMBER, 'Hi', false));
    s.net.run({ until: at(10) });
    expect(notes(s.trace, SMSC)).toEqual(['no route for an SMS to tel:+15550000001', `no route for an SMS to ${ALICE_NUMBER}`]);
    expect(s.deliveries()).toEqual([]);
  });

  it('gives each message it delivers to an ESME a user_message_reference of its own (SMPP 3.4 5.3.2.17), even with an over-the-air one between', () => {
    const s = scripted({ answer: true });
    s.net.at(0, s.bind);
    s.net.at(at(1), () => s.net.sendFromNonCpm(H1, ALICE_NUMBER, 'one', false));
    s.net.at(at(2), () => s.net.sendFromNonCpm(H1, H2, 'between', false));
    s.net.at(at(3), () => s.net.sendFromNonCpm(H1, ALICE_NUMBER, 'two', false));
    s.net.run({ until: at(10) });
    const references = s.deliveries().map((d) => d.message.tlvs.userMessageReference);
    expect(references).toHaveLength(2);
    for (const r of references) expect(r).toEqual(expect.any(Number));
    // SMPP 3.4 5.3.2.17 and 4.7.x: an integer of 2 octets.
    for (const r of references) expect(r! >= 0 && r! <= 0xffff).toBe(true);
    expect(new Set(references).size).toBe(2);
  });
});

describe('a distribution list of the SMS centre, its receipt (SMPP 3.4 Appendix B sub and dlvrd)', () => {
  const receiptOf = (lists: DistributionList[], setup: (s: ReturnType<typeof scripted>) => void = () => undefined, until = 200) => {
    const s = scripted({ lists, answer: true });
    s.net.at(0, s.bind);
    setup(s);
    s.net.at(at(1), () => s.submit(shortMessage(CAROL_NUMBER, lists[0]!.number, 'Lunch?', { receipt: true })));
    s.net.run({ until: at(until) });
    return { s, receipts: s.deliveries().filter((d) => d.message.esmClass === ESM_CLASS.SMSC_DELIVERY_RECEIPT) };
  };

  it('counts a copy handed to a bound Interworking Function as delivered, one with no route as not', () => {
    const { receipts } = receiptOf([{ number: 'tel:+15550100', members: [ALICE_NUMBER, BOB_NUMBER, H1] }]);
    expect(receipts.map((r) => r.message.text)).toEqual([expect.stringMatching(/^id:\S+ sub:003 dlvrd:002 .* stat:DELIVRD /)]);
  });

  it('sends the receipt at once when no member is a handset of its own', () => {
    const { receipts } = receiptOf([{ number: 'tel:+15550100', members: [ALICE_NUMBER, BOB_NUMBER] }], undefined, 5);
    expect(receipts.map((r) => r.message.text)).toEqual([expect.stringMatching(/^id:\S+ sub:002 dlvrd:001 .* stat:DELIVRD /)]);
  });

  it('reports EXPIRED, with no copy delivered, when every copy expired', () => {
    const { receipts } = receiptOf([{ number: 'tel:+15550100', members: [H1, H2] }], (s) => {
      s.net.at(0, () => s.net.setNonCpmPresent(H1, false));
      s.net.at(0, () => s.net.setNonCpmPresent(H2, false));
    }, 700);
    expect(receipts.map((r) => [r.message.text, r.message.tlvs.messageState])).toEqual([[expect.stringMatching(/ sub:002 dlvrd:000 .* stat:EXPIRED /), MESSAGE_STATE.EXPIRED]]);
  });

  it('expands a list of the author and one member to 1 member', () => {
    const { s } = receiptOf([{ number: 'tel:+15550100', members: [CAROL_NUMBER, H1] }]);
    expect(notes(s.trace, SMSC)).toContain('expands the distribution list tel:+15550100 to 1 member');
  });

  it('reports a list of the author alone delivered: no copy to make, none left undelivered, nothing expired', () => {
    const { receipts } = receiptOf([{ number: 'tel:+15550100', members: [CAROL_NUMBER] }], undefined, 5);
    expect(receipts.map((r) => [r.message.text, r.message.tlvs.messageState])).toEqual([[expect.stringMatching(/ sub:000 dlvrd:000 .* stat:DELIVRD /), MESSAGE_STATE.DELIVERED]]);
  });
});
