import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { decodeRtcpPacket, decodeRtp, encodeRtcp, encodeRtp, RtpCodecError } from '../rtp/codec.js';
import type { MediaPacket } from '../rtp/packet.js';
import { GatewayError } from './gateway.js';
import { formatAddress, type Address } from './sip-edge.js';

export interface RtpRelayOptions {
  host: string;
  /** How many RTP/RTCP port pairs to open: one per simulated media end a real client talks to. */
  pairs: number;
  /** Datagrams one pair takes per second from the real side; past it they are counted and dropped (RTP has no error answer). */
  maxPacketsPerSecond: number;
  maxMessageOctets: number;
}

export interface RtpRelayEvents {
  /** A datagram of a real client, decoded, for the simulated end `toHost` its gateway port stands for. */
  packet(packet: MediaPacket, source: Address, toHost: string): void;
  note(host: string, text: string): void;
}

export interface RtpCounts {
  received: number;
  sent: number;
  malformed: number;
  oversize: number;
  rateLimited: number;
  /** Media of the network for which no gateway port was free (the pairs were all taken). */
  unrelayed: number;
}

/** One RTP port (even) and its RTCP port (the next, RFC 3550 11), standing for one simulated end. */
interface Pair {
  rtp: UdpSocket;
  rtcp: UdpSocket;
  port: number;
  sim?: { host: string; port: number };
  second: number;
  taken: number;
  /** Whether a malformed datagram was noted this second: a flood of them is counted, not noted. */
  noted: boolean;
}

/** Binding tries for an even port whose odd neighbour is free too. */
const BIND_TRIES = 64;

/**
 * The audio and video of sessions with a real client (RFC 3550 over real UDP). The simulated ends
 * are host names the client cannot reach, so each simulated end the client is given in SDP gets a
 * pair of the gateway's ports (RTP even, RTCP the next one up, RFC 3550 11); the network's packets
 * for the client leave from that pair, and what the client sends to it is decoded with the
 * project's codec and enters the network for the end the pair stands for. The client's own c= and
 * m= (an IP address and its ports) are what the simulated end sends to, as the SDP said.
 */
export class RtpRelay {
  readonly counts: RtpCounts = { received: 0, sent: 0, malformed: 0, oversize: 0, rateLimited: 0, unrelayed: 0 };
  private readonly bySim = new Map<string, Pair>();

  private constructor(
    private readonly options: RtpRelayOptions,
    private readonly events: RtpRelayEvents,
    private readonly pairs: Pair[],
    private readonly now: () => number,
  ) {
    for (const pair of pairs) {
      pair.rtp.on('message', (octets, info) => this.datagram(pair, 'rtp', octets, { transport: 'udp', address: info.address, port: info.port }));
      pair.rtcp.on('message', (octets, info) => this.datagram(pair, 'rtcp', octets, { transport: 'udp', address: info.address, port: info.port }));
    }
  }

  static async open(options: RtpRelayOptions, events: RtpRelayEvents, now: () => number = Date.now): Promise<RtpRelay> {
    const pairs: Pair[] = [];
    try {
      for (let i = 0; i < options.pairs; i++) pairs.push(await openPair(options.host));
    } catch (e) {
      for (const p of pairs) closePair(p);
      throw e;
    }
    return new RtpRelay(options, events, pairs, now);
  }

  async close(): Promise<void> {
    await Promise.all(this.pairs.map(closePair));
  }

  /** The gateway's RTP port standing for the simulated end `host`:`port`, taken from the free pairs on first ask. */
  portFor(host: string, port: number): number | undefined {
    const key = `${host}:${port}`;
    const known = this.bySim.get(key);
    if (known !== undefined) return known.port;
    const free = this.pairs.find((p) => p.sim === undefined);
    if (free === undefined) return undefined;
    free.sim = { host, port };
    this.bySim.set(key, free);
    return free.port;
  }

  /** A packet of the network for the real client at `address`: sent from the pair of the simulated end it comes from. */
  toClient(packet: MediaPacket, fromHost: string, address: string): void {
    const simPort = packet.type === 'rtp' ? packet.srcPort : packet.srcPort - 1;
    const pair = this.bySim.get(`${fromHost}:${simPort}`);
    if (pair === undefined) {
      if (this.counts.unrelayed++ === 0) this.events.note(address, `could not send to ${address}: ${packet.type.toUpperCase()} from ${fromHost}:${packet.srcPort}, whose SDP got no gateway port`);
      return;
    }
    this.counts.sent++;
    const socket = packet.type === 'rtp' ? pair.rtp : pair.rtcp;
    socket.send(packet.type === 'rtp' ? encodeRtp(packet) : encodeRtcp(packet), packet.dstPort, address);
  }

  private datagram(pair: Pair, kind: 'rtp' | 'rtcp', octets: Buffer, source: Address): void {
    this.counts.received++;
    const second = Math.floor(this.now() / 1000);
    if (second !== pair.second) {
      pair.second = second;
      pair.taken = 0;
      pair.noted = false;
    }
    if (++pair.taken > this.options.maxPacketsPerSecond) {
      this.counts.rateLimited++;
      return this.noteOnce(pair, source, `more than ${this.options.maxPacketsPerSecond} datagrams in a second`);
    }
    if (octets.length > this.options.maxMessageOctets) {
      this.counts.oversize++;
      return this.noteOnce(pair, source, `${octets.length} octets, more than ${this.options.maxMessageOctets}`);
    }
    if (pair.sim === undefined) {
      this.counts.malformed++;
      return this.noteOnce(pair, source, 'a gateway port no session uses');
    }
    const ports = { srcPort: source.port, dstPort: kind === 'rtp' ? pair.sim.port : pair.sim.port + 1 };
    let packet: MediaPacket;
    try {
      packet = kind === 'rtp' ? decodeRtp(octets, ports) : decodeRtcpPacket(octets, ports);
    } catch (e) {
      if (!(e instanceof RtpCodecError)) throw e;
      this.counts.malformed++;
      return this.noteOnce(pair, source, `not ${kind.toUpperCase()}: ${e.message}`);
    }
    this.events.packet(packet, source, pair.sim.host);
  }

  /** RTP has no error response (RFC 3550): a refused datagram is counted, and noted once a second. */
  private noteOnce(pair: Pair, source: Address, why: string): void {
    if (pair.noted) return;
    pair.noted = true;
    this.events.note(source.address, `dropped a datagram from ${formatAddress(source)} to RTP port ${pair.port}: ${why}`);
  }
}

async function bind(host: string, port: number): Promise<UdpSocket | undefined> {
  const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
  return new Promise((resolve) => {
    socket.once('error', () => {
      socket.close();
      resolve(undefined);
    });
    socket.bind(port, host, () => {
      socket.removeAllListeners('error');
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });
}

/** RFC 3550 11: RTP on an even port, RTCP on the next one up. */
async function openPair(host: string): Promise<Pair> {
  for (let i = 0; i < BIND_TRIES; i++) {
    const rtp = await bind(host, 0);
    if (rtp === undefined) break;
    const port = rtp.address().port;
    const rtcp = port % 2 === 0 && port < 65535 ? await bind(host, port + 1) : undefined;
    if (rtcp !== undefined) return { rtp, rtcp, port, second: -1, taken: 0, noted: false };
    rtp.close();
  }
  throw new GatewayError(`cannot open an RTP port pair on udp ${host}`);
}

function closePair(pair: Pair): Promise<void> {
  return Promise.all([new Promise<void>((resolve) => pair.rtp.close(() => resolve())), new Promise<void>((resolve) => pair.rtcp.close(() => resolve()))]).then(() => undefined);
}
