import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import type { SipMessage } from '../../src/sip/message.js';
import type { SmtpExchange } from '../../src/smtp/exchange.js';
import { parseMessage } from '../../src/sip/parser.js';
import { serializeMessage } from '../../src/sip/serializer.js';
import { AddressPlan } from '../../src/trace/pcap-addresses.js';
import { Capture, encodePcap, LINKTYPE_RAW, PCAP_MAGIC, TCP_MSS, tracePcap, UDP_MAX_SIP, type PcapRecord } from '../../src/trace/pcap.js';
import type { TraceEvent } from '../../src/trace/recorder.js';
import { ipv4, onesSum, records, segments, tcp, udpPayloads, type Tcp } from './fixtures.js';

const A = 'phone.alice.a.example';
const CORE_A = 'core.a.example';
const CORE_B = 'core.b.example';
const DOMAINS = ['a.example', 'b.example'];

// --- building traces -------------------------------------------------------------------------

function request(from: string, body: string, branch = 'z9hG4bK1', method = 'MESSAGE'): SipMessage {
  return parseMessage(
    [
      `${method} sip:bob@b.example SIP/2.0`,
      `Via: SIP/2.0/UDP ${from};branch=${branch}`,
      'Max-Forwards: 70',
      `From: <sip:alice@a.example>;tag=1`,
      'To: <sip:bob@b.example>',
      `Call-ID: ${branch}@${from}`,
      `CSeq: 1 ${method}`,
      'Content-Type: text/plain',
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n'),
  );
}

function response(req: SipMessage): SipMessage {
  return { type: 'response', status: 200, reason: 'OK', headers: req.headers.filter((h) => h.name !== 'Max-Forwards') };
}

const size = (msg: SipMessage): number => Buffer.byteLength(serializeMessage(msg));

/** A request whose wire form is exactly `octets` long. */
function requestOfSize(from: string, octets: number, branch?: string): SipMessage {
  let body = 'x';
  for (let i = 0; i < 4 && size(request(from, body, branch)) !== octets; i++) body = 'x'.repeat(Math.max(1, body.length + octets - size(request(from, body, branch))));
  const msg = request(from, body, branch);
  expect(size(msg)).toBe(octets);
  return msg;
}

let nextId = 1;
function transmit(at: number, from: string, to: string, payload: SipMessage, delay = 1000): TraceEvent {
  return { type: 'transmit', id: nextId++, at, arriveAt: at + delay, from, to, payload };
}

// --- tests -----------------------------------------------------------------------------------

describe('pcap file format', () => {
  it('writes the classic little-endian global header with LINKTYPE_RAW', () => {
    const pcap = tracePcap([transmit(0, A, CORE_A, request(A, 'hi'))], DOMAINS).pcap;
    expect(pcap.readUInt32LE(0)).toBe(PCAP_MAGIC);
    expect(pcap.subarray(0, 4)).toEqual(Buffer.from([0xd4, 0xc3, 0xb2, 0xa1]));
    expect([pcap.readUInt16LE(4), pcap.readUInt16LE(6)]).toEqual([2, 4]);
    expect(pcap.readInt32LE(8)).toBe(0);
    expect(pcap.readUInt32LE(16)).toBe(65_535);
    expect(pcap.readUInt32LE(20)).toBe(LINKTYPE_RAW);
    expect(LINKTYPE_RAW).toBe(101);
  });

  it('splits virtual microseconds into seconds and microseconds', () => {
    const pcap = encodePcap([{ at: 3_000_042, data: new Uint8Array([1, 2, 3]) }]);
    expect(pcap.length).toBe(24 + 16 + 3);
    expect([pcap.readUInt32LE(24), pcap.readUInt32LE(28), pcap.readUInt32LE(32), pcap.readUInt32LE(36)]).toEqual([3, 42, 3, 3]);
  });

  it('gives every record its full length, consistent with the IPv4 total length, in time order', () => {
    const big = requestOfSize(A, 5000);
    const events = [transmit(0, A, CORE_A, request(A, 'small')), transmit(1000, CORE_A, CORE_B, big, 10_000), transmit(2000, CORE_B, CORE_A, response(big))];
    const pcap = tracePcap(events, DOMAINS).pcap;
    const recs = records(pcap);
    expect(24 + recs.reduce((n, r) => n + 16 + r.inclLen, 0)).toBe(pcap.length);
    for (const r of recs) {
      expect(r.inclLen).toBe(r.origLen);
      expect(r.data.readUInt16BE(2)).toBe(r.inclLen);
      expect(r.inclLen).toBeLessThanOrEqual(1500);
    }
    expect(recs.map((r) => r.at)).toEqual([...recs.map((r) => r.at)].sort((a, b) => a - b));
  });

  it('is deterministic: the same trace gives the same bytes', () => {
    const trace = (): TraceEvent[] => [transmit(0, A, CORE_A, requestOfSize(A, 3000)), transmit(5, CORE_A, A, request(CORE_A, 'x'))];
    expect(tracePcap(trace(), DOMAINS).pcap.equals(tracePcap(trace(), DOMAINS).pcap)).toBe(true);
  });
});

describe('pcap checksums', () => {
  const big = requestOfSize(A, 4000);
  const pcap = tracePcap([transmit(0, A, CORE_A, request(A, 'odd length body!')), transmit(1, A, CORE_B, big, 10_000), transmit(20_000, CORE_B, A, response(big))], DOMAINS).pcap;
  const packets = records(pcap).map((r) => ipv4(r.data));

  it('computes every IPv4 header checksum (RFC 791)', () => {
    expect(packets.length).toBeGreaterThan(5);
    for (const ip of packets) {
      expect(ip.header.length).toBe(20);
      expect(onesSum(ip.header)).toBe(0xffff);
      const zeroed = Buffer.from(ip.header);
      zeroed.writeUInt16BE(0, 10);
      expect(ip.header.readUInt16BE(10)).toBe(~onesSum(zeroed) & 0xffff);
    }
  });

  it('computes the UDP (RFC 768) and TCP (RFC 9293) checksums over the pseudo-header', () => {
    const udp = packets.filter((ip) => ip.protocol === 17);
    const tcps = packets.filter((ip) => ip.protocol === 6);
    expect(udp.length).toBe(1);
    expect(tcps.length).toBeGreaterThan(4);
    for (const ip of [...udp, ...tcps]) {
      expect(ip.payload.readUInt16BE(ip.protocol === 17 ? 6 : 16)).not.toBe(0);
      expect(onesSum(ip.pseudo, ip.payload)).toBe(0xffff);
    }
  });
});

describe('pcap transports', () => {
  it('sends SIP over UDP from port 5060 to 5060 up to 1300 octets, and TCP above (RFC 3261 18.1.1)', () => {
    expect(UDP_MAX_SIP).toBe(1300);
    const atLimit = requestOfSize(A, 1300, 'z9hG4bKudp');
    const over = requestOfSize(A, 1301, 'z9hG4bKtcp');
    const capture = tracePcap([transmit(0, A, CORE_A, atLimit), transmit(10, A, CORE_A, over)], DOMAINS);
    expect([capture.udp, capture.tcp]).toEqual([1, 1]);
    const [udp] = udpPayloads(capture.pcap);
    expect(udp?.text).toBe(serializeMessage(atLimit));
    expect([udp?.ip.payload.readUInt16BE(0), udp?.ip.payload.readUInt16BE(2)]).toEqual([5060, 5060]);
    const data = segments(capture.pcap).filter((s) => s.data.length > 0);
    expect(Buffer.concat(data.map((s) => s.data)).toString('utf8')).toBe(serializeMessage(over));
  });

  it('opens one connection per host pair with a handshake and keeps sequence numbers continuous', () => {
    const first = requestOfSize(A, 5000, 'z9hG4bKone');
    const second = requestOfSize(A, 3000, 'z9hG4bKtwo');
    const capture = tracePcap([transmit(0, A, CORE_A, first), transmit(100, A, CORE_A, second)], DOMAINS);
    const segs = segments(capture.pcap);
    expect(segs.slice(0, 3).map((s) => s.flags)).toEqual(['SYN', 'SYN,ACK', 'ACK']);
    expect(segs.filter((s) => s.flags.includes('SYN'))).toHaveLength(2);
    const [syn, synAck, ack] = segs;
    expect(syn?.dstPort).toBe(5060);
    expect(syn?.srcPort).toBeGreaterThanOrEqual(49152);
    expect(synAck?.ack).toBe(((syn?.seq ?? 0) + 1) >>> 0);
    expect(ack?.ack).toBe(((synAck?.seq ?? 0) + 1) >>> 0);

    const data = segs.filter((s) => s.data.length > 0);
    expect(data.map((s) => s.data.length)).toEqual([TCP_MSS, TCP_MSS, TCP_MSS, 5000 - 3 * TCP_MSS, TCP_MSS, TCP_MSS, 3000 - 2 * TCP_MSS]);
    let seq = ((syn?.seq ?? 0) + 1) >>> 0;
    for (const s of data) {
      expect(s.seq).toBe(seq);
      expect(s.ack).toBe(ack?.ack);
      expect([s.srcPort, s.dstPort]).toEqual([syn?.srcPort, 5060]);
      seq = (seq + s.data.length) >>> 0;
    }
    expect(data.map((s) => s.flags)).toEqual(['ACK', 'ACK', 'ACK', 'PSH,ACK', 'ACK', 'ACK', 'PSH,ACK']);
    expect(Buffer.concat(data.map((s) => s.data)).toString('utf8')).toBe(serializeMessage(first) + serializeMessage(second));

    // The receiver acknowledges each message when it arrives, 1 ms after it was sent.
    const acks = segs.slice(3).filter((s) => s.data.length === 0);
    expect(acks.map((s) => [s.src, s.ack])).toEqual([
      ['10.1.0.1', (((syn?.seq ?? 0) + 1 + 5000) >>> 0)],
      ['10.1.0.1', (((syn?.seq ?? 0) + 1 + 8000) >>> 0)],
    ]);
    const times = records(capture.pcap).map((r) => r.at);
    expect(times.slice(-1)).toEqual([1100]);
  });

  it('sends a response on the connection of its request, whatever its size (RFC 3261 18.2.2)', () => {
    const req = requestOfSize(A, 2000, 'z9hG4bKreq');
    const resp = response(req);
    expect(size(resp)).toBeLessThan(UDP_MAX_SIP);
    const capture = tracePcap([transmit(0, A, CORE_A, req), transmit(1000, CORE_A, A, resp)], DOMAINS);
    expect([capture.udp, capture.tcp]).toEqual([0, 2]);
    const segs = segments(capture.pcap);
    expect(segs.filter((s) => s.flags.includes('SYN'))).toHaveLength(2);
    const [syn] = segs;
    const back = segs.find((s) => s.src === '10.1.0.1' && s.data.length > 0);
    expect(back?.data.toString('utf8')).toBe(serializeMessage(resp));
    expect([back?.srcPort, back?.dstPort]).toEqual([5060, syn?.srcPort]);
    // Its ACK field covers the whole request, which had arrived when the response left.
    expect(back?.ack).toBe(((syn?.seq ?? 0) + 1 + 2000) >>> 0);
    // A small request on another transaction between the same hosts goes over UDP again.
    const other = tracePcap([transmit(0, A, CORE_A, req), transmit(1000, CORE_A, A, resp), transmit(2000, A, CORE_A, request(A, 'x', 'z9hG4bKnew'))], DOMAINS);
    expect([other.udp, other.tcp]).toEqual([1, 2]);
  });

  it('includes undeliverable messages as their sender sent them, once', () => {
    const toUnknown: TraceEvent = { type: 'undeliverable', id: nextId++, at: 0, from: CORE_A, to: 'core.c.example', payload: requestOfSize(CORE_A, 2000, 'z9hG4bKgone'), reason: 'unknown-host' };
    const small: TraceEvent = { type: 'undeliverable', id: nextId++, at: 5, from: CORE_A, to: A, payload: request(CORE_A, 'down'), reason: 'host-down' };
    const lostMessage = requestOfSize(CORE_A, 1500, 'z9hG4bKlost');
    const inFlight = transmit(10, CORE_A, CORE_B, lostMessage);
    const lostOnArrival: TraceEvent = { type: 'undeliverable', id: inFlight.id, at: 1010, from: CORE_A, to: CORE_B, payload: lostMessage, reason: 'host-down' };
    const capture = tracePcap([toUnknown, small, inFlight, lostOnArrival], DOMAINS);
    expect([capture.udp, capture.tcp]).toEqual([1, 2]);
    expect(capture.plan.address('core.c.example')).toEqual([10, 3, 0, 1]);
    const segs = segments(capture.pcap);
    // Nobody answers the SYN to the unknown host; its data follows without the ACK bit.
    const unknown = segs.filter((s) => s.dst === '10.3.0.1' || s.src === '10.3.0.1');
    expect(unknown.map((s) => s.flags)).toEqual(['SYN', '', 'PSH']);
    expect(unknown.slice(1).map((s) => s.seq)).toEqual([((unknown[0]?.seq ?? 0) + 1) >>> 0, ((unknown[0]?.seq ?? 0) + 1 + TCP_MSS) >>> 0]);
    // The message lost in flight was sent once and never acknowledged.
    const lost = segs.filter((s) => s.src === '10.2.0.1' || s.dst === '10.2.0.1');
    expect(lost.map((s) => s.flags)).toEqual(['SYN', 'SYN,ACK', 'ACK', 'ACK', 'PSH,ACK']);
  });

  it('opens a new connection after one whose peer went away', () => {
    const first = transmit(0, A, CORE_A, requestOfSize(A, 1400, 'z9hG4bK1st'));
    const gone: TraceEvent = { type: 'undeliverable', id: nextId++, at: 10, from: A, to: CORE_A, payload: requestOfSize(A, 1400, 'z9hG4bK2nd'), reason: 'host-down' };
    const third = transmit(20, A, CORE_A, requestOfSize(A, 1400, 'z9hG4bK3rd'));
    const segs = segments(tracePcap([first, gone, third], DOMAINS).pcap);
    const syns = segs.filter((s) => s.flags === 'SYN');
    expect(syns.map((s) => s.srcPort)).toEqual([49152, 49153]);
    expect(segs.filter((s) => s.data.length > 0).map((s) => s.srcPort)).toEqual([49152, 49152, 49153]);
  });
});

describe('Capture', () => {
  it('carries any octets on a stream of its own port, for MSRP', () => {
    const records: PcapRecord[] = [];
    const capture = new Capture(new AddressPlan(DOMAINS, [A, 'phone.bob.b.example']), (r) => records.push(r));
    const chunk = Buffer.from(`MSRP a786hjs2 SEND\r\nTo-Path: msrp://b/s;tcp\r\nFrom-Path: msrp://a/s;tcp\r\nMessage-ID: 1\r\nByte-Range: 1-3/3\r\nContent-Type: text/plain\r\n\r\nhi!\r\n-------a786hjs2$\r\n`);
    capture.stream(0, A, 'phone.bob.b.example', 2855, chunk, 500);
    capture.stream(600, 'phone.bob.b.example', A, 2855, Buffer.from([0, 255, 1]), 1100);
    capture.finish();
    const segs = segments(encodePcap(records));
    expect(segs.map((s) => [s.flags, s.dstPort === 2855 || s.srcPort === 2855, s.data.length])).toEqual([
      ['SYN', true, 0],
      ['SYN,ACK', true, 0],
      ['ACK', true, 0],
      ['PSH,ACK', true, chunk.length],
      ['ACK', true, 0],
      ['PSH,ACK', true, 3],
      ['ACK', true, 0],
    ]);
  });

  it('refuses to go back in time', () => {
    const capture = new Capture(new AddressPlan(DOMAINS, [A, CORE_A]), () => undefined);
    capture.datagram(10, A, CORE_A, 5060, new Uint8Array(1));
    expect(() => capture.datagram(9, A, CORE_A, 5060, new Uint8Array(1))).toThrow(/must not go back/);
  });
});

describe('AddressPlan', () => {
  it('numbers domains in network order and hosts in name order', () => {
    const plan = new AddressPlan(['a.example', 'b.example'], ['phone.bob.b.example', 'core.b.example', 'cs.a.example', 'core.a.example', 'x.y.c.example', 'pc.alice.a.example']);
    expect(plan.entries()).toEqual([
      { host: 'core.a.example', address: '10.1.0.1' },
      { host: 'cs.a.example', address: '10.1.0.2' },
      { host: 'pc.alice.a.example', address: '10.1.0.3' },
      { host: 'core.b.example', address: '10.2.0.1' },
      { host: 'phone.bob.b.example', address: '10.2.0.2' },
      { host: 'x.y.c.example', address: '10.3.0.1' },
    ]);
    expect(() => plan.address('nobody.a.example')).toThrow(/no address/);
  });

  it('puts a host in the longest domain it ends with, and counts past 255 hosts', () => {
    const hosts = Array.from({ length: 300 }, (_, i) => `d${String(i).padStart(3, '0')}.u.a.example`);
    const plan = new AddressPlan(['example', 'a.example'], [...hosts, 'core.example']);
    expect(plan.address('core.example')).toEqual([10, 1, 0, 1]);
    expect(plan.address('d254.u.a.example')).toEqual([10, 2, 0, 255]);
    expect(plan.address('d255.u.a.example')).toEqual([10, 2, 1, 0]);
  });
});

describe('pcap records and headers, byte by byte', () => {
  it('takes a packet of the snapshot length, 65,535 octets, and refuses a longer one', () => {
    expect(encodePcap([{ at: 0, data: new Uint8Array(65_535) }]).length).toBe(24 + 16 + 65_535);
    expect(() => encodePcap([{ at: 0, data: new Uint8Array(65_536) }])).toThrow('a 65536-octet packet exceeds the snapshot length');
  });

  it('stamps records with the wall clock when given the epoch of virtual time zero', () => {
    const epoch = 1_700_000_000_123_456;
    const recs = records(tracePcap([transmit(2_500_000, A, CORE_A, request(A, 'hi'))], DOMAINS, epoch).pcap);
    expect(recs.map((r) => r.at)).toEqual([epoch + 2_500_000]);
    expect(records(tracePcap([transmit(2_500_000, A, CORE_A, request(A, 'hi'))], DOMAINS).pcap).map((r) => r.at)).toEqual([2_500_000]);
  });

  it('writes the IPv4 fields of RFC 791 3.1: version 4, IHL 5, DF, TTL 64, an identification counted per sender', () => {
    const events = [transmit(0, A, CORE_A, request(A, 'a', 'z9hG4bKa')), transmit(10, A, CORE_A, request(A, 'b', 'z9hG4bKb')), transmit(20, CORE_A, A, request(CORE_A, 'c', 'z9hG4bKc'))];
    const datas = records(tracePcap(events, DOMAINS).pcap).map((r) => r.data);
    for (const d of datas) {
      expect([d[0], d[1], d.readUInt16BE(6), d[8], d[9]]).toEqual([0x45, 0, 0x4000, 64, 17]);
      expect(d.readUInt16BE(2)).toBe(d.length);
    }
    expect(datas.map((d) => d.readUInt16BE(4))).toEqual([1, 2, 1]);
    expect(datas.map((d) => ipv4(d).src)).toEqual(['10.1.0.2', '10.1.0.2', '10.1.0.1']);
  });

  it('offers MSS 1460 and window scale 7 in both SYNs (RFC 9293 3.7.1, RFC 7323 2.2), and no options after', () => {
    const segs = records(tracePcap([transmit(0, A, CORE_A, requestOfSize(A, 1400))], DOMAINS).pcap).map((r) => ipv4(r.data).payload);
    const syns = segs.filter((s) => (s.readUInt8(13) & 0x02) !== 0);
    expect(syns).toHaveLength(2);
    for (const s of syns) {
      expect(s.readUInt8(12) >> 4).toBe(7);
      expect([...s.subarray(20, 28)]).toEqual([2, 4, 1460 >> 8, 1460 & 0xff, 1, 3, 3, 7]);
      expect(s.readUInt16BE(14)).toBe(0xffff);
    }
    for (const s of segs.filter((x) => (x.readUInt8(13) & 0x02) === 0)) expect(s.readUInt8(12) >> 4).toBe(5);
  });
});

describe('TCP segments at the MSS boundary', () => {
  const plan = (): AddressPlan => new AddressPlan(DOMAINS, [A, CORE_A]);
  const run = (octets: number): Tcp[] => {
    const recs: PcapRecord[] = [];
    const capture = new Capture(plan(), (r) => recs.push(r));
    capture.stream(0, A, CORE_A, 5060, new Uint8Array(octets).fill(0x41), 500);
    capture.finish();
    // What Alice sends after the handshake: her data segments, and nothing else.
    return segments(encodePcap(recs)).slice(3).filter((s) => s.src === '10.1.0.2');
  };

  it('sends a write of exactly the MSS as one pushed segment, and of twice the MSS as two', () => {
    expect(run(TCP_MSS).map((s) => [s.flags, s.data.length])).toEqual([['PSH,ACK', TCP_MSS]]);
    expect(run(2 * TCP_MSS).map((s) => [s.flags, s.data.length])).toEqual([['ACK', TCP_MSS], ['PSH,ACK', TCP_MSS]]);
    expect(run(TCP_MSS + 1).map((s) => [s.flags, s.data.length])).toEqual([['ACK', TCP_MSS], ['PSH,ACK', 1]]);
  });

  it('opens the connection and nothing more on an empty write, as an SMTP client connecting', () => {
    const recs: PcapRecord[] = [];
    const capture = new Capture(plan(), (r) => recs.push(r));
    expect(capture.stream(0, A, CORE_A, 25, new Uint8Array(0), 500)).toBeUndefined();
    capture.finish();
    expect(segments(encodePcap(recs)).map((s) => s.flags)).toEqual(['SYN', 'SYN,ACK', 'ACK']);
  });

  it('sends to an unreachable host the SYN alone, then data without ACK, and acknowledges nothing', () => {
    const recs: PcapRecord[] = [];
    const capture = new Capture(plan(), (r) => recs.push(r));
    expect(capture.stream(0, A, CORE_A, 5060, new Uint8Array(10), 'unreachable')).toBeUndefined();
    capture.finish();
    const segs = segments(encodePcap(recs));
    expect(segs.map((s) => [s.flags, s.ack])).toEqual([['SYN', 0], ['PSH', 0]]);
  });

  it('names the times when the capture is asked to go back', () => {
    const capture = new Capture(plan(), () => undefined);
    capture.datagram(10, A, CORE_A, 5060, new Uint8Array(1));
    expect(() => capture.stream(9, A, CORE_A, 5060, new Uint8Array(1), 20)).toThrow('capture times must not go back (9 after 10)');
  });
});

describe('TCP acknowledgments', () => {
  it('acknowledges data only once it has arrived, in arrival order, ACKs due together in the order they were sent', () => {
    const recs: PcapRecord[] = [];
    const B = 'phone.bob.b.example';
    const capture = new Capture(new AddressPlan(DOMAINS, [A, CORE_A, B]), (r) => recs.push(r));
    capture.stream(0, A, CORE_A, 5060, new Uint8Array(10), 3000);
    capture.stream(100, B, CORE_A, 5060, new Uint8Array(20), 2000);
    capture.stream(200, A, B, 5060, new Uint8Array(30), 2000);
    capture.finish();
    const acks = records(encodePcap(recs))
      .map((r) => ({ at: r.at, s: tcp(ipv4(r.data)) }))
      .filter(({ s }) => s.data.length === 0 && s.flags === 'ACK')
      .filter(({ at }) => at >= 2000);
    // Core A acknowledges Bob's 20 octets and Bob Alice's 30 at 2.000 ms, then Core A Alice's 10 at 3.000 ms.
    expect(acks.map(({ at, s }) => [at, s.src, s.dst])).toEqual([
      [2000, '10.1.0.1', '10.2.0.1'],
      [2000, '10.2.0.1', '10.1.0.2'],
      [3000, '10.1.0.1', '10.1.0.2'],
    ]);
  });

  it('holds an ACK back until the data sent before it has arrived (in-order delivery)', () => {
    const recs: PcapRecord[] = [];
    const capture = new Capture(new AddressPlan(DOMAINS, [A, CORE_A]), (r) => recs.push(r));
    capture.stream(0, A, CORE_A, 5060, new Uint8Array(10), 5000);
    capture.stream(100, A, CORE_A, 5060, new Uint8Array(10), 1000);
    capture.finish();
    const acks = records(encodePcap(recs)).map((r) => ({ at: r.at, s: tcp(ipv4(r.data)) })).filter(({ s }) => s.src === '10.1.0.1' && s.flags === 'ACK');
    const isn = segments(encodePcap(recs))[0]!.seq;
    expect(acks.map(({ at, s }) => [at, s.ack])).toEqual([
      [5000, (isn + 11) >>> 0],
      [5000, (isn + 21) >>> 0],
    ]);
  });
});

describe('an SMTP session closed by the server (RFC 5321 4.1.1.10, RFC 9293 3.6)', () => {
  const client = 'iwf-email.a.example';
  const server = 'mail.b.example';
  const smtp = (id: number, at: number, from: string, to: string, payload: SmtpExchange): TraceEvent => ({ type: 'transmit', id, at, arriveAt: at + 500, from, to, payload });

  it('FIN from the server after 221, the client\'s FIN,ACK when it arrives, the last ACK one transit later', () => {
    const events = [
      smtp(1, 0, client, server, { protocol: 'smtp', client, role: 'client', opens: true }),
      smtp(2, 1000, server, client, { protocol: 'smtp', client, role: 'server', replies: [{ code: 220, lines: ['ready'] }] }),
      smtp(3, 2000, client, server, { protocol: 'smtp', client, role: 'client', commands: ['QUIT'] }),
      smtp(4, 3000, server, client, { protocol: 'smtp', client, role: 'server', replies: [{ code: 221, lines: ['bye'] }] }),
    ];
    const capture = tracePcap(events, DOMAINS);
    expect([capture.udp, capture.tcp]).toEqual([0, 4]);
    const timed = records(capture.pcap).map((r) => ({ at: r.at, s: tcp(ipv4(r.data)) }));
    const serverIp = capture.plan.entries().find((e) => e.host === server)!.address;
    const [syn, synAck] = timed.map((t) => t.s);
    expect(syn?.dstPort).toBe(25);
    const close = timed.slice(-5);
    const serverNext = ((synAck?.seq ?? 0) + 1 + 'ready'.length + 6 + 'bye'.length + 6) >>> 0;
    const clientNext = ((syn?.seq ?? 0) + 1 + 'QUIT\r\n'.length) >>> 0;
    expect(close.map(({ at, s }) => [at, s.src === serverIp ? 'server' : 'client', s.flags, s.seq, s.ack])).toEqual([
      [3000, 'server', 'PSH,ACK', (serverNext - 9) >>> 0, clientNext],
      [3000, 'server', 'FIN,ACK', serverNext, clientNext],
      // The client acknowledges the 221 on its arrival, then sends its own FIN acknowledging the server's.
      [3500, 'client', 'ACK', clientNext, serverNext],
      [3500, 'client', 'FIN,ACK', clientNext, (serverNext + 1) >>> 0],
      [4000, 'server', 'ACK', (serverNext + 1) >>> 0, (clientNext + 1) >>> 0],
    ]);
    expect(close[0]?.s.data.toString()).toBe('221 bye\r\n');
  });

  it('gives each direction of a connection its own initial sequence number, FNV-1a of its addresses and ports (RFC 9293 3.4.1)', () => {
    // FNV-1a, 32 bits: offset basis 0x811c9dc5, prime 0x01000193, over each octet.
    const fnv1a = (octets: number[]): number => octets.reduce((h, o) => Math.imul(h ^ o, 0x01000193) >>> 0, 0x811c9dc5);
    const events = [smtp(1, 0, client, server, { protocol: 'smtp', client, role: 'client', opens: true })];
    const [syn, synAck] = segments(tracePcap(events, DOMAINS).pcap);
    // The client is 10.1.0.1 from port 49152 (0xc000), the server 10.2.0.1 on port 25.
    expect([syn?.flags, syn?.seq]).toEqual(['SYN', fnv1a([10, 1, 0, 1, 0xc0, 0x00, 10, 2, 0, 1, 0, 25])]);
    expect([synAck?.flags, synAck?.seq]).toEqual(['SYN,ACK', fnv1a([10, 2, 0, 1, 0, 25, 10, 1, 0, 1, 0xc0, 0x00])]);
    expect(syn?.seq).not.toBe(synAck?.seq);
  });

  it('has the client open the connection when the server\'s greeting is the first thing captured (RFC 5321 3.1)', () => {
    const events = [smtp(1, 0, server, client, { protocol: 'smtp', client, role: 'server', replies: [{ code: 220, lines: ['ready'] }] })];
    const segs = segments(tracePcap(events, DOMAINS).pcap);
    expect(segs.map((s) => [s.src, s.flags, s.dstPort])).toEqual([
      ['10.1.0.1', 'SYN', 25],
      ['10.2.0.1', 'SYN,ACK', 49152],
      ['10.1.0.1', 'ACK', 25],
      ['10.2.0.1', 'PSH,ACK', 49152],
      ['10.1.0.1', 'ACK', 25],
    ]);
  });

  it('opens one connection to each server a client talks to at once', () => {
    const other = 'mail.c.example';
    const events = [
      smtp(1, 0, client, server, { protocol: 'smtp', client, role: 'client', opens: true }),
      smtp(2, 100, client, other, { protocol: 'smtp', client, role: 'client', opens: true }),
      smtp(3, 1000, other, client, { protocol: 'smtp', client, role: 'server', replies: [{ code: 220, lines: ['c ready'] }] }),
    ];
    const segs = segments(tracePcap(events, [...DOMAINS, 'c.example']).pcap);
    expect(segs.filter((s) => s.flags === 'SYN').map((s) => [s.src, s.dst, s.srcPort])).toEqual([
      ['10.1.0.1', '10.2.0.1', 49152],
      ['10.1.0.1', '10.3.0.1', 49153],
    ]);
    const greeting = segs.find((s) => s.data.toString() === '220 c ready\r\n')!;
    expect([greeting.src, greeting.dst, greeting.dstPort]).toEqual(['10.3.0.1', '10.1.0.1', 49153]);
  });

  it('opens a new connection for the client\'s next session, from its next port', () => {
    const events = [
      smtp(1, 0, client, server, { protocol: 'smtp', client, role: 'client', opens: true }),
      smtp(2, 1000, server, client, { protocol: 'smtp', client, role: 'server', replies: [{ code: 221, lines: ['bye'] }] }),
      smtp(3, 5000, client, server, { protocol: 'smtp', client, role: 'client', opens: true }),
      smtp(4, 6000, server, client, { protocol: 'smtp', client, role: 'server', replies: [{ code: 220, lines: ['again'] }] }),
    ];
    const segs = segments(tracePcap(events, DOMAINS).pcap);
    expect(segs.filter((s) => s.flags === 'SYN').map((s) => s.srcPort)).toEqual([49152, 49153]);
    expect(segs.find((s) => s.data.toString() === '220 again\r\n')?.dstPort).toBe(49153);
  });

  it('keeps two sessions apart when each host is the other\'s client at once, by who opened each', () => {
    const events = [
      smtp(1, 0, client, server, { protocol: 'smtp', client, role: 'client', opens: true }),
      smtp(2, 100, server, client, { protocol: 'smtp', client: server, role: 'client', opens: true }),
      smtp(3, 1000, server, client, { protocol: 'smtp', client, role: 'server', replies: [{ code: 220, lines: ['to client'] }] }),
      smtp(4, 1100, client, server, { protocol: 'smtp', client: server, role: 'server', replies: [{ code: 220, lines: ['to server'] }] }),
    ];
    const segs = segments(tracePcap(events, DOMAINS).pcap);
    expect(segs.filter((s) => s.flags === 'SYN').map((s) => [s.src, s.dstPort])).toEqual([
      ['10.1.0.1', 25],
      ['10.2.0.1', 25],
    ]);
    expect(segs.find((s) => s.data.toString() === '220 to client\r\n')).toMatchObject({ srcPort: 25, dstPort: 49152, dst: '10.1.0.1' });
    expect(segs.find((s) => s.data.toString() === '220 to server\r\n')).toMatchObject({ srcPort: 25, dstPort: 49152, dst: '10.2.0.1' });
  });

  it('does not close on a 221 that never arrives', () => {
    const events: TraceEvent[] = [
      smtp(1, 0, client, server, { protocol: 'smtp', client, role: 'client', opens: true }),
      { type: 'undeliverable', id: 2, at: 1000, from: server, to: client, payload: { protocol: 'smtp', client, role: 'server', replies: [{ code: 221, lines: ['bye'] }] }, reason: 'host-down' },
    ];
    const segs = segments(tracePcap(events, DOMAINS).pcap);
    expect(segs.some((s) => s.flags.includes('FIN'))).toBe(false);
  });
});
