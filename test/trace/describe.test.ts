/**
 * How a SIP message reads on a ladder arrow and to a step's `body:` (src/trace/describe.ts): its
 * label, its kind, the media types inside CPIM and outside it, and whether it carries a disposition
 * notification (RFC 5438) rather than a message.
 */
import { describe, expect, it } from 'vitest';
import type { Body } from '../../src/bodies/body.js';
import { buildCpim } from '../../src/bodies/cpim-codec.js';
import { buildImdnBody } from '../../src/bodies/imdn-codec.js';
import type { ImdnStatus } from '../../src/bodies/imdn.js';
import { createRequest, createResponse } from '../../src/sip/builders.js';
import type { SipRequest } from '../../src/sip/message.js';
import { sipUri } from '../../src/sip/uri.js';
import { carriesNotification, describeSip, innerContentType, outerContentType, sipKind } from '../../src/trace/describe.js';

const request = (method: string, body?: Body, event?: string): SipRequest =>
  createRequest({
    method,
    uri: sipUri('bob', 'b.example'),
    from: { uri: sipUri('alice', 'a.example'), params: [{ name: 'tag', value: 't1' }] },
    to: { uri: sipUri('bob', 'b.example'), params: [] },
    callId: 'c1',
    cseq: 1,
    ...(event === undefined ? {} : { extra: [{ name: 'Event', value: event }] }),
    ...(body === undefined ? {} : { body }),
  });

const imdn = (notification: ImdnStatus): Body => buildImdnBody({ messageId: 'm1', dateTime: '2026-01-01T00:00:00Z', notification });
const delivered = imdn({ type: 'delivery', status: 'delivered' });
const displayed = imdn({ type: 'display', status: 'displayed' });
const plain = (text: string): Body => ({ kind: 'text', contentType: 'text/plain;charset=UTF-8', text });
const cpim = (content: Body): Body => ({ kind: 'cpim', contentType: 'Message/CPIM ; x=1', cpim: buildCpim({ from: 'sip:alice@a.example', to: 'sip:bob@b.example', dateTime: '2026-01-01T00:00:00Z', content }) });
const mixed = (...parts: Body[]): Body => ({ kind: 'multipart', contentType: 'multipart/mixed;boundary=b', parts: parts.map((content) => ({ contentHeaders: [], content })) });

describe('labels (describeSip)', () => {
  it('a response: status, reason and the method it answers (its CSeq)', () => {
    const m = request('MESSAGE');
    expect(describeSip(createResponse(m, 200))).toBe('200 OK (MESSAGE)');
    expect(describeSip(createResponse(m, 486, { reason: 'Busy Here' }))).toBe('486 Busy Here (MESSAGE)');
    expect(describeSip(createResponse(m, 299, { reason: '' }))).toBe('299 (MESSAGE)');
  });

  it('a request: its method, and the event package of an Event header without parameters', () => {
    expect(describeSip(request('INVITE'))).toBe('INVITE');
    expect(describeSip(request('NOTIFY', undefined, 'reg'))).toBe('NOTIFY (reg)');
    expect(describeSip(request('SUBSCRIBE', undefined, 'conference;id=7'))).toBe('SUBSCRIBE (conference)');
  });

  it('a CPIM text in quotes, 24 characters at most (an ellipsis as the 24th), whitespace folded', () => {
    expect(describeSip(request('MESSAGE', cpim(plain('Hello Bob'))))).toBe('MESSAGE "Hello Bob"');
    expect(describeSip(request('MESSAGE', cpim(plain('123456789012345678901234'))))).toBe('MESSAGE "123456789012345678901234"');
    expect(describeSip(request('MESSAGE', cpim(plain('1234567890123456789012345'))))).toBe('MESSAGE "12345678901234567890123…"');
    expect(describeSip(request('MESSAGE', cpim(plain('Hi\r\n\t  there'))))).toBe('MESSAGE "Hi there"');
    // Text outside CPIM is not quoted: only a CPM message says what its text is.
    expect(describeSip(request('MESSAGE', plain('Hello')))).toBe('MESSAGE');
  });

  it('the statuses of the IMDNs a body carries, one or several aggregated', () => {
    expect(describeSip(request('MESSAGE', cpim(delivered)))).toBe('MESSAGE [IMDN delivered]');
    expect(describeSip(request('MESSAGE', delivered))).toBe('MESSAGE [IMDN delivered]');
    expect(describeSip(request('MESSAGE', cpim(mixed(delivered, displayed))))).toBe('MESSAGE [IMDN delivered, displayed]');
    expect(describeSip(request('NOTIFY', cpim(delivered), 'x'))).toBe('NOTIFY (x) [IMDN delivered]');
    // A multipart with anything but IMDNs is not a notification, and its text is not quoted.
    expect(describeSip(request('MESSAGE', cpim(mixed(delivered, plain('x')))))).toBe('MESSAGE');
  });
});

describe('kinds (sipKind)', () => {
  it('a request, unless it is a NOTIFY or carries an IMDN', () => {
    expect(sipKind(request('MESSAGE', cpim(plain('x'))))).toBe('request');
    expect(sipKind(request('INVITE'))).toBe('request');
    expect(sipKind(request('NOTIFY', undefined, 'reg'))).toBe('notification');
    expect(sipKind(request('MESSAGE', cpim(delivered)))).toBe('notification');
  });

  it('a response by its class: 1xx provisional, 2xx success, 3xx redirect, the rest errors', () => {
    const m = request('MESSAGE');
    const kind = (status: number): string => sipKind(createResponse(m, status));
    expect([100, 199, 200, 299, 300, 399, 400, 500, 603].map(kind)).toEqual(['provisional', 'provisional', 'success', 'success', 'redirect', 'redirect', 'error', 'error', 'error']);
  });
});

describe('content types', () => {
  it('inner: the content a CPIM wrapper carries, else the body\'s own; lower case, no parameters', () => {
    expect(innerContentType(cpim(plain('x')))).toBe('text/plain');
    expect(innerContentType(cpim({ kind: 'text', contentType: ' Text/HTML ;charset=UTF-8', text: 'x' }))).toBe('text/html');
    expect(innerContentType(cpim(delivered))).toBe('message/imdn+xml');
    expect(innerContentType(plain('x'))).toBe('text/plain');
    expect(innerContentType(undefined)).toBeUndefined();
  });

  it('outer: the body\'s own, lower case, no parameters', () => {
    expect(outerContentType(cpim(plain('x')))).toBe('message/cpim');
    expect(outerContentType(delivered)).toBe('message/imdn+xml');
    expect(outerContentType(undefined)).toBeUndefined();
  });
});

describe('carriesNotification', () => {
  it('an IMDN, alone, in CPIM, or every part of a multipart in CPIM', () => {
    expect(carriesNotification(delivered)).toBe(true);
    expect(carriesNotification(cpim(displayed))).toBe(true);
    expect(carriesNotification(cpim(mixed(delivered, displayed)))).toBe(true);
  });

  it('not a text, a multipart with another part or none, a multipart outside CPIM, or no body', () => {
    expect(carriesNotification(cpim(plain('x')))).toBe(false);
    expect(carriesNotification(plain('x'))).toBe(false);
    expect(carriesNotification(cpim(mixed(plain('x'), delivered)))).toBe(false);
    expect(carriesNotification(cpim(mixed()))).toBe(false);
    expect(carriesNotification(cpim({ kind: 'binary', contentType: 'application/octet-stream', octets: new Uint8Array([1]) }))).toBe(false);
    expect(carriesNotification(mixed(delivered))).toBe(false);
    expect(carriesNotification(undefined)).toBe(false);
  });
});
