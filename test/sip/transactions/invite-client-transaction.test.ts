import { describe, expect, it } from 'vitest';
import { Simulator } from '../../../src/kernel/simulator.js';
import { MS, SECOND } from '../../../src/kernel/time.js';
import { createResponse } from '../../../src/sip/builders.js';
import { header, headers, type SipRequest, type SipResponse } from '../../../src/sip/message.js';
import { parseMessage } from '../../../src/sip/parser.js';
import { serializeMessage } from '../../../src/sip/serializer.js';
import type { ClientTransport } from '../../../src/sip/transactions/client-transaction.js';
import { InviteClientTransaction } from '../../../src/sip/transactions/invite-client-transaction.js';
import { T1, TIMER_B, TIMER_D, TIMER_M } from '../../../src/sip/transactions/timers.js';
import { invite } from './sip-net.js';

const VIA = 'SIP/2.0/UDP uac.example.com;branch=z9hG4bKinv';

/** An INVITE as the UAC's stack sends it: our Via on top, one more below, two Routes. */
function inviteRequest(): SipRequest {
  const req = invite({ routes: ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>'], cseq: 7 });
  req.headers = [{ name: 'Via', value: VIA }, { name: 'Via', value: 'SIP/2.0/UDP below.example.com;branch=z9hG4bKlow' }, ...req.headers];
  return req;
}

function harness() {
  const sim = new Simulator();
  const sent: { req: SipRequest; to: string; at: number }[] = [];
  const forgotten: { key: string; at: number }[] = [];
  const tu: { status: number; at: number }[] = [];
  const transport: ClientTransport = {
    sendRequest: (req, to) => {
      sent.push({ req, to, at: sim.now });
    },
    schedule: (delay, action) => sim.schedule(delay, action),
    arm: (alarm, delay) => sim.arm(alarm, sim.now + delay),
    disarm: (alarm) => sim.disarm(alarm),
    forget: (key) => {
      forgotten.push({ key, at: sim.now });
    },
    absorb: () => {
      throw new Error('an INVITE client transaction keeps its own state through Timer D');
    },
    synthesize: (req, status) => createResponse(req, status),
  };
  const req = inviteRequest();
  const tx = new InviteClientTransaction('z9hG4bKinv|INVITE', req, 'p1.example.com', transport, (res) => tu.push({ status: res.status, at: sim.now }));
  const response = (status: number, tag = 'b9'): SipResponse => createResponse(req, status, { toTag: tag });
  const invites = (): number[] => sent.filter((s) => s.req.method === 'INVITE').map((s) => s.at);
  const acks = (): { req: SipRequest; to: string; at: number }[] => sent.filter((s) => s.req.method === 'ACK');
  return { sim, sent, forgotten, tu, tx, req, response, invites, acks };
}

describe('InviteClientTransaction (RFC 3261 17.1.1)', () => {
  it('retransmits on Timer A at 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s (doubling, no T2 cap) and gives a 408 at Timer B = 32 s', () => {
    const { sim, tu, tx, invites, forgotten } = harness();
    tx.start();
    sim.run();
    expect(invites()).toEqual([0, 500 * MS, 1_500 * MS, 3_500 * MS, 7_500 * MS, 15_500 * MS, 31_500 * MS]);
    expect(TIMER_B).toBe(64 * T1);
    expect(tu).toEqual([{ status: 408, at: 32 * SECOND }]);
    expect(forgotten).toEqual([{ key: 'z9hG4bKinv|INVITE', at: 32 * SECOND }]);
  });

  it('stops retransmitting in Proceeding, passes every provisional up, and Timer B no longer fires', () => {
    const { sim, tu, tx, response, invites } = harness();
    tx.start();
    sim.schedule(700 * MS, () => tx.receive(response(100)));
    sim.schedule(2 * SECOND, () => tx.receive(response(180)));
    sim.schedule(60 * SECOND, () => tx.receive(response(180)));
    sim.run();
    expect(invites()).toEqual([0, 500 * MS]);
    expect(tu).toEqual([
      { status: 100, at: 700 * MS },
      { status: 180, at: 2 * SECOND },
      { status: 180, at: 60 * SECOND },
    ]);
  });

  it('ACKs a 3xx-6xx itself, with the fields of 17.1.1.3, to the same next hop', () => {
    const { sim, tx, response, acks, req } = harness();
    tx.start();
    const busy = response(486, 'busy7');
    sim.schedule(100 * MS, () => tx.receive(busy));
    sim.run({ until: SECOND });
    expect(acks()).toHaveLength(1);
    const { req: ack, to, at } = acks()[0]!;
    expect(to).toBe('p1.example.com');
    expect(at).toBe(100 * MS);
    expect(ack.method).toBe('ACK');
    expect(ack.uri).toEqual(req.uri);
    expect(headers(ack, 'Via')).toEqual([VIA]);
    expect(header(ack, 'Call-ID')).toBe('inv-1@example.com');
    expect(header(ack, 'From')).toBe(header(req, 'From'));
    expect(header(ack, 'To')).toBe('<sip:bob@example.com>;tag=busy7');
    expect(header(ack, 'To')).toBe(header(busy, 'To'));
    expect(header(ack, 'CSeq')).toBe('7 ACK');
    expect(headers(ack, 'Route')).toEqual(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    expect(header(ack, 'Max-Forwards')).toBe('70');
    expect(header(ack, 'Contact')).toBeUndefined();
    expect(ack.body).toBeUndefined();
    expect(parseMessage(serializeMessage(ack))).toEqual(ack);
  });

  it('in Completed re-sends the same ACK for each retransmitted final, tells the TU once, and ends after Timer D', () => {
    const { sim, tu, tx, response, acks, forgotten, invites } = harness();
    tx.start();
    sim.schedule(100 * MS, () => tx.receive(response(404)));
    sim.schedule(1 * SECOND, () => tx.receive(response(404)));
    sim.schedule(5 * SECOND, () => tx.receive(response(404)));
    sim.schedule(6 * SECOND, () => tx.receive(response(200)));
    sim.schedule(100 * MS + TIMER_D + 1, () => tx.receive(response(404)));
    sim.run();
    expect(tu).toEqual([{ status: 404, at: 100 * MS }]);
    expect(acks().map((a) => a.at)).toEqual([100 * MS, SECOND, 5 * SECOND]);
    expect(acks()[1]!.req).toEqual(acks()[0]!.req);
    expect(invites()).toEqual([0]);
    expect(TIMER_D).toBe(32 * SECOND);
    expect(forgotten).toEqual([{ key: 'z9hG4bKinv|INVITE', at: 100 * MS + TIMER_D }]);
  });

  it('treats a 300 as a final it ACKs itself, re-ACKing its retransmission (17.1.1.2: 300-699)', () => {
    const { sim, tu, tx, response, acks } = harness();
    tx.start();
    sim.schedule(100 * MS, () => tx.receive(response(300)));
    sim.schedule(SECOND, () => tx.receive(response(300)));
    sim.run();
    expect(tu).toEqual([{ status: 300, at: 100 * MS }]);
    expect(acks().map((a) => [a.at, header(a.req, 'CSeq')])).toEqual([
      [100 * MS, '7 ACK'],
      [SECOND, '7 ACK'],
    ]);
  });

  it('after a final response, a transport failure gives the TU no second final (8.1.3.1)', () => {
    const { sim, tu, tx, response } = harness();
    tx.start();
    sim.schedule(100 * MS, () => tx.receive(response(486)));
    sim.schedule(200 * MS, () => tx.transportFailed());
    sim.run();
    expect(tu).toEqual([{ status: 486, at: 100 * MS }]);
  });

  it('on a 2xx terminates without ACKing and passes every 2xx to the TU until Timer M', () => {
    const { sim, tu, tx, response, acks, forgotten, invites } = harness();
    tx.start();
    sim.schedule(200 * MS, () => tx.receive(response(180)));
    sim.schedule(1 * SECOND, () => tx.receive(response(200)));
    sim.schedule(1_500 * MS, () => tx.receive(response(200)));
    // A 2xx from another fork (another To tag) goes up too; a 1xx or 3xx-6xx after the 2xx does not.
    sim.schedule(2 * SECOND, () => tx.receive(response(200, 'fork2')));
    sim.schedule(3 * SECOND, () => tx.receive(response(486)));
    sim.schedule(4 * SECOND, () => tx.receive(response(180)));
    sim.schedule(5 * SECOND, () => tx.receive(response(300)));
    sim.run();
    expect(tu).toEqual([
      { status: 180, at: 200 * MS },
      { status: 200, at: SECOND },
      { status: 200, at: 1_500 * MS },
      { status: 200, at: 2 * SECOND },
    ]);
    expect(acks()).toEqual([]);
    expect(invites()).toEqual([0]);
    expect(forgotten).toEqual([{ key: 'z9hG4bKinv|INVITE', at: SECOND + TIMER_M }]);
  });

  it('turns a transport failure into one 503 and then ignores responses', () => {
    const { sim, tu, tx, response, sent } = harness();
    sim.schedule(0, () => tx.transportFailed());
    sim.schedule(10 * MS, () => tx.receive(response(200)));
    sim.run();
    expect(tu).toEqual([{ status: 503, at: 0 }]);
    expect(sent).toEqual([]);
  });

  it('sends a CANCEL only after a provisional, once, and never after a final', () => {
    const a = harness();
    const cancels: number[] = [];
    a.tx.start();
    a.tx.cancel(() => cancels.push(a.sim.now));
    a.tx.cancel(() => cancels.push(-1));
    expect(cancels).toEqual([]);
    a.sim.schedule(300 * MS, () => a.tx.receive(a.response(180)));
    a.sim.schedule(400 * MS, () => a.tx.receive(a.response(487)));
    a.sim.run();
    expect(cancels).toEqual([300 * MS]);

    const b = harness();
    const none: number[] = [];
    b.tx.start();
    b.tx.cancel(() => none.push(b.sim.now));
    b.sim.schedule(300 * MS, () => b.tx.receive(b.response(486)));
    b.sim.schedule(400 * MS, () => b.tx.receive(b.response(180)));
    b.sim.schedule(500 * MS, () => b.tx.cancel(() => none.push(b.sim.now)));
    b.sim.run();
    expect(none).toEqual([]);
  });

  it('gives the INVITE up with a 408 when no final response follows its CANCEL within 64*T1 (9.1)', () => {
    const { sim, tu, tx, response } = harness();
    tx.start();
    sim.schedule(100 * MS, () => tx.receive(response(180)));
    sim.schedule(SECOND, () => tx.cancel(() => undefined));
    sim.run();
    expect(tu).toEqual([
      { status: 180, at: 100 * MS },
      { status: 408, at: SECOND + 64 * T1 },
    ]);
  });
});
