import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/kernel/time.js';
import { MM7_STATUS, type Mm7Message, type Mm7Request } from '../../../src/mm7/message.js';
import type { WirePayload } from '../../../src/wire/payload.js';
import { at, notes } from '../harness.js';
import { ALICE_NUMBER, BOB_NUMBER, facingScript } from './fixtures.js';

const RELAY = 'mmsc.mms.example';
const HANDSET = 'tel:+15559870003';

const mm7 = (payloads: WirePayload[]): Mm7Message[] => payloads.flatMap((p) => ('protocol' in p && p.protocol === 'mm7' ? [p] : []));

/** The relay of mms.example facing a scripted VASP at a.example's Interworking Function; `answer` makes the script answer each request with `statusCode`. */
function relay(answer?: number) {
  return facingScript({
    service: 'mms',
    domain: 'mms.example',
    users: [HANDSET],
    reply:
      answer === undefined
        ? undefined
        : (p, send) => {
            if (!('protocol' in p) || p.protocol !== 'mm7' || p.type !== 'mm7-request') return;
            const kind = p.operation.kind === 'DeliverReq' ? 'DeliverRsp' : 'DeliveryReportRsp';
            send({ protocol: 'mm7', type: 'mm7-response', client: p.client, status: 200, transactionId: p.transactionId, operation: { kind, statusCode: answer, statusText: answer === MM7_STATUS.SUCCESS ? 'Success' : 'Server Error' } });
          },
  });
}

let transaction = 0;
/** A request of the scripted VASP (TS 23.140 8.7). */
function request(s: ReturnType<typeof relay>, operation: Mm7Request['operation']): Mm7Request {
  return { protocol: 'mm7', type: 'mm7-request', client: s.host, host: RELAY, transactionId: `t${++transaction}`, operation };
}

const submit = (s: ReturnType<typeof relay>, recipient: string, deliveryReport: boolean): Mm7Request =>
  request(s, { kind: 'SubmitReq', vaspId: 'a.example', sender: '+15551230001', recipient, deliveryReport, subject: 'Hi', content: { contentType: 'text/plain;charset=UTF-8', text: 'Hi' } });

/** The requests the relay sent the script, with when. */
function requests(s: ReturnType<typeof relay>): { at: number; request: Mm7Request }[] {
  return s.trace.events.flatMap((e) => (e.type === 'transmit' && e.from === RELAY && 'protocol' in e.payload && e.payload.protocol === 'mm7' && e.payload.type === 'mm7-request' ? [{ at: e.at, request: e.payload }] : []));
}

describe('MMS Relay/Server on the wire, facing a scripted VASP (MM7, 3GPP TS 23.140 8.7)', () => {
  it('answers a SubmitReq with SubmitRsp 1000 Success and the MessageID it gave the message (TS 23.140 8.7.4)', () => {
    const s = relay();
    const req = submit(s, '+15559870003', false);
    s.net.at(0, () => s.sendTo(RELAY, req));
    s.net.run({ until: at(1) });
    expect(mm7(s.received)).toEqual([
      { protocol: 'mm7', type: 'mm7-response', client: s.host, status: 200, transactionId: req.transactionId, operation: { kind: 'SubmitRsp', statusCode: 1000, statusText: 'Success', messageId: expect.stringMatching(/^[0-9a-f]+$/) } },
    ]);
  });

  it('refuses a DeliverReq and a DeliveryReportReq from a VASP (only a relay sends them) with the response of the same kind, 2000 Client error', () => {
    const s = relay();
    const deliver = request(s, { kind: 'DeliverReq', relayServerId: 'x', linkedId: 'l', sender: '+15551230001', recipient: '+15559870003', timeStamp: '2026-12-07T23:59:00.000Z', subject: 'Hi', content: { contentType: 'text/plain', text: 'Hi' } });
    const report = request(s, { kind: 'DeliveryReportReq', relayServerId: 'x', messageId: 'm', recipient: '+15559870003', sender: '+15551230001', date: '2026-12-07T23:59:00.000Z', mmStatus: 'Retrieved' });
    s.net.at(0, () => s.sendTo(RELAY, deliver));
    s.net.at(at(1), () => s.sendTo(RELAY, report));
    s.net.run({ until: at(2) });
    const answers = mm7(s.received).map((m) => m.type === 'mm7-response' && [m.transactionId, m.operation.kind, m.operation.statusCode]);
    expect(answers).toEqual([
      [deliver.transactionId, 'DeliverRsp', MM7_STATUS.CLIENT_ERROR],
      [report.transactionId, 'DeliveryReportRsp', MM7_STATUS.CLIENT_ERROR],
    ]);
    // TS 23.140 8.7.4: StatusText describes the status to a human.
    for (const m of mm7(s.received)) expect(m.type === 'mm7-response' && 'statusText' in m.operation && m.operation.statusText).not.toBe('');
  });

  it('answers nothing to what is not MM7, and notes it', () => {
    const s = relay();
    s.net.at(0, () => s.sendTo(RELAY, { protocol: 'smtp', client: s.host, role: 'client', opens: true }));
    s.net.run({ until: at(1) });
    expect(s.received).toEqual([]);
    expect(notes(s.trace, RELAY)).toEqual([`ignored a non-MM7 message from ${s.host}`]);
  });

  it('ignores a response to no request of its own', () => {
    const s = relay();
    s.net.at(0, () => s.sendTo(RELAY, { protocol: 'mm7', type: 'mm7-response', client: RELAY, status: 200, transactionId: 'never-sent', operation: { kind: 'DeliverRsp', statusCode: 1000, statusText: 'Success' } }));
    s.net.run({ until: at(1) });
    expect(s.received).toEqual([]);
    expect(notes(s.trace, RELAY)).toEqual([]);
  });

  it("delivers a handset's MMS to a CPM user's number as a DeliverReq to its domain's Interworking Function, stamped in XML Schema dateTime (TS 23.140 8.7)", () => {
    const s = relay(MM7_STATUS.SUCCESS);
    s.net.at(at(61), () => s.net.sendFromNonCpm(HANDSET, ALICE_NUMBER, 'Hi Alice', false));
    s.net.run({ until: at(70) });
    const [deliver, ...more] = requests(s);
    expect(more).toEqual([]);
    // 61 s after 23:59:00 on 7 December.
    expect(deliver!.request.operation).toMatchObject({ kind: 'DeliverReq', sender: '+15559870003', recipient: '+15551230001', timeStamp: '2026-12-08T00:00:01.000Z', content: { text: 'Hi Alice' } });
    expect(notes(s.trace, RELAY)).toEqual([]);
  });

  it('finds no route for an MMS to a number without ENUM entry, nor to one whose domain has no Interworking Function', () => {
    const s = relay();
    s.net.at(at(1), () => s.net.sendFromNonCpm(HANDSET, 'tel:+15550000001', 'Hi', false));
    s.net.at(at(2), () => s.net.sendFromNonCpm(HANDSET, BOB_NUMBER, 'Hi', false));
    s.net.run({ until: at(10) });
    expect(notes(s.trace, RELAY)).toEqual(['no route for an MMS to tel:+15550000001', `no route for an MMS to ${BOB_NUMBER}`]);
    expect(s.trace.events.filter((e) => e.type !== 'note' && e.from === RELAY)).toEqual([]);
  });

  it('notes an answer that is not 1000 Success, with its status code, and no Success', () => {
    const failing = relay(MM7_STATUS.SERVER_ERROR);
    failing.net.at(at(1), () => failing.net.sendFromNonCpm(HANDSET, ALICE_NUMBER, 'Hi', false));
    failing.net.run({ until: at(30) });
    expect(notes(failing.trace, RELAY)).toEqual([`DeliverRsp 3000 from ${failing.host}`]);
    const succeeding = relay(MM7_STATUS.SUCCESS);
    succeeding.net.at(at(1), () => succeeding.net.sendFromNonCpm(HANDSET, ALICE_NUMBER, 'Hi', false));
    succeeding.net.run({ until: at(30) });
    expect(notes(succeeding.trace, RELAY)).toEqual([]);
  });

  it('sends a DeliverReq nobody answers again every response timer until the expiry, then gives up (store and forward, TS 23.140 7.1.2.1)', () => {
    const s = relay();
    s.net.at(at(1), () => s.net.sendFromNonCpm(HANDSET, ALICE_NUMBER, 'Hi', false));
    s.net.run({ until: at(1000) });
    const sent = requests(s);
    // Expiry 600 s (the relay's default): the last copy whose 10 s response timer ends within it leaves at 590 s.
    expect(sent.map((r) => (r.at - sent[0]!.at) / SECOND)).toEqual(Array.from({ length: 60 }, (_, i) => i * 10));
    expect(new Set(sent.map((r) => r.request.transactionId)).size).toBe(1);
    expect(notes(s.trace, RELAY)).toEqual([`no DeliverRsp from ${s.host} before the expiry: gives up`]);
  });

  it('sends the delivery report asked for to the VASP that submitted, again until the expiry when unanswered (TS 23.140 8.7.3.2)', () => {
    const s = relay();
    s.net.at(0, () => s.sendTo(RELAY, submit(s, '+15559870003', true)));
    s.net.run({ until: at(1000) });
    const sent = requests(s);
    expect(sent[0]!.request.operation).toMatchObject({ kind: 'DeliveryReportReq', recipient: '+15559870003', sender: '+15551230001', mmStatus: 'Retrieved' });
    expect(sent).toHaveLength(60);
    expect(notes(s.trace, RELAY)).toContain(`no DeliveryReportRsp from ${s.host} before the expiry: gives up`);
  });
});
