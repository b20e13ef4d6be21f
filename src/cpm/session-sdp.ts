import type { MediaDescription, SessionDescription } from 'sdp-transform';
import type { Body } from '../bodies/body.js';
import type { SipMessage } from '../sip/message.js';
import type { RandomStream } from '../kernel/random.js';
import { msrpMediaLine, readMsrpMedia, sessionDescription } from '../msrp/sdp.js';
import type { MsrpUri } from '../msrp/uri.js';
import type { MediaType } from './session-media.js';

/** The stream types cpmsim puts in SDP, with the codec each RTP stream offers. */
const RTP: Record<Exclude<MediaType, 'message'>, { port: number; payload: number; codec: string; rate: number }> = {
  audio: { port: 49170, payload: 0, codec: 'PCMU', rate: 8000 },
  video: { port: 51372, payload: 96, codec: 'H264', rate: 90000 },
};

/** CPIM carries the session's messages, and IMDN travels inside CPIM (RFC 4975 8.6, RFC 5438). */
const ACCEPT_TYPES = ['message/cpim'];
const ACCEPT_WRAPPED_TYPES = ['text/plain', 'message/imdn+xml'];

/**
 * Where an end that sends RTP receives each stream of one session: ports of its own per session,
 * so packets find their session by port (RFC 3550 11: RTP on an even port, RTCP on the next).
 */
export interface RtpPorts {
  audio: number;
  video: number;
  /** RFC 4566 6: a simplex stream, as this end sees it; sendrecv when absent. */
  direction?: 'sendonly' | 'recvonly';
  /** RFC 4583: floor control of the streams by BFCP, this end's side of it. */
  floor?: FloorLine;
}

/** RFC 4583: this end's BFCP m-line: its port, its role, and from the server the conference and user ids. */
export interface FloorLine {
  port: number;
  floorctrl: 'c-only' | 's-only';
  confId?: number;
  userId?: number;
}

/** RFC 4583 5: the one floor, controlling the stream labelled 1 (the audio, RFC 4574). */
const FLOOR_ID = 1;
const FLOOR_LABEL = 1;
/** RFC 4145 4: the port of an end that only connects out. */
const DISCARD_PORT = 9;

/**
 * sdp-transform reads the RFC 4583 attributes and a=label into numbers (and floorid into an
 * object), whatever its types say; lines are built in that shape, so they read back unchanged.
 */
const parsedAs = <T>(value: unknown): T => value as T;

function bfcpLine(floor: FloorLine, host: string): MediaDescription {
  const server = floor.floorctrl === 's-only';
  return {
    type: 'application',
    port: server ? floor.port : DISCARD_PORT,
    protocol: 'TCP/BFCP',
    payloads: '*',
    rtp: [],
    fmtp: [],
    connection: { version: 4, ip: host },
    // RFC 4583 3 and RFC 4145: the client connects (active), the server listens (passive).
    setup: server ? 'passive' : 'active',
    connectionType: 'new',
    bfcpFloorCtrl: floor.floorctrl,
    ...(floor.confId !== undefined && { bfcpConfId: parsedAs<string>(floor.confId) }),
    ...(floor.userId !== undefined && { bfcpUserId: parsedAs<string>(floor.userId) }),
    ...(server && { bfcpFloorId: parsedAs<string>({ id: FLOOR_ID, mStream: FLOOR_LABEL }) }),
  };
}

/** The floor control server a description names (RFC 4583 5): where to connect, and the ids to use. */
export function floorServer(sdp: SessionDescription): { host: string; port: number; confId: number; userId: number } | undefined {
  const m = sdp.media.find((x) => x.type === 'application' && x.protocol === 'TCP/BFCP' && x.port !== 0);
  if (m === undefined) return undefined;
  if (m.bfcpFloorCtrl !== 's-only') return undefined;
  const host = m.connection?.ip ?? sdp.connection?.ip;
  const confId = Number(m.bfcpConfId);
  const userId = Number(m.bfcpUserId);
  if (host === undefined || !Number.isInteger(confId) || !Number.isInteger(userId)) return undefined;
  return { host, port: m.port, confId, userId };
}

/** Whether a description offers floor control by BFCP (RFC 4583). */
export function offersFloorControl(sdp: SessionDescription): boolean {
  return sdp.media.some((m) => m.type === 'application' && m.protocol === 'TCP/BFCP' && m.port !== 0);
}

/** The RTP ports of the `n`th session (0-based) of an end, from the registered defaults up. */
export function rtpPortsOf(n: number): RtpPorts {
  return { audio: RTP.audio.port + 4 * n, video: RTP.video.port + 4 * n };
}

/** RFC 3551 4.2: 20 ms of audio a packet; 25 frames a second of video (RFC 4566 6 a=framerate). */
const PTIME_MS = 20;
const FRAMERATE = 25;

function mediaLine(type: MediaType, msrp: MsrpUri, ports?: RtpPorts): MediaDescription {
  if (type === 'message') return msrpMediaLine({ path: [msrp], acceptTypes: ACCEPT_TYPES, acceptWrappedTypes: ACCEPT_WRAPPED_TYPES, setup: 'active' });
  const rtp = RTP[type];
  const line: MediaDescription = { type, port: ports?.[type] ?? rtp.port, protocol: 'RTP/AVP', payloads: String(rtp.payload), rtp: [{ payload: rtp.payload, codec: rtp.codec, rate: rtp.rate }], fmtp: [] };
  // An end that sends media says at what interval (without one, descriptions stay as they were).
  if (ports === undefined) return line;
  const timed = type === 'audio' ? { ...line, ptime: PTIME_MS, ...(ports.floor && { label: parsedAs<string>(FLOOR_LABEL) }) } : { ...line, framerate: FRAMERATE };
  return ports.direction === undefined ? timed : { ...timed, direction: ports.direction };
}

/** RFC 4566 5.2: sess-id is a numeric string; a random one keeps origins unique. */
export function sdpSessionId(rng: RandomStream): string {
  return String(Number.parseInt(rng.hex(10), 16));
}

/** An SDP offer (RFC 3264 5) of the given Media Streams; `msrp` is this end's MSRP URI. */
export function offer(host: string, sessionId: string, version: number, media: MediaType[], msrp: MsrpUri, rtp?: RtpPorts): SessionDescription {
  const lines = media.map((type) => mediaLine(type, msrp, rtp));
  return sessionDescription(host, sessionId, version, rtp?.floor === undefined ? lines : [...lines, bfcpLine(rtp.floor, host)]);
}

/**
 * The answer (RFC 3264 6) accepting the offered streams that are `supported` and rejecting the
 * others with port 0, one m-line per offered m-line, in order. For MSRP the answerer is passive
 * (RFC 6135): the offerer opens the connection.
 */
export function answer(received: SessionDescription, host: string, sessionId: string, version: number, supported: readonly MediaType[], msrp: MsrpUri, rtp?: RtpPorts): SessionDescription {
  const media = received.media.map((m): MediaDescription => {
    const type = mediaTypeOf(m);
    if (rtp?.floor !== undefined && m.type === 'application' && m.protocol === 'TCP/BFCP' && m.port !== 0) return bfcpLine(rtp.floor, host);
    if (type === undefined || m.port === 0 || !supported.includes(type)) return { type: m.type, port: 0, protocol: m.protocol, payloads: m.payloads ?? '', rtp: [], fmtp: [] };
    // RFC 3264 6.1: a sendonly stream is answered recvonly (and the other way round).
    const reversed = m.direction === 'sendonly' ? 'recvonly' : m.direction === 'recvonly' ? 'sendonly' : undefined;
    const ports = rtp && { audio: rtp.audio, video: rtp.video, ...(rtp.floor && { floor: rtp.floor }) };
    const line = mediaLine(type, msrp, ports && (reversed === undefined ? ports : { ...ports, direction: reversed }));
    return type === 'message' ? { ...line, setup: 'passive' } : line;
  });
  return sessionDescription(host, sessionId, version, media);
}

/** The Media Stream Type of an m-line, if it is one CPM sessions use. */
function mediaTypeOf(m: MediaDescription): MediaType | undefined {
  if (m.type === 'message') return readMsrpMedia(m) === undefined ? undefined : 'message';
  return m.type === 'audio' || m.type === 'video' ? m.type : undefined;
}

/** The Media Stream Types a description offers or accepts (m-lines with a port other than 0). */
export function mediaTypes(sdp: SessionDescription): MediaType[] {
  return sdp.media.filter((m) => m.port !== 0).flatMap((m) => mediaTypeOf(m) ?? []);
}

/** The path to the far end of the message stream (RFC 4975 8.2: its a=path), the To-Path of a SEND. */
export function msrpPeer(sdp: SessionDescription): MsrpUri[] | undefined {
  const line = sdp.media.find((m) => m.port !== 0 && mediaTypeOf(m) === 'message');
  const path = line === undefined ? undefined : readMsrpMedia(line)?.path;
  return path === undefined || path.length === 0 ? undefined : path;
}

/** A session description as a message body. */
export function sdpBody(sdp: SessionDescription): Body {
  return { kind: 'sdp', contentType: 'application/sdp', sdp };
}

/** The session description a message carries, if its body is one. */
export function sdpOf(msg: SipMessage): SessionDescription | undefined {
  return msg.body?.kind === 'sdp' ? msg.body.sdp : undefined;
}
