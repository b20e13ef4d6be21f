/**
 * How a scenario step and an arrow read each protocol's messages (src/trace/wire-format.ts): the
 * label drawn, the kind that colours it, the name `request:` compares, what `response:` accepts,
 * the media types `body:` may name, the parties `user:` may name, what stays the same along the
 * hops of one message, and the readable text of the binary protocols. Each rule has a value it
 * must accept and one it must refuse.
 */
import { describe, expect, it } from 'vitest';
import type { Body } from '../../src/bodies/body.js';
import { buildCpim } from '../../src/bodies/cpim-codec.js';
import { buildImdnBody } from '../../src/bodies/imdn-codec.js';
import type { BfcpMessage } from '../../src/bfcp/message.js';
import type { ImpsMessage, MessageInfo } from '../../src/imps/message.js';
import type { Mm7Message, Mm7Request, Mm7Response } from '../../src/mm7/message.js';
import { parseMsrpUri } from '../../src/msrp/uri.js';
import type { MsrpMessage } from '../../src/msrp/message.js';
import type { RtcpPacket, RtpPacket } from '../../src/rtp/packet.js';
import { createRequest, createResponse } from '../../src/sip/builders.js';
import { pushHeader, removeHeaders, type SipRequest } from '../../src/sip/message.js';
import { sipUri } from '../../src/sip/uri.js';
import { DATA_CODING, ESM_CLASS, SMPP_STATUS, telToSmpp, type ShortMessage, type SmppPdu } from '../../src/smpp/pdu.js';
import type { SmtpExchange } from '../../src/smtp/exchange.js';
import { describeMessage, messageKind, wireFormat, wireText } from '../../src/trace/wire-format.js';
import type { WirePayload } from '../../src/wire/payload.js';
import type { XcapMessage } from '../../src/xcap/message.js';

const request = (m: WirePayload): string | undefined => wireFormat(m).request(m);
const response = (m: WirePayload, want: number | string): boolean => wireFormat(m).response(m, want);
const types = (m: WirePayload): string[] => wireFormat(m).contentTypes(m);
const parties = (m: WirePayload): string[] => wireFormat(m).parties(m);
const hopKey = (m: WirePayload): string => wireFormat(m).hopKey(m);

const cpimText = (text: string, from = 'sip:alice@a.example', to = 'sip:bob@b.example'): Body => ({
  kind: 'cpim',
  contentType: 'message/cpim',
  cpim: buildCpim({ from, to, dateTime: '2026-01-01T00:00:00Z', content: { kind: 'text', contentType: 'text/plain;charset=UTF-8', text } }),
});
const cpimImdn = (): Body => ({
  kind: 'cpim',
  contentType: 'Message/CPIM',
  cpim: buildCpim({ from: 'sip:bob@b.example', to: 'sip:alice@a.example', dateTime: '2026-01-01T00:00:01Z', content: buildImdnBody({ messageId: 'm1', dateTime: '2026-01-01T00:00:00Z', notification: { type: 'delivery', status: 'delivered' } }) }),
});

describe('SIP', () => {
  const message = (body?: Body, callId = 'c1', cseq = 1): SipRequest =>
    createRequest({
      method: 'MESSAGE',
      uri: sipUri('bob', 'b.example'),
      from: { displayName: 'Alice', uri: sipUri('alice', 'A.Example'), params: [{ name: 'tag', value: 't1' }] },
      to: { uri: sipUri('bob', 'b.example'), params: [] },
      callId,
      cseq,
      ...(body === undefined ? {} : { body }),
    });

  it('labels and kinds come from describe.ts, text is the message as sent', () => {
    const m = message(cpimText('Hello'));
    expect(describeMessage(m)).toBe('MESSAGE "Hello"');
    expect(messageKind(m)).toBe('request');
    expect(messageKind(createResponse(m, 404))).toBe('error');
    expect(wireText(m).startsWith('MESSAGE sip:bob@b.example SIP/2.0\r\nMax-Forwards: 70\r\n')).toBe(true);
  });

  it('request: the method of a request, nothing for a response', () => {
    const m = message();
    expect(request(m)).toBe('MESSAGE');
    expect(request(createResponse(m, 200))).toBeUndefined();
  });

  it('response: a code, or a class of the form Nxx; a request never', () => {
    const ok = createResponse(message(), 200);
    const notFound = createResponse(message(), 404);
    expect(response(ok, 200)).toBe(true);
    expect(response(ok, 202)).toBe(false);
    expect(response(ok, '2xx')).toBe(true);
    expect(response(notFound, '2xx')).toBe(false);
    expect(response(ok, '4xx')).toBe(false);
    expect(response(notFound, '4xx')).toBe(true);
    expect(response(ok, '2x')).toBe(false);
    expect(response(ok, '2xxx')).toBe(false);
    expect(response(ok, 'a2xx')).toBe(false);
    expect(response(ok, '22xx')).toBe(false);
    expect(response(ok, '200')).toBe(false);
    expect(response(message(), 200)).toBe(false);
    expect(response(message(), 'MESSAGE')).toBe(false);
  });

  it('contentTypes: the content inside CPIM and CPIM itself, lower case without parameters', () => {
    expect(types(message(cpimImdn()))).toEqual(['message/imdn+xml', 'message/cpim']);
    expect(types(message({ kind: 'text', contentType: 'Text/Plain; charset=UTF-8', text: 'x' }))).toEqual(['text/plain', 'text/plain']);
    expect(types(message())).toEqual([]);
  });

  it('parties: the addresses of record of From and To, those present', () => {
    const m = message();
    expect(parties(m)).toEqual(['sip:alice@a.example', 'sip:bob@b.example']);
    removeHeaders(m, 'To');
    expect(parties(m)).toEqual(['sip:alice@a.example']);
  });

  it('hopKey: Call-ID, CSeq and the method or status stay along the hops; each tells messages apart', () => {
    const m = message();
    const forwarded = message();
    pushHeader(forwarded, 'Via', 'SIP/2.0/UDP core.b.example;branch=z9hG4bK2');
    expect(hopKey(forwarded)).toBe(hopKey(m));
    expect(hopKey(message(undefined, 'c2'))).not.toBe(hopKey(m));
    expect(hopKey(message(undefined, 'c1', 2))).not.toBe(hopKey(m));
    expect(hopKey(createResponse(m, 200))).not.toBe(hopKey(m));
    expect(hopKey(createResponse(m, 200))).not.toBe(hopKey(createResponse(m, 202)));
  });
});

describe('SMPP', () => {
  const short = (text: string, esmClass: number = ESM_CLASS.DEFAULT, dataCoding: number = DATA_CODING.LATIN1): ShortMessage => ({
    source: telToSmpp('tel:+15551230001'),
    destination: telToSmpp('tel:+15559870001'),
    esmClass,
    registeredDelivery: 1,
    dataCoding,
    text,
    tlvs: {},
  });
  const submit = (text: string, esmClass: number = ESM_CLASS.DEFAULT, sequence = 7): SmppPdu => ({ protocol: 'smpp', command: 'submit_sm', sequence, message: short(text, esmClass) });
  const deliver = (text: string, esmClass: number = ESM_CLASS.DEFAULT): SmppPdu => ({ protocol: 'smpp', command: 'deliver_sm', sequence: 8, message: short(text, esmClass) });
  const submitResp = (status: number): SmppPdu => ({ protocol: 'smpp', command: 'submit_sm_resp', sequence: 7, status, messageId: 'abc' });
  const bind: SmppPdu = { protocol: 'smpp', command: 'bind_transceiver', sequence: 1, systemId: 'cpm-iwf', password: 'secret' };
  const enquire: SmppPdu = { protocol: 'smpp', command: 'enquire_link', sequence: 3 };

  it('labels: a response by its command, an error with the 8-digit hex status; a bind with its system id', () => {
    expect(describeMessage(submitResp(SMPP_STATUS.ESME_ROK))).toBe('submit_sm_resp');
    expect(describeMessage(submitResp(SMPP_STATUS.ESME_RINVDSTADR))).toBe('submit_sm_resp (error 0x0000000b)');
    expect(describeMessage(submitResp(0x1234abcd))).toBe('submit_sm_resp (error 0x1234abcd)');
    expect(describeMessage(bind)).toBe('bind_transceiver (cpm-iwf)');
    expect(describeMessage(enquire)).toBe('enquire_link');
  });

  it('labels: a short message by its text, a delivery receipt and an acknowledgement by what they are (5.2.12)', () => {
    expect(describeMessage(submit('Hello'))).toBe('submit_sm "Hello"');
    expect(describeMessage(deliver('Hello'))).toBe('deliver_sm "Hello"');
    expect(describeMessage(deliver('id:1 stat:DELIVRD', ESM_CLASS.SMSC_DELIVERY_RECEIPT))).toBe('deliver_sm delivery receipt');
    expect(describeMessage(submit('', ESM_CLASS.ESME_DELIVERY_ACK))).toBe('submit_sm delivery ack');
    // Bits outside the message type (UDHI, 0x40) do not change what the PDU is.
    expect(describeMessage(deliver('x', 0x40 | ESM_CLASS.SMSC_DELIVERY_RECEIPT))).toBe('deliver_sm delivery receipt');
    expect(describeMessage(deliver('Hello', 0x40))).toBe('deliver_sm "Hello"');
  });

  it('labels: a text of more than 24 characters ends in an ellipsis at 24, whitespace folded to one space', () => {
    expect(describeMessage(submit('123456789012345678901234'))).toBe('submit_sm "123456789012345678901234"');
    expect(describeMessage(submit('1234567890123456789012345'))).toBe('submit_sm "12345678901234567890123…"');
    expect(describeMessage(submit('a\r\n \tb  c'))).toBe('submit_sm "a b c"');
  });

  it('kinds: a response succeeds with status 0; a receipt or an acknowledgement is a notification', () => {
    expect(messageKind(submitResp(0))).toBe('success');
    expect(messageKind(submitResp(SMPP_STATUS.ESME_RX_T_APPN))).toBe('error');
    expect(messageKind(submit('Hello'))).toBe('request');
    expect(messageKind(deliver('Hello'))).toBe('request');
    expect(messageKind(deliver('x', ESM_CLASS.SMSC_DELIVERY_RECEIPT))).toBe('notification');
    expect(messageKind(submit('', ESM_CLASS.ESME_DELIVERY_ACK))).toBe('notification');
    expect(messageKind(deliver('Hello', 0x40))).toBe('request');
    expect(messageKind(bind)).toBe('request');
    expect(messageKind(enquire)).toBe('request');
  });

  it('request: the command of a request, nothing for a response', () => {
    expect(request(submit('x'))).toBe('submit_sm');
    expect(request(enquire)).toBe('enquire_link');
    expect(request(submitResp(0))).toBeUndefined();
  });

  it('response: by command name or by numeric command_status; a request never', () => {
    expect(response(submitResp(0), 'submit_sm_resp')).toBe(true);
    expect(response(submitResp(0), 'deliver_sm_resp')).toBe(false);
    expect(response(submitResp(0), 0)).toBe(true);
    expect(response(submitResp(SMPP_STATUS.ESME_RINVDSTADR), 0)).toBe(false);
    expect(response(submitResp(SMPP_STATUS.ESME_RINVDSTADR), 11)).toBe(true);
    expect(response(submitResp(0), '0')).toBe(false);
    expect(response(submitResp(0), '2xx')).toBe(false);
    expect(response(submit('x'), 'submit_sm')).toBe(false);
  });

  it('contentTypes: none; parties: the tel URIs of source and destination of a short message', () => {
    expect(types(submit('x'))).toEqual([]);
    expect(parties(submit('x'))).toEqual(['tel:+15551230001', 'tel:+15559870001']);
    expect(parties(submitResp(0))).toEqual([]);
    expect(parties(bind)).toEqual([]);
  });

  it('hopKey: sequence number and command; a response shares the sequence but not the command', () => {
    expect(hopKey(submit('x'))).toBe(hopKey(submit('y')));
    expect(hopKey(submit('x', ESM_CLASS.DEFAULT, 9))).not.toBe(hopKey(submit('x')));
    expect(hopKey(submitResp(0))).not.toBe(hopKey(submit('x')));
  });

  it('text: the header as Wireshark lists it, then the fields of a short message', () => {
    expect(wireText(submit('Hello'))).toBe(
      [
        'SMPP submit_sm (command_length 60, sequence_number 7)',
        'source_addr: +15551230001',
        'destination_addr: +15559870001',
        'esm_class: 0x00',
        'registered_delivery: 1',
        'data_coding: 0x03',
        'short_message: Hello',
        '',
      ].join('\n'),
    );
    const receipt: SmppPdu = { protocol: 'smpp', command: 'deliver_sm', sequence: 8, message: { ...short('id:abc stat:DELIVRD', ESM_CLASS.SMSC_DELIVERY_RECEIPT), tlvs: { receiptedMessageId: 'abc', messageState: 2, userMessageReference: 5 } } };
    expect(wireText(receipt)).toMatch(/esm_class: 0x04\n.*\nshort_message: id:abc stat:DELIVRD\nreceipted_message_id: abc\nmessage_state: 2\nuser_message_reference: 5\n$/s);
  });

  it('text: more than 254 octets of text go in message_payload', () => {
    const ucs2 = (chars: number): SmppPdu => ({ protocol: 'smpp', command: 'submit_sm', sequence: 7, message: short('Ж'.repeat(chars), ESM_CLASS.DEFAULT, DATA_CODING.UCS2) });
    expect(wireText(ucs2(127))).toContain('\nshort_message: Ж');
    expect(wireText(ucs2(128))).toContain('\nmessage_payload: Ж');
  });

  it('text: a response with its status; the message id only of a successful submit_sm_resp; system ids', () => {
    expect(wireText(submitResp(0))).toBe('SMPP submit_sm_resp (command_length 20, sequence_number 7, command_status 0x00000000)\nmessage_id: abc\n');
    expect(wireText(submitResp(0x45))).toBe('SMPP submit_sm_resp (command_length 16, sequence_number 7, command_status 0x00000045)\n');
    expect(wireText(bind)).toContain('\nsystem_id: cpm-iwf\n');
    expect(wireText({ protocol: 'smpp', command: 'bind_transceiver_resp', sequence: 1, status: 0, systemId: 'smsc' })).toContain('\nsystem_id: smsc\n');
    expect(wireText({ protocol: 'smpp', command: 'deliver_sm_resp', sequence: 8, status: 0 })).toBe('SMPP deliver_sm_resp (command_length 17, sequence_number 8, command_status 0x00000000)\n');
    expect(wireText(enquire)).toBe('SMPP enquire_link (command_length 16, sequence_number 3)\n');
  });
});

describe('SMTP', () => {
  const client = 'iwf-email.a.example';
  const opens: SmtpExchange = { protocol: 'smtp', client, role: 'client', opens: true };
  const commands = (...lines: string[]): SmtpExchange => ({ protocol: 'smtp', client, role: 'client', commands: lines });
  const content = (text: string): SmtpExchange => ({ protocol: 'smtp', client, role: 'client', content: text });
  const replies = (...rs: [number, ...string[]][]): SmtpExchange => ({ protocol: 'smtp', client, role: 'server', replies: rs.map(([code, ...lines]) => ({ code, lines })) });
  const dsn = 'From: mailer@b.example\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b--\r\n';

  it('labels: replies by code and first line; commands by verb; content by size in octets, a DSN named', () => {
    expect(describeMessage(replies([250, 'OK'], [354, 'Go ahead', 'more']))).toBe('250 OK, 354 Go ahead');
    expect(describeMessage(replies([250, ''], [221]))).toBe('250, 221');
    expect(describeMessage(opens)).toBe('connect');
    expect(describeMessage(commands('MAIL FROM:<a@a.example>', 'rcpt TO:<b@b.example>', 'DATA'))).toBe('MAIL, RCPT, DATA');
    expect(describeMessage(content('Subject: é\r\n\r\nHi\r\n'))).toBe('message (19 octets)');
    expect(describeMessage(content(dsn))).toBe(`DSN (${Buffer.byteLength(dsn)} octets)`);
  });

  it('a DSN is a multipart/report (RFC 3464), its Content-Type at the start of a line, in any case', () => {
    expect(describeMessage(content('content-type: Multipart/Report\r\n\r\n'))).toMatch(/^DSN /);
    expect(describeMessage(content('Content-Type: multipart/mixed\r\n\r\n'))).toMatch(/^message /);
    expect(describeMessage(content('X-Content-Type: multipart/report\r\n\r\n'))).toMatch(/^message /);
    // RFC 5322 2.2: the field body follows the colon with or without white space before it.
    expect(describeMessage(content('Content-Type:multipart/report\r\n\r\n'))).toMatch(/^DSN /);
    expect(describeMessage(content('Content-Type:  multipart/report\r\n\r\n'))).toMatch(/^DSN /);
  });

  it('kinds: content of a DSN is a notification, other client writes requests; a reply of 400 or more an error', () => {
    expect(messageKind(content(dsn))).toBe('notification');
    expect(messageKind(content('Subject: x\r\n\r\nHi\r\n'))).toBe('request');
    expect(messageKind(commands('QUIT'))).toBe('request');
    expect(messageKind(opens)).toBe('request');
    expect(messageKind(replies([250, 'OK'], [354, 'Go ahead']))).toBe('success');
    expect(messageKind(replies([250, 'OK'], [400, 'Try later']))).toBe('error');
    expect(messageKind(replies([550, 'No such user']))).toBe('error');
  });

  it('request: connect, the verb of the first command, or content; nothing for replies', () => {
    expect(request(opens)).toBe('connect');
    expect(request(commands('rcpt TO:<b@b.example>', 'DATA'))).toBe('RCPT');
    expect(request(commands())).toBe('');
    expect(request(content('x'))).toBe('content');
    expect(request(replies([250, 'OK']))).toBeUndefined();
  });

  it('response: a code or a class any of the replies has; a client write never', () => {
    const pipelined = replies([250, 'OK'], [354, 'Go ahead']);
    expect(response(pipelined, 354)).toBe(true);
    expect(response(pipelined, '3xx')).toBe(true);
    expect(response(pipelined, '2xx')).toBe(true);
    expect(response(pipelined, '5xx')).toBe(false);
    expect(response(pipelined, 251)).toBe(false);
    expect(response(commands('DATA'), 250)).toBe(false);
  });

  it('contentTypes: the Content-Type lines of the content, lower case; none for commands and replies', () => {
    const mixed = 'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\ncontent-type: Text/HTML\r\n\r\n<p>x</p>\r\n--b\r\nX-Content-Type: image/png\r\n\r\n--b--\r\n';
    expect(types(content(mixed))).toEqual(['multipart/mixed', 'text/html']);
    // White space after the colon is optional (RFC 5322 2.2), and may be more than one space.
    expect(types(content('Content-Type:text/plain\r\n\r\nx'))).toEqual(['text/plain']);
    expect(types(content('Content-Type:  text/plain\r\n\r\nx'))).toEqual(['text/plain']);
    expect(types(commands('DATA'))).toEqual([]);
    expect(types(replies([250, 'OK']))).toEqual([]);
    expect(parties(content(mixed))).toEqual([]);
  });

  it('hopKey: the client and the octets', () => {
    expect(hopKey(commands('DATA'))).toBe(hopKey(commands('DATA')));
    expect(hopKey(commands('DATA'))).not.toBe(hopKey(commands('QUIT')));
    expect(hopKey(commands('DATA'))).not.toBe(hopKey({ protocol: 'smtp', client: 'mail.b.example', role: 'client', commands: ['DATA'] }));
    expect(wireText(replies([250, 'a', 'b']))).toBe('250-a\r\n250 b\r\n');
  });
});

describe('MSRP', () => {
  const path = { toPath: [parseMsrpUri('msrp://b.example:2855/s;tcp')], fromPath: [parseMsrpUri('msrp://a.example:2855/s;tcp')] };
  const send = (body: Body | undefined, transactionId = 'tx01', messageId: string | null = 'm1', method = 'SEND'): MsrpMessage => ({
    protocol: 'msrp',
    type: 'msrp-request',
    transactionId,
    method,
    ...path,
    headers: messageId === null ? [] : [{ name: 'message-id', value: messageId }],
    ...(body === undefined ? {} : { body }),
    continuation: '$',
  });
  const answer = (status: number, comment?: string): MsrpMessage => ({ protocol: 'msrp', type: 'msrp-response', transactionId: 'tx01', ...path, headers: [], status, ...(comment === undefined ? {} : { comment }) });

  it('labels: the method with what the content says; a response by status and comment', () => {
    expect(describeMessage(send(cpimText('Hello Bob')))).toBe('MSRP SEND "Hello Bob"');
    expect(describeMessage(send(cpimImdn()))).toBe('MSRP SEND [IMDN delivered]');
    expect(describeMessage(answer(200, 'OK'))).toBe('MSRP 200 OK');
    expect(describeMessage(answer(200))).toBe('MSRP 200');
    expect(wireText(answer(200, 'OK')).startsWith('MSRP tx01 200 OK\r\n')).toBe(true);
  });

  it('kinds: REPORT and a SEND of an IMDN are notifications; a response under 300 succeeds', () => {
    expect(messageKind(send(cpimText('x')))).toBe('request');
    expect(messageKind(send(cpimImdn()))).toBe('notification');
    expect(messageKind(send(undefined, 'tx02', 'm1', 'REPORT'))).toBe('notification');
    expect(messageKind(answer(200))).toBe('success');
    expect(messageKind(answer(300))).toBe('error');
    expect(messageKind(answer(481))).toBe('error');
  });

  it('request, response: the method; the status, by code or class', () => {
    expect(request(send(undefined))).toBe('SEND');
    expect(request(answer(200))).toBeUndefined();
    expect(response(answer(200), '2xx')).toBe(true);
    expect(response(answer(200), 200)).toBe(true);
    expect(response(answer(413), '2xx')).toBe(false);
    expect(response(send(undefined), 'SEND')).toBe(false);
  });

  it('contentTypes: inside CPIM and CPIM itself, of a request only', () => {
    expect(types(send(cpimImdn()))).toEqual(['message/imdn+xml', 'message/cpim']);
    expect(types(send(undefined))).toEqual([]);
    expect(types(answer(200))).toEqual([]);
  });

  it('parties: the CPIM From and To of a SEND, those present; none without CPIM', () => {
    expect(parties(send(cpimText('x', 'sip:Alice@A.example', 'tel:+1-555-0100')))).toEqual(['sip:Alice@a.example', 'tel:+15550100']);
    const noTo = cpimText('x');
    if (noTo.kind === 'cpim') noTo.cpim.headers = noTo.cpim.headers.filter((h) => h.name !== 'To');
    expect(parties(send(noTo))).toEqual(['sip:alice@a.example']);
    expect(parties(send({ kind: 'text', contentType: 'text/plain', text: 'x' }))).toEqual([]);
    expect(parties(answer(200))).toEqual([]);
    // RFC 4975 5.4: a SEND may have no body (the one that opens the session): no parties, no error.
    expect(parties(send(undefined))).toEqual([]);
  });

  it('hopKey: the Message-ID (relays change the transaction id), else the transaction id; and method or status', () => {
    expect(hopKey(send(undefined, 'tx01'))).toBe(hopKey(send(undefined, 'tx09')));
    expect(hopKey(send(undefined, 'tx01', 'm2'))).not.toBe(hopKey(send(undefined, 'tx01')));
    expect(hopKey(send(undefined, 'tx01', null))).not.toBe(hopKey(send(undefined, 'tx09', null)));
    expect(hopKey(send(undefined, 'tx01', 'm1', 'REPORT'))).not.toBe(hopKey(send(undefined, 'tx01')));
    expect(hopKey(answer(200))).not.toBe(hopKey(answer(413)));
  });
});

describe('XCAP', () => {
  const get = (path: string): XcapMessage => ({ protocol: 'xcap', type: 'xcap-request', method: 'GET', host: 'xdms.b.example', path, assertedIdentity: 'cs.b.example' });
  const prefs = get('/org.openmobilealliance.cpm-user-prefs/users/sip%3Abob%40b.example/index');
  const ok: XcapMessage = { protocol: 'xcap', type: 'xcap-response', status: 200, reason: 'OK', body: { contentType: 'Application/XML', text: '<x/>' } };
  const missing: XcapMessage = { protocol: 'xcap', type: 'xcap-response', status: 404, reason: 'Not Found' };

  it('labels: a GET by its application usage, an answer by status and reason', () => {
    expect(describeMessage(prefs)).toBe('XCAP GET org.openmobilealliance.cpm-user-prefs');
    expect(describeMessage(get('index'))).toBe('XCAP GET ');
    expect(describeMessage(missing)).toBe('XCAP 404 Not Found');
    expect(wireText(missing).startsWith('HTTP/1.1 404 Not Found\r\n')).toBe(true);
  });

  it('kinds, request, response', () => {
    expect(messageKind(prefs)).toBe('request');
    expect(messageKind(ok)).toBe('success');
    expect(messageKind({ ...missing, status: 300 })).toBe('error');
    expect(request(prefs)).toBe('GET');
    expect(request(ok)).toBeUndefined();
    expect(response(ok, '2xx')).toBe(true);
    expect(response(missing, '2xx')).toBe(false);
    expect(response(missing, 404)).toBe(true);
    expect(response(prefs, 'GET')).toBe(false);
  });

  it('contentTypes: the document of an answer, lower case; parties: the user a GET names', () => {
    expect(types(ok)).toEqual(['application/xml']);
    expect(types(missing)).toEqual([]);
    expect(types(prefs)).toEqual([]);
    expect(parties(prefs)).toEqual(['sip:bob@b.example']);
    expect(parties(get('/org.openmobilealliance.cpm-user-prefs/global/index'))).toEqual([]);
    expect(parties(ok)).toEqual([]);
  });

  it('hopKey: a GET by its document, an answer by its status', () => {
    expect(hopKey(prefs)).toBe(hopKey(get(prefs.type === 'xcap-request' ? prefs.path : '')));
    expect(hopKey(prefs)).not.toBe(hopKey(get('/org.openmobilealliance.cpm-user-prefs/users/sip%3Acarol%40b.example/index')));
    expect(hopKey(ok)).not.toBe(hopKey(missing));
  });
});

describe('RTP and RTCP', () => {
  const rtp: RtpPacket = { protocol: 'rtp', type: 'rtp', srcPort: 49170, dstPort: 49174, payloadType: 0, marker: false, sequence: 7, timestamp: 160, ssrc: 0xbeef, csrc: [], payloadOctets: 160 };
  const mixed: RtpPacket = { ...rtp, marker: true, csrc: [1, 0xabcdef12] };
  const block = { ssrc: 0x10, fractionLost: 3, cumulativeLost: 1, highestSequence: 70, jitter: 12, lastSr: 0, delaySinceLastSr: 0 };
  const sr: RtcpPacket = { protocol: 'rtp', type: 'rtcp', srcPort: 49171, dstPort: 49175, ssrc: 9, sender: { ntpSeconds: 1, ntpFraction: 0, rtpTimestamp: 5, packets: 3, octets: 480 }, reports: [block, { ...block, cumulativeLost: 0, jitter: 3 }], cname: 'alice@phone.alice.a.example' };
  const rr: RtcpPacket = { protocol: 'rtp', type: 'rtcp', srcPort: 49171, dstPort: 49175, ssrc: 9, reports: [], cname: 'alice@phone.alice.a.example', bye: true };

  it('labels: payload type and sequence, the mixer sources counted; a report by kind, losses and a BYE', () => {
    expect(describeMessage(rtp)).toBe('RTP PT=0 seq=7');
    expect(describeMessage(mixed)).toBe('RTP PT=0 seq=7 CSRC×2');
    expect(describeMessage({ ...rtp, csrc: [1] })).toBe('RTP PT=0 seq=7 CSRC×1');
    expect(describeMessage(sr)).toBe('RTCP SR (lost 1, jitter 12; lost 0, jitter 3)');
    expect(describeMessage(rr)).toBe('RTCP RR BYE');
    expect(describeMessage({ ...rr, bye: false })).toBe('RTCP RR');
  });

  it('kinds, request: RTP, SR or RR; never a response', () => {
    expect(messageKind(rtp)).toBe('request');
    expect(messageKind(rr)).toBe('notification');
    expect(request(rtp)).toBe('RTP');
    expect(request(sr)).toBe('SR');
    expect(request(rr)).toBe('RR');
    expect(response(rtp, 'RTP')).toBe(false);
    expect(response(sr, 'SR')).toBe(false);
    expect(types(rtp)).toEqual([]);
    expect(parties(sr)).toEqual([]);
  });

  it('text: the header fields of RTP, the report blocks and SDES of RTCP', () => {
    expect(wireText(rtp)).toBe('RTP version 2, PT 0, sequence 7, timestamp 160, SSRC 0x0000beef, 160 payload octets\n');
    expect(wireText(mixed)).toBe('RTP version 2, PT 0, marker, sequence 7, timestamp 160, SSRC 0x0000beef, CSRC 0x00000001, CSRC 0xabcdef12, 160 payload octets\n');
    expect(wireText(sr)).toBe(
      [
        'RTCP SR SSRC 0x00000009, 3 packets, 480 octets sent',
        '  source 0x00000010: fraction lost 3/256, cumulative lost 1, highest sequence 70, jitter 12',
        '  source 0x00000010: fraction lost 3/256, cumulative lost 0, highest sequence 70, jitter 3',
        'SDES CNAME alice@phone.alice.a.example',
        '',
      ].join('\n'),
    );
    expect(wireText(rr)).toBe('RTCP RR SSRC 0x00000009\nSDES CNAME alice@phone.alice.a.example\nBYE\n');
  });

  it('hopKey: RTP by source and sequence, RTCP by source, packets sent and blocks', () => {
    expect(hopKey({ ...rtp, dstPort: 5 })).toBe(hopKey(rtp));
    expect(hopKey({ ...rtp, sequence: 8 })).not.toBe(hopKey(rtp));
    expect(hopKey({ ...rtp, ssrc: 1 })).not.toBe(hopKey(rtp));
    expect(hopKey({ ...sr, ssrc: 1 })).not.toBe(hopKey(sr));
    expect(hopKey({ ...sr, sender: { ...sr.sender!, packets: 4 } })).not.toBe(hopKey(sr));
    expect(hopKey({ ...rr, reports: [block] })).not.toBe(hopKey(rr));
    expect(hopKey({ ...rr, reports: [] })).not.toBe(hopKey({ ...sr, reports: [] }));
    expect(hopKey({ ...rr, reports: [] })).not.toBe(hopKey({ ...sr, sender: { ...sr.sender!, packets: 0 }, reports: [] }));
  });
});

describe('BFCP', () => {
  const base = { protocol: 'bfcp', conferenceId: 1, transactionId: 7, userId: 3, floorId: 1, client: 'phone.alice.a.example', serverPort: 40000 } as const;
  const floorRequest: BfcpMessage = { ...base, primitive: 'FloorRequest' };
  const status = (s: BfcpMessage['status'], transactionId = 7, queuePosition?: number): BfcpMessage => ({ ...base, transactionId, primitive: 'FloorRequestStatus', floorRequestId: 9, status: s, ...(queuePosition === undefined ? {} : { queuePosition }) });

  it('labels: the primitive, a status, and the queue position of a Pending one', () => {
    expect(describeMessage(floorRequest)).toBe('BFCP FloorRequest');
    expect(describeMessage(status('Granted'))).toBe('BFCP FloorRequestStatus Granted');
    expect(describeMessage(status('Pending', 7, 2))).toBe('BFCP FloorRequestStatus Pending (queue position 2)');
    expect(describeMessage(status('Pending'))).toBe('BFCP FloorRequestStatus Pending (queue position 0)');
  });

  it('kinds: Denied and Revoked are errors; the server\'s own status (transaction 0) a notification', () => {
    expect(messageKind(floorRequest)).toBe('request');
    expect(messageKind({ ...base, primitive: 'FloorRelease', floorRequestId: 9 })).toBe('request');
    expect(messageKind(status('Granted'))).toBe('success');
    expect(messageKind(status('Granted', 0))).toBe('notification');
    expect(messageKind(status('Denied'))).toBe('error');
    expect(messageKind(status('Revoked', 0))).toBe('error');
  });

  it('request: a client\'s primitive; response: a FloorRequestStatus by its request status', () => {
    expect(request(floorRequest)).toBe('FloorRequest');
    expect(request(status('Granted'))).toBeUndefined();
    expect(response(status('Granted'), 'Granted')).toBe(true);
    expect(response(status('Granted'), 'Denied')).toBe(false);
    expect(response(status('Granted'), 'FloorRequestStatus')).toBe(false);
    expect(types(floorRequest)).toEqual([]);
    expect(parties(floorRequest)).toEqual([]);
  });

  it('text: the common header and the attributes present', () => {
    expect(wireText(floorRequest)).toBe('BFCP FloorRequest, conference 1, transaction 7, user 3\nFLOOR-ID 1\n');
    expect(wireText(status('Pending', 7, 2))).toBe('BFCP FloorRequestStatus, conference 1, transaction 7, user 3\nFLOOR-ID 1\nFLOOR-REQUEST-ID 9\nREQUEST-STATUS Pending, queue position 2\n');
    expect(wireText(status('Granted'))).toBe('BFCP FloorRequestStatus, conference 1, transaction 7, user 3\nFLOOR-ID 1\nFLOOR-REQUEST-ID 9\nREQUEST-STATUS Granted, queue position 0\n');
  });

  it('hopKey: conference, user, transaction, primitive and status', () => {
    expect(hopKey({ ...floorRequest, serverPort: 1 })).toBe(hopKey(floorRequest));
    for (const other of [{ ...floorRequest, conferenceId: 2 }, { ...floorRequest, userId: 4 }, { ...floorRequest, transactionId: 8 }, { ...floorRequest, primitive: 'FloorRelease' as const }]) expect(hopKey(other)).not.toBe(hopKey(floorRequest));
    expect(hopKey(status('Granted'))).not.toBe(hopKey(status('Pending')));
  });
});

describe('MM7', () => {
  const submit = (contentType = 'image/png'): Mm7Request => ({
    protocol: 'mm7',
    type: 'mm7-request',
    client: 'iwf-mms.a.example',
    host: 'mmsc.a.example',
    transactionId: 't1',
    operation: { kind: 'SubmitReq', vaspId: 'cpm', sender: '+15551230001', recipient: '+15559870002', deliveryReport: true, subject: 'Hi', content: { contentType, text: 'PNG' } },
  });
  const rsp = (statusCode: number, status = 200, transactionId = 't1'): Mm7Response => ({ protocol: 'mm7', type: 'mm7-response', client: 'iwf-mms.a.example', status, transactionId, operation: { kind: 'SubmitRsp', statusCode, statusText: statusCode === 1000 ? 'Success' : 'Client error' } });
  const report: Mm7Message = { ...submit(), operation: { kind: 'DeliveryReportReq', relayServerId: 'mmsc', messageId: 'm1', recipient: '+15559870002', sender: '+15551230001', date: '2026-01-01T00:00:00Z', mmStatus: 'Retrieved' } };
  const deliver: Mm7Message = { ...submit(), operation: { kind: 'DeliverReq', relayServerId: 'mmsc', linkedId: 'l1', sender: '+15559870002', recipient: '+15551230001', timeStamp: '2026-01-01T00:00:00Z', subject: 'Re', content: { contentType: 'Text/Plain ; charset=utf-8', text: 'ok' } } };

  it('labels: the operation, a delivery report\'s state, a response\'s MM7 status', () => {
    expect(describeMessage(submit())).toBe('MM7 SubmitReq');
    expect(describeMessage(report)).toBe('MM7 DeliveryReportReq (Retrieved)');
    expect(describeMessage(rsp(1000))).toBe('MM7 SubmitRsp 1000 Success');
    expect(wireText(submit()).startsWith('POST ')).toBe(true);
  });

  it('kinds: an MM7 status of 2000 or more is an error (TS 23.140 8.7.4)', () => {
    expect(messageKind(submit())).toBe('request');
    expect(messageKind(rsp(1000))).toBe('success');
    expect(messageKind(rsp(2000))).toBe('error');
    expect(messageKind(rsp(3000))).toBe('error');
  });

  it('request: the operation of a request; response: its operation name or its HTTP status class', () => {
    expect(request(submit())).toBe('SubmitReq');
    expect(request(rsp(1000))).toBeUndefined();
    expect(response(rsp(1000), 'SubmitRsp')).toBe(true);
    expect(response(rsp(1000), 'DeliverRsp')).toBe(false);
    expect(response(rsp(1000), '2xx')).toBe(true);
    expect(response(rsp(1000), 200)).toBe(true);
    expect(response(rsp(1000, 500), '2xx')).toBe(false);
    expect(response(rsp(1000), 1000)).toBe(false);
    expect(response(submit(), 'SubmitReq')).toBe(false);
  });

  it('contentTypes: a submission or delivery is multipart/related with its content; the rest SOAP text/xml', () => {
    expect(types(submit())).toEqual(['multipart/related', 'image/png']);
    expect(types(deliver)).toEqual(['multipart/related', 'text/plain']);
    expect(types(report)).toEqual(['text/xml']);
    expect(types(rsp(1000))).toEqual(['text/xml']);
  });

  it('parties: sender and recipient as tel URIs of a submission, delivery or report; none of a response', () => {
    expect(parties(submit())).toEqual(['tel:+15551230001', 'tel:+15559870002']);
    expect(parties(deliver)).toEqual(['tel:+15559870002', 'tel:+15551230001']);
    expect(parties(report)).toEqual(['tel:+15551230001', 'tel:+15559870002']);
    expect(parties(rsp(1000))).toEqual([]);
  });

  it('hopKey: transaction and operation', () => {
    expect(hopKey({ ...submit(), host: 'other' })).toBe(hopKey(submit()));
    expect(hopKey(rsp(1000))).not.toBe(hopKey(submit()));
    expect(hopKey(rsp(1000, 200, 't2'))).not.toBe(hopKey(rsp(1000)));
  });
});

describe('IMPS', () => {
  const client = 'iwf-imps.a.example';
  const info: MessageInfo = { contentType: 'text/plain', contentSize: 5, recipient: { user: 'wv:bob@imps.example' }, sender: { user: 'wv:alice@imps.example' }, dateTime: '20260101T000000Z' };
  const post = (primitive: Extract<ImpsMessage, { type: 'imps-request' }>['csp']['primitive'], transactionId = '1', from = client): ImpsMessage => ({ protocol: 'imps', type: 'imps-request', client: from, host: 'imps.imps.example', path: '/wv-csp', csp: { sessionId: 's1', mode: 'Request', transactionId, primitive } });
  const send = post({ name: 'SendMessage-Request', deliveryReport: false, info, content: 'Hello' });
  const answer = (primitive: NonNullable<Extract<ImpsMessage, { type: 'imps-response' }>['csp']>['primitive'] | undefined, status = 200): ImpsMessage => ({
    protocol: 'imps',
    type: 'imps-response',
    client,
    status,
    reason: status === 200 ? 'OK' : 'Error',
    ...(primitive === undefined ? {} : { csp: { sessionId: 's1', mode: 'Response', transactionId: '1', primitive } }),
  });
  const statusOf = (code: number): ImpsMessage => answer({ name: 'Status', result: { code } });

  it('labels: IMPS and the transaction\'s summary', () => {
    expect(describeMessage(send)).toBe('IMPS SendMessage-Request "Hello"');
    expect(describeMessage(statusOf(531))).toBe('IMPS Status 531');
    expect(describeMessage(answer(undefined, 503))).toBe('IMPS HTTP 503 Error');
    expect(wireText(send).startsWith('POST /wv-csp HTTP/1.1\r\n')).toBe(true);
  });

  it('kinds: delivery reports are notifications; an HTTP status of 300 or more or a failed Result an error', () => {
    expect(messageKind(send)).toBe('request');
    expect(messageKind(post({ name: 'MessageDelivered', messageId: 'm1' }))).toBe('notification');
    expect(messageKind(post({ name: 'DeliveryReport-Request', result: { code: 200 }, info: { ...info, messageId: 'm1' } }))).toBe('notification');
    expect(messageKind(statusOf(200))).toBe('success');
    expect(messageKind(statusOf(531))).toBe('error');
    expect(messageKind(answer(undefined, 200))).toBe('success');
    expect(messageKind(answer(undefined, 300))).toBe('error');
  });

  it('request: the primitive of a request; response: by primitive, or by Result code, else HTTP status', () => {
    expect(request(send)).toBe('SendMessage-Request');
    expect(request(statusOf(200))).toBeUndefined();
    expect(response(statusOf(200), 'Status')).toBe(true);
    expect(response(statusOf(200), 'Login-Response')).toBe(false);
    expect(response(statusOf(531), 531)).toBe(true);
    expect(response(statusOf(531), 200)).toBe(false);
    expect(response(statusOf(200), '200')).toBe(false);
    expect(response(answer({ name: 'JoinGroup-Response', joined: [] }, 200), 200)).toBe(true);
    expect(response(answer({ name: 'JoinGroup-Response', joined: [] }, 200), 201)).toBe(false);
    expect(response(answer(undefined, 503), 503)).toBe(true);
    expect(response(answer(undefined, 503), 'Status')).toBe(false);
    expect(response(send, 'SendMessage-Request')).toBe(false);
  });

  it('contentTypes: the CSP XML when there is a body; parties: the users and groups named', () => {
    expect(types(send)).toEqual(['application/vnd.wv.csp.xml']);
    expect(types(answer(undefined, 503))).toEqual([]);
    expect(parties(send)).toEqual(['wv:alice@imps.example', 'wv:bob@imps.example']);
    expect(parties(answer(undefined, 503))).toEqual([]);
  });

  it('hopKey: the client, the transaction, request or response', () => {
    expect(hopKey(post({ name: 'SendMessage-Request', deliveryReport: false, info, content: 'Other' }))).toBe(hopKey(send));
    expect(hopKey(post({ name: 'MessageDelivered', messageId: 'm1' }, '2'))).not.toBe(hopKey(post({ name: 'MessageDelivered', messageId: 'm1' }, '1')));
    expect(hopKey(post({ name: 'MessageDelivered', messageId: 'm1' }, '1', 'imps.imps.example'))).not.toBe(hopKey(post({ name: 'MessageDelivered', messageId: 'm1' })));
    expect(hopKey(statusOf(200))).not.toBe(hopKey(send));
    expect(hopKey(answer(undefined, 503))).not.toBe(hopKey(statusOf(200)));
  });
});
