import { isIP } from 'node:net';
import type { MediaDescription, SessionDescription } from 'sdp-transform';
import { readMsrpMedia } from '../msrp/sdp.js';
import type { MsrpMessage, MsrpResponse } from '../msrp/message.js';
import { formatMsrpUri, type MsrpUri } from '../msrp/uri.js';
import type { MediaPacket } from '../rtp/packet.js';
import type { SipMessage } from '../sip/message.js';
import { header } from '../sip/message.js';
import { decodeReceivedBody } from '../sip/parser.js';
import { SipParseError } from '../sip/errors.js';

/** What the ALG needs of the MSRP sockets (the MSRP gateway). */
export interface MsrpOutlet {
  readonly host: string;
  readonly port: number;
  send(to: MsrpUri, msg: MsrpMessage): void;
  connect(to: MsrpUri, from: MsrpUri[]): void;
}

/** What the ALG needs of the RTP ports (the RTP relay). */
export interface RtpOutlet {
  portFor(host: string, port: number): number | undefined;
  toClient(packet: MediaPacket, fromHost: string, address: string): void;
}

/** Offers remembered by Call-ID until their answer, and gateway URIs kept: plenty for loopback clients. */
const MAX_OFFERS = 4096;

/** The message stream of an offer or answer: its a=path and a=setup (RFC 4975 8.2, RFC 6135). */
interface Stream {
  path: MsrpUri[];
  setup?: 'active' | 'passive' | 'actpass';
}

/**
 * The gateway's part in the message streams of sessions with a real client, as an application
 * level gateway (a media-relaying B2BUA) would do it. The simulated hosts' names do not resolve
 * outside the simulation, so every simulated MSRP URI the real client is given (in the a=path of
 * the SDP sent to it, in the From-Path of the MSRP sent to it) is replaced by a URI of the gateway
 * with the same session id, and the gateway's URIs in what the client sends are put back. The
 * client's own URIs (IP addresses) are left as it wrote them: that is what the simulated network
 * sees and sends to, and the network delivers it to the client's host, whose edge hands it here.
 *
 * Who opens the TCP connection follows RFC 4975 5.4 as RFC 6135 amends it: the offerer is the
 * active end unless the answer says `a=setup:active`, which makes the answerer active. When the
 * real client is to be passive, the gateway connects to the first URI of its path (8.2) on behalf
 * of the simulated side; when it is active, it connects to the gateway's listener.
 */
export class MediaAlg {
  /** Gateway URI of each simulated URI, by the simulated URI's text. */
  private readonly gatewayUri = new Map<string, MsrpUri>();
  /** Simulated URI of each gateway URI, by the gateway URI's session id. */
  private readonly simulatedUri = new Map<string, MsrpUri>();
  /** The message stream of each offer, by Call-ID, as the real client sees it, until its answer. */
  private readonly offers = new Map<string, { by: 'client' | 'network'; stream: Stream }>();
  private lastSaid = '';

  constructor(
    private readonly outlet: MsrpOutlet,
    private readonly rtp: RtpOutlet,
    private readonly note: (text: string) => void,
    /**
     * Makes a real address the client names for its media (c=) a host of the network, when the
     * gateway may send there; false when it may not (neither the client's nor this machine's).
     */
    private readonly reach: (address: string, client: string) => boolean = () => false,
  ) {}

  /**
   * A SIP message of the network to a real client: its SDP as the client must see it, every
   * simulated address in it replaced by the gateway's: the a=path of a message stream, and the
   * c= and m= port of an audio or video stream (RFC 4566 5.7, 5.14) by a port pair of the relay.
   */
  outgoing(msg: SipMessage): SipMessage {
    const sdp = sdpIn(msg);
    if (sdp === undefined) return msg;
    let stream: Stream | undefined;
    const told: string[] = [];
    const media = sdp.media.map((m): MediaDescription => {
      if (m.port === 0) return m;
      if (m.type === 'audio' || m.type === 'video') return this.rtpLine(m, sdp, told);
      const msrp = readMsrpMedia(m);
      if (msrp === undefined || msrp.path.length === 0) return m;
      const path = msrp.path.map((u) => this.toGateway(u));
      stream ??= { path, ...(msrp.setup !== undefined && { setup: msrp.setup }) };
      told.push(`the MSRP path ${path.map(formatMsrpUri).join(' ')} for ${msrp.path.map(formatMsrpUri).join(' ')}`);
      const invalid = (m.invalid ?? []).map((a) => (a.value.startsWith('path:') ? { value: `path:${path.map(formatMsrpUri).join(' ')}` } : a));
      // RFC 4975 8.1: the m-line's port is the port of the endpoint's URI, now the gateway's.
      return { ...m, port: this.outlet.port, invalid, ...(m.connection !== undefined && { connection: this.reachable(m.connection) }) };
    });
    if (told.length === 0) return msg;
    const rewritten: SessionDescription = { ...sdp, media, ...(sdp.connection !== undefined && { connection: this.reachable(sdp.connection) }) };
    // A retransmitted 2xx carries the same SDP: said once.
    const said = `gives the real client ${told.join(', ')} (the gateway relays the media)`;
    if (said !== this.lastSaid) this.note(said);
    this.lastSaid = said;
    if (stream !== undefined) this.exchanged(msg, 'network', stream);
    return { ...msg, body: { kind: 'sdp', contentType: 'application/sdp', sdp: rewritten } };
  }

  /** An audio or video line of a simulated end: the gateway's address and the RTP port standing for that end. */
  private rtpLine(m: MediaDescription, sdp: SessionDescription, told: string[]): MediaDescription {
    const host = m.connection?.ip ?? sdp.connection?.ip;
    if (host === undefined || isIP(host) !== 0) return m;
    const port = this.rtp.portFor(host, m.port);
    if (port === undefined) {
      told.push(`no RTP port for ${m.type} of ${host}:${m.port} (all taken)`);
      return m;
    }
    told.push(`${this.outlet.host}:${port} for the ${m.type} of ${host}:${m.port}`);
    return { ...m, port, connection: { version: isIP(this.outlet.host), ip: this.outlet.host } };
  }

  /**
   * A SIP message of a real client at `client` (its IP address): its SDP goes on as it is; the
   * gateway learns who connects for MSRP, and makes the c= address of its RTP reachable.
   */
  incoming(msg: SipMessage, client: string): void {
    const sdp = sdpIn(msg);
    for (const line of sdp?.media ?? []) {
      const address = line.connection?.ip ?? sdp?.connection?.ip;
      if ((line.type !== 'audio' && line.type !== 'video') || line.port === 0 || address === undefined || address === client) continue;
      if (!this.reach(address, client)) this.note(`could not send to ${address}: the ${line.type} address of the real client at ${client} is not an address of this machine, where the gateway sends media`);
    }
    const m = sdp?.media.find((x) => x.port !== 0 && readMsrpMedia(x) !== undefined);
    const msrp = m === undefined ? undefined : readMsrpMedia(m);
    if (msrp === undefined || msrp.path.length === 0) return;
    this.exchanged(msg, 'client', { path: msrp.path, ...(msrp.setup !== undefined && { setup: msrp.setup }) });
  }

  /**
   * An MSRP message of a real client, as the network carries it: the gateway URIs of its To-Path
   * put back. A gateway URI the gateway never gave out is a session that does not exist (481, RFC
   * 4975 7.3.1), answered here, since no simulated element owns it.
   */
  fromClient(msg: MsrpMessage): { carry: MsrpMessage } | { answer: MsrpResponse } | { drop: string } {
    const toPath: MsrpUri[] = [];
    for (const uri of msg.toPath) {
      if (!this.isGateway(uri)) {
        toPath.push(uri);
        continue;
      }
      const simulated = this.simulatedUri.get(uri.sessionId);
      if (simulated === undefined) {
        if (msg.type === 'msrp-response' || msg.method === 'REPORT') return { drop: `an MSRP ${msg.type === 'msrp-response' ? 'response' : 'REPORT'} for ${formatMsrpUri(uri)}, a session the gateway does not know` };
        return { answer: { protocol: 'msrp', type: 'msrp-response', transactionId: msg.transactionId, status: 481, comment: 'Session Does Not Exist', toPath: msg.fromPath.slice(0, 1), fromPath: [uri], headers: [] } };
      }
      toPath.push(simulated);
    }
    return { carry: { ...msg, toPath } };
  }

  /** An MSRP message of the network to a real client: sent with the simulated URIs of its From-Path replaced. */
  toClient(msg: MsrpMessage): void {
    const next = msg.toPath[0];
    if (next === undefined) return;
    this.outlet.send(next, { ...msg, fromPath: msg.fromPath.map((u) => this.toGateway(u)) });
  }

  /** RTP or RTCP of the network to the real client at `address` (its c=, RFC 4566 5.7). */
  rtpToClient(packet: MediaPacket, fromHost: string, address: string): void {
    this.rtp.toClient(packet, fromHost, address);
  }

  private isGateway(uri: MsrpUri): boolean {
    return uri.host === this.outlet.host && uri.port === this.outlet.port;
  }

  /** A simulated URI's gateway URI: the gateway's address, the same session id (another when taken). */
  private toGateway(uri: MsrpUri): MsrpUri {
    if (isIP(uri.host) !== 0) return uri;
    const key = formatMsrpUri(uri);
    const known = this.gatewayUri.get(key);
    if (known !== undefined) return known;
    let sessionId = uri.sessionId;
    for (let n = 2; this.simulatedUri.has(sessionId); n++) sessionId = `${uri.sessionId}-${n}`;
    const mapped: MsrpUri = { secure: false, host: this.outlet.host, port: this.outlet.port, sessionId, transport: 'tcp' };
    if (this.gatewayUri.size >= MAX_OFFERS) {
      const [oldKey, oldUri] = this.gatewayUri.entries().next().value!;
      this.gatewayUri.delete(oldKey);
      this.simulatedUri.delete(oldUri.sessionId);
    }
    this.gatewayUri.set(key, mapped);
    this.simulatedUri.set(sessionId, uri);
    return mapped;
  }

  /** A c= line naming a simulated host names the gateway instead, which the client can reach. */
  private reachable<C extends { ip: string; version: number }>(connection: C): C {
    return isIP(connection.ip) === 0 ? { ...connection, ip: this.outlet.host, version: isIP(this.outlet.host) } : connection;
  }

  /**
   * An offer (SDP in a request) is remembered by Call-ID; its answer (SDP in a response) decides
   * who connects. When the real client is the passive end, the gateway connects to it now, with
   * the simulated side's path (as the client saw it) as the From-Path of the binding SEND.
   */
  private exchanged(msg: SipMessage, by: 'client' | 'network', stream: Stream): void {
    const callId = header(msg, 'Call-ID') ?? '';
    if (msg.type === 'request') {
      if (this.offers.size >= MAX_OFFERS) this.offers.delete(this.offers.keys().next().value!);
      this.offers.set(callId, { by, stream });
      return;
    }
    const offer = this.offers.get(callId);
    if (offer === undefined || offer.by === by || msg.status >= 300) return;
    this.offers.delete(callId);
    const answererActive = stream.setup === 'active';
    const clientActive = by === 'client' ? answererActive : !answererActive;
    if (clientActive) return;
    const client = by === 'client' ? stream : offer.stream;
    const network = by === 'client' ? offer.stream : stream;
    this.outlet.connect(client.path[0]!, network.path);
  }
}

function sdpIn(msg: SipMessage): SessionDescription | undefined {
  if (msg.body === undefined) return undefined;
  try {
    const body = decodeReceivedBody(msg.body);
    return body.kind === 'sdp' ? body.sdp : undefined;
  } catch (e) {
    // A body the simulated elements will refuse as malformed: their answer says so.
    if (e instanceof SipParseError) return undefined;
    throw e;
  }
}
