/**
 * What the monitors read off the messages of a trace (src/trace/monitors/sip-facts.ts): which
 * messages arrived, a transaction's name (RFC 3261 17.1.3: top Via branch and CSeq method), the
 * dialog tags, a CPM message's imdn.Message-ID (RFC 5438 6.3), the notifications a body carries
 * and what is a pager-mode CPM Message (CPM 5.2.2.1); a malformed header reads as absent.
 */
import { describe, expect, it } from 'vitest';
import type { Body } from '../../../src/bodies/body.js';
import type { SipMessage, SipRequest } from '../../../src/sip/message.js';
import { sipUri } from '../../../src/sip/uri.js';
import { arrivals, callIdOf, cseqMethod, fromTag, isPagerMessage, isSent, messageIdOf, notificationsIn, sipOf, toTag, transactionKey } from '../../../src/trace/monitors/sip-facts.js';
import { ALICE, BOB, CORE, cpim, msrpRequest, notification, request, response, Trace } from './fixtures.js';

/** `msg` with header `name` set to `value`, or removed when `value` is undefined. */
function withHeader<M extends SipMessage>(msg: M, name: string, value: string | undefined): M {
  const others = msg.headers.filter((h) => h.name !== name);
  return { ...msg, headers: value === undefined ? others : [...others, { name, value }] };
}

const delivered = { type: 'delivery', status: 'delivered' } as const;
const displayed = { type: 'display', status: 'displayed' } as const;
const imdnOf = (body: Body): Body => (body.kind === 'cpim' ? body.cpim.content : body);

describe('isSent and arrivals', () => {
  it('counts transmits and undeliverable messages as sent, notes not', () => {
    const t = new Trace();
    const sent = t.send(ALICE, CORE, request('MESSAGE'));
    const lost = t.undeliverable(ALICE, CORE, request('MESSAGE'));
    const note = t.note(ALICE, 'delivered');
    expect([sent, lost, note].map(isSent)).toEqual([true, true, false]);
  });

  it('arrived: a transmit not lost in flight; neither an undeliverable message nor a lost transmit', () => {
    const t = new Trace();
    t.send(ALICE, CORE, request('MESSAGE', { callId: 'a' }));
    const lost = t.send(ALICE, CORE, request('MESSAGE', { callId: 'b' }));
    t.undeliverable(ALICE, CORE, request('MESSAGE', { callId: 'c' }));
    t.note(CORE, 'routed');
    t.send(CORE, BOB, request('MESSAGE', { callId: 'e' }));
    t.lostInFlight(lost);
    expect([...arrivals(t.events)].sort()).toEqual([1, 5]);
  });
});

describe('sipOf and callIdOf', () => {
  it('gives a SIP message back and nothing for another protocol', () => {
    const msg = request('MESSAGE');
    expect(sipOf(msg)).toBe(msg);
    expect(sipOf(msrpRequest())).toBeUndefined();
    expect(callIdOf(request('MESSAGE', { callId: 'abc@x' }))).toBe('abc@x');
    expect(callIdOf(withHeader(request('MESSAGE'), 'Call-ID', undefined))).toBeUndefined();
  });
});

describe('transactionKey (RFC 3261 17.1.3, 17.2.3)', () => {
  it('names a transaction by the top Via branch and the CSeq method', () => {
    expect(transactionKey(request('INVITE', { branch: 'z9hG4bKx' }))).toBe('z9hG4bKx|INVITE');
    // The response carries its request's Via and CSeq: the same transaction.
    expect(transactionKey(response(request('INVITE', { branch: 'z9hG4bKx' }), 486))).toBe('z9hG4bKx|INVITE');
    // CANCEL reuses the INVITE's branch but is a transaction of its own.
    expect(transactionKey(request('CANCEL', { branch: 'z9hG4bKx' }))).toBe('z9hG4bKx|CANCEL');
  });

  it('reads the branch of the top Via only, wherever it stands among the parameters', () => {
    const two = withHeader(request('MESSAGE'), 'Via', 'SIP/2.0/UDP core.a.example;received=192.0.2.1;branch=z9hG4bKtop, SIP/2.0/UDP phone.alice.a.example;branch=z9hG4bKlow');
    expect(transactionKey(two)).toBe('z9hG4bKtop|MESSAGE');
  });

  it('has no name without a Via, a CSeq or a branch, nor when either does not parse', () => {
    expect(transactionKey(request('MESSAGE', { branch: '' }))).toBeUndefined();
    expect(transactionKey(withHeader(request('MESSAGE'), 'CSeq', undefined))).toBeUndefined();
    expect(transactionKey(withHeader(request('MESSAGE'), 'Via', 'SIP/2.0/UDP core.a.example;rport'))).toBeUndefined();
    expect(transactionKey(withHeader(request('MESSAGE'), 'Via', 'garbage'))).toBeUndefined();
    expect(transactionKey(withHeader(request('MESSAGE'), 'CSeq', 'x'))).toBeUndefined();
  });
});

describe('tags and the CSeq method', () => {
  it('reads the To and From tags, undefined when absent or when the header does not parse', () => {
    const req = request('MESSAGE', { fromTag: 'f1', toTag: 't1' });
    expect([fromTag(req), toTag(req)]).toEqual(['f1', 't1']);
    const noTags = request('MESSAGE', { fromTag: '' });
    expect([fromTag(noTags), toTag(noTags)]).toEqual([undefined, undefined]);
    const broken = withHeader(withHeader(req, 'To', '<sip:bob@b.example'), 'From', '<<<');
    expect([fromTag(broken), toTag(broken)]).toEqual([undefined, undefined]);
    expect(toTag(withHeader(req, 'To', undefined))).toBeUndefined();
  });

  it('reads the CSeq method, undefined when absent or unparseable', () => {
    expect(cseqMethod(request('BYE'))).toBe('BYE');
    expect(cseqMethod(response(request('BYE'), 200))).toBe('BYE');
    expect(cseqMethod(withHeader(request('BYE'), 'CSeq', undefined))).toBeUndefined();
    expect(cseqMethod(withHeader(request('BYE'), 'CSeq', 'one BYE'))).toBeUndefined();
  });
});

describe('messageIdOf (RFC 5438 6.3)', () => {
  it('reads imdn.Message-ID from a CPIM body only', () => {
    expect(messageIdOf(cpim('m1'))).toBe('m1');
    expect(messageIdOf(cpim(undefined))).toBeUndefined();
    expect(messageIdOf({ kind: 'text', contentType: 'text/plain', text: 'imdn.Message-ID: m1' })).toBeUndefined();
    expect(messageIdOf(undefined)).toBeUndefined();
  });
});

describe('notificationsIn', () => {
  it('finds a notification as the body, as the CPIM content, and in each IMDN part of a multipart content', () => {
    const n1 = notification('m1', delivered);
    const n2 = notification('m2', displayed);
    const [i1, i2] = [imdnOf(n1), imdnOf(n2)];
    if (i1.kind !== 'imdn' || i2.kind !== 'imdn') throw new Error('fixture notifications carry IMDN content');
    expect(notificationsIn(i1)).toEqual([i1.imdn]);
    expect(notificationsIn(n1)).toEqual([i1.imdn]);
    const aggregated = cpim('agg', {
      kind: 'multipart',
      contentType: 'multipart/mixed;boundary=b',
      parts: [
        { contentHeaders: [], content: i1 },
        { contentHeaders: [], content: { kind: 'text', contentType: 'text/plain', text: 'not a notification' } },
        { contentHeaders: [], content: i2 },
      ],
    });
    expect(notificationsIn(aggregated)).toEqual([i1.imdn, i2.imdn]);
  });

  it('finds none in a message, a text body or no body', () => {
    expect(notificationsIn(cpim('m1'))).toEqual([]);
    expect(notificationsIn({ kind: 'text', contentType: 'text/plain', text: 'hi' })).toEqual([]);
    expect(notificationsIn(undefined)).toEqual([]);
  });
});

describe('isPagerMessage (CPM 5.2.2.1)', () => {
  const pager = (parts: Parameters<typeof request>[1] = {}): SipRequest => request('MESSAGE', { body: cpim('m1'), ...parts });

  it('is a MESSAGE request with CPIM content that is not a notification', () => {
    expect(isPagerMessage(pager())).toBe(true);
    expect(isPagerMessage({ ...pager(), uri: { scheme: 'tel', number: '+15551230001', params: [] } as never })).toBe(true);
  });

  it('is not another method, a response, a body other than CPIM, or a notification', () => {
    expect(isPagerMessage(request('INVITE', { body: cpim('m1') }))).toBe(false);
    expect(isPagerMessage({ ...response(pager(), 200), body: cpim('m1') })).toBe(false);
    expect(isPagerMessage(request('MESSAGE', { body: { kind: 'text', contentType: 'text/plain', text: 'Hello' } }))).toBe(false);
    expect(isPagerMessage(request('MESSAGE'))).toBe(false);
    expect(isPagerMessage(request('MESSAGE', { body: notification('m1', delivered) }))).toBe(false);
  });

  it('is not a request to the deferred messaging service (CPM 5.2.2.2.2)', () => {
    expect(isPagerMessage({ ...pager(), uri: sipUri('deferred', 'a.example') })).toBe(false);
    expect(isPagerMessage({ ...pager(), uri: sipUri('deferred2', 'a.example') })).toBe(true);
  });
});
