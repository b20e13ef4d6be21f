/**
 * one-notification-per-kind: a sender's device hears at most one notification of each kind about
 * a message from each recipient (CPM 5.2.2.3, C.3.1.4.4), retransmissions of one MESSAGE counted once.
 */
import { describe, expect, it } from 'vitest';
import { removeHeaders } from '../../../src/sip/message.js';
import type { Violation } from '../../../src/trace/monitors/monitor.js';
import { oneNotification } from '../../../src/trace/monitors/one-notification.js';
import { ALICE, BOB, CORE, notification, request, Trace } from './fixtures.js';

const check = (t: Trace): Violation[] => oneNotification.check(t.input());
const delivered = { type: 'delivery', status: 'delivered' } as const;
/** A MESSAGE in call `callId` carrying a delivery notification about m1. */
const notify = (callId: string, about = {}, status: Parameters<typeof notification>[1] = delivered) => request('MESSAGE', { callId, user: 'alice', body: notification('m1', status, about) });
const second = (eventId: number, what = 'delivery notification (delivered)', from = 'sip:bob@b.example'): Violation => ({
  monitor: 'one-notification-per-kind',
  at: eventId * 1000,
  eventId,
  message: `${ALICE} got a second ${what} about m1 from ${from}`,
});

describe('one-notification-per-kind', () => {
  it('a second notification of one kind about one message, in a new transaction, is reported at its arrival', () => {
    const t = new Trace();
    t.send(CORE, ALICE, notify('n1', { recipientUri: 'sip:bob@b.example' }));
    t.note(ALICE, 'delivered');
    t.send(CORE, ALICE, notify('n2', { recipientUri: 'sip:bob@b.example' }));
    expect(check(t)).toEqual([second(3)]);
  });

  it('a retransmission (same Call-ID) is the same notification', () => {
    const t = new Trace();
    t.send(CORE, ALICE, notify('n1'));
    t.send(CORE, ALICE, notify('n1'));
    expect(check(t)).toEqual([]);
  });

  it('one of each kind, and one from each recipient, is allowed', () => {
    const t = new Trace();
    t.send(CORE, ALICE, notify('n1', { recipientUri: 'sip:bob@b.example' }));
    t.send(CORE, ALICE, notify('n2', { recipientUri: 'sip:bob@b.example' }, { type: 'display', status: 'displayed' }));
    t.send(CORE, ALICE, notify('n3', { recipientUri: 'sip:carol@b.example' }));
    t.send(CORE, ALICE, request('MESSAGE', { callId: 'n4', user: 'alice', body: notification('m2', delivered, { recipientUri: 'sip:bob@b.example' }) }));
    expect(check(t)).toEqual([]);
  });

  it('the recipient is the one the notification names, else its original recipient, else the From of its MESSAGE', () => {
    const byOriginal = new Trace();
    byOriginal.send(CORE, ALICE, notify('n1', { originalRecipientUri: 'sip:bob@b.example' }));
    byOriginal.send(CORE, ALICE, notify('n2', { recipientUri: 'sip:bob@b.example', originalRecipientUri: 'sip:group@b.example' }));
    expect(check(byOriginal)).toEqual([second(2)]);
    const byFrom = new Trace();
    byFrom.send(CORE, ALICE, notify('n1'));
    byFrom.send(CORE, ALICE, notify('n2'));
    expect(check(byFrom)).toEqual([second(2, 'delivery notification (delivered)', '<sip:alice@a.example>;tag=fa')]);
  });

  it('names the kind and status of the second one', () => {
    const t = new Trace();
    t.send(CORE, ALICE, notify('n1', {}, { type: 'display', status: 'displayed' }));
    t.send(CORE, ALICE, notify('n2', {}, { type: 'display', status: 'error' }));
    expect(check(t)[0]!.message).toBe(`${ALICE} got a second display notification (error) about m1 from <sip:alice@a.example>;tag=fa`);
  });

  it('only what a device received counts: not a MESSAGE to a server, nor one lost on the way', () => {
    const toServer = new Trace();
    toServer.send(ALICE, CORE, notify('n1'));
    toServer.send(ALICE, CORE, notify('n2'));
    expect(check(toServer)).toEqual([]);
    const lost = new Trace();
    lost.send(CORE, ALICE, notify('n1'));
    lost.lostInFlight(lost.send(CORE, ALICE, notify('n2')));
    lost.undeliverable(CORE, ALICE, notify('n3'));
    expect(check(lost)).toEqual([]);
  });

  it('each device on its own', () => {
    const t = new Trace();
    t.send(CORE, ALICE, notify('n1'));
    t.send(CORE, BOB, notify('n2'));
    expect(check(t)).toEqual([]);
  });

  it('only MESSAGE requests carry notifications here', () => {
    const t = new Trace();
    t.send(CORE, ALICE, notify('n1'));
    t.send(CORE, ALICE, request('NOTIFY', { callId: 'n2', user: 'alice', body: notification('m1', delivered) }));
    expect(check(t)).toEqual([]);
  });

  it('a MESSAGE without a Call-ID is told apart by its event', () => {
    const t = new Trace();
    const a = notify('n1');
    removeHeaders(a, 'Call-ID');
    t.send(CORE, ALICE, a);
    t.send(CORE, ALICE, a);
    expect(check(t)).toEqual([second(2, 'delivery notification (delivered)', '<sip:alice@a.example>;tag=fa')]);
  });
});
