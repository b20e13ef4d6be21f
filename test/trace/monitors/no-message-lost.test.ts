/**
 * no-message-lost: every pager message a user sends is delivered to another device, deferred,
 * stored, handed over, or reported to its sender as failed (CPM 5.2.2, RFC 5438), and each outcome
 * counts only for the message it names.
 */
import { describe, expect, it } from 'vitest';
import type { Body } from '../../../src/bodies/body.js';
import { removeHeaders } from '../../../src/sip/message.js';
import type { Violation } from '../../../src/trace/monitors/monitor.js';
import { noMessageLost } from '../../../src/trace/monitors/no-message-lost.js';
import { ALICE, BOB, BOB2, CORE, cpim, notification, request, response, SERVER, Trace } from './fixtures.js';

const check = (t: Trace): Violation[] => noMessageLost.check(t.input());
const lost = (what = 'm1', eventId = 1, host = ALICE): Violation => ({
  monitor: 'no-message-lost',
  at: eventId * 1000,
  eventId,
  message: `the message ${what} from ${host} was neither delivered, deferred, handed over nor reported as failed`,
});
/** Alice's pager message; `null`: one without an imdn.Message-ID. */
const pager = (messageId: string | null = 'm1', callId = 'p1', user = 'bob'): ReturnType<typeof request> => request('MESSAGE', { callId, user, body: cpim(messageId ?? undefined) });

/** Alice's pager message m1 (Call-ID p1) on its first hop. */
function sent(): Trace {
  const t = new Trace();
  t.send(ALICE, CORE, pager());
  return t;
}

describe('no-message-lost', () => {
  it('a message with no outcome is reported at its sending, by its Message-ID, else its Call-ID', () => {
    expect(check(sent())).toEqual([lost()]);
    const anonymous = new Trace();
    anonymous.send(ALICE, CORE, pager(null));
    expect(check(anonymous)).toEqual([lost('p1')]);
  });

  it('delivered: the message (by its Message-ID) reached a device other than the sender', () => {
    const t = sent();
    t.send(CORE, BOB2, request('MESSAGE', { callId: 'hop2', body: cpim('m1') }));
    expect(check(t)).toEqual([]);
    const backToAlice = sent();
    backToAlice.send(CORE, ALICE, request('MESSAGE', { callId: 'hop2', user: 'alice', body: cpim('m1') }));
    expect(check(backToAlice)).toEqual([lost()]);
  });

  it('not delivered: another message, a copy that reached only a server, one lost on the way, a message with no Message-ID', () => {
    const t = sent();
    t.send(CORE, BOB, request('MESSAGE', { callId: 'hop2', body: cpim('m2') }));
    t.send(CORE, SERVER, request('MESSAGE', { callId: 'hop3', body: cpim('m1') }));
    t.lostInFlight(t.send(CORE, BOB, request('MESSAGE', { callId: 'hop4', body: cpim('m1') })));
    expect(check(t)).toEqual([lost()]);
    const anonymous = new Trace();
    anonymous.send(ALICE, CORE, pager(null));
    anonymous.send(CORE, BOB, request('MESSAGE', { callId: 'hop2', body: cpim(undefined) }));
    expect(check(anonymous)).toEqual([lost('p1')]);
  });

  it('reported failed: a final error response in its call reaching the sender; a success or one lost does not', () => {
    for (const status of [300, 404, 500]) {
      const t = sent();
      t.send(CORE, ALICE, response(pager(), status));
      expect({ status, found: check(t) }).toEqual({ status, found: [] });
    }
    const t = sent();
    t.send(CORE, ALICE, response(pager(), 200));
    t.send(CORE, ALICE, response(pager(), 299));
    t.send(CORE, ALICE, response(pager('m1', 'other-call'), 404));
    t.lostInFlight(t.send(CORE, ALICE, response(pager(), 408)));
    t.send(CORE, SERVER, response(pager(), 403));
    expect(check(t)).toEqual([lost()]);
  });

  it('reported failed: a negative delivery notification about it reaching the sender', () => {
    for (const status of ['failed', 'forbidden', 'error'] as const) {
      const t = sent();
      t.send(CORE, ALICE, request('MESSAGE', { callId: 'n1', user: 'alice', body: notification('m1', { type: 'delivery', status }) }));
      expect({ status, found: check(t) }).toEqual({ status, found: [] });
    }
    const t = sent();
    t.send(CORE, ALICE, request('MESSAGE', { callId: 'n1', user: 'alice', body: notification('m1', { type: 'delivery', status: 'delivered' }) }));
    t.send(CORE, ALICE, request('MESSAGE', { callId: 'n2', user: 'alice', body: notification('m2', { type: 'delivery', status: 'failed' }) }));
    t.send(CORE, BOB, request('MESSAGE', { callId: 'n3', body: notification('m1', { type: 'delivery', status: 'failed' }) }));
    expect(check(t)).toEqual([lost()]);
  });

  it('a notification counts only in a MESSAGE (RFC 5438 7.1), not in another request', () => {
    const t = sent();
    t.send(CORE, ALICE, request('NOTIFY', { callId: 'n1', user: 'alice', body: notification('m1', { type: 'delivery', status: 'failed' }) }));
    expect(check(t)).toEqual([lost()]);
  });

  it('kept or handed over: an element\'s note naming the message, by Message-ID or Call-ID', () => {
    for (const text of ['deferred (1 held)', 'moved to network storage', 'the mail is queued for relay', 'converts the acknowledgement into 202 Accepted', 'application control hands the message to chess']) {
      const t = sent();
      t.note(SERVER, text, 'm1');
      expect({ text, found: check(t) }).toEqual({ text, found: [] });
      const byCall = sent();
      byCall.note(SERVER, text, 'p1');
      expect({ text, found: check(byCall) }).toEqual({ text, found: [] });
    }
  });

  it('not kept: such a note about another message, one naming none, or another note', () => {
    const t = sent();
    t.note(SERVER, 'deferred (1 held)', 'm2');
    t.note(SERVER, 'deferred (1 held)');
    for (const text of ['not deferred (yet)', 'moved to network storage later', 'the mail is queued for relay soon', 'application control hands the message to two apps']) t.note(SERVER, text, 'm1');
    expect(check(t)).toEqual([lost()]);
  });

  it("reported failed: the sending device's own failure note about it; a server's is not the sender's", () => {
    const t = sent();
    t.note(ALICE, 'message failed: timeout', 'm1');
    expect(check(t)).toEqual([]);
    const server = sent();
    server.note(SERVER, 'message failed: timeout', 'm1');
    server.note(ALICE, 'the message failed', 'm1');
    server.note(BOB, 'message failed: timeout', 'm1');
    expect(check(server)).toEqual([lost()]);
  });

  it('what is a pager message: a MESSAGE of CPIM content from a device, once per call; not a notification, nor to the deferred messaging service', () => {
    const t = new Trace();
    t.send(ALICE, CORE, pager());
    t.send(ALICE, CORE, pager());
    t.send(SERVER, CORE, pager('m2', 'p2'));
    t.send(ALICE, CORE, request('MESSAGE', { callId: 'p3', body: { kind: 'text', contentType: 'text/plain', text: 'hi' } satisfies Body }));
    t.send(ALICE, CORE, request('MESSAGE', { callId: 'p4', body: notification('m9', { type: 'display', status: 'displayed' }) }));
    t.send(ALICE, CORE, pager('m5', 'p5', 'deferred'));
    t.send(ALICE, CORE, request('INVITE', { callId: 'p6', body: cpim('m6') }));
    expect(check(t)).toEqual([lost()]);
  });

  it('one violation per lost message, each settled on its own', () => {
    const t = new Trace();
    t.send(ALICE, CORE, pager('m1', 'p1'));
    t.send(BOB, CORE, request('MESSAGE', { callId: 'p2', user: 'alice', body: cpim('m2') }));
    t.send(ALICE, CORE, pager('m3', 'p3'));
    t.send(CORE, ALICE, response(pager('m3', 'p3'), 480));
    expect(check(t)).toEqual([lost('m1', 1), lost('m2', 2, BOB)]);
  });

  it('a message without a Call-ID, or no SIP, is passed over', () => {
    const t = new Trace();
    const noCall = pager();
    removeHeaders(noCall, 'Call-ID');
    t.send(ALICE, CORE, noCall);
    t.send(ALICE, BOB, { protocol: 'rtp', type: 'rtp', srcPort: 1, dstPort: 2, payloadType: 0, marker: false, sequence: 1, timestamp: 0, ssrc: 1, csrc: [], payloadOctets: 1 });
    expect(check(t)).toEqual([]);
  });
});
