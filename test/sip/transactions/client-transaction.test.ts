import { describe, expect, it } from 'vitest';
import { Simulator } from '../../../src/kernel/simulator.js';
import { MS, SECOND } from '../../../src/kernel/time.js';
import { createResponse } from '../../../src/sip/builders.js';
import type { SipRequest, SipResponse } from '../../../src/sip/message.js';
import { ClientTransaction, type ClientTransport } from '../../../src/sip/transactions/client-transaction.js';
import { T1, T2, TIMER_F, TIMER_K } from '../../../src/sip/transactions/timers.js';
import { message } from './sip-net.js';

/** A transport on a real simulator that records what the transaction asks of it. */
function harness() {
  const sim = new Simulator();
  const sent: number[] = [];
  const forgotten: { key: string; at: number }[] = [];
  const tu: { status: number; at: number }[] = [];
  const transport: ClientTransport = {
    sendRequest: () => {
      sent.push(sim.now);
    },
    schedule: (delay, action) => sim.schedule(delay, action),
    arm: (alarm, delay) => sim.arm(alarm, sim.now + delay),
    disarm: (alarm) => sim.disarm(alarm),
    forget: (key) => {
      forgotten.push({ key, at: sim.now });
    },
    // The stack keeps a completed transaction's key for the delay, then forgets it.
    absorb: (key, delay) => {
      sim.schedule(delay, () => forgotten.push({ key, at: sim.now }));
    },
    synthesize: (req, status) => createResponse(req, status),
  };
  const req: SipRequest = message();
  req.headers = [{ name: 'Via', value: 'SIP/2.0/UDP ua.example.com;branch=z9hG4bKtest' }, ...req.headers];
  const tx = new ClientTransaction('z9hG4bKtest|MESSAGE', req, 'proxy.example.com', transport, (res) => tu.push({ status: res.status, at: sim.now }));
  const response = (status: number): SipResponse => createResponse(req, status);
  return { sim, sent, forgotten, tu, tx, response };
}

/** RFC 3261 17.1.2.2 over UDP in Trying: T1, then doubling up to T2, until Timer F = 64*T1. */
function expectedTryingSends(): number[] {
  const times = [0];
  let interval = T1;
  let t = T1;
  while (t < TIMER_F) {
    times.push(t);
    interval = Math.min(2 * interval, T2);
    t += interval;
  }
  return times;
}

describe('ClientTransaction (non-INVITE, RFC 3261 17.1.2)', () => {
  it('retransmits on Timer E at T1, 2T1, 4T1 spacing, then every T2, and gives a 408 at Timer F', () => {
    const { sim, sent, tu, tx } = harness();
    tx.start();
    sim.run();
    expect(sent).toEqual(expectedTryingSends());
    // Spelled out: 0, .5, 1.5, 3.5, 7.5, 11.5, ..., 31.5 s.
    expect(sent.slice(0, 6)).toEqual([0, 500 * MS, 1_500 * MS, 3_500 * MS, 7_500 * MS, 11_500 * MS]);
    expect(sent.at(-1)).toBe(31_500 * MS);
    expect(sent).toHaveLength(11);
    expect(tu).toEqual([{ status: 408, at: 32 * SECOND }]);
  });

  it('forgets itself Timer K after completing', () => {
    const { sim, forgotten, tx } = harness();
    tx.start();
    sim.run();
    expect(forgotten).toEqual([{ key: 'z9hG4bKtest|MESSAGE', at: TIMER_F + TIMER_K }]);
  });

  it('stops retransmitting and cancels Timer F on a final response, passing it up once', () => {
    const { sim, sent, tu, tx, response, forgotten } = harness();
    tx.start();
    sim.schedule(2 * SECOND, () => tx.receive(response(200)));
    sim.schedule(3 * SECOND, () => tx.receive(response(200))); // a retransmitted 200: absorbed
    sim.schedule(4 * SECOND, () => tx.receive(response(404))); // and any other final
    sim.run();
    expect(sent).toEqual([0, 500 * MS, 1_500 * MS]);
    expect(tu).toEqual([{ status: 200, at: 2 * SECOND }]);
    expect(forgotten.map((f) => f.at)).toEqual([2 * SECOND + TIMER_K]);
  });

  it('passes provisionals up, retransmits every T2 in Proceeding, and still times out at Timer F', () => {
    const { sim, sent, tu, tx, response } = harness();
    tx.start();
    sim.schedule(100 * MS, () => tx.receive(response(100)));
    sim.schedule(600 * MS, () => tx.receive(response(100)));
    sim.run();
    // The timer armed in Trying fires at T1; after that every T2 (17.1.2.2).
    const expected = [0, T1];
    for (let t = T1 + T2; t < TIMER_F; t += T2) expected.push(t);
    expect(sent).toEqual(expected);
    expect(tu).toEqual([
      { status: 100, at: 100 * MS },
      { status: 100, at: 600 * MS },
      { status: 408, at: TIMER_F },
    ]);
  });

  it('ignores responses after the timeout', () => {
    const { sim, tu, tx, response } = harness();
    tx.start();
    sim.schedule(TIMER_F + 1, () => tx.receive(response(200)));
    sim.run();
    expect(tu.map((r) => r.status)).toEqual([408]);
  });

  it('turns a transport failure into one 503, and ignores it once completed', () => {
    const a = harness();
    a.sim.schedule(0, () => a.tx.transportFailed());
    a.sim.schedule(1, () => a.tx.transportFailed());
    a.sim.run();
    expect(a.tu).toEqual([{ status: 503, at: 0 }]);
    expect(a.sent).toEqual([]);

    const b = harness();
    b.tx.start();
    b.sim.schedule(10 * MS, () => b.tx.receive(b.response(486)));
    b.sim.schedule(20 * MS, () => b.tx.transportFailed());
    b.sim.run();
    expect(b.tu.map((r) => r.status)).toEqual([486]);
  });

  it('synthesizes the timeout from its own request', () => {
    const sim = new Simulator();
    let synthesized: SipResponse | undefined;
    const seen: SipResponse[] = [];
    const req = message();
    const transport: ClientTransport = {
      sendRequest: () => {},
      schedule: (d, a) => sim.schedule(d, a),
      arm: (alarm, d) => sim.arm(alarm, sim.now + d),
      disarm: (alarm) => sim.disarm(alarm),
      forget: () => {},
      absorb: () => {},
      synthesize: (r, status) => {
        expect(r).toBe(req);
        synthesized = createResponse(r, status);
        return synthesized;
      },
    };
    new ClientTransaction('k', req, 'h', transport, (res) => seen.push(res)).start();
    sim.run();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBe(synthesized);
    expect(seen[0]?.status).toBe(408);
  });
});
