import { describe, expect, it } from 'vitest';
import { MS, SECOND } from '../../src/kernel/time.js';
import { createResponse } from '../../src/sip/builders.js';
import { parseVia } from '../../src/sip/header-values.js';
import { header, headers, type SipRequest, type SipResponse } from '../../src/sip/message.js';
import { topVia } from '../../src/sip/routing.js';
import { T1, T2, TIMER_F, TIMER_J, TIMER_K } from '../../src/sip/transactions/timers.js';
import { getParam } from '../../src/sip/uri.js';
import { copy, INTRA, message, World } from './transactions/sip-net.js';

const branchOf = (m: SipRequest | SipResponse): string | true | undefined => {
  const via = topVia(m);
  return via === undefined ? undefined : getParam(via.params, 'branch');
};

/** A request as a UAC stack would send it: our own Via with a branch on top. */
function viaRequest(sentBy: string, branch: string): SipRequest {
  const req = message();
  req.headers = [{ name: 'Via', value: `SIP/2.0/UDP ${sentBy};branch=${branch}` }, ...req.headers];
  return req;
}

describe('SipStack client side', () => {
  it('pushes its own Via with a fresh z9hG4bK branch on top of the request', () => {
    const w = new World();
    const uac = w.stackNode('uac.example.com');
    w.stackNode('uas.example.com');
    const req = message();
    req.headers = [{ name: 'Via', value: 'SIP/2.0/UDP upstream.example.com;branch=z9hG4bKup' }, ...req.headers];
    uac.send(req, 'uas.example.com');
    const sent = w.transmits({ from: 'uac.example.com' })[0]?.payload;
    expect(sent?.type).toBe('request');
    const lines = headers(sent!, 'Via');
    expect(lines).toHaveLength(2);
    const [top] = parseVia(lines[0]!);
    expect(top).toMatchObject({ protocol: 'SIP/2.0', transport: 'UDP', host: 'uac.example.com' });
    const branch = getParam(top!.params, 'branch');
    expect(typeof branch === 'string' && /^z9hG4bK[0-9a-f]+$/.test(branch) && branch.length > 'z9hG4bK'.length).toBe(true);
    expect(lines[1]).toBe('SIP/2.0/UDP upstream.example.com;branch=z9hG4bKup');
  });

  it('uses a different branch for each new request', () => {
    const w = new World();
    const uac = w.stackNode('uac.example.com');
    w.stackNode('uas.example.com');
    for (let i = 0; i < 20; i++) uac.send(message({ cseq: i + 1 }), 'uas.example.com');
    const branches = w.transmits({ from: 'uac.example.com' }).map((t) => branchOf(t.payload));
    expect(new Set(branches).size).toBe(20);
  });

  it('routes the UAS answer back by Via and hands the UAC its response with its own Via removed', () => {
    const w = new World();
    const uac = w.stackNode('uac.example.com');
    const uas = w.stackNode('uas.example.com');
    uas.answer(200);
    const got = uac.send(message(), 'uas.example.com');
    w.sim.run();
    expect(uas.handled).toHaveLength(1);
    const [answer] = w.transmits({ from: 'uas.example.com' });
    expect(answer?.to).toBe('uac.example.com');
    expect(headers(answer!.payload, 'Via')).toHaveLength(1);
    expect(got).toHaveLength(1);
    const { res, at } = got[0]!;
    expect(at).toBe(2 * INTRA);
    expect(res.status).toBe(200);
    expect(headers(res, 'Via')).toEqual([]);
    expect(header(res, 'Call-ID')).toBe('call-1@example.com');
    expect(header(res, 'CSeq')).toBe('1 MESSAGE');
  });

  it('leaves the Vias below its own on the response it hands up', () => {
    const w = new World();
    const uac = w.stackNode('uac.example.com');
    const uas = w.stackNode('uas.example.com');
    uas.answer(202);
    const req = message();
    req.headers = [{ name: 'Via', value: 'SIP/2.0/UDP below.example.com;branch=z9hG4bKbelow' }, ...req.headers];
    const got = uac.send(req, 'uas.example.com');
    w.sim.run();
    expect(got.map((g) => headers(g.res, 'Via'))).toEqual([['SIP/2.0/UDP below.example.com;branch=z9hG4bKbelow']]);
  });

  it('gives a 503 for an unresolvable next hop on the next tick, after a note, sending nothing', () => {
    const w = new World();
    const uac = w.stackNode('uac.example.com');
    const got = uac.send(message(), 'nowhere.example.net');
    expect(got).toEqual([]); // not synchronously
    expect(w.notes('uac.example.com').map((n) => n.text)).toEqual(['cannot resolve nowhere.example.net']);
    w.sim.run();
    expect(got).toHaveLength(1);
    expect(got[0]?.at).toBe(0);
    expect(got[0]?.res.status).toBe(503);
    expect(headers(got[0]!.res, 'Via')).toEqual([]);
    expect(header(got[0]!.res, 'CSeq')).toBe('1 MESSAGE');
    expect(w.transmits()).toEqual([]);
    expect(w.undeliverables()).toEqual([]);
  });

  it('leaves the other pending timers alone when a request to an unresolvable next hop fails', () => {
    // The failed transaction never armed its timers; ending it must not cancel someone else's.
    const w = new World();
    const uac = w.stackNode('uac.example.com');
    const fired: number[] = [];
    w.sim.schedule(1 * SECOND, () => fired.push(w.sim.now));
    w.sim.schedule(2 * SECOND, () => fired.push(w.sim.now));
    const got = uac.send(message(), 'nowhere.example.net');
    w.sim.run();
    expect(got.map((g) => g.res.status)).toEqual([503]);
    expect(fired).toEqual([1 * SECOND, 2 * SECOND]);
  });

  it("sends an injected request with its own Via as it is, and matches the answer by that Via's branch", () => {
    const w = new World();
    const uac = w.stackNode('uac.example.com');
    const uas = w.stackNode('uas.example.com');
    uas.answer(200);
    const injected = viaRequest('uac.example.com', 'z9hG4bKinjected1');
    const got: number[] = [];
    uac.stack.requestAsIs(injected, 'uas.example.com', (res) => got.push(res.status));
    w.sim.run();
    expect(headers(w.transmits({ from: 'uac.example.com' })[0]!.payload, 'Via')).toEqual(['SIP/2.0/UDP uac.example.com;branch=z9hG4bKinjected1']);
    expect(got).toEqual([200]);
  });

  it('refuses to send an injected request whose Via has no branch, which no answer could be matched by (RFC 3261 17.1.3)', () => {
    const w = new World();
    const uac = w.stackNode('uac.example.com');
    const noBranch = message();
    noBranch.headers = [{ name: 'Via', value: 'SIP/2.0/UDP uac.example.com' }, ...noBranch.headers];
    expect(() => uac.stack.requestAsIs(noBranch, 'uas.example.com', () => undefined)).toThrow('an injected request needs a Via with a branch to be answered');
    expect(w.transmits()).toEqual([]);
  });

  it('sends no ACK for a 2xx to an unresolvable next hop, with a note', () => {
    const w = new World();
    const uac = w.stackNode('uac.example.com');
    const ack = message();
    ack.method = 'ACK';
    uac.stack.sendAck(ack, 'nowhere.example.net');
    expect(w.notes('uac.example.com').map((n) => n.text)).toEqual(['cannot resolve nowhere.example.net']);
    w.sim.run();
    expect(w.transmits()).toEqual([]);
    expect(w.undeliverables()).toEqual([]);
  });

  it('makes Call-IDs as a random local-id @ its host (RFC 3261 8.1.1.4), each new', () => {
    const w = new World();
    const uac = w.stackNode('uac.example.com');
    const ids = Array.from({ length: 20 }, () => uac.stack.newCallId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}@uac\.example\.com$/);
    expect(new Set(ids).size).toBe(20);
  });

  it('refuses to start an INVITE client transaction for another method', () => {
    const w = new World();
    const uac = w.stackNode('uac.example.com');
    expect(() => uac.stack.invite(message(), 'uas.example.com', () => undefined)).toThrow('invite() needs an INVITE, not MESSAGE');
  });

  it('retransmits on Timer E while the peer is down and hands the TU a 408 at Timer F = 64*T1', () => {
    const w = new World();
    const uac = w.stackNode('uac.example.com');
    const uas = w.stackNode('uas.example.com');
    uas.answer(200);
    w.net.setUp('uas.example.com', false);
    const got = uac.send(message(), 'uas.example.com');
    w.sim.run({ until: 120 * SECOND });
    const attempts = w.undeliverables().filter((u) => u.from === 'uac.example.com');
    expect(attempts.every((a) => a.reason === 'host-down' && a.to === 'uas.example.com')).toBe(true);
    const times = attempts.map((a) => a.at);
    // RFC 3261 17.1.2.2: first send, then after T1, 2T1, 4T1, then every T2.
    expect(times.slice(0, 5)).toEqual([0, T1, T1 + 2 * T1, T1 + 2 * T1 + 4 * T1, T1 + 2 * T1 + 4 * T1 + T2]);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps).toEqual([T1, 2 * T1, 4 * T1, T2, T2, T2, T2, T2, T2, T2]);
    expect(times.at(-1)! < TIMER_F).toBe(true);
    expect(TIMER_F).toBe(32 * SECOND);
    expect(got).toHaveLength(1);
    expect(got[0]?.res.status).toBe(408);
    expect(got[0]?.at).toBe(TIMER_F);
    expect(headers(got[0]!.res, 'Via')).toEqual([]);
    expect(uas.handled).toEqual([]);
  });

  it('keeps the retransmitted request identical to the first (same branch)', () => {
    const w = new World();
    const uac = w.stackNode('uac.example.com');
    w.stackNode('uas.example.com');
    w.net.setUp('uas.example.com', false);
    uac.send(message(), 'uas.example.com');
    w.sim.run({ until: 5 * SECOND });
    const payloads = w.undeliverables().map((u) => u.payload);
    expect(payloads.length).toBeGreaterThan(2);
    for (const p of payloads) expect(p).toEqual(payloads[0]);
  });

  it('discards a stray response with a note and without calling any TU', () => {
    const w = new World();
    const uac = w.stackNode('uac.example.com');
    const raw = w.rawNode('raw.example.com');
    const got = uac.send(message(), 'raw.example.com');
    const stray = createResponse(viaRequest('uac.example.com', 'z9hG4bKnotours'), 200);
    w.net.send('raw.example.com', 'uac.example.com', stray);
    w.sim.run({ until: SECOND });
    expect(raw.got.length).toBeGreaterThan(0);
    expect(got).toEqual([]);
    expect(w.notes('uac.example.com').map((n) => n.text)).toEqual(['discarded stray 200 response']);
  });

  it('matches responses by branch and CSeq method: same branch, other method is stray', () => {
    const w = new World();
    const uac = w.stackNode('uac.example.com');
    const raw = w.rawNode('raw.example.com');
    const got = uac.send(message(), 'raw.example.com');
    w.sim.run({ until: 10 * MS });
    const req = raw.got[0]!.msg as SipRequest;
    const wrong = createResponse(req, 200);
    wrong.headers = wrong.headers.map((h) => (h.name === 'CSeq' ? { name: 'CSeq', value: '1 OPTIONS' } : h));
    w.net.send('raw.example.com', 'uac.example.com', wrong);
    w.net.send('raw.example.com', 'uac.example.com', createResponse(req, 200));
    w.sim.run({ until: 20 * MS });
    expect(got.map((g) => g.res.status)).toEqual([200]);
    expect(w.notes('uac.example.com')).toHaveLength(1);
  });

  it('absorbs a duplicate final response during Timer K, and calls a later one stray', () => {
    const w = new World();
    const uac = w.stackNode('uac.example.com');
    const raw = w.rawNode('raw.example.com');
    const got = uac.send(message(), 'raw.example.com');
    w.sim.run({ until: 10 * MS });
    const ok = createResponse(raw.got[0]!.msg as SipRequest, 200, { toTag: 'x' });
    w.net.send('raw.example.com', 'uac.example.com', copy(ok));
    // The transaction completes at 11 ms, so Timer K ends at 5.011 s.
    w.sim.at(TIMER_K - SECOND, () => w.net.send('raw.example.com', 'uac.example.com', copy(ok)));
    w.sim.at(TIMER_K + SECOND, () => w.net.send('raw.example.com', 'uac.example.com', copy(ok)));
    w.sim.run();
    expect(got.map((g) => g.res.status)).toEqual([200]);
    expect(w.notes('uac.example.com')).toHaveLength(1);
    expect(w.notes('uac.example.com')[0]?.at).toBe(TIMER_K + SECOND + INTRA);
  });

  it('still matches a pending transaction after another one ended and was forgotten (Timer K)', () => {
    // The stack drops its table when the last transaction ends; one still pending keeps it.
    const w = new World();
    const uac = w.stackNode('uac.example.com');
    const raw = w.rawNode('raw.example.com');
    const first = uac.send(message({ cseq: 1 }), 'raw.example.com');
    const second = uac.send(message({ cseq: 2 }), 'raw.example.com');
    w.sim.run({ until: 10 * MS });
    const [a, b] = raw.got.map((g) => g.msg as SipRequest);
    w.net.send('raw.example.com', 'uac.example.com', createResponse(a!, 200, { toTag: 'a' }));
    // Timer K of the first ends near 5 s (17.1.2.2); the second is within Timer F (32 s).
    w.sim.at(TIMER_K + SECOND, () => w.net.send('raw.example.com', 'uac.example.com', createResponse(b!, 202, { toTag: 'b' })));
    w.sim.run();
    expect(first.map((g) => g.res.status)).toEqual([200]);
    expect(second.map((g) => [g.res.status, g.at])).toEqual([[202, TIMER_K + SECOND + INTRA]]);
  });
});

describe('SipStack server side', () => {
  it('answers a retransmitted request (same branch) from the server transaction, not the handler', () => {
    const w = new World();
    const raw = w.rawNode('ua.example.com');
    const uas = w.stackNode('uas.example.com');
    uas.answer(200);
    const req = viaRequest('ua.example.com', 'z9hG4bKretx');
    w.net.send('ua.example.com', 'uas.example.com', req);
    w.sim.schedule(T1, () => w.net.send('ua.example.com', 'uas.example.com', req));
    w.sim.run();
    expect(uas.handled).toHaveLength(1);
    const responses = raw.responses();
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    // The same response again, To tag included.
    expect(responses[1]).toEqual(responses[0]);
  });

  it('sends the same response again when a header holds a NUL in a quoted-pair, or a body', () => {
    // The lingering response is kept as one string with NUL between its lines; one holding a NUL
    // itself (RFC 3261 25.1 quoted-pair) must come back unchanged all the same.
    const w = new World();
    const raw = w.rawNode('ua.example.com');
    const uas = w.stackNode('uas.example.com');
    uas.handler = (req, tx) =>
      tx.respond(createResponse(req, 200, { toTag: 'a1', extra: [{ name: 'Subject', value: '"odd \\\0 quoted"' }], body: { kind: 'text', contentType: 'text/plain', text: 'kept' } }));
    const req = viaRequest('ua.example.com', 'z9hG4bKnul');
    w.net.send('ua.example.com', 'uas.example.com', req);
    w.sim.schedule(T1, () => w.net.send('ua.example.com', 'uas.example.com', req));
    w.sim.run();
    const responses = raw.responses();
    expect(responses).toHaveLength(2);
    expect(header(responses[1]!, 'Subject')).toBe('"odd \\\0 quoted"');
    expect(responses[1]).toEqual(responses[0]);
  });

  it('sends the same response again after its handler changed the request it answered', () => {
    // The kept response refers to the request's lines as they arrived; the handler here drops the
    // Route line above the Via and answers from what is left, so the places have moved by one.
    const w = new World();
    const raw = w.rawNode('ua.example.com');
    const uas = w.stackNode('uas.example.com');
    uas.handler = (req, tx) => {
      req.headers = req.headers.filter((h) => h.name !== 'Route');
      tx.respond(createResponse(req, 202, { toTag: 'b2', extra: [{ name: 'Expires', value: '60' }] }));
    };
    const req = viaRequest('ua.example.com', 'z9hG4bKmoved');
    req.headers = [{ name: 'Route', value: '<sip:uas.example.com;lr>' }, ...req.headers];
    w.net.send('ua.example.com', 'uas.example.com', copy(req));
    w.sim.schedule(T1, () => w.net.send('ua.example.com', 'uas.example.com', copy(req)));
    w.sim.run();
    const responses = raw.responses();
    expect(responses).toHaveLength(2);
    expect(headers(responses[0]!, 'Via')).toEqual(['SIP/2.0/UDP ua.example.com;branch=z9hG4bKmoved']);
    expect(header(responses[0]!, 'To')).toBe('<sip:bob@example.com>;tag=b2');
    expect(header(responses[0]!, 'Expires')).toBe('60');
    expect(responses[1]).toEqual(responses[0]);
  });

  it('absorbs with a note, unanswered, another request that reuses a completed branch', () => {
    // RFC 3261 17.2.2 matches by branch, sent-by and method alone; the kept response takes its
    // From, To, Call-ID and CSeq from the retransmission, so a request with other values there
    // would get a response made of both. One with a longer Call-ID is told apart.
    const w = new World();
    const raw = w.rawNode('ua.example.com');
    const uas = w.stackNode('uas.example.com');
    uas.answer(200);
    const first = viaRequest('ua.example.com', 'z9hG4bKreuse');
    const other = copy(first);
    other.headers = other.headers.map((h) => (h.name === 'Call-ID' ? { name: 'Call-ID', value: 'another-call@example.com' } : h));
    w.net.send('ua.example.com', 'uas.example.com', first);
    w.sim.schedule(T1, () => w.net.send('ua.example.com', 'uas.example.com', other));
    w.sim.run();
    expect(uas.handled).toHaveLength(1);
    expect(raw.responses()).toHaveLength(1);
    expect(w.notes('uas.example.com').map((n) => n.text)).toEqual([
      'absorbed a MESSAGE from ua.example.com matching a completed transaction but not its lines',
    ]);
  });

  it('absorbs a retransmission that arrives before the TU answered', () => {
    const w = new World();
    const raw = w.rawNode('ua.example.com');
    const uas = w.stackNode('uas.example.com');
    uas.answer(200, 2 * SECOND);
    const req = viaRequest('ua.example.com', 'z9hG4bKslow');
    w.net.send('ua.example.com', 'uas.example.com', req);
    w.sim.schedule(T1, () => w.net.send('ua.example.com', 'uas.example.com', req));
    w.sim.run();
    expect(uas.handled).toHaveLength(1);
    expect(raw.got.map((g) => [g.msg.type === 'response' && g.msg.status, g.at])).toEqual([[200, 2 * SECOND + 2 * INTRA]]);
  });

  it('treats another branch, or another sent-by, as a new transaction', () => {
    const w = new World();
    w.rawNode('ua.example.com');
    const uas = w.stackNode('uas.example.com');
    uas.answer(200);
    w.net.send('ua.example.com', 'uas.example.com', viaRequest('ua.example.com', 'z9hG4bK1'));
    w.net.send('ua.example.com', 'uas.example.com', viaRequest('ua.example.com', 'z9hG4bK2'));
    w.net.send('ua.example.com', 'uas.example.com', viaRequest('other.example.com', 'z9hG4bK1'));
    w.sim.run();
    expect(uas.handled).toHaveLength(3);
  });

  it('keeps the transaction for Timer J after the final response, then forgets it', () => {
    const w = new World();
    const raw = w.rawNode('ua.example.com');
    const uas = w.stackNode('uas.example.com');
    uas.answer(200);
    const req = viaRequest('ua.example.com', 'z9hG4bKj');
    w.net.send('ua.example.com', 'uas.example.com', req);
    w.sim.schedule(TIMER_J - SECOND, () => w.net.send('ua.example.com', 'uas.example.com', req));
    w.sim.run();
    expect(uas.handled).toHaveLength(1);
    w.sim.schedule(2 * SECOND, () => w.net.send('ua.example.com', 'uas.example.com', req));
    w.sim.run();
    expect(uas.handled).toHaveLength(2);
    expect(raw.responses()).toHaveLength(3);
  });

  it('still absorbs a retransmission of an unanswered request after another transaction was forgotten (Timer J)', () => {
    const w = new World();
    const raw = w.rawNode('ua.example.com');
    const uas = w.stackNode('uas.example.com');
    const quick = viaRequest('ua.example.com', 'z9hG4bKquick');
    const slow = viaRequest('ua.example.com', 'z9hG4bKslow2');
    uas.handler = (req, tx) => {
      if (branchOf(req) === 'z9hG4bKquick') tx.respond(createResponse(req, 200, { toTag: 'q' }));
      else w.sim.schedule(TIMER_J + 10 * SECOND, () => tx.respond(createResponse(req, 200, { toTag: 's' })));
    };
    w.net.send('ua.example.com', 'uas.example.com', quick);
    w.net.send('ua.example.com', 'uas.example.com', slow);
    // 17.2.2: the quick one's Timer J ends at 32 s; a retransmission of the slow one after that
    // still belongs to its transaction, which has not answered yet.
    w.sim.at(TIMER_J + 5 * SECOND, () => w.net.send('ua.example.com', 'uas.example.com', slow));
    w.sim.run();
    expect(uas.handled).toHaveLength(2);
    expect(raw.responses().map((r) => r.status)).toEqual([200, 200]);
  });

  it('records received= when the request did not come from its sent-by, and answers there', () => {
    const w = new World();
    const nat = w.rawNode('nat.example.com');
    const uas = w.stackNode('uas.example.com');
    uas.answer(200);
    w.net.send('nat.example.com', 'uas.example.com', viaRequest('private.example.com', 'z9hG4bKnat'));
    w.sim.run();
    const handledVia = topVia(uas.handled[0]!.req);
    expect(handledVia?.host).toBe('private.example.com');
    expect(getParam(handledVia!.params, 'received')).toBe('nat.example.com');
    expect(nat.responses().map((r) => r.status)).toEqual([200]);
    expect(w.undeliverables()).toEqual([]);
  });

  it('records received= on the top Via of a line holding two, keeping the second and the lines above it (RFC 3261 7.3.1, 18.2.1)', () => {
    const w = new World();
    const nat = w.rawNode('nat.example.com');
    const uas = w.stackNode('uas.example.com');
    uas.answer(200);
    const req = message();
    req.headers = [{ name: 'Max-Forwards', value: '70' }, { name: 'Via', value: 'SIP/2.0/UDP private.example.com;branch=z9hG4bKtwo, SIP/2.0/UDP origin.example.com;branch=z9hG4bKorig' }, ...req.headers.filter((h) => h.name !== 'Max-Forwards')];
    w.net.send('nat.example.com', 'uas.example.com', req);
    w.sim.run();
    const handled = uas.handled[0]!.req;
    expect(handled.headers[0]).toEqual({ name: 'Max-Forwards', value: '70' });
    const vias = headers(handled, 'Via').flatMap((line) => parseVia(line));
    expect(vias.map((v) => [v.host, getParam(v.params, 'received')])).toEqual([
      ['private.example.com', 'nat.example.com'],
      ['origin.example.com', undefined],
    ]);
    expect(nat.responses().map((r) => r.status)).toEqual([200]);
  });

  it('adds no received= when the request came from its sent-by', () => {
    const w = new World();
    w.rawNode('ua.example.com');
    const uas = w.stackNode('uas.example.com');
    w.net.send('ua.example.com', 'uas.example.com', viaRequest('ua.example.com', 'z9hG4bKdirect'));
    w.sim.run();
    expect(header(uas.handled[0]!.req, 'Via')).toBe('SIP/2.0/UDP ua.example.com;branch=z9hG4bKdirect');
  });

  it('replaces a received= the sender wrote with the host the request came from (RFC 3261 18.2.1)', () => {
    const w = new World();
    w.rawNode('mallory.example.com');
    const uas = w.stackNode('uas.example.com');
    const forged = message();
    forged.headers = [{ name: 'Via', value: 'SIP/2.0/UDP private.example.com;branch=z9hG4bKf1;received=alice.example.com' }, ...forged.headers];
    w.net.send('mallory.example.com', 'uas.example.com', forged);
    w.sim.run();
    const via = topVia(uas.handled[0]!.req)!;
    expect(via.params.filter((p) => p.name === 'received')).toEqual([{ name: 'received', value: 'mallory.example.com' }]);
  });

  it('removes a received= the sender wrote when it sent from its own sent-by', () => {
    const w = new World();
    w.rawNode('ua.example.com');
    const uas = w.stackNode('uas.example.com');
    const forged = message();
    forged.headers = [{ name: 'Via', value: 'SIP/2.0/UDP ua.example.com;branch=z9hG4bKf2;received=alice.example.com' }, ...forged.headers];
    w.net.send('ua.example.com', 'uas.example.com', forged);
    w.sim.run();
    expect(header(uas.handled[0]!.req, 'Via')).toBe('SIP/2.0/UDP ua.example.com;branch=z9hG4bKf2');
  });

  it('drops a request without a Via branch with a note', () => {
    const w = new World();
    w.rawNode('ua.example.com');
    const uas = w.stackNode('uas.example.com');
    const noBranch = message();
    noBranch.headers = [{ name: 'Via', value: 'SIP/2.0/UDP ua.example.com' }, ...noBranch.headers];
    w.net.send('ua.example.com', 'uas.example.com', noBranch);
    w.net.send('ua.example.com', 'uas.example.com', message());
    w.sim.run();
    expect(uas.handled).toEqual([]);
    expect(w.notes('uas.example.com').map((n) => n.text)).toEqual([
      'dropped a request from ua.example.com without a Via branch',
      'dropped a request from ua.example.com without a Via branch',
    ]);
  });
});

describe('SipStack reading bodies', () => {
  /** Injected bytes: a MESSAGE whose message/cpim body lacks the encapsulated Content-Type. */
  const badCpim = (): SipRequest => {
    const body = 'From: <sip:alice@example.com>\r\n\r\nHello';
    const wire = [
      'MESSAGE sip:bob@example.com SIP/2.0',
      'Via: SIP/2.0/UDP ua.example.com;branch=z9hG4bKbad1',
      'Max-Forwards: 70',
      'From: <sip:alice@example.com>;tag=a1',
      'To: <sip:bob@example.com>',
      'Call-ID: bad@example.com',
      'CSeq: 1 MESSAGE',
      'Content-Type: message/cpim',
      `Content-Length: ${body.length}`,
      '',
      body,
    ].join('\r\n');
    return { ...message(), headers: [{ name: 'Via', value: 'SIP/2.0/UDP ua.example.com;branch=z9hG4bKbad1' }, ...message().headers], wire };
  };

  it('a proxy (opaque bodies) hands the request up with the body unread, as text', () => {
    const w = new World();
    w.rawNode('ua.example.com');
    const proxy = w.stackNode('proxy.example.com', 'example.com', 'opaque');
    w.net.send('ua.example.com', 'proxy.example.com', badCpim());
    w.sim.run();
    expect(proxy.handled.map((h) => h.req.body)).toEqual([{ kind: 'text', contentType: 'message/cpim', text: 'From: <sip:alice@example.com>\r\n\r\nHello' }]);
  });

  it('an element that reads bodies refuses the same bytes with 400 and the reason in a 399 warning', () => {
    const w = new World();
    const ua = w.rawNode('ua.example.com');
    const uas = w.stackNode('uas.example.com');
    w.net.send('ua.example.com', 'uas.example.com', badCpim());
    w.sim.run();
    expect(uas.handled).toEqual([]);
    const [res] = ua.responses();
    expect(res?.status).toBe(400);
    expect(header(res!, 'Warning')).toMatch(/^399 uas\.example\.com "invalid message\/cpim body: /);
  });

  it('a proxy (opaque bodies) hands up a body another proxy forwarded unread, still unread (RFC 3261 16)', () => {
    const w = new World();
    w.rawNode('ua.example.com');
    const proxy = w.stackNode('proxy.example.com', 'example.com', 'opaque');
    const forwarded = viaRequest('ua.example.com', 'z9hG4bKfwd0');
    forwarded.body = { kind: 'text', contentType: 'message/imdn+xml', text: '<not-imdn/>' };
    w.net.send('ua.example.com', 'proxy.example.com', forwarded);
    w.sim.run();
    expect(proxy.handled.map((h) => h.req.body)).toEqual([forwarded.body]);
  });

  // The stack of this test is made without naming how it reads bodies: an endpoint reads them by default.
  it('reads a body that a proxy forwarded unread, and refuses it when it does not parse', () => {
    const w = new World();
    const ua = w.rawNode('ua.example.com');
    const uas = w.stackNode('uas.example.com');
    const forwarded = viaRequest('ua.example.com', 'z9hG4bKfwd1');
    forwarded.body = { kind: 'text', contentType: 'message/imdn+xml', text: '<not-imdn/>' };
    const fine = viaRequest('ua.example.com', 'z9hG4bKfwd2');
    fine.body = { kind: 'text', contentType: 'text/plain', text: 'plain' };
    w.net.send('ua.example.com', 'uas.example.com', forwarded);
    w.net.send('ua.example.com', 'uas.example.com', fine);
    w.sim.run();
    expect(ua.responses().map((r) => r.status)).toEqual([400]);
    expect(uas.handled.map((h) => h.req.body)).toEqual([fine.body]);
  });
});

describe('SipStack answering malformed headers (RFC 3261 8.2.6.2, 21.4.1)', () => {
  const injected = (to: string, via = 'SIP/2.0/UDP ua.example.com;branch=z9hG4bKbadto'): SipRequest => {
    const wire = ['MESSAGE sip:bob@example.com SIP/2.0', `Via: ${via}`, 'Max-Forwards: 70', 'From: <sip:alice@example.com>;tag=a1', `To: ${to}`, 'Call-ID: badto@example.com', 'CSeq: 1 MESSAGE', 'Content-Length: 0', '', ''].join('\r\n');
    return { ...message(), headers: [{ name: 'Via', value: via }, ...message().headers], wire };
  };

  it('a To that does not parse is answered 400, the To copied with a tag', () => {
    const w = new World();
    const ua = w.rawNode('ua.example.com');
    w.stackNode('uas.example.com');
    w.net.send('ua.example.com', 'uas.example.com', { ...injected('<sip:bob@example.com'), headers: [{ name: 'Via', value: 'SIP/2.0/UDP ua.example.com;branch=z9hG4bKbadto' }, { name: 'To', value: '<sip:bob@example.com' }] });
    w.sim.run();
    const [res] = ua.responses();
    expect(res?.status).toBe(400);
    expect(header(res!, 'To')).toMatch(/^<sip:bob@example\.com;tag=\S+$/);
    expect(header(res!, 'Warning')).toMatch(/^399 uas\.example\.com "To header: /);
  });

  it('a continuation line before the first header is answered 400, back to the host it came from', () => {
    const via = 'SIP/2.0/UDP ua.example.com;branch=z9hG4bKfold;received=victim.example.com';
    const wire = ['MESSAGE sip:bob@example.com SIP/2.0', ' ;received=victim.example.com', ...injected('<sip:bob@example.com>', via).wire!.split('\r\n').slice(1)].join('\r\n');
    const w = new World();
    const ua = w.rawNode('ua.example.com');
    w.rawNode('victim.example.com');
    const uas = w.stackNode('uas.example.com');
    w.net.send('ua.example.com', 'uas.example.com', { ...injected('<sip:bob@example.com>', via), wire });
    w.sim.run();
    expect(uas.handled).toEqual([]);
    const [res] = ua.responses();
    expect(res?.status).toBe(400);
    expect(header(res!, 'Warning')).toMatch(/continuation line ' ;received=victim\.example\.com' precedes the first header/);
  });

  it('a Via that does not parse leaves nowhere to answer: the request is discarded with a note', () => {
    const w = new World();
    const ua = w.rawNode('ua.example.com');
    w.stackNode('uas.example.com');
    w.net.send('ua.example.com', 'uas.example.com', { ...injected('<sip:bob@example.com>', 'SIP/2.0/UDP'), headers: [{ name: 'Via', value: 'SIP/2.0/UDP' }] });
    w.sim.run();
    expect(ua.responses()).toEqual([]);
    expect(w.notes('uas.example.com').map((n) => n.text)).toEqual([expect.stringMatching(/^discarded a malformed message: Via header: /)]);
  });
});

describe('SipStack and malformed responses and quotes in warnings', () => {
  it('a response that does not parse is discarded with a note, never answered, though its Via is fine', () => {
    const w = new World();
    const ua = w.rawNode('ua.example.com');
    w.stackNode('uas.example.com');
    const wire = ['SIP/2.0 200 OK', 'Via: SIP/2.0/UDP uas.example.com;branch=z9hG4bKx', 'From: <sip:alice@example.com>;tag=a1', 'To: <sip:bob@example.com', 'Call-ID: r@example.com', 'CSeq: 1 MESSAGE', '', ''].join('\r\n');
    w.net.send('ua.example.com', 'uas.example.com', { type: 'response', status: 200, reason: 'OK', headers: [{ name: 'Via', value: 'SIP/2.0/UDP uas.example.com;branch=z9hG4bKx' }], wire });
    w.sim.run();
    expect(ua.responses()).toEqual([]);
    expect(w.notes('uas.example.com').map((n) => n.text)).toEqual([expect.stringMatching(/^discarded a malformed message: To header: /)]);
  });

  it("writes the reason of a 400 as a quoted 399 warning, a double quote or backslash of it turned into ' (RFC 3261 20.43)", () => {
    const w = new World();
    const ua = w.rawNode('ua.example.com');
    w.stackNode('uas.example.com');
    const via = 'SIP/2.0/UDP ua.example.com;branch=z9hG4bKq';
    const wire = ['MESSAGE sip:bob@example.com SIP/2.0', `Via: ${via}`, 'Max-Forwards: 70', 'From: <sip:alice@example.com>;tag=a1', 'To: "Bo\\b <sip:bob@example.com>', 'Call-ID: q@example.com', 'CSeq: 1 MESSAGE', '', ''].join('\r\n');
    w.net.send('ua.example.com', 'uas.example.com', { ...message(), headers: [{ name: 'Via', value: via }, ...message().headers], wire });
    w.sim.run();
    const [res] = ua.responses();
    expect(res?.status).toBe(400);
    const warning = header(res!, 'Warning')!;
    expect(warning).toMatch(/^399 uas\.example\.com "To header: .*'Bo'b/);
    expect(warning.slice(1 + warning.indexOf('"'), -1)).not.toMatch(/["\\]/);
    expect(w.notes('uas.example.com').map((n) => n.text)).toContain('rejected malformed MESSAGE');
  });
});

describe('SipStack end to end with a retransmission crossing the answer', () => {
  it('calls the handler once, the UAS resends its 200, and the UAC TU sees one 200', () => {
    // Links of 300 ms: the UAC retransmits at T1 = 500 ms, before the 200 sent at 600 ms arrives.
    const w = new World(300 * MS, 300 * MS);
    const uac = w.stackNode('uac.example.com');
    const uas = w.stackNode('uas.example.com');
    uas.answer(200, 300 * MS);
    const got = uac.send(message(), 'uas.example.com');
    w.sim.run();
    expect(w.transmits({ from: 'uac.example.com' }).map((t) => t.at)).toEqual([0, 500 * MS]);
    expect(uas.handled).toHaveLength(1);
    expect(w.transmits({ from: 'uas.example.com' }).map((t) => t.at)).toEqual([600 * MS, 800 * MS]);
    expect(got.map((g) => [g.res.status, g.at])).toEqual([[200, 900 * MS]]);
    // The duplicate 200 (arriving at 1.1 s) was absorbed by the completed transaction, not called stray.
    expect(w.notes()).toEqual([]);
  });

  it('in Proceeding retransmits every T2 and the UAS resends its provisional each time', () => {
    const w = new World();
    const uac = w.stackNode('uac.example.com');
    const uas = w.stackNode('uas.example.com');
    uas.handler = (req, tx) => tx.respond(createResponse(req, 100));
    const got = uac.send(message(), 'uas.example.com');
    w.sim.run();
    const sends = w.transmits({ from: 'uac.example.com' }).map((t) => t.at);
    const expected = [0, T1];
    for (let t = T1 + T2; t < TIMER_F; t += T2) expected.push(t);
    expect(sends).toEqual(expected);
    expect(uas.handled).toHaveLength(1);
    expect(got.map((g) => g.res.status)).toEqual([...expected.map(() => 100), 408]);
    expect(got.at(-1)?.at).toBe(TIMER_F);
  });
});
