import { describe, expect, it } from 'vitest';
import { SECOND } from '../../src/kernel/time.js';
import { createResponse } from '../../src/sip/builders.js';
import { createDialogResponse, Dialog } from '../../src/sip/dialog.js';
import { Invite2xxRetransmitter } from '../../src/sip/invite-2xx-retransmitter.js';
import { cloneMessage, header, headers, type SipMessage, type SipRequest, type SipResponse } from '../../src/sip/message.js';
import { formatNameAddr, parseNameAddr } from '../../src/sip/name-addr.js';
import { parseMessage } from '../../src/sip/parser.js';
import { forwardAck, proxyInDialog, proxyRequest, routeByRoute, type Branch, type ProxyOptions } from '../../src/sip/proxy.js';
import { topBranch } from '../../src/sip/routing.js';
import { serializeMessage } from '../../src/sip/serializer.js';
import { InviteServerTransaction } from '../../src/sip/transactions/invite-server-transaction.js';
import { T1, TIMER_C } from '../../src/sip/transactions/timers.js';
import { getParam, sipUri, type Uri } from '../../src/sip/uri.js';
import { INTRA, invite, World, type StackNode } from './transactions/sip-net.js';

const UAC = 'uac.example.com';
const PROXY = 'proxy.example.com';

const hasToTag = (req: SipRequest): boolean => getParam(parseNameAddr(header(req, 'To') ?? '').params, 'tag') !== undefined;
const isRequest = (method: string) => (m: SipMessage) => m.type === 'request' && m.method === method;
const isResponse = (m: SipMessage): m is SipResponse => m.type === 'response';
const roundTrips = (m: SipMessage): void => expect(parseMessage(serializeMessage(m))).toEqual(m);

/**
 * A proxy that forwards initial requests to `targets` (Request-URI set to the target's address),
 * in-dialog requests by Route, and ACKs for 2xx by Route, statelessly.
 */
function proxyNode(w: World, host: string, targets: string[], recordRoute: boolean, options: Pick<ProxyOptions, 'relayProvisional'> = {}): StackNode {
  const node = w.stackNode(host);
  node.handler = (req, tx) => {
    if (hasToTag(req)) return proxyInDialog(node.stack, tx);
    const branches: Branch[] = targets.map((t) => {
      const out = cloneMessage(req);
      if (t.startsWith('uas')) out.uri = sipUri('bob', t);
      return { request: out, nextHop: t };
    });
    proxyRequest(node.stack, tx, branches, { ...options, recordRoute });
  };
  node.handleAck = (ack) => forwardAck(node.stack, ack);
  return node;
}

interface Uas {
  node: StackNode;
  dialog: () => Dialog | undefined;
  acked: () => boolean;
  byes: SipRequest[];
}

/**
 * A UAS that rings at once and answers `final` after `delay` (never when undefined), as a dialog:
 * Record-Route copied, 2xx retransmitted until the ACK, BYE checked against the dialog.
 */
function uasNode(w: World, host: string, final: number | undefined, delay = 0): Uas {
  const node = w.stackNode(host);
  let dialog: Dialog | undefined;
  let retransmitter: Invite2xxRetransmitter | undefined;
  const byes: SipRequest[] = [];
  const contact = { uri: sipUri('bob', host), params: [] };
  const tag = `tag-${host.split('.')[0]}`;
  node.handler = (req, tx) => {
    if (req.method === 'BYE') {
      byes.push(req);
      const refused = dialog?.matches(req) === true ? dialog.receiveRequest(req) : 481;
      return tx.respond(createResponse(req, refused ?? 200, { toTag: tag }));
    }
    if (!(tx instanceof InviteServerTransaction)) return;
    if (hasToTag(req)) {
      // A re-INVITE: checked against the dialog, answered at once, its 2xx retransmitted until the ACK.
      const refused = dialog?.matches(req) === true ? dialog.receiveRequest(req) : 481;
      const res = createResponse(req, refused ?? 200, { toTag: tag, extra: [{ name: 'Contact', value: `<sip:bob@${host}>` }] });
      tx.respond(res);
      if (refused === undefined) retransmitter = new Invite2xxRetransmitter(res, node.stack, () => undefined);
      return;
    }
    tx.respond(createDialogResponse(req, 180, { toTag: tag, contact }));
    if (final === undefined) return;
    w.sim.schedule(delay, () => {
      if (tx.answered) return;
      const res = createDialogResponse(req, final, { toTag: tag, contact });
      tx.respond(res);
      if (final < 300) {
        dialog = Dialog.asUas(req, res);
        retransmitter = new Invite2xxRetransmitter(res, node.stack, () => undefined);
      }
    });
  };
  node.handleAck = (ack) => {
    if (retransmitter?.matches(ack) === true) retransmitter.ackReceived();
  };
  return { node, dialog: () => dialog, acked: () => retransmitter?.acknowledged === true, byes };
}

/** A UAC that INVITEs through `firstHop`, ACKs every 2xx through its dialog, and records what it got. */
function uacNode(w: World, firstHop: string) {
  const node = w.stackNode(UAC);
  const got: { status: number; at: number; res: SipResponse }[] = [];
  const dialogs = new Map<string, Dialog>();
  const req = invite();
  const start = () =>
    node.stack.invite(req, firstHop, (res) => {
      got.push({ status: res.status, at: w.sim.now, res });
      if (res.status < 200 || res.status >= 300) return;
      const tag = String(getParam(parseNameAddr(header(res, 'To') ?? '').params, 'tag'));
      const dialog = dialogs.get(tag) ?? Dialog.asUac(req, res);
      dialogs.set(tag, dialog);
      node.stack.sendAck(dialog.createAck(res), dialog.nextHop());
    });
  return { node, got, dialogs, start };
}

const sent = (w: World, from: string, to: string, what: (m: SipMessage) => boolean) =>
  w.transmits({ from, to }).flatMap((t) => (what(t.payload) ? [{ at: t.at, msg: t.payload }] : []));

describe('proxyRequest forking an INVITE (RFC 3261 16.7)', () => {
  it('answers 100 at once, relays both 180s, relays the 2xx and CANCELs the other branch, which ends 487 and is ACKed', () => {
    const w = new World();
    const uac = uacNode(w, PROXY);
    proxyNode(w, PROXY, ['uas1.example.com', 'uas2.example.com'], false);
    const uas1 = uasNode(w, 'uas1.example.com', 200, SECOND);
    const uas2 = uasNode(w, 'uas2.example.com', undefined);
    const tx = uac.start();
    w.sim.run();

    expect(sent(w, PROXY, UAC, isResponse).map((s) => [(s.msg as SipResponse).status, s.at])).toEqual([
      [100, INTRA],
      [180, 3 * INTRA],
      [180, 3 * INTRA],
      [200, SECOND + 3 * INTRA],
    ]);
    expect(uac.got.map((g) => g.status)).toEqual([100, 180, 180, 200]);
    // 16.7 step 10: the CANCEL goes to uas2 as soon as the 2xx from uas1 reached the proxy.
    const toUas2 = sent(w, PROXY, 'uas2.example.com', isRequest('INVITE'))[0]!.msg;
    const cancels = sent(w, PROXY, 'uas2.example.com', isRequest('CANCEL'));
    // The INVITE reached uas1 at 2 ms, its 200 left at 1.002 s and reached the proxy at 1.003 s.
    expect(cancels.map((c) => c.at)).toEqual([SECOND + 3 * INTRA]);
    expect(topBranch(cancels[0]!.msg)).toBe(topBranch(toUas2));
    expect(sent(w, PROXY, 'uas1.example.com', isRequest('CANCEL'))).toEqual([]);
    // uas2 answers the CANCEL 200 and the INVITE 487; the proxy ACKs the 487 and keeps it to itself.
    expect(sent(w, 'uas2.example.com', PROXY, isResponse).map((s) => [(s.msg as SipResponse).status, header(s.msg, 'CSeq')])).toEqual([
      [180, '1 INVITE'],
      [200, '1 CANCEL'],
      [487, '1 INVITE'],
    ]);
    const acks = sent(w, PROXY, 'uas2.example.com', isRequest('ACK'));
    expect(acks.map((a) => [a.at, topBranch(a.msg)])).toEqual([[SECOND + 5 * INTRA, topBranch(toUas2)]]);
    // The UAC ACKs the 2xx end to end, straight to uas1's Contact (no Record-Route).
    expect(sent(w, UAC, 'uas1.example.com', isRequest('ACK'))).toHaveLength(1);
    expect(uas1.acked()).toBe(true);
    expect(uas2.dialog()).toBeUndefined();
    expect(tx.finalReceived).toBe(true);
    for (const c of cancels) roundTrips(c.msg);
  });

  it('relays every 2xx upstream when two branches answer, the later one statelessly', () => {
    const w = new World();
    const uac = uacNode(w, PROXY);
    proxyNode(w, PROXY, ['uas1.example.com', 'uas2.example.com'], false);
    const uas1 = uasNode(w, 'uas1.example.com', 200, SECOND);
    const uas2 = uasNode(w, 'uas2.example.com', 200, SECOND);
    uac.start();
    w.sim.run();
    const oks = uac.got.filter((g) => g.status === 200);
    const tags = oks.map((g) => getParam(parseNameAddr(header(g.res, 'To') ?? '').params, 'tag'));
    expect(new Set(tags)).toEqual(new Set(['tag-uas1', 'tag-uas2']));
    expect(oks.map((g) => g.at)).toEqual([SECOND + 4 * INTRA, SECOND + 4 * INTRA]);
    // Two dialogs, each ACKed; the CANCEL the proxy sent crossed uas2's 200 and changed nothing.
    expect(uac.dialogs.size).toBe(2);
    expect(uas1.acked() && uas2.acked()).toBe(true);
    expect(uac.got.some((g) => g.status === 487)).toBe(false);
  });

  it('forwards a retransmitted 2xx upstream statelessly after its server transaction ended', () => {
    const w = new World();
    const uac = uacNode(w, PROXY);
    proxyNode(w, PROXY, ['uas1.example.com'], false);
    const uas1 = uasNode(w, 'uas1.example.com', 200, SECOND);
    uac.start();
    // The UAC's first ACK (sent at 1.004 s straight to uas1) is lost: uas1 is unreachable then.
    w.sim.at(SECOND + 4 * INTRA + INTRA / 2, () => w.net.setUp('uas1.example.com', false));
    w.sim.at(SECOND + 6 * INTRA, () => w.net.setUp('uas1.example.com', true));
    w.sim.run();
    const oks = sent(w, PROXY, UAC, (m) => m.type === 'response' && m.status === 200);
    expect(oks.map((o) => o.at)).toEqual([SECOND + 3 * INTRA, SECOND + 3 * INTRA + T1]);
    expect(oks[1]!.msg).toEqual(oks[0]!.msg);
    expect(uac.got.filter((g) => g.status === 200)).toHaveLength(2);
    expect(sent(w, UAC, 'uas1.example.com', isRequest('ACK')).map((a) => a.at)).toEqual([SECOND + 4 * INTRA, SECOND + 4 * INTRA + T1]);
    expect(uas1.acked()).toBe(true);
  });

  it('cancels every branch when the UAC cancels (16.10), relays one 487 and gets it ACKed', () => {
    const w = new World();
    const uac = uacNode(w, PROXY);
    proxyNode(w, PROXY, ['uas1.example.com', 'uas2.example.com'], false);
    uasNode(w, 'uas1.example.com', undefined);
    uasNode(w, 'uas2.example.com', undefined);
    const cancelResponses: number[] = [];
    const tx = uac.start();
    w.sim.schedule(SECOND, () => uac.node.stack.cancel(tx, (res) => cancelResponses.push(res.status)));
    w.sim.run();
    expect(cancelResponses).toEqual([200]);
    for (const uas of ['uas1.example.com', 'uas2.example.com']) {
      expect(sent(w, PROXY, uas, isRequest('CANCEL')).map((c) => c.at)).toEqual([SECOND + INTRA]);
      expect(sent(w, PROXY, uas, isRequest('ACK')).map((a) => a.at)).toEqual([SECOND + 3 * INTRA]);
    }
    expect(uac.got.map((g) => g.status)).toEqual([100, 180, 180, 487]);
    expect(uac.got.at(-1)!.at).toBe(SECOND + 4 * INTRA);
    expect(sent(w, UAC, PROXY, isRequest('ACK')).map((a) => [a.at, header(a.msg, 'CSeq')])).toEqual([[SECOND + 4 * INTRA, '1 ACK']]);
    expect(w.notes()).toEqual([]);
  });

  it('cancels a branch that only rings when Timer C fires, 181 s after its last provisional (16.6 step 11, 16.8)', () => {
    const w = new World();
    const uac = uacNode(w, PROXY);
    proxyNode(w, PROXY, ['uas1.example.com'], false);
    uasNode(w, 'uas1.example.com', undefined);
    uac.start();
    w.sim.run();
    // The INVITE reached the UAS at 2 * INTRA; its 180, back at the proxy at 3 * INTRA, reset Timer C.
    expect(sent(w, PROXY, 'uas1.example.com', isRequest('CANCEL')).map((c) => c.at)).toEqual([TIMER_C + 3 * INTRA]);
    expect(uac.got.map((g) => g.status)).toEqual([100, 180, 487]);
  });

  it('does not reset Timer C on a 100, only on the other provisionals (16.7 step 2)', () => {
    const w = new World();
    const uac = uacNode(w, PROXY);
    proxyNode(w, PROXY, ['uas1.example.com'], false);
    const uas = w.stackNode('uas1.example.com');
    uas.handler = (req, tx) => {
      tx.respond(createDialogResponse(req, 180, { toTag: 'ring', contact: { uri: sipUri('bob', 'uas1.example.com'), params: [] } }));
      w.sim.schedule(60 * SECOND, () => tx.respond(createResponse(req, 100)));
    };
    uac.start();
    w.sim.run();
    // Timer C runs from the 180 at the proxy (3 * INTRA); the 100 a minute later leaves it be.
    expect(sent(w, PROXY, 'uas1.example.com', isRequest('CANCEL')).map((c) => c.at)).toEqual([TIMER_C + 3 * INTRA]);
  });

  it.each([600, 603])('relays a %i after cancelling the other branch (16.7 step 5: a 6xx, 600 included)', (status) => {
    const w = new World();
    const uac = uacNode(w, PROXY);
    proxyNode(w, PROXY, ['uas1.example.com', 'uas2.example.com'], false);
    uasNode(w, 'uas1.example.com', status, SECOND);
    uasNode(w, 'uas2.example.com', undefined);
    uac.start();
    w.sim.run();
    expect(sent(w, PROXY, 'uas2.example.com', isRequest('CANCEL')).map((c) => c.at)).toEqual([SECOND + 3 * INTRA]);
    expect(uac.got.map((g) => g.status)).toEqual([100, 180, 180, status]);
  });

  it.each([300, 486])('keeps a %i to itself while another branch rings, cancels nothing, and relays that branch\'s later 2xx (16.7 steps 5, 6)', (status) => {
    const w = new World();
    const uac = uacNode(w, PROXY);
    proxyNode(w, PROXY, ['uas1.example.com', 'uas2.example.com'], false);
    uasNode(w, 'uas1.example.com', status);
    uasNode(w, 'uas2.example.com', 200, SECOND);
    uac.start();
    w.sim.run();
    expect(sent(w, PROXY, 'uas2.example.com', isRequest('CANCEL'))).toEqual([]);
    expect(uac.got.map((g) => g.status)).toEqual([100, 180, 180, 200]);
    expect(getParam(parseNameAddr(header(uac.got.at(-1)!.res, 'To') ?? '').params, 'tag')).toBe('tag-uas2');
  });

  it('answers 500 when the only final response is a 503 (16.7 step 6: a 503 is not forwarded)', () => {
    const w = new World();
    const uac = uacNode(w, PROXY);
    proxyNode(w, PROXY, ['uas1.example.com'], false);
    uasNode(w, 'uas1.example.com', 503);
    uac.start();
    w.sim.run();
    expect(uac.got.map((g) => g.status)).toEqual([100, 180, 500]);
  });

  it('leaves the final response to an onFinal that takes it, and relays it when onFinal declines', () => {
    for (const takes of [true, false]) {
      const w = new World();
      const uac = uacNode(w, PROXY);
      const seen: number[] = [];
      const proxy = w.stackNode(PROXY);
      proxy.handler = (req, tx) => {
        const out = cloneMessage(req);
        out.uri = sipUri('bob', 'uas1.example.com');
        proxyRequest(proxy.stack, tx, [{ request: out, nextHop: 'uas1.example.com' }], {
          onFinal: (res) => {
            seen.push(res.status);
            if (takes) tx.respond(createResponse(req, 480, { toTag: 'proxy' }));
            return takes;
          },
        });
      };
      uasNode(w, 'uas1.example.com', 486);
      uac.start();
      w.sim.run();
      expect(seen).toEqual([486]);
      expect(uac.got.map((g) => g.status)).toEqual([100, 180, takes ? 480 : 486]);
    }
  });

  it('holds back the provisionals relayProvisional refuses, and relays those it accepts (CPM C.2.1.2.3 step 12)', () => {
    for (const relays of [true, false]) {
      const w = new World();
      const uac = uacNode(w, PROXY);
      proxyNode(w, PROXY, ['uas1.example.com'], false, { relayProvisional: () => relays });
      uasNode(w, 'uas1.example.com', 200, SECOND);
      uac.start();
      w.sim.run();
      expect(uac.got.map((g) => g.status)).toEqual(relays ? [100, 180, 200] : [100, 200]);
    }
  });

  it('sends no 100 of its own when its TU has already answered one (16.7: one 100 at once)', () => {
    const w = new World();
    const uac = uacNode(w, PROXY);
    const proxy = w.stackNode(PROXY);
    proxy.handler = (req, tx) => {
      tx.respond(createResponse(req, 100));
      const out = cloneMessage(req);
      out.uri = sipUri('bob', 'uas1.example.com');
      proxyRequest(proxy.stack, tx, [{ request: out, nextHop: 'uas1.example.com' }]);
    };
    uasNode(w, 'uas1.example.com', 200, SECOND);
    uac.start();
    w.sim.run();
    expect(sent(w, PROXY, UAC, isResponse).map((s) => (s.msg as SipResponse).status)).toEqual([100, 180, 200]);
  });
});

describe('Record-Route and loose routing through two proxies (RFC 3261 12, 16.4, 16.6)', () => {
  const P1 = 'p1.example.com';
  const P2 = 'p2.example.com';
  const UAS = 'uas.example.com';

  function chain() {
    const w = new World();
    const uac = uacNode(w, P1);
    proxyNode(w, P1, [P2], true);
    proxyNode(w, P2, [UAS], true);
    const uas = uasNode(w, UAS, 200, 100_000);
    uac.start();
    w.sim.run({ until: 2 * SECOND });
    return { w, uac, uas };
  }

  it('each proxy adds <sip:HOST;lr>, the UAS keeps the order and the UAC reverses it', () => {
    const { w, uac, uas } = chain();
    const arrived = sent(w, P2, UAS, isRequest('INVITE'))[0]!.msg;
    expect(headers(arrived, 'Record-Route')).toEqual([`<sip:${P2};lr>`, `<sip:${P1};lr>`]);
    expect(uas.dialog()!.routeSet.map(formatNameAddr)).toEqual([`<sip:${P2};lr>`, `<sip:${P1};lr>`]);
    expect(uas.dialog()!.nextHop()).toBe(P2);
    const ok = uac.got.find((g) => g.status === 200)!.res;
    expect(headers(ok, 'Record-Route')).toEqual([`<sip:${P2};lr>`, `<sip:${P1};lr>`]);
    const dialog = [...uac.dialogs.values()][0]!;
    expect(dialog.routeSet.map(formatNameAddr)).toEqual([`<sip:${P1};lr>`, `<sip:${P2};lr>`]);
    expect(dialog.nextHop()).toBe(P1);
    expect(headers(dialog.createRequest('INFO'), 'Route')).toEqual([`<sip:${P1};lr>`, `<sip:${P2};lr>`]);
    roundTrips(arrived);
  });

  it('routes the ACK for the 2xx through both proxies, statelessly, popping each own Route', () => {
    const { w, uas } = chain();
    const hops = [
      [UAC, P1],
      [P1, P2],
      [P2, UAS],
    ] as const;
    const acks = hops.map(([from, to]) => sent(w, from, to, isRequest('ACK')));
    expect(acks.map((a) => a.length)).toEqual([1, 1, 1]);
    expect(acks.map((a) => headers(a[0]!.msg, 'Route'))).toEqual([[`<sip:${P1};lr>`, `<sip:${P2};lr>`], [`<sip:${P2};lr>`], []]);
    expect(acks.map((a) => header(a[0]!.msg, 'Max-Forwards'))).toEqual(['70', '69', '68']);
    expect(acks.map((a) => headers(a[0]!.msg, 'Via').length)).toEqual([1, 2, 3]);
    expect(acks[2]![0]!.msg.type === 'request' && acks[2]![0]!.msg.uri).toEqual(sipUri('bob', UAS));
    expect(uas.acked()).toBe(true);
  });

  it('sends the BYE of either side along the record-routed proxies and gets the 200 back', () => {
    const { w, uac, uas } = chain();
    const dialog = [...uac.dialogs.values()][0]!;
    const got: number[] = [];
    uac.node.stack.request(dialog.createRequest('BYE'), dialog.nextHop(), (res) => got.push(res.status));
    w.sim.run();
    const byeHops = [sent(w, UAC, P1, isRequest('BYE')), sent(w, P1, P2, isRequest('BYE')), sent(w, P2, UAS, isRequest('BYE'))];
    expect(byeHops.map((h) => h.length)).toEqual([1, 1, 1]);
    expect(byeHops.map((h) => headers(h[0]!.msg, 'Route'))).toEqual([[`<sip:${P1};lr>`, `<sip:${P2};lr>`], [`<sip:${P2};lr>`], []]);
    expect(uas.byes).toHaveLength(1);
    expect(uas.byes[0]!.uri).toEqual(sipUri('bob', UAS));
    expect(header(uas.byes[0]!, 'CSeq')).toBe('2 BYE');
    expect(got).toEqual([200]);
    roundTrips(byeHops[0]![0]!.msg);

    // The callee's BYE takes the route set in its order: p2, then p1, then the caller's Contact.
    const back = uas.dialog()!.createRequest('BYE');
    const answered: number[] = [];
    uac.node.handler = (req, tx) => tx.respond(createResponse(req, [...uac.dialogs.values()][0]!.receiveRequest(req) ?? 200, { toTag: 'a1' }));
    uas.node.stack.request(back, uas.dialog()!.nextHop(), (res) => answered.push(res.status));
    w.sim.run();
    expect(sent(w, UAS, P2, isRequest('BYE'))).toHaveLength(1);
    expect(sent(w, P1, UAC, isRequest('BYE')).map((b) => (b.msg as SipRequest).uri)).toEqual([sipUri('alice', UAC)]);
    expect(answered).toEqual([200]);
  });

  it('routes a re-INVITE, its 2xx and its ACK along the route set, each proxy answering 100 at once', () => {
    const { w, uac, uas } = chain();
    const dialog = [...uac.dialogs.values()][0]!;
    const reinvite = dialog.createRequest('INVITE', { contact: { uri: sipUri('alice', UAC), params: [] } });
    const got: number[] = [];
    const t0 = w.sim.now;
    uac.node.stack.invite(reinvite, dialog.nextHop(), (res) => {
      got.push(res.status);
      if (res.status === 200) uac.node.stack.sendAck(dialog.createAck(res), dialog.nextHop());
    });
    w.sim.run();
    expect(got).toEqual([100, 200]);
    const hops = [sent(w, UAC, P1, isRequest('INVITE')), sent(w, P1, P2, isRequest('INVITE')), sent(w, P2, UAS, isRequest('INVITE'))].map((h) => h.at(-1)!);
    expect(hops.map((h) => h.at - t0)).toEqual([0, INTRA, 2 * INTRA]);
    expect(hops.map((h) => headers(h.msg, 'Route'))).toEqual([[`<sip:${P1};lr>`, `<sip:${P2};lr>`], [`<sip:${P2};lr>`], []]);
    expect(header(hops[2]!.msg, 'CSeq')).toBe('2 INVITE');
    expect(sent(w, P1, UAC, (m) => m.type === 'response' && m.status === 100).at(-1)!.at - t0).toBe(INTRA);
    expect(uas.dialog()!.remoteSeq).toBe(2);
    const acks = sent(w, P2, UAS, isRequest('ACK'));
    expect(acks.map((a) => header(a.msg, 'CSeq'))).toEqual(['1 ACK', '2 ACK']);
    expect(uas.acked()).toBe(true);
  });
});

describe('proxyInDialog (RFC 3261 16.4)', () => {
  it('answers 416 when the next hop is not a SIP URI (a tel Request-URI, no Route), keeping the To tag of the dialog', () => {
    const w = new World();
    const uac = w.stackNode(UAC);
    const proxy = w.stackNode(PROXY);
    proxy.handler = (_req, tx) => proxyInDialog(proxy.stack, tx);
    const bye = invite();
    bye.method = 'BYE';
    bye.uri = { scheme: 'tel', number: '+15551234', params: [] };
    bye.headers = bye.headers.map((h) => (h.name === 'CSeq' ? { name: h.name, value: '2 BYE' } : h.name === 'To' ? { name: h.name, value: `${h.value};tag=b1` } : h));
    const got = uac.send(bye, PROXY);
    w.sim.run();
    expect(got.map((g) => [g.res.status, g.res.reason, header(g.res, 'To')])).toEqual([[416, 'Unsupported URI Scheme', '<sip:bob@example.com>;tag=b1']]);
    expect(w.transmits({ from: PROXY }).every((t) => t.to === UAC)).toBe(true);
  });
});

describe('routeByRoute (RFC 3261 16.4)', () => {
  const withRoutes = (routes: string[], uri = sipUri('bob', 'uas.example.com')): SipRequest => invite({ routes, uri });

  it('pops the Route naming this proxy and goes to the next one', () => {
    const b = routeByRoute('p1.example.com', withRoutes(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']));
    expect(b?.nextHop).toBe('p2.example.com');
    expect(headers(b!.request, 'Route')).toEqual(['<sip:p2.example.com;lr>']);
  });

  it('goes to the Request-URI host when no Route is left, and keeps a Route naming another element', () => {
    expect(routeByRoute('p1.example.com', withRoutes(['<sip:p1.example.com;lr>']))?.nextHop).toBe('uas.example.com');
    const other = routeByRoute('p1.example.com', withRoutes(['<sip:p9.example.com;lr>']));
    expect(other?.nextHop).toBe('p9.example.com');
    expect(headers(other!.request, 'Route')).toEqual(['<sip:p9.example.com;lr>']);
  });

  it('after a strict router (Request-URI naming this proxy) takes the last Route as the Request-URI', () => {
    const req = withRoutes(['<sip:p2.example.com;lr>', '<sip:bob@uas.example.com>'], sipUri(undefined, 'p1.example.com', [{ name: 'lr' }]));
    const b = routeByRoute('p1.example.com', req);
    expect(b?.request.uri).toEqual(sipUri('bob', 'uas.example.com'));
    expect(headers(b!.request, 'Route')).toEqual(['<sip:p2.example.com;lr>']);
    expect(b?.nextHop).toBe('p2.example.com');
  });

  it('keeps a Request-URI naming this proxy when there is no Route to take its place', () => {
    const b = routeByRoute('p1.example.com', withRoutes([], sipUri('conf', 'p1.example.com')));
    expect(b?.request.uri).toEqual(sipUri('conf', 'p1.example.com'));
    expect(b?.nextHop).toBe('p1.example.com');
  });

  it('does not change the request it is given, and has no hop for a tel Request-URI', () => {
    const req = withRoutes(['<sip:p1.example.com;lr>']);
    routeByRoute('p1.example.com', req);
    expect(headers(req, 'Route')).toEqual(['<sip:p1.example.com;lr>']);
    expect(routeByRoute('p1.example.com', invite({ uri: { scheme: 'tel', number: '+15551234', params: [] } }))).toBeUndefined();
  });
});

describe('forwardAck (RFC 3261 16.4, 16.6 step 8: the ACK of a 2xx goes statelessly by its Route)', () => {
  const ackWith = (maxForwards: string | undefined, routes: string[], uri: Uri = sipUri('bob', 'uas.example.com')): SipRequest => {
    const ack = invite({ routes, uri });
    ack.method = 'ACK';
    ack.headers = ack.headers.flatMap((h) =>
      h.name === 'CSeq' ? [{ name: 'CSeq', value: '1 ACK' }] : h.name === 'Max-Forwards' ? (maxForwards === undefined ? [] : [{ name: h.name, value: maxForwards }]) : [h],
    );
    return ack;
  };
  const sent: { ack: SipRequest; nextHop: string }[] = [];
  const stack = { host: 'p1.example.com', sendAck: (ack: SipRequest, nextHop: string) => sent.push({ ack, nextHop }) } as unknown as Parameters<typeof forwardAck>[0];

  it('forwards it to the next hop with Max-Forwards one less, 70 when it had none', () => {
    sent.length = 0;
    expect(forwardAck(stack, ackWith('5', ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']))).toBe(true);
    expect(forwardAck(stack, ackWith(undefined, ['<sip:p1.example.com;lr>']))).toBe(true);
    expect(sent.map((s) => [s.nextHop, header(s.ack, 'Max-Forwards')])).toEqual([
      ['p2.example.com', '4'],
      ['uas.example.com', '70'],
    ]);
  });

  it('drops it when Max-Forwards is 0 or there is no SIP next hop', () => {
    sent.length = 0;
    expect(forwardAck(stack, ackWith('0', ['<sip:p1.example.com;lr>']))).toBe(false);
    expect(forwardAck(stack, ackWith('70', [], { scheme: 'tel', number: '+15551234', params: [] }))).toBe(false);
    expect(forwardAck(stack, ackWith('1', ['<sip:p1.example.com;lr>']))).toBe(true);
    expect(sent.map((s) => header(s.ack, 'Max-Forwards'))).toEqual(['0']);
  });
});

