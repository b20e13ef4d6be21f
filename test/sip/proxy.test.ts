import { describe, expect, it } from 'vitest';
import { MS, SECOND } from '../../src/kernel/time.js';
import { createResponse } from '../../src/sip/builders.js';
import { cloneMessage, header, headers, type SipResponse } from '../../src/sip/message.js';
import { proxyRequest } from '../../src/sip/proxy.js';
import { TIMER_F } from '../../src/sip/transactions/timers.js';
import { INTRA, message, World, type StackNode } from './transactions/sip-net.js';

const UAC = 'uac.example.com';
const PROXY = 'proxy.example.com';

/** uac -> proxy -> each of `targets`; the proxy forks a copy of the request to every target. */
function forkingWorld(targets: string[]) {
  const w = new World();
  const uac = w.stackNode(UAC);
  const proxy = w.stackNode(PROXY);
  proxy.handler = (req, tx) =>
    proxyRequest(
      proxy.stack,
      tx,
      targets.map((nextHop) => ({ request: cloneMessage(req), nextHop })),
    );
  const uas = new Map<string, StackNode>();
  for (const t of targets) if (t.endsWith('.example.com')) uas.set(t, w.stackNode(t));
  /** What the proxy relayed to the UAC (the UAC's own timers could hide it from its TU). */
  const relayed = (): { status: number; at: number; res: SipResponse }[] =>
    w.transmits({ from: PROXY, to: UAC }).flatMap((t) => (t.payload.type === 'response' ? [{ status: t.payload.status, at: t.at, res: t.payload }] : []));
  return { w, uac, proxy, uas, relayed };
}

const statusClass = (s: number): number => Math.floor(s / 100);

describe('proxyRequest Max-Forwards (RFC 3261 16.3 step 3, 16.6 step 3)', () => {
  it('decrements Max-Forwards on the forwarded copy and relays the answer back along the Vias', () => {
    const { w, uac, uas, relayed } = forkingWorld(['uas1.example.com']);
    const uas1 = uas.get('uas1.example.com')!;
    uas1.answer(200);
    const got = uac.send(message({ maxForwards: 70 }), PROXY);
    w.sim.run();
    const forwarded = uas1.handled[0]!.req;
    expect(header(forwarded, 'Max-Forwards')).toBe('69');
    const vias = headers(forwarded, 'Via');
    expect(vias).toHaveLength(2);
    expect(vias[0]).toMatch(/^SIP\/2\.0\/UDP proxy\.example\.com;branch=z9hG4bK/);
    expect(vias[1]).toMatch(/^SIP\/2\.0\/UDP uac\.example\.com;branch=z9hG4bK/);
    // The proxy strips its own Via before relaying; the UAC strips its own before its TU.
    expect(relayed().map((r) => headers(r.res, 'Via'))).toEqual([[vias[1]]]);
    expect(got.map((g) => [g.res.status, g.at, headers(g.res, 'Via')])).toEqual([[200, 4 * INTRA, []]]);
  });

  it('forwards a request with Max-Forwards 1 as 0', () => {
    const { w, uac, uas } = forkingWorld(['uas1.example.com']);
    const uas1 = uas.get('uas1.example.com')!;
    uas1.answer(200);
    uac.send(message({ maxForwards: 1 }), PROXY);
    w.sim.run();
    expect(header(uas1.handled[0]!.req, 'Max-Forwards')).toBe('0');
  });

  it('forwards a request that has no Max-Forwards, adding one of 70 (16.6 step 3: MUST add one, SHOULD be 70)', () => {
    const { w, uac, uas } = forkingWorld(['uas1.example.com']);
    const uas1 = uas.get('uas1.example.com')!;
    uas1.answer(200);
    const req = message();
    req.headers = req.headers.filter((h) => h.name !== 'Max-Forwards');
    const got = uac.send(req, PROXY);
    w.sim.run();
    expect(got.map((g) => g.res.status)).toEqual([200]);
    expect(header(uas1.handled[0]!.req, 'Max-Forwards')).toBe('70');
  });

  it('answers 483 Too Many Hops when Max-Forwards is 0, forwarding nothing', () => {
    const { w, uac, uas } = forkingWorld(['uas1.example.com', 'uas2.example.com']);
    const got = uac.send(message({ maxForwards: 0 }), PROXY);
    w.sim.run();
    expect(got.map((g) => [g.res.status, g.res.reason, g.at])).toEqual([[483, 'Too Many Hops', 2 * INTRA]]);
    expect(w.transmits({ from: PROXY }).every((t) => t.to === UAC)).toBe(true);
    for (const node of uas.values()) expect(node.handled).toEqual([]);
  });

  it('does not touch the request it received (the server transaction keeps the original)', () => {
    const { w, uac, proxy, uas } = forkingWorld(['uas1.example.com']);
    uas.get('uas1.example.com')!.answer(200);
    uac.send(message({ maxForwards: 10 }), PROXY);
    w.sim.run();
    expect(header(proxy.handled[0]!.req, 'Max-Forwards')).toBe('10');
    expect(headers(proxy.handled[0]!.req, 'Via')).toHaveLength(1);
  });
});

describe('proxyRequest forking (RFC 3261 16.7)', () => {
  it('relays a 2xx at once, without waiting for the other branch', () => {
    const { w, uac, uas, relayed } = forkingWorld(['uas1.example.com', 'uas2.example.com']);
    uas.get('uas1.example.com')!.answer(200);
    uas.get('uas2.example.com')!.answer(404, 5 * SECOND);
    const got = uac.send(message(), PROXY);
    w.sim.run();
    expect(relayed().map((r) => [r.status, r.at])).toEqual([[200, 3 * INTRA]]);
    expect(got.map((g) => g.res.status)).toEqual([200]);
  });

  it('relays a late 2xx at once even after another branch failed, and never the failure', () => {
    const { w, uac, uas, relayed } = forkingWorld(['uas1.example.com', 'uas2.example.com']);
    uas.get('uas1.example.com')!.answer(486);
    uas.get('uas2.example.com')!.answer(200, 1 * SECOND);
    const got = uac.send(message(), PROXY);
    w.sim.run();
    expect(relayed().map((r) => [r.status, r.at])).toEqual([[200, SECOND + 3 * INTRA]]);
    expect(got.map((g) => g.res.status)).toEqual([200]);
  });

  it('relays provisionals other than 100 at once and keeps 100 Trying hop by hop', () => {
    const { w, uac, uas, relayed } = forkingWorld(['uas1.example.com']);
    uas.get('uas1.example.com')!.handler = (req, tx) => {
      tx.respond(createResponse(req, 100));
      tx.respond(createResponse(req, 182));
      w.sim.schedule(SECOND, () => tx.respond(createResponse(req, 200, { toTag: 't' })));
    };
    const got = uac.send(message(), PROXY);
    w.sim.run();
    const statuses = relayed().map((r) => r.status);
    // The first 182 goes up at once. Retransmitted provisionals reach the proxy's TU in Proceeding
    // (17.1.2.2) and are forwarded too (16.7 step 5), so there may be several; 100 never is.
    expect(relayed()[0]).toMatchObject({ status: 182, at: 3 * INTRA });
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.slice(0, -1).every((s) => s === 182)).toBe(true);
    expect(statuses.filter((s) => s >= 200)).toEqual([200]);
    expect(got.map((g) => g.res.status)).toEqual(statuses);
  });

  it('waits for every branch to end before relaying a failure', () => {
    const { w, uac, uas, relayed } = forkingWorld(['uas1.example.com', 'uas2.example.com']);
    uas.get('uas1.example.com')!.answer(486);
    uas.get('uas2.example.com')!.answer(404, 2 * SECOND);
    uac.send(message(), PROXY);
    w.sim.run();
    expect(relayed()).toHaveLength(1);
    expect(relayed()[0]?.at).toBe(2 * SECOND + 3 * INTRA);
  });

  // RFC 3261 16.7 step 6: choose a 6xx if there is one; otherwise SHOULD choose from the lowest
  // class present (MAY pick any response within it); within 4xx SHOULD prefer 401, 407, 415, 420,
  // 484; SHOULD NOT forward a 503, and if the only response is a 503 SHOULD generate a 500.
  const cases: { statuses: [number, number]; check: (s: number) => boolean; says: string }[] = [
    // Within a class 16.7 step 6 allows any; this proxy documents the lowest code (proxy.ts better()).
    { statuses: [486, 404], check: (s) => s === 404, says: 'the lowest 4xx' },
    { statuses: [404, 486], check: (s) => s === 404, says: 'the lowest 4xx' },
    { statuses: [504, 500], check: (s) => s === 500, says: 'the lowest 5xx' },
    { statuses: [404, 603], check: (s) => s === 603, says: 'the 6xx' },
    { statuses: [603, 404], check: (s) => s === 603, says: 'the 6xx' },
    { statuses: [302, 603], check: (s) => s === 603, says: 'the 6xx, even over a 3xx' },
    { statuses: [486, 600], check: (s) => s === 600, says: 'the 6xx, 600 included' },
    { statuses: [500, 486], check: (s) => s === 486, says: 'the lowest class' },
    { statuses: [486, 500], check: (s) => s === 486, says: 'the lowest class' },
    { statuses: [480, 302], check: (s) => s === 302, says: 'the lowest class (3xx)' },
    { statuses: [404, 407], check: (s) => s === 407, says: 'the 4xx that lets the client resubmit' },
    { statuses: [484, 404], check: (s) => s === 484, says: 'the 4xx that lets the client resubmit' },
    { statuses: [415, 400], check: (s) => s === 415, says: 'the 4xx that lets the client resubmit' },
    { statuses: [503, 504], check: (s) => s === 504, says: 'not the 503' },
    { statuses: [504, 503], check: (s) => s === 504, says: 'not the 503' },
  ];

  it.each(cases)('when all branches fail with $statuses, relays $says', ({ statuses, check }) => {
    const { w, uac, uas, relayed } = forkingWorld(['uas1.example.com', 'uas2.example.com']);
    uas.get('uas1.example.com')!.answer(statuses[0]);
    uas.get('uas2.example.com')!.answer(statuses[1], 10 * MS);
    const got = uac.send(message(), PROXY);
    w.sim.run();
    const finals = relayed().filter((r) => r.status >= 200);
    expect(finals).toHaveLength(1);
    expect(check(finals[0]!.status)).toBe(true);
    expect(got.map((g) => g.res.status)).toEqual([finals[0]!.status]);
  });

  it('leaves the final response to an onFinal that takes it, and relays it when onFinal declines', () => {
    for (const takes of [true, false]) {
      const w = new World();
      const uac = w.stackNode(UAC);
      const proxy = w.stackNode(PROXY);
      const uas1 = w.stackNode('uas1.example.com');
      uas1.answer(486);
      const seen: number[] = [];
      proxy.handler = (req, tx) =>
        proxyRequest(proxy.stack, tx, [{ request: cloneMessage(req), nextHop: 'uas1.example.com' }], {
          onFinal: (res) => {
            seen.push(res.status);
            if (takes) tx.respond(createResponse(tx.request, 202));
            return takes;
          },
        });
      const got = uac.send(message(), PROXY);
      w.sim.run();
      expect(seen).toEqual([486]);
      expect(got.map((g) => g.res.status)).toEqual([takes ? 202 : 486]);
    }
  });

  it('lets onFinal see and take a 2xx too: it sees every final response (ProxyOptions.onFinal)', () => {
    const w = new World();
    const uac = w.stackNode(UAC);
    const proxy = w.stackNode(PROXY);
    w.stackNode('uas1.example.com').answer(200);
    const seen: number[] = [];
    proxy.handler = (req, tx) =>
      proxyRequest(proxy.stack, tx, [{ request: cloneMessage(req), nextHop: 'uas1.example.com' }], {
        onFinal: (res) => {
          seen.push(res.status);
          tx.respond(createResponse(tx.request, 202));
          return true;
        },
      });
    const got = uac.send(message(), PROXY);
    w.sim.run();
    expect(seen).toEqual([200]);
    expect(got.map((g) => g.res.status)).toEqual([202]);
  });

  it('holds a 3xx until every branch has ended, and then relays a later 2xx instead (16.7 steps 5 and 6)', () => {
    const { w, uac, uas, relayed } = forkingWorld(['uas1.example.com', 'uas2.example.com']);
    uas.get('uas1.example.com')!.answer(300);
    uas.get('uas2.example.com')!.answer(200, SECOND);
    const got = uac.send(message(), PROXY);
    w.sim.run();
    expect(relayed().map((r) => [r.status, r.at])).toEqual([[200, SECOND + 3 * INTRA]]);
    expect(got.map((g) => g.res.status)).toEqual([200]);
  });

  it('relays a 500, not a 503, when the only response is a 503', () => {
    const { w, uac, uas, relayed } = forkingWorld(['uas1.example.com']);
    uas.get('uas1.example.com')!.answer(503);
    const got = uac.send(message(), PROXY);
    w.sim.run();
    expect(relayed().map((r) => r.status)).toEqual([500]);
    expect(got.map((g) => g.res.status)).toEqual([500]);
  });

  it('treats an unresolvable branch as a 503 (16.9) that loses to a real answer and never goes upstream', () => {
    const a = forkingWorld(['uas1.example.com', 'nowhere.example.net']);
    a.uas.get('uas1.example.com')!.answer(486);
    a.uac.send(message(), PROXY);
    a.w.sim.run();
    expect(a.relayed().map((r) => r.status)).toEqual([486]);

    const b = forkingWorld(['nowhere.example.net']);
    const got = b.uac.send(message(), PROXY);
    b.w.sim.run();
    expect(b.relayed().map((r) => [r.status, r.at])).toEqual([[500, INTRA]]);
    expect(got.map((g) => g.res.status)).toEqual([500]);
    expect(headers(b.relayed()[0]!.res, 'Via')).toHaveLength(1);
  });

  it('counts a branch that times out (Timer F) as a 408 and relays a 4xx only after it', () => {
    const { w, uac, uas, relayed } = forkingWorld(['uas1.example.com', 'uas2.example.com']);
    uas.get('uas1.example.com')!.answer(486);
    w.net.setUp('uas2.example.com', false);
    uac.send(message(), PROXY);
    w.sim.run();
    const finals = relayed();
    expect(finals).toHaveLength(1);
    expect(statusClass(finals[0]!.status)).toBe(4);
    // The proxy's branch started INTRA after the UAC's request: Timer F ends then.
    expect(finals[0]!.at).toBe(INTRA + TIMER_F);
  });

  it('relays exactly one final response however many branches answer', () => {
    const targets = ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com'];
    const { w, uac, uas, relayed } = forkingWorld(targets);
    [404, 200, 200, 486].forEach((s, i) => uas.get(targets[i]!)!.answer(s, i * 100 * MS));
    const got = uac.send(message(), PROXY);
    w.sim.run();
    expect(relayed().map((r) => r.status)).toEqual([200]);
    expect(got.map((g) => g.res.status)).toEqual([200]);
    for (const t of targets) expect(uas.get(t)!.handled).toHaveLength(1);
  });
});

describe('proxyRequest Record-Route (RFC 3261 16.6 step 4)', () => {
  it('adds <sip:HOST;lr> above the Record-Route already there when asked, on a non-INVITE too', () => {
    const w = new World();
    const uac = w.stackNode(UAC);
    const proxy = w.stackNode(PROXY);
    const uas = w.stackNode('uas1.example.com');
    uas.answer(200);
    proxy.handler = (req, tx) => proxyRequest(proxy.stack, tx, [{ request: cloneMessage(req), nextHop: 'uas1.example.com' }], { recordRoute: true });
    const req = message();
    req.headers = [...req.headers, { name: 'Record-Route', value: '<sip:earlier.example.com;lr>' }];
    const got = uac.send(req, PROXY);
    w.sim.run();
    expect(headers(uas.handled[0]!.req, 'Record-Route')).toEqual([`<sip:${PROXY};lr>`, '<sip:earlier.example.com;lr>']);
    expect(got.map((g) => g.res.status)).toEqual([200]);
  });

  it('adds none by default', () => {
    const { w, uac, uas } = forkingWorld(['uas1.example.com']);
    uas.get('uas1.example.com')!.answer(200);
    uac.send(message(), PROXY);
    w.sim.run();
    expect(headers(uas.get('uas1.example.com')!.handled[0]!.req, 'Record-Route')).toEqual([]);
  });
});
