import { describe, expect, it } from 'vitest';
import { MS, SECOND } from '../../src/kernel/time.js';
import { createResponse } from '../../src/sip/builders.js';
import { Dialog, createDialogResponse } from '../../src/sip/dialog.js';
import { Invite2xxRetransmitter } from '../../src/sip/invite-2xx-retransmitter.js';
import { header, headers, type SipMessage, type SipRequest, type SipResponse } from '../../src/sip/message.js';
import { parseMessage } from '../../src/sip/parser.js';
import { topBranch } from '../../src/sip/routing.js';
import { serializeMessage } from '../../src/sip/serializer.js';
import { InviteServerTransaction } from '../../src/sip/transactions/invite-server-transaction.js';
import { T1, TIMER_H, TIMER_M } from '../../src/sip/transactions/timers.js';
import { sipUri } from '../../src/sip/uri.js';
import { INTRA, invite, World, type StackNode } from './transactions/sip-net.js';

const UAC = 'uac.example.com';
const UAS = 'uas.example.com';

const sentBy = (w: World, host: string, what: (m: SipMessage) => boolean): { at: number; msg: SipMessage }[] =>
  w.transmits({ from: host }).flatMap((t) => (what(t.payload) ? [{ at: t.at, msg: t.payload }] : []));
const isRequest = (method: string) => (m: SipMessage) => m.type === 'request' && m.method === method;
const isStatus = (status: number) => (m: SipMessage) => m.type === 'response' && m.status === status;
const roundTrips = (m: SipMessage): void => expect(parseMessage(serializeMessage(m))).toEqual(m);

function pair() {
  const w = new World();
  const uac = w.stackNode(UAC);
  const uas = w.stackNode(UAS);
  return { w, uac, uas };
}

/** The UAS TU answers with `status` after `delay`, the INVITE transaction narrowed. */
function answerInvite(node: StackNode, status: number, delay: number): void {
  node.handler = (req, tx) => {
    if (!(tx instanceof InviteServerTransaction)) throw new Error('expected an INVITE transaction');
    node.world.sim.schedule(delay, () => tx.respond(createResponse(req, status, { toTag: 'uas1' })));
  };
}

describe('SipStack INVITE dispatch', () => {
  it('hands an INVITE to the TU with an INVITE server transaction, whose 100 Trying at 200 ms stops Timer A', () => {
    const { w, uac, uas } = pair();
    answerInvite(uas, 486, 2 * SECOND);
    const got = uac.send(invite(), UAS);
    w.sim.run();
    expect(uas.handled).toHaveLength(1);
    expect(sentBy(w, UAC, isRequest('INVITE')).map((s) => s.at)).toEqual([0]);
    expect(sentBy(w, UAS, isStatus(100)).map((s) => s.at)).toEqual([INTRA + 200 * MS]);
    expect(got.map((g) => [g.res.status, g.at])).toEqual([
      [100, 2 * INTRA + 200 * MS],
      [486, 2 * INTRA + 2 * SECOND],
    ]);
  });

  it('the UAC stack ACKs a 486 on the same branch, the UAS transaction absorbs it and stops Timer G', () => {
    const { w, uac, uas } = pair();
    answerInvite(uas, 486, 0);
    const acksToTu: SipRequest[] = [];
    uas.handleAck = (ack) => acksToTu.push(ack);
    uac.send(invite(), UAS);
    w.sim.run();
    const inv = sentBy(w, UAC, isRequest('INVITE'))[0]!.msg;
    const acks = sentBy(w, UAC, isRequest('ACK'));
    expect(acks.map((a) => a.at)).toEqual([2 * INTRA]);
    expect(topBranch(acks[0]!.msg)).toBe(topBranch(inv));
    expect(header(acks[0]!.msg, 'To')).toBe('<sip:bob@example.com>;tag=uas1');
    expect(sentBy(w, UAS, isStatus(486)).map((s) => s.at)).toEqual([INTRA]);
    expect(acksToTu).toEqual([]);
    expect(uas.handled.map((h) => h.req.method)).toEqual(['INVITE']);
    expect(w.notes()).toEqual([]);
  });

  it('without an ACK the UAS retransmits the 486 on Timer G and notes Timer H', () => {
    const w = new World();
    const raw = w.rawNode(UAC);
    const uas = w.stackNode(UAS);
    answerInvite(uas, 486, 0);
    const req = invite();
    req.headers = [{ name: 'Via', value: `SIP/2.0/UDP ${UAC};branch=z9hG4bKnoack` }, ...req.headers];
    w.net.send(UAC, UAS, req);
    w.sim.run();
    expect(new Set(raw.responses().map((r) => r.status))).toEqual(new Set([486]));
    expect(raw.got.map((g) => g.at).slice(0, 4)).toEqual([2 * INTRA, 2 * INTRA + T1, 2 * INTRA + 3 * T1, 2 * INTRA + 7 * T1]);
    expect(w.notes(UAS)).toEqual([expect.objectContaining({ text: 'no ACK for 486 to INVITE', at: INTRA + TIMER_H })]);
  });

  it('passes the ACK for a 2xx (a new branch) to the ACK handler, not to a transaction or the request handler', () => {
    const { w, uac, uas } = pair();
    answerInvite(uas, 200, 0);
    const acks: { ack: SipRequest; from: string }[] = [];
    uas.handleAck = (ack, from) => acks.push({ ack, from });
    uac.send(invite(), UAS);
    w.sim.run({ until: 10 * MS });
    const ok = sentBy(w, UAS, isStatus(200))[0]!.msg as SipResponse;
    const dialog = Dialog.asUac(invite(), { ...ok, headers: [...ok.headers, { name: 'Contact', value: `<sip:bob@${UAS}>` }] });
    const ack = dialog.createAck(ok);
    uac.stack.sendAck(ack, dialog.nextHop());
    w.sim.run();
    expect(acks).toHaveLength(1);
    expect(acks[0]!.from).toBe(UAC);
    expect(topBranch(acks[0]!.ack)).not.toBe(topBranch(sentBy(w, UAC, isRequest('INVITE'))[0]!.msg));
    expect(uas.handled.map((h) => h.req.method)).toEqual(['INVITE']);
  });

  it('gives a 503 for an INVITE to an unresolvable next hop, and a 408 at Timer B when nobody answers', () => {
    const w = new World();
    const uac = w.stackNode(UAC);
    w.stackNode(UAS);
    w.net.setUp(UAS, false);
    const nowhere = uac.send(invite(), 'nowhere.example.net');
    const silent = uac.send(invite({ callId: 'inv-2@example.com' }), UAS);
    w.sim.run();
    expect(nowhere.map((g) => [g.res.status, g.at, header(g.res, 'CSeq')])).toEqual([[503, 0, '1 INVITE']]);
    expect(silent.map((g) => [g.res.status, g.at])).toEqual([[408, 64 * T1]]);
    expect(w.undeliverables().map((u) => u.at)).toEqual([0, T1, 3 * T1, 7 * T1, 15 * T1, 31 * T1, 63 * T1]);
  });

  it('notes an ACK it cannot place when nobody handles ACKs', () => {
    const { w, uac } = pair();
    const ack = invite();
    ack.method = 'ACK';
    ack.headers = ack.headers.map((h) => (h.name === 'CSeq' ? { name: 'CSeq', value: '1 ACK' } : h));
    uac.stack.sendAck(ack, UAS);
    w.sim.run();
    expect(w.notes(UAS).map((n) => n.text)).toEqual([`discarded ACK from ${UAC} matching no transaction`]);
  });
});

describe('SipStack after an INVITE client transaction ends', () => {
  it('passes a retransmitted 2xx up until Timer M, and calls one after it stray (RFC 6026 7.2, RFC 3261 18.1.2)', () => {
    const w = new World();
    const uac = w.stackNode(UAC);
    const raw = w.rawNode(UAS);
    const got: number[] = [];
    uac.stack.invite(invite(), UAS, () => got.push(w.sim.now));
    w.sim.run({ until: 10 * MS });
    const ok = createResponse(raw.got[0]!.msg as SipRequest, 200, { toTag: 'ok1' });
    w.net.send(UAS, UAC, ok);
    w.sim.at(TIMER_M - SECOND, () => w.net.send(UAS, UAC, ok));
    w.sim.at(TIMER_M + SECOND, () => w.net.send(UAS, UAC, ok));
    w.sim.run();
    expect(got).toEqual([10 * MS + INTRA, TIMER_M - SECOND + INTRA]);
    expect(w.notes(UAC).map((n) => [n.text, n.at])).toEqual([['discarded stray 200 response', TIMER_M + SECOND + INTRA]]);
  });
});

describe('SipStack CANCEL (RFC 3261 9)', () => {
  it('CANCEL -> 200 for the CANCEL, 487 for the INVITE, which the UAC stack ACKs', () => {
    const { w, uac, uas } = pair();
    uas.handler = (req, tx) => tx.respond(createResponse(req, 180, { toTag: 'ring1' }));
    const inviteResponses: { status: number; at: number }[] = [];
    const cancelResponses: SipResponse[] = [];
    const req = invite({ routes: ['<sip:uas.example.com;lr>'] });
    const tx = uac.stack.invite(req, UAS, (res) => inviteResponses.push({ status: res.status, at: w.sim.now }));
    w.sim.schedule(SECOND, () => uac.stack.cancel(tx, (res) => cancelResponses.push(res)));
    w.sim.run();

    const sentInvite = sentBy(w, UAC, isRequest('INVITE'))[0]!.msg as SipRequest;
    const cancels = sentBy(w, UAC, isRequest('CANCEL'));
    expect(cancels.map((c) => c.at)).toEqual([SECOND]);
    const cancel = cancels[0]!.msg as SipRequest;
    // 9.1: same Request-URI, Call-ID, To, From, CSeq number, one Via equal to the INVITE's top, Route.
    expect(cancel.uri).toEqual(sentInvite.uri);
    expect(headers(cancel, 'Via')).toEqual(headers(sentInvite, 'Via'));
    expect(header(cancel, 'Call-ID')).toBe(header(sentInvite, 'Call-ID'));
    expect(header(cancel, 'From')).toBe(header(sentInvite, 'From'));
    expect(header(cancel, 'To')).toBe(header(sentInvite, 'To'));
    expect(header(cancel, 'CSeq')).toBe('1 CANCEL');
    expect(headers(cancel, 'Route')).toEqual(['<sip:uas.example.com;lr>']);
    expect(header(cancel, 'Max-Forwards')).toBe('70');
    roundTrips(cancel);

    expect(cancelResponses.map((r) => [r.status, header(r, 'CSeq')])).toEqual([[200, '1 CANCEL']]);
    // 9.2: the 200 to the CANCEL carries the To tag the INVITE's responses had.
    expect(header(cancelResponses[0]!, 'To')).toBe('<sip:bob@example.com>;tag=ring1');
    expect(inviteResponses.map((r) => r.status)).toEqual([180, 487]);
    expect(inviteResponses[1]!.at).toBe(SECOND + 2 * INTRA);
    const acks = sentBy(w, UAC, isRequest('ACK'));
    expect(acks.map((a) => [a.at, header(a.msg, 'CSeq'), topBranch(a.msg)])).toEqual([[SECOND + 2 * INTRA, '1 ACK', topBranch(sentInvite)]]);
    // The ACK absorbed, the 487 sent once, the handler saw the INVITE only.
    expect(sentBy(w, UAS, isStatus(487))).toHaveLength(1);
    // 12.1.1: the 487 ends the early dialog of the 180, so it carries the same To tag.
    expect(header(sentBy(w, UAS, isStatus(487))[0]!.msg, 'To')).toBe('<sip:bob@example.com>;tag=ring1');
    expect(uas.handled.map((h) => h.req.method)).toEqual(['INVITE']);
    roundTrips(acks[0]!.msg);
  });

  it('holds the CANCEL back until a provisional response arrived (9.1)', () => {
    const { w, uac, uas } = pair();
    uas.handler = () => undefined; // the server transaction sends 100 Trying at 200 ms
    const tx = uac.stack.invite(invite(), UAS, () => undefined);
    uac.stack.cancel(tx);
    w.sim.run();
    expect(sentBy(w, UAC, isRequest('CANCEL')).map((c) => c.at)).toEqual([2 * INTRA + 200 * MS]);
    expect(sentBy(w, UAS, isStatus(487)).map((r) => r.at)).toEqual([3 * INTRA + 200 * MS]);
  });

  it('lets the TU answer the cancelled INVITE itself', () => {
    const { w, uac, uas } = pair();
    uas.handler = (req, tx) => {
      if (!(tx instanceof InviteServerTransaction)) return;
      tx.respond(createResponse(req, 180, { toTag: 't' }));
      tx.whenCancelled(() => tx.respond(createResponse(req, 487, { toTag: 't', reason: 'Call Withdrawn' })));
    };
    const got: SipResponse[] = [];
    const tx = uac.stack.invite(invite(), UAS, (res) => got.push(res));
    w.sim.schedule(100 * MS, () => uac.stack.cancel(tx));
    w.sim.run();
    expect(got.map((r) => [r.status, r.reason])).toEqual([
      [180, 'Ringing'],
      [487, 'Call Withdrawn'],
    ]);
  });

  it('does not send a CANCEL for an INVITE that already has its final response', () => {
    const { w, uac, uas } = pair();
    answerInvite(uas, 486, 0);
    const tx = uac.stack.invite(invite(), UAS, () => undefined);
    w.sim.schedule(SECOND, () => uac.stack.cancel(tx));
    w.sim.run();
    expect(sentBy(w, UAC, isRequest('CANCEL'))).toEqual([]);
  });

  it('answers 481 to a CANCEL that matches no INVITE transaction, and tells no TU', () => {
    const w = new World();
    const raw = w.rawNode(UAC);
    const uas = w.stackNode(UAS);
    const cancel = invite();
    cancel.method = 'CANCEL';
    cancel.headers = cancel.headers.map((h) => (h.name === 'CSeq' ? { name: 'CSeq', value: '1 CANCEL' } : h));
    cancel.headers = [{ name: 'Via', value: `SIP/2.0/UDP ${UAC};branch=z9hG4bKnothing` }, ...cancel.headers];
    w.net.send(UAC, UAS, cancel);
    w.sim.run();
    expect(raw.responses().map((r) => [r.status, r.reason, header(r, 'CSeq')])).toEqual([[481, 'Call/Transaction Does Not Exist', '1 CANCEL']]);
    // 8.2.6.2: a final response to a request without a To tag gets one.
    expect(header(raw.responses()[0]!, 'To')).toMatch(/^<sip:bob@example\.com>;tag=[0-9a-f]+$/);
    expect(uas.handled).toEqual([]);
  });

  it('answers a CANCEL that comes before any response to its INVITE: 200 and 487, each with a To tag (9.2, 8.2.6.2)', () => {
    const w = new World();
    const raw = w.rawNode(UAC);
    w.stackNode(UAS);
    const req = invite();
    req.headers = [{ name: 'Via', value: `SIP/2.0/UDP ${UAC};branch=z9hG4bKearly` }, ...req.headers];
    const cancel = { ...req, method: 'CANCEL', headers: req.headers.map((h) => (h.name === 'CSeq' ? { name: 'CSeq', value: '1 CANCEL' } : h)) };
    w.net.send(UAC, UAS, req);
    // Before the 100 Trying the transaction sends at 200 ms, and the TU never answers.
    w.sim.at(10 * MS, () => w.net.send(UAC, UAS, cancel));
    // Until before Timer G (T1 after the 487) would send the 487 again.
    w.sim.run({ until: T1 });
    const finals = raw.responses().filter((r) => r.status >= 200);
    expect(finals.map((r) => [r.status, header(r, 'CSeq')])).toEqual([
      [200, '1 CANCEL'],
      [487, '1 INVITE'],
    ]);
    // RFC 3261 9.2: the To tag of the CANCEL's 200 and of the INVITE's response SHOULD be the same.
    const tags = finals.map((r) => /;tag=([0-9a-f]+)$/.exec(header(r, 'To') ?? '')?.[1]);
    expect(tags[0]).toMatch(/^[0-9a-f]+$/);
    expect(tags[1]).toBe(tags[0]);
  });

  it('answers 481 to a CANCEL that crosses a 2xx: the INVITE transaction is over (17.2.1)', () => {
    const { w, uac, uas } = pair();
    uas.handler = (req, tx) => {
      tx.respond(createResponse(req, 180, { toTag: 't' }));
      w.sim.schedule(SECOND, () => tx.respond(createResponse(req, 200, { toTag: 't' })));
    };
    const got: number[] = [];
    const cancelled: number[] = [];
    const tx = uac.stack.invite(invite(), UAS, (res) => got.push(res.status));
    w.sim.schedule(SECOND + INTRA / 2, () => uac.stack.cancel(tx, (res) => cancelled.push(res.status)));
    w.sim.run();
    expect(got).toEqual([180, 200]);
    expect(cancelled).toEqual([481]);
  });

  it('answers a CANCEL after the final response 200 without touching the INVITE (9.2)', () => {
    const { w, uac, uas } = pair();
    uas.handler = (req, tx) => {
      tx.respond(createResponse(req, 180, { toTag: 't' }));
      w.sim.schedule(SECOND, () => tx.respond(createResponse(req, 603, { toTag: 't' })));
    };
    const got: number[] = [];
    const cancelled: number[] = [];
    const tx = uac.stack.invite(invite(), UAS, (res) => got.push(res.status));
    // Sent just before the 603 arrives: they cross.
    w.sim.schedule(SECOND + INTRA, () => uac.stack.cancel(tx, (res) => cancelled.push(res.status)));
    w.sim.run();
    expect(got).toEqual([180, 603]);
    expect(cancelled).toEqual([200]);
    expect(sentBy(w, UAS, isStatus(487))).toEqual([]);
  });
});

describe('2xx retransmission by the UAS core (RFC 3261 13.3.1.4)', () => {
  /** The UAS answers 200 at once and runs a retransmitter fed by its ACK handler. */
  function okWorld(ackOnCopy: number | undefined) {
    const { w, uac, uas } = pair();
    const noAck: number[] = [];
    let retransmitter: Invite2xxRetransmitter | undefined;
    uas.handler = (req, tx) => {
      const ok = createDialogResponse(req, 200, { toTag: 'uas1', contact: { uri: sipUri('bob', UAS), params: [] } });
      tx.respond(ok);
      retransmitter = new Invite2xxRetransmitter(ok, uas.stack, () => noAck.push(w.sim.now));
    };
    uas.handleAck = (ack) => {
      if (retransmitter?.matches(ack) === true) retransmitter.ackReceived();
    };
    const req = invite();
    let copies = 0;
    let dialog: Dialog | undefined;
    let ack: SipRequest | undefined;
    uac.stack.invite(req, UAS, (res) => {
      if (res.status !== 200) return;
      copies++;
      dialog ??= Dialog.asUac(req, res);
      ack ??= dialog.createAck(res);
      if (ackOnCopy !== undefined && copies >= ackOnCopy) uac.stack.sendAck(ack, dialog.nextHop());
    });
    return { w, noAck, retransmitter: () => retransmitter, acks: () => sentBy(w, UAC, isRequest('ACK')) };
  }

  it('retransmits at T1, 2T1, 4T1 ... until the ACK arrives', () => {
    const { w, noAck, acks, retransmitter } = okWorld(3);
    w.sim.run();
    // Sent at 1 ms, then 0.5 and 1.5 s later; the ACK to the third copy arrives at 1.503 s.
    expect(sentBy(w, UAS, isStatus(200)).map((s) => s.at)).toEqual([INTRA, INTRA + T1, INTRA + 3 * T1]);
    expect(acks().map((a) => a.at)).toEqual([2 * INTRA + 3 * T1]);
    expect(retransmitter()?.acknowledged).toBe(true);
    expect(noAck).toEqual([]);
  });

  it('re-sends the same ACK (same branch) for a 2xx retransmitted because the first ACK was lost', () => {
    const { w, acks, retransmitter } = okWorld(1);
    // The UAS is unreachable while the first ACK is in flight (sent at 2 ms, due at 3 ms).
    w.sim.at(2 * INTRA + INTRA / 2, () => w.net.setUp(UAS, false));
    w.sim.at(4 * INTRA, () => w.net.setUp(UAS, true));
    w.sim.run();
    const lost = w.undeliverables().filter((u) => u.from === UAC);
    expect(lost.map((u) => [u.at, u.reason])).toEqual([[3 * INTRA, 'host-down']]);
    expect(sentBy(w, UAS, isStatus(200)).map((s) => s.at)).toEqual([INTRA, INTRA + T1]);
    expect(acks().map((a) => a.at)).toEqual([2 * INTRA, 2 * INTRA + T1]);
    expect(acks()[1]!.msg).toEqual(acks()[0]!.msg);
    expect(lost[0]!.payload).toEqual(acks()[0]!.msg);
    expect(retransmitter()?.acknowledged).toBe(true);
    roundTrips(acks()[0]!.msg);
  });

  it('gives up at 64*T1 and tells the TU when no ACK ever comes', () => {
    const { w, noAck } = okWorld(undefined);
    w.sim.run();
    const sends = sentBy(w, UAS, isStatus(200)).map((s) => s.at - INTRA);
    expect(sends.slice(0, 6)).toEqual([0, T1, 3 * T1, 7 * T1, 15 * T1, 23 * T1]);
    expect(sends.at(-1)).toBeLessThan(64 * T1);
    expect(noAck).toEqual([INTRA + 64 * T1]);
  });
});
