import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/kernel/simulator.js';
import { MS, SECOND } from '../../src/kernel/time.js';
import { Invite2xxRetransmitter } from '../../src/sip/invite-2xx-retransmitter.js';
import type { Header, SipRequest, SipResponse } from '../../src/sip/message.js';
import { parseUri } from '../../src/sip/uri.js';

const DIALOG: Header[] = [
  { name: 'From', value: '<sip:alice@a.example>;tag=a1' },
  { name: 'To', value: '<sip:bob@b.example>;tag=b1' },
  { name: 'Call-ID', value: 'call-1' },
];
const OK: SipResponse = { type: 'response', status: 200, reason: 'OK', headers: [...DIALOG, { name: 'CSeq', value: '7 INVITE' }] };

function ack(change: Partial<Record<'From' | 'To' | 'Call-ID' | 'CSeq', string | undefined>> = {}, method = 'ACK'): SipRequest {
  const headers = [...DIALOG, { name: 'CSeq', value: `7 ${method}` }].flatMap((h) => {
    if (!(h.name in change)) return [h];
    const value = change[h.name as keyof typeof change];
    return value === undefined ? [] : [{ name: h.name, value }];
  });
  return { type: 'request', method, uri: parseUri('sip:bob@phone.b.example'), headers };
}

/** The 2xx made reliable from time 0: when it was resent and whether the TU heard it gave up. */
function run(ackAt?: number) {
  const sim = new Simulator();
  const sentAt: number[] = [];
  let gaveUpAt: number | undefined;
  const r = new Invite2xxRetransmitter(OK, { sendResponse: () => sentAt.push(sim.now), schedule: (d, f) => sim.schedule(d, f) }, () => (gaveUpAt = sim.now));
  if (ackAt !== undefined) sim.at(ackAt, () => r.ackReceived());
  sim.run({ until: 60 * SECOND });
  return { r, sentAt, gaveUpAt };
}

describe('a 2xx to an INVITE made reliable by the UAS core (RFC 3261 13.3.1.4)', () => {
  it('is resent after T1, doubling up to T2, and given up after 64*T1 without an ACK', () => {
    const { r, sentAt, gaveUpAt } = run();
    expect(sentAt.map((t) => t / MS)).toEqual([500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(gaveUpAt).toBe(32 * SECOND);
    expect(r.acknowledged).toBe(false);
  });

  it('stops at the ACK, and then never gives up', () => {
    const { r, sentAt, gaveUpAt } = run(2 * SECOND);
    expect(sentAt.map((t) => t / MS)).toEqual([500, 1500]);
    expect(gaveUpAt).toBeUndefined();
    expect(r.acknowledged).toBe(true);
  });

  it('takes no ACK after it gave up', () => {
    const { r, sentAt, gaveUpAt } = run(40 * SECOND);
    expect(sentAt).toHaveLength(10);
    expect(gaveUpAt).toBe(32 * SECOND);
    expect(r.acknowledged).toBe(false);
  });

  it('is acknowledged by an ACK of the same Call-ID, tags and CSeq number, whatever its CSeq method', () => {
    const { r } = run(0);
    expect(r.matches(ack())).toBe(true);
  });

  it.each([
    ['another method', ack({}, 'BYE')],
    ['another Call-ID', ack({ 'Call-ID': 'call-2' })],
    ['another From tag', ack({ From: '<sip:alice@a.example>;tag=a2' })],
    ['another To tag', ack({ To: '<sip:bob@b.example>;tag=b2' })],
    ['another CSeq number', ack({ CSeq: '8 ACK' })],
    ['no CSeq', ack({ CSeq: undefined })],
  ])('is not acknowledged by a request with %s', (_why, request) => {
    const { r } = run(0);
    expect(r.matches(request)).toBe(false);
  });
});
