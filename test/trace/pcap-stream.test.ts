/**
 * The capture written while the run goes (src/trace/pcap-stream.ts): the libpcap global header
 * first, each message's packets as it is sent, a TCP message lost in flight left unacknowledged
 * (its connection forgotten), the ACKs still due written by finish(), and the counts.
 */
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import type { SmtpExchange } from '../../src/smtp/exchange.js';
import { PcapStreamWriter } from '../../src/trace/pcap-stream.js';
import { tracePcap } from '../../src/trace/pcap.js';
import type { TraceEvent } from '../../src/trace/recorder.js';
import { ipv4, records, segments, tcp } from './fixtures.js';
import { ALICE, BOB, CORE, request, rtpPacket, SERVER, Trace } from './monitors/fixtures.js';

const DOMAINS = ['a.example', 'b.example'];
const SMTP_CLIENT = 'iwf-email.a.example';
const SMTP_SERVER = 'mail.b.example';

/** A MESSAGE of more than 1300 octets, so it goes over TCP (RFC 3261 18.1.1). */
const big = (branch: string) => request('MESSAGE', { branch, callId: branch, body: { kind: 'text', contentType: 'text/plain', text: 'x'.repeat(1400) } });

function stream(events: readonly TraceEvent[], finish = true): { writer: PcapStreamWriter; pcap: Buffer; chunks: number } {
  const chunks: Uint8Array[] = [];
  const writer = new PcapStreamWriter(DOMAINS, (o) => chunks.push(o));
  for (const e of events) writer.observer(e);
  if (finish) writer.finish();
  return { writer, pcap: Buffer.concat(chunks), chunks: chunks.length };
}

describe('PcapStreamWriter', () => {
  it('writes the global header at once, before any event (24 octets, magic a1b2c3d4 little-endian, LINKTYPE_RAW)', () => {
    const chunks: Uint8Array[] = [];
    const writer = new PcapStreamWriter(DOMAINS, (o) => chunks.push(o));
    expect(chunks).toHaveLength(1);
    const header = Buffer.from(chunks[0]!);
    expect(header.length).toBe(24);
    expect([header.readUInt32LE(0), header.readUInt16LE(4), header.readUInt16LE(6), header.readUInt32LE(20)]).toEqual([0xa1b2c3d4, 2, 4, 101]);
    expect([writer.packets, writer.messages]).toEqual([0, { udp: 0, tcp: 0 }]);
  });

  it('writes each packet as one record as the message is sent, skipping notes', () => {
    const t = new Trace();
    t.send(ALICE, CORE, request('MESSAGE'));
    t.note(CORE, 'routed');
    t.send(CORE, ALICE, request('OPTIONS', { branch: 'z9hG4bK2' }));
    const { writer, pcap, chunks } = stream(t.events);
    expect(chunks).toBe(1 + 2);
    expect(writer.packets).toBe(2);
    expect(writer.messages).toEqual({ udp: 2, tcp: 0 });
    const recs = records(pcap);
    expect(recs.map((r) => r.at)).toEqual([1000, 3000]);
    // Addresses in order of first appearance in the domain: Alice first, then Core A.
    expect(recs.map((r) => [...r.data.subarray(12, 20)].join('.'))).toEqual(['10.1.0.1.10.1.0.2', '10.1.0.2.10.1.0.1']);
  });

  it('acknowledges TCP data when it arrives, once a later event or finish() reaches that time', () => {
    const t = new Trace();
    t.send(ALICE, CORE, big('z9hG4bKa'), 1000, 5000);
    const early = stream(t.events, false);
    // SYN, SYN-ACK, ACK and two data segments; the receiver's ACK is not due yet.
    expect(segments(early.pcap).map((s) => s.flags)).toEqual(['SYN', 'SYN,ACK', 'ACK', 'ACK', 'PSH,ACK']);
    const done = stream(t.events);
    expect(segments(done.pcap).map((s) => s.flags).at(-1)).toBe('ACK');
    expect(records(done.pcap).at(-1)?.at).toBe(5000);
    expect(done.writer.packets).toBe(6);
    expect(done.writer.messages).toEqual({ udp: 0, tcp: 1 });
  });

  it('leaves a message lost in flight unacknowledged, counts it once, and opens a new connection after it', () => {
    const t = new Trace();
    // Core A sorts before Alice's phone: the streamed plan numbers them as the whole trace's does.
    const lost = t.send(CORE, ALICE, big('z9hG4bKlost'), 1000, 5000);
    t.lostInFlight(lost);
    t.send(CORE, ALICE, big('z9hG4bKnext'), 6000, 7000);
    const { writer, pcap } = stream(t.events);
    const segs = segments(pcap);
    expect(writer.messages).toEqual({ udp: 0, tcp: 2 });
    // No ACK of the lost data from Alice (10.1.0.2) at 5 ms; a second handshake from the next port.
    expect(segs.filter((s) => s.flags === 'SYN').map((s) => s.srcPort)).toEqual([49152, 49153]);
    const acks = records(pcap).filter((r) => r.data[12 + 3] === 2 && r.at > 1000).map((r) => r.at);
    expect(acks).toEqual([6000, 7000]);
    // The same bytes as the capture of the whole trace, which knew of the loss from the start.
    expect(pcap.equals(tracePcap(t.events, DOMAINS).pcap)).toBe(true);
  });

  it("a loss reported when the lost data's ACK has already gone out leaves the other connections' ACKs due", () => {
    const t = new Trace();
    const lost = t.send(CORE, ALICE, big('z9hG4bKlost'), 1000, 5000);
    t.send(SERVER, BOB, big('z9hG4bKfar'), 2000, 9000);
    // A send at 5 ms writes the ACK due then; the loss of the data arriving then is learnt after it.
    t.send(ALICE, CORE, big('z9hG4bKthen'), 5000, 6000);
    t.lostInFlight(lost);
    const { pcap } = stream(t.events);
    // RFC 9293 3.10.7.4: each receiver acknowledges the data that reached it, Bob's phone at 9 ms.
    const pureAcks = records(pcap).flatMap((r) => {
      const ip = ipv4(r.data);
      if (ip.protocol !== 6) return [];
      const s = tcp(ip);
      return s.flags === 'ACK' && s.data.length === 0 && r.at > 5000 ? [r.at] : [];
    });
    expect(pureAcks).toEqual([6000, 9000]);
  });

  it('sends a message the network could not deliver at all as to an unreachable host: a SYN and data without ACK', () => {
    const t = new Trace();
    t.undeliverable(ALICE, CORE, big('z9hG4bKgone'));
    const { writer, pcap } = stream(t.events);
    expect(segments(pcap).map((s) => s.flags)).toEqual(['SYN', '', 'PSH']);
    expect(writer.messages).toEqual({ udp: 0, tcp: 1 });
    const small = new Trace();
    small.undeliverable(ALICE, CORE, request('MESSAGE'));
    expect(stream(small.events).writer.messages).toEqual({ udp: 1, tcp: 0 });
  });

  it('forgets a message once it has arrived: a later loss of that id is a new undeliverable message', () => {
    const t = new Trace();
    const sent = t.send(ALICE, CORE, big('z9hG4bKa'), 1000, 2000);
    // The same id undeliverable after the data arrived (a late segment to a restarted end).
    t.events.push({ type: 'undeliverable', id: sent.id, at: 3000, from: CORE, to: ALICE, payload: request('MESSAGE', { branch: 'z9hG4bKb' }), reason: 'host-down' });
    const { writer, pcap } = stream(t.events);
    expect(writer.messages).toEqual({ udp: 1, tcp: 1 });
    expect(records(pcap).at(-1)?.at).toBe(3000);
  });

  it('closes an SMTP session after the server\'s 221 (RFC 5321 4.1.1.10): FIN from the server, then the client\'s', () => {
    const smtp = (id: number, at: number, from: string, to: string, payload: SmtpExchange): TraceEvent => ({ type: 'transmit', id, at, arriveAt: at + 500, from, to, payload });
    const events = [
      smtp(1, 0, SMTP_CLIENT, SMTP_SERVER, { protocol: 'smtp', client: SMTP_CLIENT, role: 'client', opens: true }),
      smtp(2, 1000, SMTP_SERVER, SMTP_CLIENT, { protocol: 'smtp', client: SMTP_CLIENT, role: 'server', replies: [{ code: 221, lines: ['bye'] }] }),
    ];
    const { writer, pcap } = stream(events);
    expect(segments(pcap).map((s) => s.flags)).toEqual(['SYN', 'SYN,ACK', 'ACK', 'PSH,ACK', 'FIN,ACK', 'ACK', 'FIN,ACK', 'ACK']);
    expect(writer.messages).toEqual({ udp: 0, tcp: 2 });
    expect(pcap.equals(tracePcap(events, DOMAINS).pcap)).toBe(true);
  });

  it('still finds a message lost in flight after more than a thousand have arrived', () => {
    const t = new Trace();
    for (let i = 0; i < 1100; i++) t.send(CORE, ALICE, big(`z9hG4bK${i}`), 1000 * (i + 1), 1000 * (i + 1) + 100);
    const lost = t.send(CORE, ALICE, big('z9hG4bKlost'), 2_000_000, 2_100_000);
    t.send(ALICE, CORE, request('OPTIONS', { branch: 'z9hG4bKo' }), 2_050_000);
    t.lostInFlight(lost);
    t.send(CORE, ALICE, big('z9hG4bKafter'), 2_200_000, 2_300_000);
    const { writer, pcap } = stream(t.events);
    expect(writer.messages).toEqual({ udp: 1, tcp: 1102 });
    expect(pcap.equals(tracePcap(t.events, DOMAINS).pcap)).toBe(true);
    // Each of them is forgotten once arrived, the one sent as the list was compacted too: a later
    // undeliverable of its id is a message of its own.
    const late = [...t.events, { ...t.events[1025]!, type: 'undeliverable', at: 3_000_000, reason: 'host-down' } as TraceEvent];
    expect(stream(late).writer.messages).toEqual({ udp: 1, tcp: 1103 });
  });

  it('sends RTP from the sender\'s own port to the receiver\'s (RFC 3550 11)', () => {
    const t = new Trace();
    t.send(ALICE, CORE, rtpPacket(49174, 49170));
    const [rec] = records(stream(t.events).pcap);
    expect([rec?.data.readUInt16BE(20), rec?.data.readUInt16BE(22)]).toEqual([49170, 49174]);
  });

  it('keeps an SMTP connection whose opening was lost in flight, as the whole trace\'s capture does', () => {
    const open: TraceEvent = { type: 'transmit', id: 1, at: 0, arriveAt: 500, from: SMTP_CLIENT, to: SMTP_SERVER, payload: { protocol: 'smtp', client: SMTP_CLIENT, role: 'client', opens: true } };
    const events: TraceEvent[] = [
      open,
      { ...open, type: 'undeliverable', at: 500, reason: 'host-down' } as TraceEvent,
      { type: 'transmit', id: 2, at: 1000, arriveAt: 1500, from: SMTP_SERVER, to: SMTP_CLIENT, payload: { protocol: 'smtp', client: SMTP_CLIENT, role: 'server', replies: [{ code: 220, lines: ['ready'] }] } },
    ];
    const { pcap } = stream(events);
    expect(segments(pcap).filter((s) => s.flags === 'SYN')).toHaveLength(1);
    expect(pcap.equals(tracePcap(events, DOMAINS).pcap)).toBe(true);
  });
});
