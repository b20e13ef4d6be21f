import { describe, expect, it } from 'vitest';
import { Simulator } from '../../../src/kernel/simulator.js';
import { SECOND } from '../../../src/kernel/time.js';
import { createResponse } from '../../../src/sip/builders.js';
import type { SipResponse } from '../../../src/sip/message.js';
import { ServerTransaction, type ServerTransport } from '../../../src/sip/transactions/server-transaction.js';
import { TIMER_J } from '../../../src/sip/transactions/timers.js';
import { message } from './sip-net.js';

function harness() {
  const sim = new Simulator();
  const sent: { res: SipResponse; at: number }[] = [];
  const forgotten: { key: string; at: number }[] = [];
  const transport: ServerTransport = {
    sendResponse: (res) => {
      sent.push({ res, at: sim.now });
    },
    schedule: (d, a) => sim.schedule(d, a),
    forget: (key) => {
      forgotten.push({ key, at: sim.now });
    },
    // The stack answers retransmissions with `last` for the delay, then forgets the key.
    linger: (key, _last, delay) => {
      sim.schedule(delay, () => forgotten.push({ key, at: sim.now }));
    },
  };
  const req = message();
  req.headers = [{ name: 'Via', value: 'SIP/2.0/UDP ua.example.com;branch=z9hG4bKs' }, ...req.headers];
  const tx = new ServerTransaction('z9hG4bKs|ua.example.com|MESSAGE', req, transport);
  return { sim, sent, forgotten, tx, req };
}

describe('ServerTransaction (non-INVITE, RFC 3261 17.2.2)', () => {
  it('absorbs retransmissions before the TU answers (Trying)', () => {
    const { sent, tx } = harness();
    tx.retransmitted();
    tx.retransmitted();
    expect(sent).toEqual([]);
    expect(tx.answered).toBe(false);
  });

  it('answers retransmissions with the last provisional, then with the final', () => {
    const { sim, sent, tx, req } = harness();
    const trying = createResponse(req, 100);
    const ok = createResponse(req, 200, { toTag: 't' });
    tx.respond(trying);
    expect(tx.answered).toBe(false);
    tx.retransmitted();
    sim.schedule(SECOND, () => {
      tx.respond(ok);
      tx.retransmitted();
      tx.retransmitted();
    });
    sim.run();
    expect(sent.map((s) => s.res)).toEqual([trying, trying, ok, ok, ok]);
    expect(sent[3]?.res).toBe(ok);
    expect(tx.answered).toBe(true);
  });

  it('refuses a second final response, and a provisional after the final', () => {
    const { tx, req } = harness();
    tx.respond(createResponse(req, 404));
    expect(() => tx.respond(createResponse(req, 200))).toThrow(/already has a final response/);
    expect(() => tx.respond(createResponse(req, 180))).toThrow(/already has a final response/);
  });

  it('is forgotten Timer J after the final response, not after a provisional', () => {
    const { sim, forgotten, tx, req } = harness();
    tx.respond(createResponse(req, 100));
    sim.schedule(3 * SECOND, () => tx.respond(createResponse(req, 200)));
    sim.run();
    expect(forgotten).toEqual([{ key: 'z9hG4bKs|ua.example.com|MESSAGE', at: 3 * SECOND + TIMER_J }]);
  });
});
