/**
 * The trace as a packet capture that Wireshark reads: SIP over UDP or TCP, and the non-CPM
 * protocols over TCP on their own ports (pcap-transports.ts), between synthetic addresses (see
 * pcap-addresses.ts), in the classic libpcap file format.
 */
import { Buffer } from 'node:buffer';
import type { Micros } from '../kernel/time.js';
import { AddressPlan, type HostAddresses } from './pcap-addresses.js';
import { ipv4Packet, PROTOCOL_TCP, PROTOCOL_UDP, synOptions, TCP_FLAGS, tcpSegment, udpDatagram, type Ipv4 } from './pcap-packets.js';
import { pcapTransports } from './pcap-transports.js';
import type { TraceEvent } from './recorder.js';

/**
 * LINKTYPE_RAW: each record starts at the IPv4 header. The simulator has no link layer, so
 * Ethernet framing would only add invented MAC addresses; 101 is the link type classic pcap files
 * use for raw IP (the DLT_RAW value differs between platforms, LINKTYPE_RAW does not).
 */
export const LINKTYPE_RAW = 101;
/** Magic of the microsecond-resolution format; readers detect our byte order from it. */
export const PCAP_MAGIC = 0xa1b2c3d4;
const SNAPLEN = 65_535;
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

export { SIP_PORT, UDP_MAX_SIP } from './pcap-transports.js';
const PATH_MTU = 1500;
/** RFC 9293 3.7.1: the MTU less the 20-octet IPv4 and TCP headers. */
export const TCP_MSS = PATH_MTU - 40;
/** RFC 7323 2.2: a shift of 7 makes the full 16-bit window 8 MiB, more than any message in flight. */
const WINDOW_SHIFT = 7;
const WINDOW = 0xffff;
/** RFC 6335 6: the dynamic port range, where connecting hosts take their local ports. */
const EPHEMERAL_FIRST = 49_152;
const EPHEMERAL_COUNT = 16_384;

export interface PcapRecord {
  /** Capture time: virtual microseconds, so the file's clock is the simulation's. */
  at: Micros;
  data: Uint8Array;
}

/** Classic libpcap file; little-endian whatever the machine, so a run always gives the same bytes. */
export function encodePcap(records: readonly PcapRecord[]): Buffer {
  return Buffer.concat([pcapFileHeader(), ...records.map(pcapRecord)]);
}

/** The global header that starts every capture file. */
export function pcapFileHeader(): Buffer {
  const out = Buffer.alloc(GLOBAL_HEADER);
  out.writeUInt32LE(PCAP_MAGIC, 0);
  out.writeUInt16LE(2, 4); // version 2.4
  out.writeUInt16LE(4, 6);
  out.writeInt32LE(0, 8); // timestamps are UTC
  out.writeUInt32LE(0, 12); // timestamp accuracy: unused by convention
  out.writeUInt32LE(SNAPLEN, 16);
  out.writeUInt32LE(LINKTYPE_RAW, 20);
  return out;
}

/** One packet record: its header, then the packet. */
export function pcapRecord(r: PcapRecord): Buffer {
  if (r.data.length > SNAPLEN) throw new Error(`a ${r.data.length}-octet packet exceeds the snapshot length`);
  const out = Buffer.alloc(RECORD_HEADER + r.data.length);
  out.writeUInt32LE(Math.floor(r.at / 1_000_000), 0);
  out.writeUInt32LE(r.at % 1_000_000, 4);
  out.writeUInt32LE(r.data.length, 8); // captured length: packets are never truncated
  out.writeUInt32LE(r.data.length, 12); // length on the wire
  out.set(r.data, RECORD_HEADER);
  return out;
}

/** One end of a TCP connection: what it has sent (next) and acknowledged (acked) so far. */
interface Endpoint {
  host: string;
  ip: Ipv4;
  port: number;
  isn: number;
  /** Sequence number of the next octet to send (mod 2^32). */
  next: number;
  /** The acknowledgment number this end sends: the next octet it expects from its peer. */
  acked: number;
  /** When its latest ACK is due; data is delivered in order, so no ACK may come before it. */
  ackDue: Micros;
}

interface Connection {
  initiator: Endpoint;
  responder: Endpoint;
}

export interface PendingAck {
  due: Micros;
  from: Endpoint;
  to: Endpoint;
  ack: number;
  /** Set when the segment is the sender's FIN too (RFC 9293 3.6), which takes one sequence number. */
  fin?: boolean;
}

/**
 * Turns sends between hosts into packets, in time order: UDP datagrams, and TCP connections with a
 * handshake, consistent sequence and acknowledgment numbers, and an ACK from the receiver when
 * the data arrives. The payload of a stream is any octets (SIP now, MSRP later, on its own port).
 */
export class Capture {
  /** Open connections by host pair and server port: one carries both directions (see `stream`). */
  private readonly connections = new Map<string, Connection>();
  private readonly pending: PendingAck[] = [];
  private readonly ipIds = new Map<string, number>();
  private readonly portsUsed = new Map<string, number>();
  private now: Micros = 0;

  /** @param emit takes each packet as it is built, in capture order */
  constructor(
    private readonly plan: HostAddresses,
    private readonly emit: (record: PcapRecord) => void,
  ) {}

  /** A UDP datagram to `port`, from the same port as SIP elements send (RFC 3261 18.1.1) unless `srcPort` says otherwise. */
  datagram(at: Micros, from: string, to: string, port: number, payload: Uint8Array, srcPort: number = port): void {
    this.advance(at);
    const src = this.plan.address(from);
    const dst = this.plan.address(to);
    this.ip(at, from, src, dst, PROTOCOL_UDP, udpDatagram(src, dst, srcPort, port, payload));
  }

  /**
   * Stream data from one host to another over the connection between them on `serverPort`,
   * opened by the first to send (from a dynamic port) and then used in both directions, as SIP
   * sends a response on the connection of its request (RFC 3261 18.2.2). The handshake is stamped
   * with the time of the first send: the simulator has no TCP, so it has no time of its own.
   *
   * `arrival` is when the receiver has the data, or why it never does: `lost`, the receiver was
   * there when it was sent but gone when it arrived; `unreachable`, nobody was at the address.
   * Then no ACK comes back and the connection is forgotten, so a later send opens a new one. A
   * SYN to an unreachable host gets no answer, but the data still follows it, without the ACK
   * bit (there is nothing to acknowledge): it is what the sender gave the network, which is what
   * this capture records.
   */
  stream(at: Micros, from: string, to: string, serverPort: number, payload: Uint8Array, arrival: Micros | 'lost' | 'unreachable', opener?: string): PendingAck | undefined {
    this.advance(at);
    const key = this.connectionOf(from, to, serverPort, opener);
    let connection = this.connections.get(key);
    let established = true;
    if (connection === undefined) {
      established = arrival !== 'unreachable';
      connection = opener === to ? this.open(at, to, from, serverPort, established) : this.open(at, from, to, serverPort, established);
      this.connections.set(key, connection);
    }
    // Opening the connection is all an empty write does (an SMTP client's connect).
    if (payload.length === 0) return undefined;
    const [sender, receiver] = connection.initiator.host === from ? [connection.initiator, connection.responder] : [connection.responder, connection.initiator];
    for (let offset = 0; offset < payload.length; offset += TCP_MSS) {
      const chunk = payload.subarray(offset, offset + TCP_MSS);
      // PSH on the last segment of a send, as stacks mark the end of a write (RFC 9293 3.9.1.2).
      const push = offset + TCP_MSS >= payload.length ? TCP_FLAGS.PSH : 0;
      this.tcp(at, sender, receiver, (established ? TCP_FLAGS.ACK : 0) | push, chunk);
      sender.next = (sender.next + chunk.length) >>> 0;
    }
    if (typeof arrival !== 'number') {
      this.connections.delete(key);
      return undefined;
    }
    const due = Math.max(arrival, receiver.ackDue);
    receiver.ackDue = due;
    const ack = { due, from: receiver, to: sender, ack: sender.next };
    this.schedule(ack);
    return ack;
  }

  /**
   * Data sent with `stream` turned out lost in flight (its receiver went down before it arrived),
   * learnt only then, as a streamed capture does: its ACK is not sent, if still due, and the
   * connection is forgotten, as `stream` does with `lost` when it is known at the time of sending.
   */
  lose(ack: PendingAck, from: string, to: string, serverPort: number, opener?: string): void {
    const i = this.pending.indexOf(ack);
    if (i >= 0) this.pending.splice(i, 1);
    this.connections.delete(this.connectionOf(from, to, serverPort, opener));
  }

  /**
   * `from` closes its connection with `to` right after its last send, as an SMTP server does after
   * its 221 reply (RFC 5321 4.1.1.10): FIN, the peer's FIN on arrival, and the last ACK (RFC 9293 3.6).
   */
  close(at: Micros, from: string, to: string, serverPort: number, arrival: Micros, opener?: string): void {
    const key = this.connectionOf(from, to, serverPort, opener);
    const connection = this.connections.get(key);
    if (connection === undefined) return;
    this.connections.delete(key);
    const [sender, receiver] = connection.initiator.host === from ? [connection.initiator, connection.responder] : [connection.responder, connection.initiator];
    this.tcp(at, sender, receiver, TCP_FLAGS.FIN | TCP_FLAGS.ACK, new Uint8Array(0));
    sender.next = (sender.next + 1) >>> 0;
    this.schedule({ due: arrival, from: receiver, to: sender, ack: sender.next, fin: true });
    this.schedule({ due: arrival + (arrival - at), from: sender, to: receiver, ack: (receiver.next + 1) >>> 0 });
  }

  /**
   * The key of the connection a send uses: the one `opener` opened when the protocol says which
   * end is the client (SMTP, where both hosts may be clients of each other at once), else the one
   * between the two hosts whoever opened it, or a new one opened by the sender.
   */
  private connectionOf(from: string, to: string, port: number, opener: string | undefined): string {
    if (opener !== undefined) return connectionKey(opener, opener === from ? to : from, port);
    const reverse = connectionKey(to, from, port);
    return this.connections.has(reverse) ? reverse : connectionKey(from, to, port);
  }

  /** Sends the ACKs still due: the capture is complete. */
  finish(): void {
    this.flush(Number.POSITIVE_INFINITY);
  }

  /** The SYN exchange (RFC 9293 3.5); only the SYN when nobody answers. */
  private open(at: Micros, from: string, to: string, serverPort: number, answered: boolean): Connection {
    const initiator = this.endpoint(from, this.ephemeralPort(from), to, serverPort);
    const responder = this.endpoint(to, serverPort, from, initiator.port);
    const options = synOptions(TCP_MSS, WINDOW_SHIFT);
    this.tcp(at, initiator, responder, TCP_FLAGS.SYN, new Uint8Array(0), options);
    initiator.next = (initiator.isn + 1) >>> 0;
    if (answered) {
      responder.acked = initiator.next;
      this.tcp(at, responder, initiator, TCP_FLAGS.SYN | TCP_FLAGS.ACK, new Uint8Array(0), options);
      responder.next = (responder.isn + 1) >>> 0;
      initiator.acked = responder.next;
      this.tcp(at, initiator, responder, TCP_FLAGS.ACK, new Uint8Array(0));
    }
    return { initiator, responder };
  }

  private endpoint(host: string, port: number, peer: string, peerPort: number): Endpoint {
    const ip = this.plan.address(host);
    const isn = initialSequence(ip, port, this.plan.address(peer), peerPort);
    return { host, ip, port, isn, next: isn, acked: 0, ackDue: 0 };
  }

  private ephemeralPort(host: string): number {
    const used = this.portsUsed.get(host) ?? 0;
    this.portsUsed.set(host, used + 1);
    return EPHEMERAL_FIRST + (used % EPHEMERAL_COUNT);
  }

  private tcp(at: Micros, from: Endpoint, to: Endpoint, flags: number, payload: Uint8Array, options?: Uint8Array): void {
    // The same field means 64 KiB in a SYN (never scaled, RFC 7323 2.2) and 8 MiB after it.
    const header = { srcPort: from.port, dstPort: to.port, seq: from.next, ack: from.acked, flags, window: WINDOW, ...(options && { options }) };
    this.ip(at, from.host, from.ip, to.ip, PROTOCOL_TCP, tcpSegment(from.ip, to.ip, header, payload));
  }

  private ip(at: Micros, host: string, src: Ipv4, dst: Ipv4, protocol: number, payload: Uint8Array): void {
    const id = (this.ipIds.get(host) ?? 0) + 1;
    this.ipIds.set(host, id);
    this.emit({ at, data: ipv4Packet(src, dst, protocol, id, payload) });
  }

  /** Sends the ACKs due by `at` first, so packets are built in time order from current state. */
  private advance(at: Micros): void {
    if (at < this.now) throw new Error(`capture times must not go back (${at} after ${this.now})`);
    this.flush(at);
    this.now = at;
  }

  private flush(until: number): void {
    for (let ack = this.pending[0]; ack !== undefined && ack.due <= until; ack = this.pending[0]) {
      this.pending.shift();
      ack.from.acked = ack.ack;
      this.tcp(ack.due, ack.from, ack.to, TCP_FLAGS.ACK | (ack.fin === true ? TCP_FLAGS.FIN : 0), new Uint8Array(0));
      if (ack.fin === true) ack.from.next = (ack.from.next + 1) >>> 0;
    }
  }

  /** Keeps the queue in due order; ACKs due at the same time keep the order they were scheduled in. */
  private schedule(ack: PendingAck): void {
    const at = this.pending.findIndex((p) => p.due > ack.due);
    this.pending.splice(at < 0 ? this.pending.length : at, 0, ack);
  }
}

function connectionKey(initiator: string, responder: string, port: number): string {
  return `${initiator} ${responder} ${port}`;
}

/**
 * RFC 9293 3.4.1 wants initial sequence numbers that are hard to guess; a capture wants them
 * reproducible. A hash (FNV-1a) of the connection's addresses and ports gives each direction its own.
 */
function initialSequence(ip: Ipv4, port: number, peerIp: Ipv4, peerPort: number): number {
  let hash = 0x811c9dc5;
  for (const octet of [...ip, port >> 8, port & 0xff, ...peerIp, peerPort >> 8, peerPort & 0xff]) {
    hash = Math.imul(hash ^ octet, 0x01000193) >>> 0;
  }
  return hash;
}

export interface TraceCapture {
  pcap: Buffer;
  plan: AddressPlan;
  packets: number;
  /** Messages by transport; together, every message that left its sender. */
  udp: number;
  tcp: number;
}

/**
 * The messages of a trace as a capture, each stamped with the time it left its sender.
 * Messages the network could not deliver are included: they were sent, which is what a capture at
 * the sender shows; one that was lost in flight (its host went down) appears once, when it was sent.
 *
 * @param domains the scenario's domains in the order its network lists them (they number the subnets)
 * @param epochUs the wall-clock instant of virtual time zero, in microseconds since 1970 (a live run's start); 0 keeps virtual time
 */
export function tracePcap(events: readonly TraceEvent[], domains: readonly string[], epochUs: Micros = 0): TraceCapture {
  const hosts = new Set<string>();
  const lost = new Set<number>();
  for (const e of events) {
    if (e.type === 'note') continue;
    hosts.add(e.from).add(e.to);
    if (e.type === 'undeliverable') lost.add(e.id);
  }
  const plan = new AddressPlan(domains, [...hosts]);
  const records: PcapRecord[] = [];
  const capture = new Capture(plan, (r) => records.push(epochUs === 0 ? r : { ...r, at: r.at + epochUs }));
  const sent = new Set<number>();
  const transportOf = pcapTransports();
  let tcp = 0;
  for (const e of events) {
    if (e.type === 'note' || sent.has(e.id)) continue;
    sent.add(e.id);
    const t = transportOf(e.payload, e.from, e.to);
    if (t.tcp) {
      tcp++;
      const arrival = e.type === 'undeliverable' ? 'unreachable' : lost.has(e.id) ? 'lost' : e.arriveAt;
      capture.stream(e.at, e.from, e.to, t.port, t.octets, arrival, t.opener);
      if (t.closes && typeof arrival === 'number') capture.close(e.at, e.from, e.to, t.port, arrival, t.opener);
    } else {
      capture.datagram(e.at, e.from, e.to, t.port, t.octets, t.srcPort);
    }
  }
  capture.finish();
  return { pcap: encodePcap(records), plan, packets: records.length, udp: sent.size - tcp, tcp };
}
