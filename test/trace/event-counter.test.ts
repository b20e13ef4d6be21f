/**
 * Tracing that keeps counts only (src/trace/event-counter.ts): messages by protocol and kind, the
 * kinds a JSON-lines trace gives them (RFC 3261 7.2 classes for SIP), undeliverable messages and
 * notes, listed in name order.
 */
import { describe, expect, it } from 'vitest';
import { EventCounter } from '../../src/trace/event-counter.js';
import { ALICE, CORE, msrpRequest, notification, request, response, Trace } from './monitors/fixtures.js';

const msrp = msrpRequest();

describe('EventCounter', () => {
  it('counts nothing before any event', () => {
    expect(new EventCounter().counts()).toEqual({ transmitted: {}, undeliverable: 0, notes: 0 });
  });

  it('counts transmitted messages by protocol and kind, undeliverable ones and notes apart', () => {
    const t = new Trace();
    const invite = request('INVITE');
    t.send(ALICE, CORE, invite);
    t.send(CORE, ALICE, response(invite, 100));
    t.send(CORE, ALICE, response(invite, 180));
    t.send(CORE, ALICE, response(invite, 200));
    t.send(CORE, ALICE, response(invite, 302));
    t.send(CORE, ALICE, response(invite, 486));
    t.send(CORE, ALICE, request('MESSAGE', { body: notification('m1', { type: 'delivery', status: 'delivered' }) }));
    t.send(ALICE, CORE, msrp);
    t.send(ALICE, CORE, msrp);
    t.undeliverable(ALICE, CORE, request('BYE'));
    const lost = t.send(ALICE, CORE, request('OPTIONS'));
    t.lostInFlight(lost);
    t.note(CORE, 'routed');
    t.note(ALICE, 'delivered');
    t.note(ALICE, 'displayed');
    const counter = new EventCounter();
    for (const e of t.events) counter.observer(e);
    expect(counter.counts()).toEqual({
      transmitted: {
        msrp: { request: 2 },
        sip: { error: 1, notification: 1, provisional: 2, redirect: 1, request: 2, success: 1 },
      },
      undeliverable: 2,
      notes: 3,
    });
  });

  it('lists protocols and kinds in name order, whatever order they came in', () => {
    const t = new Trace();
    t.send(CORE, ALICE, response(request('MESSAGE'), 200));
    t.send(ALICE, CORE, msrp);
    t.send(ALICE, CORE, request('MESSAGE'));
    t.send(CORE, ALICE, response(request('MESSAGE'), 404));
    const counter = new EventCounter();
    for (const e of t.events) counter.observer(e);
    const { transmitted } = counter.counts();
    expect(Object.keys(transmitted)).toEqual(['msrp', 'sip']);
    expect(Object.keys(transmitted.sip!)).toEqual(['error', 'request', 'success']);
    expect(JSON.stringify(counter.counts())).toBe('{"transmitted":{"msrp":{"request":1},"sip":{"error":1,"request":1,"success":1}},"undeliverable":0,"notes":0}');
    // Arriving in another order (a request, its 200, a 404), listed the same.
    const other = new Trace();
    other.send(ALICE, CORE, request('MESSAGE'));
    other.send(CORE, ALICE, response(request('MESSAGE'), 200));
    other.send(CORE, ALICE, response(request('MESSAGE'), 404));
    const second = new EventCounter();
    for (const e of other.events) second.observer(e);
    expect(Object.keys(second.counts().transmitted.sip!)).toEqual(['error', 'request', 'success']);
  });
});
