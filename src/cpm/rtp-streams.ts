/**
 * The RTP streams a session description pair negotiated (RFC 3264, RFC 3550 11): for each audio
 * or video m-line both ends kept, where this end receives, where it sends, and the codec of the
 * answer with its packet interval.
 */
import type { MediaDescription, SessionDescription } from 'sdp-transform';

export type RtpMediaType = 'audio' | 'video';

export interface NegotiatedStream {
  type: RtpMediaType;
  /** This end's RTP port (its m-line); RTCP is on the next port up (RFC 3550 11). */
  localPort: number;
  remoteHost: string;
  remotePort: number;
  payloadType: number;
  clockRate: number;
  /** Milliseconds of media per packet: a=ptime for audio, 1/a=framerate for video (RFC 4566 6). */
  intervalMs: number;
  /** Octets of payload per packet (summarised: its size, not its content). */
  payloadOctets: number;
  /** RFC 4566 6: a simplex stream, seen from this end. */
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
}

/** RFC 4566 6: 20 ms of audio per packet when the description does not say (RFC 3551 4.2). */
const DEFAULT_PTIME_MS = 20;
const DEFAULT_FRAMERATE = 25;
/** A summarised video frame: about 200 kbit/s at 25 frames a second. */
const VIDEO_FRAME_OCTETS = 1000;

/**
 * The streams of `local` and `remote` (one offer, one answer: their m-lines pair by position,
 * RFC 3264 6), with the payload type and clock of the answer's first format.
 */
export function negotiatedStreams(local: SessionDescription, remote: SessionDescription, answer: 'local' | 'remote'): NegotiatedStream[] {
  const out: NegotiatedStream[] = [];
  local.media.forEach((mine, i) => {
    const theirs = remote.media[i];
    if (theirs === undefined || mine.port === 0 || theirs.port === 0 || mine.type !== theirs.type) return;
    if (mine.type !== 'audio' && mine.type !== 'video') return;
    const chosen = (answer === 'local' ? mine : theirs).rtp[0];
    if (chosen === undefined) return;
    const host = theirs.connection?.ip ?? remote.connection?.ip;
    if (host === undefined) return;
    const intervalMs = mine.type === 'audio' ? (theirs.ptime ?? mine.ptime ?? DEFAULT_PTIME_MS) : Math.round(1000 / Number(theirs.framerate ?? mine.framerate ?? DEFAULT_FRAMERATE));
    out.push({
      type: mine.type,
      localPort: mine.port,
      remoteHost: host,
      remotePort: theirs.port,
      payloadType: chosen.payload,
      clockRate: chosen.rate ?? 8000,
      intervalMs,
      // RFC 3551 4.5.14: G.711 is one octet per sample.
      payloadOctets: mine.type === 'audio' ? Math.floor(((chosen.rate ?? 8000) * intervalMs) / 1000) : VIDEO_FRAME_OCTETS,
      direction: directionOf(mine),
    });
  });
  return out;
}

function directionOf(m: MediaDescription): NegotiatedStream['direction'] {
  return m.direction ?? 'sendrecv';
}
