/**
 * dialogs-complete: a 2xx to an INVITE is ACKed or its dialog ended with a BYE (RFC 3261 13.2.2.4,
 * 13.3.1.4); an accepted SUBSCRIBE gets a NOTIFY (RFC 6665 4.2.1.2).
 */
import { describe, expect, it } from 'vitest';
import { removeHeaders } from '../../../src/sip/message.js';
import { dialogsComplete } from '../../../src/trace/monitors/dialogs-complete.js';
import type { Violation } from '../../../src/trace/monitors/monitor.js';
import { ALICE, BOB, BOB2, CORE, request, response, Trace } from './fixtures.js';

const check = (t: Trace): Violation[] => dialogsComplete.check(t.input());
const unacked = (callId: string, eventId: number, from = BOB): Violation => ({
  monitor: 'dialogs-complete',
  at: eventId * 1000,
  eventId,
  message: `the 2xx to INVITE (Call-ID ${callId}) from ${from} was neither ACKed nor ended with BYE`,
});

/** Alice's INVITE and Bob's answer with tag `tb`. */
function invited(status = 200, callId = 'call-1'): { t: Trace; invite: ReturnType<typeof request> } {
  const t = new Trace();
  const invite = request('INVITE', { callId });
  t.send(ALICE, BOB, invite);
  t.send(BOB, ALICE, response(invite, status, 'tb'));
  return { t, invite };
}

describe('dialogs-complete: INVITE', () => {
  it('a 2xx left unacknowledged is reported at the 2xx, naming the call and who answered', () => {
    const { t } = invited();
    t.note(ALICE, 'session established');
    expect(check(t)).toEqual([unacked('call-1', 2)]);
  });

  it('the ACK that arrives completes the dialog; so does a BYE from either side', () => {
    const acked = invited();
    acked.t.send(ALICE, BOB, request('ACK', { toTag: 'tb' }));
    expect(check(acked.t)).toEqual([]);
    const byAlice = invited();
    byAlice.t.send(ALICE, BOB, request('BYE', { toTag: 'tb' }));
    expect(check(byAlice.t)).toEqual([]);
    // Bob's BYE carries his own tag in From.
    const byBob = invited();
    byBob.t.send(BOB, ALICE, request('BYE', { fromTag: 'tb', toTag: 'fa' }));
    expect(check(byBob.t)).toEqual([]);
  });

  it('an ACK or BYE lost on its way completes nothing', () => {
    const { t } = invited();
    t.lostInFlight(t.send(ALICE, BOB, request('ACK', { toTag: 'tb' })));
    t.undeliverable(ALICE, BOB, request('BYE', { toTag: 'tb' }));
    expect(check(t)).toEqual([unacked('call-1', 2)]);
  });

  it('a request other than ACK or BYE in the dialog completes nothing', () => {
    const { t } = invited();
    t.send(ALICE, BOB, request('INFO', { toTag: 'tb' }));
    t.send(ALICE, BOB, request('NOTIFY', { toTag: 'tb' }));
    expect(check(t)).toEqual([unacked('call-1', 2)]);
  });

  it('an ACK of another call, or of another dialog of a forked call, completes nothing', () => {
    const { t, invite } = invited();
    t.send(BOB2, ALICE, response(invite, 200, 'tc'));
    t.send(ALICE, BOB, request('ACK', { toTag: 'tb', callId: 'call-2' }));
    t.send(ALICE, BOB2, request('ACK', { toTag: 'tc' }));
    expect(check(t)).toEqual([unacked('call-1', 2)]);
  });

  it('only a final 2xx sets a dialog up: 1xx, 3xx and errors need no ACK from this monitor', () => {
    for (const status of [180, 199, 300, 302, 486]) expect({ status, found: check(invited(status).t) }).toEqual({ status, found: [] });
    for (const status of [200, 202, 299]) expect(check(invited(status).t)).toEqual([unacked('call-1', 2)]);
  });

  it('a 2xx without a To tag names no dialog; a 2xx to a MESSAGE sets none up', () => {
    const t = new Trace();
    const invite = request('INVITE');
    t.send(ALICE, BOB, invite);
    t.send(BOB, ALICE, response(invite, 200));
    const message = request('MESSAGE', { callId: 'call-2' });
    t.send(ALICE, BOB, message);
    t.send(BOB, ALICE, response(message, 200, 'tm'));
    expect(check(t)).toEqual([]);
  });

  it('a retransmitted 2xx is reported once, at its first sending', () => {
    const { t, invite } = invited();
    t.send(CORE, ALICE, response(invite, 200, 'tb'));
    expect(check(t)).toEqual([unacked('call-1', 2)]);
  });

  it('one violation per unfinished dialog, a Call-ID with a bar in it named whole', () => {
    const { t, invite } = invited(200, 'x|y');
    t.send(BOB2, ALICE, response(invite, 200, 'tc'));
    expect(check(t)).toEqual([unacked('x|y', 2), unacked('x|y', 3, BOB2)]);
  });

  it('a message without a Call-ID, or not SIP at all, is passed over', () => {
    const { t } = invited();
    const ack = request('ACK', { toTag: 'tb' });
    removeHeaders(ack, 'Call-ID');
    t.send(ALICE, BOB, ack);
    const noCall = new Trace();
    const invite = request('INVITE');
    removeHeaders(invite, 'Call-ID');
    const answer = response(invite, 200, 'tb');
    noCall.send(BOB, ALICE, answer);
    noCall.send(ALICE, BOB, { protocol: 'rtp', type: 'rtp', srcPort: 1, dstPort: 2, payloadType: 0, marker: false, sequence: 1, timestamp: 0, ssrc: 1, csrc: [], payloadOctets: 1 });
    expect(check(t)).toEqual([unacked('call-1', 2)]);
    expect(check(noCall)).toEqual([]);
  });
});

describe('dialogs-complete: SUBSCRIBE', () => {
  const subscribed = (): Trace => {
    const t = new Trace();
    const subscribe = request('SUBSCRIBE', { callId: 'sub-1' });
    t.send(ALICE, CORE, subscribe);
    t.send(CORE, ALICE, response(subscribe, 200, 'tn'));
    return t;
  };
  const noNotify = { monitor: 'dialogs-complete', at: 2000, eventId: 2, message: 'the accepted SUBSCRIBE (Call-ID sub-1) got no NOTIFY' };

  it('an accepted SUBSCRIBE with no NOTIFY is reported at its 2xx', () => {
    expect(check(subscribed())).toEqual([noNotify]);
  });

  it('a NOTIFY that arrives in its Call-ID completes it, whatever its tags; one lost or of another call does not', () => {
    const done = subscribed();
    done.send(CORE, ALICE, request('NOTIFY', { callId: 'sub-1', fromTag: 'other' }));
    expect(check(done)).toEqual([]);
    const lost = subscribed();
    lost.lostInFlight(lost.send(CORE, ALICE, request('NOTIFY', { callId: 'sub-1' })));
    lost.send(CORE, ALICE, request('NOTIFY', { callId: 'sub-2' }));
    expect(check(lost)).toEqual([noNotify]);
  });

  it('an ACK or a BYE does not stand for the NOTIFY; a NOTIFY does not stand for an INVITE ACK', () => {
    const t = subscribed();
    t.send(ALICE, CORE, request('BYE', { callId: 'sub-1', toTag: 'tn' }));
    expect(check(t)).toEqual([{ ...noNotify }]);
    const { t: call } = invited();
    call.send(ALICE, BOB, request('NOTIFY'));
    expect(check(call)).toEqual([unacked('call-1', 2)]);
  });
});
