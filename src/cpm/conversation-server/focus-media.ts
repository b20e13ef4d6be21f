/**
 * The user plane of the Controlling Function for real-time Media Streams (CPM 5.2.3.9), an RTP
 * mixer in the manner of RFC 3550 7.1: each Participant has its own leg (ports of
 * its own at the focus, its own SSRC from the focus, its own RTCP), and for a full-duplex stream
 * each gets, every packet interval, one mixed packet of what the other Participants sent in that
 * interval, with those Participants' SSRCs as the CSRC list. What a Participant that is no longer
 * in the session still sends is dropped (CPM 5.2.3.2.2, 5.2.3.2.5): its leg is closed.
 */
import type { SessionDescription } from 'sdp-transform';
import type { RandomStream } from '../../kernel/random.js';
import type { Simulator, Timer } from '../../kernel/simulator.js';
import { MAX_CSRC, type MediaPacket } from '../../rtp/packet.js';
import { RtpSession } from '../rtp-session.js';
import { negotiatedStreams, type RtpMediaType } from '../rtp-streams.js';
import { offersFloorControl, rtpPortsOf, type RtpPorts } from '../session-sdp.js';
import type { BfcpMessage, RequestStatus } from '../../bfcp/message.js';

/** The focus's BFCP ports (RFC 4583: the floor control server listens), one per session. */
const FIRST_BFCP_PORT = 40_000;

/** RFC 4582: one floor per session: who holds it and who waits, in order. */
interface Floor {
  confId: number;
  port: number;
  holder?: LegMedia;
  queue: LegMedia[];
  nextRequest: number;
  requests: Map<LegMedia, number>;
}

export interface FocusMediaPorts {
  sim: Simulator;
  sendFloor(toHost: string, msg: BfcpMessage): void;
  host: string;
  rng(): RandomStream;
  send(toHost: string, packet: MediaPacket): void;
  note(text: string): void;
  epochMs: number;
}

interface LegMedia {
  name: string;
  /** RFC 4582: the leg's BFCP user id (its place in the session, from 1). */
  userId: number;
  session: object;
  ports: RtpPorts;
  rtp?: RtpSession;
  gone: boolean;
  /** Whether the leg's previous interval carried a mix, per stream type (the marker bit, RFC 3551 4.1). */
  mixing: Set<RtpMediaType>;
}

/** One stream type of one session: what was heard in the current interval, by Participant. */
interface Mix {
  heard: Map<LegMedia, number>;
  timer?: Timer;
}

export class FocusMedia {
  private readonly legs = new Map<object, LegMedia>();
  /** Legs by every port of theirs (RTP and RTCP of each stream), to find what a packet is for. */
  private readonly byPort = new Map<number, LegMedia>();
  private readonly mixes = new Map<object, Map<RtpMediaType, Mix>>();
  private allocated = 0;
  /** Legs whose dropped packets were noted already, once each. */
  private readonly noted = new Set<LegMedia>();
  /** Sessions whose inviter offered its real-time streams simplex (RFC 4566 6 a=sendonly). */
  private readonly simplex = new Set<object>();
  /** Sessions under floor control (RFC 4583), and their floors by the server port. */
  private readonly floors = new Map<object, Floor>();
  private readonly floorsByPort = new Map<number, Floor>();

  /**
   * The inviter's offer: a=sendonly makes the session's real-time streams simplex, from the
   * inviter; a BFCP m-line puts them under floor control, the focus the floor control server.
   */
  hosted(session: object, offered: SessionDescription): void {
    if (offered.media.some((m) => (m.type === 'audio' || m.type === 'video') && m.port !== 0 && m.direction === 'sendonly')) this.simplex.add(session);
    if (offersFloorControl(offered)) {
      const floor: Floor = { confId: this.floors.size + 1, port: FIRST_BFCP_PORT + this.floors.size, queue: [], nextRequest: 1, requests: new Map() };
      this.floors.set(session, floor);
      this.floorsByPort.set(floor.port, floor);
    }
  }

  constructor(private readonly ports: FocusMediaPorts) {}

  /** The focus's RTP ports for a Participant's leg, in every description it sends that leg. */
  portsOf(session: object, leg: object, name: string): RtpPorts {
    let media = this.legs.get(leg);
    if (media === undefined) {
      let inSession = 0;
      for (const l of this.legs.values()) if (l.session === session) inSession++;
      media = { name, userId: inSession + 1, session, ports: rtpPortsOf(this.allocated++), gone: false, mixing: new Set() };
      this.legs.set(leg, media);
      for (const port of [media.ports.audio, media.ports.video]) {
        this.byPort.set(port, media);
        this.byPort.set(port + 1, media);
      }
    }
    // The focus offers the members of a simplex session its streams send-only.
    const floor = this.floors.get(session);
    return {
      ...media.ports,
      ...(this.simplex.has(session) && { direction: 'sendonly' as const }),
      ...(floor && { floor: { port: floor.port, floorctrl: 's-only' as const, confId: floor.confId, userId: media.userId } }),
    };
  }

  /** RFC 3264: the leg's streams after an offer and its answer, one of them the focus's. */
  negotiated(leg: object, local: SessionDescription | undefined, remote: SessionDescription | undefined, answered: 'local' | 'remote'): void {
    const media = this.legs.get(leg);
    if (media === undefined || local === undefined || remote === undefined || media.gone) return;
    media.rtp ??= new RtpSession({ sim: this.ports.sim, rng: this.ports.rng, send: this.ports.send, cname: `focus@${this.ports.host}`, epochMs: this.ports.epochMs });
    media.rtp.setStreams(negotiatedStreams(local, remote, answered));
  }

  /**
   * CPM 5.2.3.8.2: a Participant refused a modification that no longer offered it streams it used:
   * the focus stops forwarding their media to it, and takes none from it on them.
   */
  withdrawn(leg: object, types: readonly string[]): void {
    const media = this.legs.get(leg);
    if (media === undefined || media.gone || media.rtp === undefined) return;
    media.rtp.withdraw(types);
    for (const type of types) {
      this.mixes.get(media.session)?.get(type as RtpMediaType)?.heard.delete(media);
      media.mixing.delete(type as RtpMediaType);
    }
  }

  /** The Participant left or was released: its leg sends its RTCP BYE and takes nothing more. */
  gone(leg: object): void {
    const media = this.legs.get(leg);
    if (media === undefined || media.gone) return;
    media.gone = true;
    media.rtp?.close();
    const floor = this.floors.get(media.session);
    if (floor !== undefined) {
      floor.queue = floor.queue.filter((l) => l !== media);
      if (floor.holder === media) this.passFloor(floor);
    }
    for (const mix of this.mixes.get(media.session)?.values() ?? []) mix.heard.delete(media);
  }

  /** RTP or RTCP to one of the focus's legs, taken only from the Participant's own address. */
  receive(packet: MediaPacket, fromHost: string): void {
    const leg = this.byPort.get(packet.dstPort);
    const stream = leg?.rtp?.stream(packet.dstPort === leg.ports.audio || packet.dstPort === leg.ports.audio + 1 ? 'audio' : 'video');
    const rtcp = packet.type === 'rtcp' ? 1 : 0;
    if (leg === undefined || leg.gone || stream === undefined || stream.remoteHost !== fromHost || stream.remotePort + rtcp !== packet.srcPort) return this.drop(leg, packet, fromHost);
    leg.rtp!.receive(packet);
    if (packet.type !== 'rtp' || stream.direction === 'sendonly' || stream.direction === 'inactive') return;
    if (stream.direction === 'recvonly') return this.relaySimplex(leg, stream.type, packet.ssrc, packet.marker);
    // CPM 5.2.3.9: under floor control, only the media of the Participant holding the floor goes on.
    const floor = this.floors.get(leg.session);
    if (floor !== undefined && floor.holder !== leg) return this.drop(leg, packet, fromHost);
    const mix = this.mixOf(leg.session, stream.type);
    mix.heard.set(leg, packet.ssrc);
    // Half an interval after the first packet: a packet that comes a little late still makes its interval.
    mix.timer ??= this.ports.sim.schedule((stream.intervalMs * 1000) / 2, () => this.tick(leg.session, stream.type, stream.intervalMs));
  }

  /**
   * CPM 5.2.3.9, full duplex: every Participant of the stream gets the mix of the others heard in
   * this interval; one that only it spoke in gets nothing (there is nothing of the others to mix).
   */
  private tick(session: object, type: RtpMediaType, intervalMs: number): void {
    const mix = this.mixOf(session, type);
    delete mix.timer;
    const heard = [...mix.heard];
    mix.heard.clear();
    if (heard.length === 0) return;
    for (const leg of this.legs.values()) {
      if (leg.session !== session || leg.gone || leg.rtp === undefined) continue;
      const csrc = heard.filter(([from]) => from !== leg).map(([, ssrc]) => ssrc).slice(0, MAX_CSRC);
      if (csrc.length === 0) {
        leg.mixing.delete(type);
        continue;
      }
      if (leg.rtp.send(type, csrc, !leg.mixing.has(type))) leg.mixing.add(type);
    }
    mix.timer = this.ports.sim.schedule(intervalMs * 1000, () => this.tick(session, type, intervalMs));
  }

  /**
   * CPM 5.2.3.9, simplex: the sending Participant's packet goes to each receiving one as it comes
   * (nothing to mix), the sender named as its contributing source.
   */
  private relaySimplex(sender: LegMedia, type: RtpMediaType, ssrc: number, marker: boolean): void {
    for (const leg of this.legs.values()) {
      if (leg.session !== sender.session || leg === sender || leg.gone || leg.rtp?.stream(type)?.direction !== 'sendonly') continue;
      leg.rtp.send(type, [ssrc], marker);
    }
  }

  private mixOf(session: object, type: RtpMediaType): Mix {
    let byType = this.mixes.get(session);
    if (byType === undefined) {
      byType = new Map();
      this.mixes.set(session, byType);
    }
    let mix = byType.get(type);
    if (mix === undefined) {
      mix = { heard: new Map() };
      byType.set(type, mix);
    }
    return mix;
  }

  /**
   * RFC 4582 9: a FloorRequest is granted when the floor is free, else queued (Pending, with its
   * place); a FloorRelease frees it (Released) and the first in the queue is granted. Taken only
   * from the Participant's own address.
   */
  floorRequest(msg: BfcpMessage, fromHost: string): void {
    const floor = this.floorsByPort.get(msg.serverPort);
    const leg = floor === undefined ? undefined : [...this.legs.values()].find((l) => this.floors.get(l.session) === floor && l.userId === msg.userId);
    if (floor === undefined || leg === undefined || leg.gone || leg.rtp?.stream('audio')?.remoteHost !== fromHost || msg.conferenceId !== floor.confId) {
      return this.ports.note(`drops BFCP ${msg.primitive} from ${fromHost}: no such Participant`);
    }
    if (msg.primitive === 'FloorRequest') {
      const id = floor.nextRequest++;
      floor.requests.set(leg, id);
      if (floor.holder === undefined) {
        floor.holder = leg;
        this.ports.note(`grants the floor to ${leg.name}`);
        return this.floorStatus(floor, leg, msg.transactionId, 'Granted');
      }
      floor.queue.push(leg);
      return this.floorStatus(floor, leg, msg.transactionId, 'Pending', floor.queue.length);
    }
    if (msg.primitive === 'FloorRelease') {
      const queued = floor.queue.includes(leg);
      floor.queue = floor.queue.filter((l) => l !== leg);
      this.floorStatus(floor, leg, msg.transactionId, queued ? 'Cancelled' : 'Released');
      floor.requests.delete(leg);
      if (floor.holder === leg) this.passFloor(floor);
    }
  }

  /** The floor is free: the first one waiting gets it, told in a message of the server's own (transaction 0). */
  private passFloor(floor: Floor): void {
    delete floor.holder;
    const next = floor.queue.shift();
    if (next === undefined) return;
    floor.holder = next;
    this.ports.note(`grants the floor to ${next.name}`);
    this.floorStatus(floor, next, 0, 'Granted');
  }

  private floorStatus(floor: Floor, leg: LegMedia, transactionId: number, status: RequestStatus, queuePosition?: number): void {
    const client = leg.rtp?.stream('audio')?.remoteHost;
    if (client === undefined) return;
    this.ports.sendFloor(client, {
      protocol: 'bfcp',
      primitive: 'FloorRequestStatus',
      conferenceId: floor.confId,
      transactionId,
      userId: leg.userId,
      floorId: 1,
      floorRequestId: floor.requests.get(leg) ?? 0,
      status,
      ...(queuePosition === undefined ? {} : { queuePosition }),
      client,
      serverPort: floor.port,
    });
  }

  /** A packet of no leg, of a closed one, or from elsewhere than the Participant: dropped, noted once a leg. */
  private drop(leg: LegMedia | undefined, packet: MediaPacket, fromHost: string): void {
    if (leg !== undefined && this.noted.has(leg)) return;
    if (leg !== undefined) this.noted.add(leg);
    const floor = leg === undefined ? undefined : this.floors.get(leg.session);
    const whose =
      leg === undefined
        ? `to port ${packet.dstPort}`
        : leg.gone
          ? `of ${leg.name}, no longer a Participant`
          : floor !== undefined && floor.holder !== leg && fromHost === leg.rtp?.stream('audio')?.remoteHost
            ? `of ${leg.name}, who does not hold the floor`
            : leg.rtp !== undefined && !leg.rtp.owns(packet.dstPort)
              ? `of ${leg.name} on a stream it no longer uses`
              : `for ${leg.name} from ${fromHost}:${packet.srcPort}`;
    this.ports.note(`drops ${packet.type.toUpperCase()} ${whose}`);
  }
}
