/**
 * A capture written while the run goes: each message becomes its packets as it is sent, and the
 * packets go to the sink at once. Memory holds the open TCP connections and the messages still in
 * flight over TCP, never the packets or the events.
 */
import type { Micros } from '../kernel/time.js';
import { StreamedAddressPlan } from './pcap-addresses.js';
import { Capture, pcapFileHeader, pcapRecord, type PendingAck } from './pcap.js';
import { pcapTransports } from './pcap-transports.js';
import type { TraceEvent } from './recorder.js';

/** A TCP message on its way, in case it is lost before it arrives (the network tells only then). */
interface InFlight {
  id: number;
  arriveAt: Micros;
  from: string;
  to: string;
  port: number;
  opener: string | undefined;
  ack: PendingAck;
}

export class PcapStreamWriter {
  readonly plan: StreamedAddressPlan;
  private readonly capture: Capture;
  private readonly transportOf = pcapTransports();
  /** In order of sending; arrivals are close to that order, so the head is where they leave. */
  private inFlight: InFlight[] = [];
  private head = 0;
  /** The same messages by event id, to find a lost one at once. */
  private readonly byId = new Map<number, InFlight>();
  private packetCount = 0;
  private udpCount = 0;
  private tcpCount = 0;

  readonly observer = (e: TraceEvent): void => {
    if (e.type === 'note') return;
    this.forgetArrived(e.at);
    if (e.type === 'undeliverable') {
      const m = this.byId.get(e.id);
      if (m !== undefined) {
        // Lost in flight: already captured when it was sent.
        this.capture.lose(m.ack, m.from, m.to, m.port, m.opener);
        this.byId.delete(e.id);
        return;
      }
    }
    const t = this.transportOf(e.payload, e.from, e.to);
    if (!t.tcp) {
      this.udpCount++;
      this.capture.datagram(e.at, e.from, e.to, t.port, t.octets, t.srcPort);
      return;
    }
    this.tcpCount++;
    const arrival = e.type === 'undeliverable' ? 'unreachable' : e.arriveAt;
    const ack = this.capture.stream(e.at, e.from, e.to, t.port, t.octets, arrival, t.opener);
    if (t.closes && typeof arrival === 'number') this.capture.close(e.at, e.from, e.to, t.port, arrival, t.opener);
    if (ack !== undefined && e.type === 'transmit') {
      const m = { id: e.id, arriveAt: e.arriveAt, from: e.from, to: e.to, port: t.port, opener: t.opener, ack };
      this.inFlight.push(m);
      this.byId.set(e.id, m);
    }
  };

  /** @param domains the network's domains in the order they were added (they number the subnets) */
  constructor(
    domains: readonly string[],
    write: (octets: Uint8Array) => void,
  ) {
    this.plan = new StreamedAddressPlan(domains);
    this.capture = new Capture(this.plan, (r) => {
      this.packetCount++;
      write(pcapRecord(r));
    });
    write(pcapFileHeader());
  }

  /** Writes the ACKs still due; call once the run is over. */
  finish(): void {
    this.capture.finish();
  }

  get packets(): number {
    return this.packetCount;
  }

  /** Messages captured, by transport. */
  get messages(): { udp: number; tcp: number } {
    return { udp: this.udpCount, tcp: this.tcpCount };
  }

  private forgetArrived(now: Micros): void {
    while (this.head < this.inFlight.length && this.inFlight[this.head]!.arriveAt < now) this.byId.delete(this.inFlight[this.head++]!.id);
    // Compact now and then, so the array does not keep what has arrived.
    if (this.head > 1024 && this.head * 2 > this.inFlight.length) {
      this.inFlight = this.inFlight.slice(this.head);
      this.head = 0;
    }
  }
}
