import { describe, expect, it } from 'vitest';
import { createCancel, createNon2xxAck, createRequest, createResponse, methodOf, reasonPhrase } from '../../src/sip/builders.js';
import { SipParseError } from '../../src/sip/errors.js';
import { header, headers, type SipRequest } from '../../src/sip/message.js';
import { parseNameAddr } from '../../src/sip/name-addr.js';
import { parseMessage } from '../../src/sip/parser.js';
import { serializeMessage } from '../../src/sip/serializer.js';
import { parseUri, sipUri } from '../../src/sip/uri.js';

const base = {
  method: 'MESSAGE',
  uri: sipUri('bob', 'example.com'),
  from: { displayName: 'Alice', uri: sipUri('alice', 'example.com'), params: [{ name: 'tag', value: 'a1' }] },
  to: { uri: sipUri('bob', 'example.com'), params: [] },
  callId: 'call-1@pc33.example.com',
  cseq: 7,
  via: { protocol: 'SIP/2.0', transport: 'UDP', host: 'pc33.example.com', port: 5060, params: [{ name: 'branch', value: 'z9hG4bK1' }] },
};

describe('createRequest', () => {
  it('writes Via, Max-Forwards 70, From, To, Call-ID, CSeq in that order', () => {
    expect(createRequest(base)).toStrictEqual({
      type: 'request',
      method: 'MESSAGE',
      uri: base.uri,
      headers: [
        { name: 'Via', value: 'SIP/2.0/UDP pc33.example.com:5060;branch=z9hG4bK1' },
        { name: 'Max-Forwards', value: '70' },
        { name: 'From', value: 'Alice <sip:alice@example.com>;tag=a1' },
        { name: 'To', value: '<sip:bob@example.com>' },
        { name: 'Call-ID', value: 'call-1@pc33.example.com' },
        { name: 'CSeq', value: '7 MESSAGE' },
      ],
    });
  });

  it('adds Contact, then the extra headers, and the body; Max-Forwards as given', () => {
    const req = createRequest({
      ...base,
      method: 'INVITE',
      maxForwards: 3,
      contact: { uri: parseUri('sip:alice@192.0.2.1:5060;transport=tcp'), params: [{ name: '+g.oma.sip-im' }] },
      extra: [{ name: 'Conversation-ID', value: 'conv-1' }, { name: 'Contribution-ID', value: 'contrib-1' }],
      body: { kind: 'text', contentType: 'text/plain', text: 'hi' },
    });
    expect(req.headers.map((h) => `${h.name}: ${h.value}`)).toEqual([
      'Via: SIP/2.0/UDP pc33.example.com:5060;branch=z9hG4bK1',
      'Max-Forwards: 3',
      'From: Alice <sip:alice@example.com>;tag=a1',
      'To: <sip:bob@example.com>',
      'Call-ID: call-1@pc33.example.com',
      'CSeq: 7 INVITE',
      'Contact: <sip:alice@192.0.2.1:5060;transport=tcp>;+g.oma.sip-im',
      'Conversation-ID: conv-1',
      'Contribution-ID: contrib-1',
    ]);
    expect(req.body).toStrictEqual({ kind: 'text', contentType: 'text/plain', text: 'hi' });
    expect(parseMessage(serializeMessage(req))).toStrictEqual(req);
  });
});

describe('createResponse', () => {
  const wire = [
    'INVITE sip:bob@example.com SIP/2.0',
    'Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK2',
    'Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK1, SIP/2.0/TCP [::1]:5061;branch=z9hG4bK0',
    'Max-Forwards: 69',
    'Record-Route: <sip:proxy.example.com;lr>',
    'To: sip:bob@example.com',
    'From: "Alice" <sip:alice@example.com>;tag=a1',
    'Call-ID: c1',
    'CSeq: 1 INVITE',
    'Contact: <sip:alice@pc33.example.com>',
    'Subject: lunch',
  ].join('\r\n');
  const req = parseMessage(`${wire}\r\n\r\n`) as SipRequest;

  it('copies Via lines, From, To, Call-ID, CSeq as written and in that order (RFC 3261 8.2.6.2)', () => {
    expect(createResponse(req, 180)).toStrictEqual({
      type: 'response',
      status: 180,
      reason: 'Ringing',
      headers: [
        { name: 'Via', value: 'SIP/2.0/UDP proxy.example.com;branch=z9hG4bK2' },
        { name: 'Via', value: 'SIP/2.0/UDP pc33.example.com;branch=z9hG4bK1, SIP/2.0/TCP [::1]:5061;branch=z9hG4bK0' },
        { name: 'From', value: '"Alice" <sip:alice@example.com>;tag=a1' },
        { name: 'To', value: 'sip:bob@example.com' },
        { name: 'Call-ID', value: 'c1' },
        { name: 'CSeq', value: '1 INVITE' },
      ],
    });
  });

  it('adds the To tag as a header parameter, also to an addr-spec', () => {
    const res = createResponse(req, 200, { toTag: 'b2' });
    const to = res.headers.find((h) => h.name === 'To')?.value ?? '';
    expect(to).toBe('sip:bob@example.com;tag=b2');
    expect(parseNameAddr(to)).toStrictEqual({ uri: sipUri('bob', 'example.com'), params: [{ name: 'tag', value: 'b2' }] });
  });

  it('keeps an existing To tag', () => {
    const inDialog = parseMessage(`${wire.replace('To: sip:bob@example.com', 'To: <sip:bob@example.com>;TAG=x9')}\r\n\r\n`) as SipRequest;
    expect(createResponse(inDialog, 200, { toTag: 'b2' }).headers.find((h) => h.name === 'To')?.value).toBe('<sip:bob@example.com>;TAG=x9');
  });

  it('takes a reason, extra headers and a body', () => {
    const res = createResponse(req, 486, {
      reason: 'Busy Now',
      extra: [{ name: 'Retry-After', value: '60' }],
      body: { kind: 'text', contentType: 'text/plain', text: 'later' },
    });
    expect(res.reason).toBe('Busy Now');
    expect(res.headers.at(-1)).toStrictEqual({ name: 'Retry-After', value: '60' });
    expect(res.body).toStrictEqual({ kind: 'text', contentType: 'text/plain', text: 'later' });
    expect(parseMessage(serializeMessage(res))).toStrictEqual(res);
  });
});

describe('reasonPhrase', () => {
  it.each([
    [100, 'Trying'], [180, 'Ringing'], [200, 'OK'], [202, 'Accepted'], [204, 'No Notification'],
    [302, 'Moved Temporarily'], [404, 'Not Found'], [408, 'Request Timeout'], [412, 'Conditional Request Failed'],
    [415, 'Unsupported Media Type'], [423, 'Interval Too Brief'], [429, 'Provide Referrer Identity'],
    [481, 'Call/Transaction Does Not Exist'], [486, 'Busy Here'], [487, 'Request Terminated'], [489, 'Bad Event'],
    [500, 'Server Internal Error'], [503, 'Service Unavailable'], [603, 'Decline'],
  ])('%i %s', (status, phrase) => {
    expect(reasonPhrase(status)).toBe(phrase);
  });

  it('is empty for unregistered codes', () => {
    expect(reasonPhrase(299)).toBe('');
  });
});

describe('methodOf', () => {
  it('is the method of a request and the CSeq method of a response (RFC 3261 17.1.3)', () => {
    const req = createRequest(base);
    expect(methodOf(req)).toBe('MESSAGE');
    expect(methodOf(createResponse(req, 200))).toBe('MESSAGE');
  });

  it('throws for a response without CSeq', () => {
    expect(() => methodOf({ type: 'response', status: 200, reason: 'OK', headers: [] })).toThrow(SipParseError);
    expect(() => methodOf({ type: 'response', status: 200, reason: 'OK', headers: [] })).toThrow('response 200 has no CSeq header');
  });

  it("takes a request's own method even when its CSeq names another", () => {
    const req = createRequest(base);
    req.method = 'INFO';
    expect(methodOf(req)).toBe('INFO');
  });
});

describe('createCancel and createNon2xxAck (RFC 3261 9.1, 17.1.1.3)', () => {
  const sentInvite = (): SipRequest => {
    const inv = createRequest({
      method: 'INVITE',
      uri: sipUri('bob', 'example.com'),
      from: { uri: sipUri('alice', 'example.com'), params: [{ name: 'tag', value: 'a1' }] },
      to: { uri: sipUri('bob', 'example.com'), params: [] },
      callId: 'c@example.com',
      cseq: 12,
      contact: { uri: sipUri('alice', 'ua.example.com'), params: [] },
      extra: [{ name: 'Route', value: '<sip:p1.example.com;lr>, <sip:p2.example.com;lr>' }, { name: 'Subject', value: 'lunch' }],
      body: { kind: 'text', contentType: 'text/plain', text: 'offer' },
    });
    inv.headers = [{ name: 'Via', value: 'SIP/2.0/UDP proxy.example.com;branch=z9hG4bKtop, SIP/2.0/UDP ua.example.com;branch=z9hG4bKua' }, ...inv.headers];
    return inv;
  };

  it('a CANCEL keeps Request-URI, From, To, Call-ID, CSeq number, the top Via only and the Route; no body', () => {
    const inv = sentInvite();
    const cancel = createCancel(inv);
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.uri).toEqual(inv.uri);
    expect(headers(cancel, 'Via')).toEqual(['SIP/2.0/UDP proxy.example.com;branch=z9hG4bKtop']);
    expect(header(cancel, 'From')).toBe('<sip:alice@example.com>;tag=a1');
    expect(header(cancel, 'To')).toBe('<sip:bob@example.com>');
    expect(header(cancel, 'Call-ID')).toBe('c@example.com');
    expect(header(cancel, 'CSeq')).toBe('12 CANCEL');
    expect(headers(cancel, 'Route')).toEqual(['<sip:p1.example.com;lr>, <sip:p2.example.com;lr>']);
    expect(header(cancel, 'Contact')).toBeUndefined();
    expect(header(cancel, 'Subject')).toBeUndefined();
    expect(cancel.body).toBeUndefined();
    expect(parseMessage(serializeMessage(cancel))).toEqual(cancel);
  });

  it('refuses to cancel or acknowledge an INVITE that has no Via or no CSeq', () => {
    const without = (name: string): SipRequest => {
      const inv = sentInvite();
      inv.headers = inv.headers.filter((h) => h.name !== name);
      return inv;
    };
    expect(() => createCancel(without('Via'))).toThrow('cannot build CANCEL: the INVITE has no Via or CSeq');
    expect(() => createCancel(without('CSeq'))).toThrow('cannot build CANCEL');
    expect(() => createNon2xxAck(without('Via'), createResponse(sentInvite(), 486, { toTag: 'x' }))).toThrow('cannot build ACK');
  });

  it("an ACK for a non-2xx takes the INVITE's To when the response has none", () => {
    const inv = sentInvite();
    const res = createResponse(inv, 500);
    res.headers = res.headers.filter((h) => h.name !== 'To');
    expect(header(createNon2xxAck(inv, res), 'To')).toBe('<sip:bob@example.com>');
  });

  it('an ACK for a non-2xx takes To from the response, with its tag', () => {
    const inv = sentInvite();
    const res = createResponse(inv, 480, { toTag: 'x9' });
    const ack = createNon2xxAck(inv, res);
    expect(ack.method).toBe('ACK');
    expect(header(ack, 'To')).toBe('<sip:bob@example.com>;tag=x9');
    expect(header(ack, 'CSeq')).toBe('12 ACK');
    expect(headers(ack, 'Via')).toEqual(['SIP/2.0/UDP proxy.example.com;branch=z9hG4bKtop']);
    expect(parseMessage(serializeMessage(ack))).toEqual(ack);
  });
});

describe('answering a malformed request (RFC 3261 8.2.6.2, 21.4.1)', () => {
  const withTo = (to: string): SipRequest => ({
    type: 'request',
    method: 'MESSAGE',
    uri: { scheme: 'sip', user: 'bob', host: 'b.example', params: [], headers: [] },
    headers: [
      { name: 'Via', value: 'SIP/2.0/UDP a.example;branch=z9hG4bK1' },
      { name: 'From', value: '<sip:alice@a.example>;tag=1' },
      { name: 'To', value: to },
      { name: 'Call-ID', value: 'c@a.example' },
      { name: 'CSeq', value: '1 MESSAGE' },
    ],
  });
  it('copies a To that does not parse and adds the tag, as for any To', () => {
    expect(header(createResponse(withTo('<sip:bob@b.example'), 400, { toTag: 't' }), 'To')).toBe('<sip:bob@b.example;tag=t');
    expect(header(createResponse(withTo('"Bob <sip:bob@b.example>'), 400, { toTag: 't' }), 'To')).toBe('"Bob <sip:bob@b.example>;tag=t');
  });
  it('keeps a tag the malformed To already has', () => {
    expect(header(createResponse(withTo('<sip:bob@b.example>;tag=9;bad param'), 400, { toTag: 't' }), 'To')).toBe('<sip:bob@b.example>;tag=9;bad param');
    // Without "<" the whole value is searched: an addr-spec's tag is the header's (RFC 3261 20.10).
    expect(header(createResponse(withTo('sip:bob@b.example;tag=9;bad param'), 400, { toTag: 't' }), 'To')).toBe('sip:bob@b.example;tag=9;bad param');
  });
  it('reads a malformed To leniently: a tag with spaces around its name counts, one inside the URI does not', () => {
    expect(header(createResponse(withTo('<sip:bob@b.example>; \tTAG\t =9;bad param'), 400, { toTag: 't' }), 'To')).toBe('<sip:bob@b.example>; \tTAG\t =9;bad param');
    expect(header(createResponse(withTo('<sip:bob@b.example;tag=1>;bad param'), 400, { toTag: 't' }), 'To')).toBe('<sip:bob@b.example;tag=1>;bad param;tag=t');
    expect(header(createResponse(withTo('sip:bob@b.example;x;tags=1;bad param'), 400, { toTag: 't' }), 'To')).toBe('sip:bob@b.example;x;tags=1;bad param;tag=t');
  });
});
