/**
 * transactions-end: an element that got a request (ACK excepted) answers it with a final response
 * (RFC 3261 8.2.6, 17.2), once its own Timer F (non-INVITE) or Timer C (INVITE) had time to run.
 */
import { describe, expect, it } from 'vitest';
import { removeHeaders } from '../../../src/sip/message.js';
import { TIMER_C, TIMER_F } from '../../../src/sip/transactions/timers.js';
import type { Violation } from '../../../src/trace/monitors/monitor.js';
import { transactionsAnswered } from '../../../src/trace/monitors/transactions-answered.js';
import { ALICE, BOB, CORE, request, response, Trace } from './fixtures.js';

const check = (t: Trace, endUs?: number): Violation[] => transactionsAnswered.check(t.input(endUs));
const never = (eventId: number, what: string, element = CORE): Violation => ({ monitor: 'transactions-end', at: eventId * 1000, eventId, message: `${element} never answered the ${what}` });

describe('transactions-end', () => {
  it('a request with no final response is reported at its sending, naming the element, the method and the sender', () => {
    const t = new Trace();
    t.send(ALICE, CORE, request('MESSAGE'));
    t.note(CORE, 'routing');
    expect(check(t)).toEqual([never(1, 'MESSAGE from phone.alice.a.example')]);
  });

  it('a final response from the element that got it answers it; a provisional one does not', () => {
    const t = new Trace();
    const message = request('MESSAGE');
    t.send(ALICE, CORE, message);
    t.send(CORE, ALICE, response(message, 100));
    t.send(CORE, ALICE, response(message, 199));
    expect(check(t)).toEqual([never(1, 'MESSAGE from phone.alice.a.example')]);
    t.send(CORE, ALICE, response(message, 200));
    expect(check(t)).toEqual([]);
    const refused = new Trace();
    refused.send(ALICE, CORE, message);
    refused.lostInFlight(refused.send(CORE, ALICE, response(message, 403)));
    expect(check(refused)).toEqual([]);
  });

  it('an answer counts for the element that sent it only, and for its transaction (branch and method) only', () => {
    const t = new Trace();
    const message = request('MESSAGE');
    t.send(ALICE, CORE, message);
    t.send(BOB, ALICE, response(message, 200));
    const other = request('MESSAGE', { branch: 'z9hG4bK2' });
    t.send(CORE, ALICE, response(other, 200));
    const options = request('OPTIONS');
    t.send(CORE, ALICE, response(options, 200));
    expect(check(t)).toEqual([never(1, 'MESSAGE from phone.alice.a.example')]);
  });

  it('an answer sent before the request arrives (a retransmission) settles it', () => {
    const t = new Trace();
    const message = request('MESSAGE');
    t.send(CORE, ALICE, response(message, 200));
    t.send(ALICE, CORE, message);
    expect(check(t)).toEqual([]);
  });

  it('a retransmitted request is one transaction, reported once at its first sending', () => {
    const t = new Trace();
    const message = request('MESSAGE');
    t.send(ALICE, CORE, message);
    t.send(ALICE, CORE, message);
    expect(check(t)).toEqual([never(1, 'MESSAGE from phone.alice.a.example')]);
  });

  it('an ACK is owed nothing; a request that never arrived is owed nothing', () => {
    const t = new Trace();
    t.send(ALICE, CORE, request('ACK'));
    t.lostInFlight(t.send(ALICE, CORE, request('MESSAGE', { branch: 'z9hG4bK2' })));
    t.undeliverable(ALICE, CORE, request('MESSAGE', { branch: 'z9hG4bK3' }));
    expect(check(t)).toEqual([]);
  });

  it('a non-INVITE is owed its answer once Timer F has run from its arrival; an INVITE once Timer C has', () => {
    const message = new Trace();
    message.send(ALICE, CORE, request('MESSAGE'), 0, 1000);
    expect(check(message, 1000 + TIMER_F - 1)).toEqual([]);
    expect(check(message, 1000 + TIMER_F)).toEqual([{ ...never(1, 'MESSAGE from phone.alice.a.example'), at: 0 }]);
    const invite = new Trace();
    invite.send(ALICE, CORE, request('INVITE'), 0, 1000);
    expect(check(invite, 1000 + TIMER_F)).toEqual([]);
    expect(check(invite, 1000 + TIMER_C - 1)).toEqual([]);
    expect(check(invite, 1000 + TIMER_C)).toEqual([{ ...never(1, 'INVITE from phone.alice.a.example'), at: 0 }]);
  });

  it('a request without a Via branch or a CSeq names no transaction and is passed over', () => {
    const t = new Trace();
    t.send(ALICE, CORE, request('MESSAGE', { branch: '' }));
    const noCSeq = request('MESSAGE', { branch: 'z9hG4bK2' });
    removeHeaders(noCSeq, 'CSeq');
    t.send(ALICE, CORE, noCSeq);
    expect(check(t)).toEqual([]);
  });

  it('one violation per element and transaction', () => {
    const t = new Trace();
    const message = request('MESSAGE');
    t.send(ALICE, CORE, message);
    t.send(CORE, BOB, message);
    expect(check(t)).toEqual([never(1, 'MESSAGE from phone.alice.a.example'), never(2, 'MESSAGE from core.a.example', BOB)]);
  });
});
