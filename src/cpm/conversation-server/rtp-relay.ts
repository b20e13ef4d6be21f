/**
 * A Participating Function in the media path of its users' RTP streams (CPM 5.2.3.9: it sends the
 * client the Media from the other side and the other side the Media from the client). As media
 * anchoring does in an SBC, it puts its own address and ports in the audio and video m-lines of
 * the offer and of the answer it forwards, so each end sends to it; what arrives on the port it
 * gave one end goes on to the other end, from the port it gave that other end. A packet is taken
 * only from the address the description it replaced named (where it came from, not what it says).
 */
import type { MediaDescription, SessionDescription } from 'sdp-transform';
import type { Body } from '../../bodies/body.js';
import type { MediaPacket } from '../../rtp/packet.js';

/** Ports of the relay, apart from the Controlling Function's (session-sdp.ts rtpPortsOf) on the same server. */
const FIRST_PORT = 30_000;

interface Hop {
  /** Where the packets arriving on this port come from, and where they go. */
  fromHost: string;
  fromPort: number;
  toHost: string;
  toPort: number;
  /** The relay's port the receiving end knows the other end by. */
  viaPort: number;
}

/** One offer passed through the relay, waiting for its answer. */
export interface RelayedOffer {
  body: Body | undefined;
  /** The answer with the relay in it; the same every time (a 2xx may come again). */
  answer(body: Body | undefined): Body | undefined;
}

export class RtpRelay {
  private next = FIRST_PORT;
  private readonly hops = new Map<number, Hop>();
  private readonly noted = new Set<number>();

  constructor(
    private readonly host: string,
    private readonly send: (toHost: string, packet: MediaPacket) => void,
    private readonly note: (text: string) => void,
  ) {}

  offer(body: Body | undefined): RelayedOffer {
    if (body?.kind !== 'sdp') return { body, answer: (b) => b };
    const offerer = body.sdp;
    const offered = new Map<number, number>();
    const media = offerer.media.map((m, i) => {
      if (!isRtp(m)) return m;
      const port = this.allocate();
      offered.set(i, port);
      return { ...m, port, connection: { version: 4, ip: this.host } };
    });
    let answered: { from: Body; to: Body } | undefined;
    return {
      body: { ...body, sdp: { ...offerer, media } },
      answer: (b) => {
        if (b?.kind !== 'sdp') return b;
        if (answered?.from === b) return answered.to;
        const answerer = b.sdp;
        const lines = answerer.media.map((m, i) => {
          const mine = offered.get(i);
          const theirs = offerer.media[i];
          if (mine === undefined || theirs === undefined || !isRtp(m)) return m;
          const port = this.allocate();
          const a = addressOf(offerer, theirs);
          const z = addressOf(answerer, m);
          // The answerer sends to `mine` (it was offered that); the offerer to `port`.
          for (const rtcp of [0, 1]) {
            this.hops.set(mine + rtcp, { fromHost: z.host, fromPort: z.port + rtcp, toHost: a.host, toPort: a.port + rtcp, viaPort: port + rtcp });
            this.hops.set(port + rtcp, { fromHost: a.host, fromPort: a.port + rtcp, toHost: z.host, toPort: z.port + rtcp, viaPort: mine + rtcp });
          }
          return { ...m, port, connection: { version: 4, ip: this.host } };
        });
        const to: Body = { ...b, sdp: { ...answerer, media: lines } };
        answered = { from: b, to };
        return to;
      },
    };
  }

  /** Whether a packet is for one of the relay's ports. */
  relays(packet: MediaPacket): boolean {
    return this.hops.has(packet.dstPort);
  }

  /** The packet goes on to the other end, as sent (a translator, RFC 3550 7.1: SSRC and sequence kept). */
  forward(packet: MediaPacket, fromHost: string): void {
    const hop = this.hops.get(packet.dstPort)!;
    if (fromHost !== hop.fromHost || packet.srcPort !== hop.fromPort) {
      if (!this.noted.has(packet.dstPort)) this.note(`drops ${packet.type.toUpperCase()} to port ${packet.dstPort} from ${fromHost}:${packet.srcPort}, not the end it relays for`);
      this.noted.add(packet.dstPort);
      return;
    }
    this.send(hop.toHost, { ...packet, srcPort: hop.viaPort, dstPort: hop.toPort });
  }

  private allocate(): number {
    const port = this.next;
    this.next += 2;
    return port;
  }
}

function isRtp(m: MediaDescription): boolean {
  return (m.type === 'audio' || m.type === 'video') && m.port !== 0 && /^RTP\//.test(m.protocol);
}

function addressOf(sdp: SessionDescription, m: MediaDescription): { host: string; port: number } {
  return { host: m.connection?.ip ?? sdp.connection?.ip ?? '', port: m.port };
}
