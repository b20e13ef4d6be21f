/**
 * How each protocol travels in a capture (src/trace/pcap-transports.ts): the octets it puts on the
 * wire, UDP or TCP, its registered port, which end opens the connection and when one is closed.
 */
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import type { BfcpMessage } from '../../src/bfcp/message.js';
import type { ImpsMessage } from '../../src/imps/message.js';
import type { Mm7Message } from '../../src/mm7/message.js';
import type { RtcpPacket } from '../../src/rtp/packet.js';
import type { SipRequest } from '../../src/sip/message.js';
import { serializeMessage } from '../../src/sip/serializer.js';
import type { SmppPdu } from '../../src/smpp/pdu.js';
import type { SmtpExchange } from '../../src/smtp/exchange.js';
import { HTTP_PORT, MSRP_PORT, pcapTransports, SIP_PORT, SMPP_PORT, SMTP_PORT, UDP_MAX_SIP } from '../../src/trace/pcap-transports.js';
import type { XcapMessage } from '../../src/xcap/message.js';
import { ALICE, CORE, msrpRequest, request, response, rtpPacket, SERVER } from './monitors/fixtures.js';

const text = (octets: Uint8Array): string => Buffer.from(octets).toString('utf8');

/** `req` with a text body that makes its wire form exactly `octets` long. */
function sized(req: SipRequest, octets: number): SipRequest {
  let body = '';
  for (let i = 0; i < 4; i++) {
    const msg: SipRequest = { ...req, body: { kind: 'text', contentType: 'text/plain', text: body } };
    const size = Buffer.byteLength(serializeMessage(msg));
    if (size === octets) return msg;
    body = 'x'.repeat(body.length + octets - size);
  }
  throw new Error(`cannot size a request to ${octets} octets`);
}

describe('the registered ports', () => {
  it('are those of the protocols\' RFCs and IANA', () => {
    expect([SIP_PORT, SMPP_PORT, SMTP_PORT, HTTP_PORT, MSRP_PORT]).toEqual([5060, 2775, 25, 80, 2855]);
    expect(UDP_MAX_SIP).toBe(1300);
  });
});

describe('SIP', () => {
  it('goes over UDP to 5060 up to 1300 octets and over TCP above (RFC 3261 18.1.1), as serialized', () => {
    const transportOf = pcapTransports();
    const atLimit = sized(request('MESSAGE', { branch: 'z9hG4bKa' }), 1300);
    const over = sized(request('MESSAGE', { branch: 'z9hG4bKb' }), 1301);
    const udp = transportOf(atLimit, CORE, SERVER);
    expect(udp).toEqual({ octets: expect.anything(), tcp: false, port: 5060, closes: false });
    expect(udp.octets.length).toBe(1300);
    expect(text(udp.octets)).toBe(serializeMessage(atLimit));
    expect(text(udp.octets).startsWith('MESSAGE sip:bob@b.example SIP/2.0\r\n')).toBe(true);
    const tcp = transportOf(over, CORE, SERVER);
    expect([tcp.tcp, tcp.port, tcp.closes, tcp.octets.length]).toEqual([true, 5060, false, 1301]);
  });

  it('sends a response on TCP when its request went over TCP on the same hop (RFC 3261 18.2.2)', () => {
    const transportOf = pcapTransports();
    const big = sized(request('MESSAGE', { branch: 'z9hG4bKbig' }), 2000);
    expect(transportOf(big, CORE, SERVER).tcp).toBe(true);
    const ok = response(big, 200);
    expect(Buffer.byteLength(serializeMessage(ok))).toBeLessThan(UDP_MAX_SIP);
    expect(transportOf(ok, SERVER, CORE).tcp).toBe(true);
    // The same response on the other direction, or between other hosts, is no answer to that request.
    expect(transportOf(ok, CORE, SERVER).tcp).toBe(false);
    expect(transportOf(ok, SERVER, ALICE).tcp).toBe(false);
  });

  it('matches a response to its request by the branch and the CSeq method', () => {
    const transportOf = pcapTransports();
    transportOf(sized(request('INVITE', { branch: 'z9hG4bKinv' }), 1500), CORE, SERVER);
    // Another branch, or a CANCEL on the INVITE's branch (RFC 3261 17.1.3): other transactions.
    expect(transportOf(response(request('INVITE', { branch: 'z9hG4bKother' }), 200), SERVER, CORE).tcp).toBe(false);
    expect(transportOf(response(request('CANCEL', { branch: 'z9hG4bKinv' }), 200), SERVER, CORE).tcp).toBe(false);
    expect(transportOf(response(request('INVITE', { branch: 'z9hG4bKinv' }), 180), SERVER, CORE).tcp).toBe(true);
  });

  it('reads the branch parameter whatever the case of its name (RFC 3261 7.3.1)', () => {
    const transportOf = pcapTransports();
    const big = sized(request('MESSAGE', { branch: 'z9hG4bKcase' }), 1400);
    const viaUpper = (m: SipRequest): SipRequest => ({ ...m, headers: m.headers.map((h) => (h.name === 'Via' ? { ...h, value: h.value.replace('branch=', 'BRANCH=') } : h)) });
    transportOf(viaUpper(big), CORE, SERVER);
    expect(transportOf(response(big, 200), SERVER, CORE).tcp).toBe(true);
  });

  it('reads the branch, not the Via\'s first parameter, and matches a Via without a branch (RFC 2543) by the rest', () => {
    const transportOf = pcapTransports();
    const via = (m: SipRequest, value: (v: string) => string): SipRequest => ({ ...m, headers: m.headers.map((h) => (h.name === 'Via' ? { ...h, value: value(h.value) } : h)) });
    const rport = (m: SipRequest): SipRequest => via(m, (v) => v.replace(';branch=', ';rport;branch='));
    // Two transactions whose Vias both start with rport (RFC 3581): only the big one went over TCP.
    transportOf(rport(sized(request('MESSAGE', { branch: 'z9hG4bKr1' }), 1400)), CORE, SERVER);
    const small = rport(request('MESSAGE', { branch: 'z9hG4bKr2' }));
    expect(transportOf(small, CORE, SERVER).tcp).toBe(false);
    expect(transportOf(response(small, 200), SERVER, CORE).tcp).toBe(false);
    const old = via(sized(request('MESSAGE', { branch: 'z9hG4bKold' }), 1400), () => 'SIP/2.0/UDP core.a.example');
    expect(transportOf(old, CORE, SERVER).tcp).toBe(true);
    expect(transportOf(response(old, 200), SERVER, CORE).tcp).toBe(true);
  });

  it('draws a message injected without a readable Via or CSeq instead of failing the capture', () => {
    const transportOf = pcapTransports();
    const without = (m: SipRequest, name: string, value?: string): SipRequest => ({
      ...m,
      headers: value === undefined ? m.headers.filter((h) => h.name !== name) : m.headers.map((h) => (h.name === name ? { name, value } : h)),
    });
    const big = sized(request('MESSAGE', { branch: 'z9hG4bKbad' }), 1500);
    for (const broken of [without(big, 'Via'), without(big, 'Via', 'not a via'), without(big, 'CSeq'), without(big, 'CSeq', 'x y z')]) {
      expect(transportOf(broken, CORE, SERVER).tcp).toBe(true);
      expect(transportOf({ ...response(big, 200), headers: broken.headers }, SERVER, CORE).tcp).toBe(true);
    }
    // Without a Via, a small response matches only a request that had none either.
    expect(transportOf(response(request('MESSAGE', { branch: 'z9hG4bKfine' }), 200), SERVER, CORE).tcp).toBe(false);
  });

  it('keeps a large response on TCP whatever its request took, and each capture its own memory', () => {
    const transportOf = pcapTransports();
    const small = request('MESSAGE', { branch: 'z9hG4bKsmall' });
    expect(transportOf(small, CORE, SERVER).tcp).toBe(false);
    expect(transportOf(response(small, 200), SERVER, CORE).tcp).toBe(false);
    const bigAnswer = { ...response(small, 200), body: { kind: 'text', contentType: 'text/plain', text: 'y'.repeat(1400) } } as const;
    expect(transportOf(bigAnswer, SERVER, CORE).tcp).toBe(true);
    // A second table has not seen the first one's TCP requests.
    const big = sized(request('MESSAGE', { branch: 'z9hG4bKmem' }), 1400);
    transportOf(big, CORE, SERVER);
    expect(pcapTransports()(response(big, 200), SERVER, CORE).tcp).toBe(false);
  });
});

describe('SMTP (RFC 5321)', () => {
  const client = 'iwf-email.a.example';
  const server = 'mail.b.example';
  const replies = (...codes: number[]): SmtpExchange => ({ protocol: 'smtp', client, role: 'server', replies: codes.map((code) => ({ code, lines: ['ok'] })) });

  it('travels over TCP to port 25, opened by the session\'s client', () => {
    const transportOf = pcapTransports();
    const helo = transportOf({ protocol: 'smtp', client, role: 'client', commands: ['EHLO a.example', 'MAIL FROM:<a@a.example>'] }, client, server);
    expect(helo).toEqual({ octets: expect.anything(), tcp: true, port: 25, opener: client, closes: false });
    expect(text(helo.octets)).toBe('EHLO a.example\r\nMAIL FROM:<a@a.example>\r\n');
    expect(transportOf({ protocol: 'smtp', client, role: 'client', opens: true }, client, server).octets.length).toBe(0);
  });

  it('is closed by the server after its 221 reply (RFC 5321 4.1.1.10), not after any other', () => {
    const transportOf = pcapTransports();
    const bye = transportOf(replies(221), server, client);
    expect(text(bye.octets)).toBe('221 ok\r\n');
    expect(bye.closes).toBe(true);
    expect(bye.opener).toBe(client);
    expect(transportOf(replies(250, 221), server, client).closes).toBe(true);
    expect(transportOf(replies(250), server, client).closes).toBe(false);
    expect(transportOf(replies(250, 354), server, client).closes).toBe(false);
    // A client's QUIT does not close: the server does, once it has answered.
    expect(transportOf({ protocol: 'smtp', client, role: 'client', commands: ['QUIT'] }, client, server).closes).toBe(false);
    // Replies sent by the client host are not the server's close.
    expect(transportOf(replies(221), client, server).closes).toBe(false);
  });
});

describe('the other protocols', () => {

  it('SMPP: TCP to 2775, its PDU as encoded (SMPP 3.4 3.2: command_length first)', () => {
    const pdu: SmppPdu = { protocol: 'smpp', command: 'enquire_link', sequence: 3 };
    const t = pcapTransports()(pdu, 'iwf-sms.a.example', 'smsc.a.example');
    expect(t).toEqual({ octets: expect.anything(), tcp: true, port: 2775, closes: false });
    // enquire_link is a 16-octet header alone: length 16, id 0x00000015, status 0, sequence 3.
    expect(Buffer.from(t.octets).toString('hex')).toBe('00000010' + '00000015' + '00000000' + '00000003');
  });

  it('MSRP: TCP to 2855, the request as text (RFC 4975 7.1)', () => {
    const send = msrpRequest();
    const t = pcapTransports()(send, ALICE, SERVER);
    expect(t).toEqual({ octets: expect.anything(), tcp: true, port: 2855, closes: false });
    expect(text(t.octets).startsWith('MSRP tx01 SEND\r\nTo-Path: msrp://b.example:2855/s;tcp\r\n')).toBe(true);
    expect(text(t.octets).endsWith('-------tx01$\r\n')).toBe(true);
  });

  it('XCAP: HTTP over TCP to 80 (RFC 4825, RFC 9110 4.2.1)', () => {
    const get: XcapMessage = { protocol: 'xcap', type: 'xcap-request', method: 'GET', host: 'xdms.b.example', path: '/resource-lists/users/x', assertedIdentity: 'cs.b.example' };
    const t = pcapTransports()(get, SERVER, 'xdms.b.example');
    expect(t).toEqual({ octets: expect.anything(), tcp: true, port: 80, closes: false });
    expect(text(t.octets).startsWith('GET /resource-lists/users/x HTTP/1.1\r\n')).toBe(true);
  });

  it('MM7 and IMPS: HTTP over TCP to 80, opened by the end that is the client', () => {
    const mm7: Mm7Message = { protocol: 'mm7', type: 'mm7-response', client: 'iwf-mms.a.example', status: 200, transactionId: 't1', operation: { kind: 'SubmitRsp', statusCode: 1000, statusText: 'Success' } };
    const m = pcapTransports()(mm7, 'mmsc.a.example', 'iwf-mms.a.example');
    expect(m).toEqual({ octets: expect.anything(), tcp: true, port: 80, opener: 'iwf-mms.a.example', closes: false });
    expect(text(m.octets).startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    const imps: ImpsMessage = { protocol: 'imps', type: 'imps-response', client: 'iwf-imps.a.example', status: 200, reason: 'OK' };
    const i = pcapTransports()(imps, 'imps.imps.example', 'iwf-imps.a.example');
    expect(i).toEqual({ octets: expect.anything(), tcp: true, port: 80, opener: 'iwf-imps.a.example', closes: false });
    expect(text(i.octets).startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
  });

  it('BFCP: TCP to the focus\'s port, opened by the client (RFC 4583, RFC 8855 5.1: version 1 header)', () => {
    const floor: BfcpMessage = { protocol: 'bfcp', conferenceId: 1, transactionId: 7, userId: 3, floorId: 1, client: ALICE, serverPort: 40000, primitive: 'FloorRequest' };
    const t = pcapTransports()(floor, ALICE, SERVER);
    expect(t).toEqual({ octets: expect.anything(), tcp: true, port: 40000, opener: ALICE, closes: false });
    // Version 1 in the top three bits, primitive FloorRequest = 1, conference 1, transaction 7, user 3.
    const o = Buffer.from(t.octets);
    expect([o[0]! >> 5, o[1], o.readUInt32BE(4), o.readUInt16BE(8), o.readUInt16BE(10)]).toEqual([1, 1, 1, 7, 3]);
  });

  it('RTP and RTCP: UDP between the ports the descriptions gave (RFC 3550 5.1, 6.4)', () => {
    const rtp = rtpPacket(49174, 49170);
    const t = pcapTransports()(rtp, ALICE, SERVER);
    expect(t).toEqual({ octets: expect.anything(), tcp: false, port: 49174, srcPort: 49170, closes: false });
    // V=2, no padding, extension or CSRC; PT 0; sequence 7; timestamp 160; SSRC 0xbeef; 160 payload octets.
    const o = Buffer.from(t.octets);
    expect([o.length, o[0], o[1], o.readUInt16BE(2), o.readUInt32BE(4), o.readUInt32BE(8)]).toEqual([172, 0x80, 0, 7, 160, 0xbeef]);
    const rr: RtcpPacket = { protocol: 'rtp', type: 'rtcp', srcPort: 49171, dstPort: 49175, ssrc: 9, reports: [], cname: 'a@b' };
    const r = pcapTransports()(rr, ALICE, SERVER);
    expect([r.tcp, r.port, r.srcPort]).toEqual([false, 49175, 49171]);
    // A compound RTCP packet starts with a receiver report (PT 201) when nothing was sent (RFC 3550 6.1).
    expect(Buffer.from(r.octets)[1]).toBe(201);
  });
});
