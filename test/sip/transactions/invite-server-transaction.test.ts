import { describe, expect, it } from 'vitest';
import { Simulator } from '../../../src/kernel/simulator.js';
import { MS, SECOND } from '../../../src/kernel/time.js';
import { createResponse } from '../../../src/sip/builders.js';
import { header, type SipResponse } from '../../../src/sip/message.js';
import { InviteServerTransaction } from '../../../src/sip/transactions/invite-server-transaction.js';
import type { ServerTransport } from '../../../src/sip/transactions/server-transaction.js';
import { T1, T2, TIMER_H, TIMER_I, TIMER_L } from '../../../src/sip/transactions/timers.js';
import { invite } from './sip-net.js';

const KEY = 'z9hG4bKsrv|uac.example.com|INVITE';

function harness() {
  const sim = new Simulator();
  const sent: { status: number; at: number; res: SipResponse }[] = [];
  const forgotten: { key: string; at: number }[] = [];
  const transport: ServerTransport = {
    sendResponse: (res) => {
      sent.push({ status: res.status, at: sim.now, res });
    },
    schedule: (d, a) => sim.schedule(d, a),
    forget: (key) => {
      forgotten.push({ key, at: sim.now });
    },
    linger: () => {
      throw new Error('an INVITE server transaction keeps its own state (17.2.1)');
    },
  };
  const req = invite();
  req.headers = [{ name: 'Via', value: 'SIP/2.0/UDP uac.example.com;branch=z9hG4bKsrv' }, ...req.headers];
  const tx = new InviteServerTransaction(KEY, req, transport);
  const answer = (status: number): SipResponse => createResponse(req, status, { toTag: 'b1' });
  return { sim, sent, forgotten, tx, req, answer };
}

/** RFC 3261 17.2.1: Timer G from T1, doubling up to T2, while Completed and before Timer H. */
function timerG(from: number): number[] {
  const times: number[] = [];
  let interval = T1;
  for (let t = from + T1; t < from + TIMER_H; t += interval) {
    times.push(t);
    interval = Math.min(2 * interval, T2);
  }
  return times;
}

describe('InviteServerTransaction (RFC 3261 17.2.1)', () => {
  it('sends a 100 Trying without a To tag at 200 ms when the TU has not answered', () => {
    const { sim, sent, tx } = harness();
    sim.run();
    expect(sent.map((s) => [s.status, s.at])).toEqual([[100, 200 * MS]]);
    expect(header(sent[0]!.res, 'To')).toBe('<sip:bob@example.com>');
    expect(tx.answered).toBe(false);
  });

  it('sends no 100 Trying when the TU answers within 200 ms', () => {
    const { sim, sent, tx, answer } = harness();
    sim.schedule(150 * MS, () => tx.respond(answer(180)));
    sim.run({ until: SECOND });
    expect(sent.map((s) => [s.status, s.at])).toEqual([[180, 150 * MS]]);
  });

  it('answers a retransmitted INVITE with the last provisional', () => {
    const { sim, sent, tx, answer } = harness();
    sim.schedule(10 * MS, () => tx.respond(answer(180)));
    sim.schedule(500 * MS, () => tx.retransmitted());
    sim.run({ until: SECOND });
    expect(sent.map((s) => [s.status, s.at])).toEqual([
      [180, 10 * MS],
      [180, 500 * MS],
    ]);
  });

  it('on a 3xx-6xx retransmits on Timer G until Timer H, then tells the TU and ends', () => {
    const { sim, sent, tx, answer, forgotten } = harness();
    const timedOut: number[] = [];
    tx.whenAckTimedOut(() => timedOut.push(sim.now));
    sim.schedule(SECOND, () => tx.respond(answer(486)));
    sim.run();
    const expected = [SECOND, ...timerG(SECOND)];
    expect(sent.filter((s) => s.status === 486).map((s) => s.at)).toEqual(expected);
    // Spelled out: 1.5, 2.5, 4.5, 8.5, 12.5 s ... every T2.
    expect(expected.slice(1, 6)).toEqual([1_500 * MS, 2_500 * MS, 4_500 * MS, 8_500 * MS, 12_500 * MS]);
    expect(timedOut).toEqual([SECOND + TIMER_H]);
    expect(forgotten).toEqual([{ key: KEY, at: SECOND + TIMER_H }]);
  });

  it('treats a 300 as a 3xx-6xx: retransmitted on Timer G until its ACK (17.2.1)', () => {
    const { sim, sent, tx, answer } = harness();
    sim.schedule(SECOND, () => tx.respond(answer(300)));
    sim.schedule(SECOND + T1 + 3 * T1, () => tx.ackReceived());
    sim.run();
    expect(sent.map((s) => [s.status, s.at])).toEqual([
      [100, 200 * MS],
      [300, SECOND],
      [300, SECOND + T1],
      [300, SECOND + 3 * T1],
    ]);
  });

  it('in Completed answers a retransmitted INVITE with the final; the ACK moves it to Confirmed for Timer I', () => {
    const { sim, sent, tx, answer, forgotten } = harness();
    const absorbed: boolean[] = [];
    const timedOut: number[] = [];
    tx.whenAckTimedOut(() => timedOut.push(sim.now));
    tx.respond(answer(404));
    sim.schedule(100 * MS, () => tx.retransmitted());
    sim.schedule(800 * MS, () => absorbed.push(tx.ackReceived()));
    sim.schedule(900 * MS, () => tx.retransmitted());
    sim.schedule(950 * MS, () => absorbed.push(tx.ackReceived()));
    sim.run();
    expect(sent.map((s) => [s.status, s.at])).toEqual([
      [404, 0],
      [404, 100 * MS],
      [404, T1],
    ]);
    expect(absorbed).toEqual([true, true]);
    expect(timedOut).toEqual([]);
    expect(forgotten).toEqual([{ key: KEY, at: 800 * MS + TIMER_I }]);
  });

  it('on a 2xx ends at once for 3261 (the TU retransmits it), absorbing INVITE retransmissions for Timer L', () => {
    const { sim, sent, tx, answer, forgotten } = harness();
    tx.respond(answer(200));
    sim.schedule(SECOND, () => tx.retransmitted());
    sim.run();
    expect(sent.map((s) => [s.status, s.at])).toEqual([[200, 0]]);
    // The ACK for a 2xx is not the transaction's: it goes to the TU.
    expect(tx.ackReceived()).toBe(false);
    expect(forgotten).toEqual([{ key: KEY, at: TIMER_L }]);
  });

  it('on CANCEL tells the TU once, before the final; after the final a CANCEL has no effect (9.2)', () => {
    const a = harness();
    const told: number[] = [];
    a.tx.whenCancelled(() => {
      told.push(a.sim.now);
      a.tx.respond(a.answer(487));
    });
    a.sim.schedule(300 * MS, () => a.tx.cancel('t1'));
    a.sim.schedule(400 * MS, () => a.tx.cancel('t1'));
    a.sim.run({ until: SECOND });
    expect(told).toEqual([300 * MS]);
    expect(a.tx.isCancelled).toBe(true);
    // The 487 is a non-2xx final like any other: Timer G resends it until the ACK.
    expect(a.sent.map((s) => [s.status, s.at])).toEqual([
      [100, 200 * MS],
      [487, 300 * MS],
      [487, 300 * MS + T1],
    ]);

    const b = harness();
    b.tx.whenCancelled(() => told.push(-1));
    b.tx.respond(b.answer(200));
    b.tx.cancel('t1');
    expect(b.tx.isCancelled).toBe(false);
    expect(told).toEqual([300 * MS]);
  });

  it('refuses a second final response', () => {
    const { tx, answer } = harness();
    tx.respond(answer(486));
    expect(() => tx.respond(answer(200))).toThrow(/already has a final response/);
  });
});
