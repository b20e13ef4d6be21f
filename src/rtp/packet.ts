/**
 * RTP and RTCP packets (RFC 3550) as the network carries them: the header fields real stacks
 * write, with the payload summarised by its size, since no audio or video is simulated. Both
 * travel over UDP between the ports the session descriptions negotiated (RTP on the m-line's
 * port, RTCP on the next one up, RFC 3550 11); the packets are immutable, so the network passes
 * them between hosts without copying.
 */

/** RFC 3550 5.1: one RTP data packet. */
export interface RtpPacket {
  readonly protocol: 'rtp';
  readonly type: 'rtp';
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payloadType: number;
  /** RFC 3551 4.1: set on the first packet of a talkspurt. */
  readonly marker: boolean;
  readonly sequence: number;
  readonly timestamp: number;
  readonly ssrc: number;
  /** RFC 3550 7.1: the sources a mixer's packet carries (at most 15). */
  readonly csrc: readonly number[];
  /** The payload's size in octets; its content is not modelled. */
  readonly payloadOctets: number;
}

/** RFC 3550 6.4.1: one reception report block. */
export interface ReportBlock {
  readonly ssrc: number;
  /** Fraction lost since the last report, in 1/256ths. */
  readonly fractionLost: number;
  /** Cumulative number of packets lost (24-bit signed). */
  readonly cumulativeLost: number;
  readonly highestSequence: number;
  /** Interarrival jitter in timestamp units (RFC 3550 6.4.1, A.8). */
  readonly jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR from this source, 0 if none. */
  readonly lastSr: number;
  /** Delay since that SR in 1/65536 s, 0 if none. */
  readonly delaySinceLastSr: number;
}

/** RFC 3550 6.4.1: the sender information of an SR. */
export interface SenderInfo {
  /** NTP timestamp (RFC 3550 4): seconds since 1900 and the fraction in 1/2^32. */
  readonly ntpSeconds: number;
  readonly ntpFraction: number;
  readonly rtpTimestamp: number;
  readonly packets: number;
  readonly octets: number;
}

/**
 * RFC 3550 6.1: a compound RTCP packet: an SR (when the source sent data since its last report)
 * or an RR first, then an SDES with the CNAME, then a BYE when the source leaves.
 */
export interface RtcpPacket {
  readonly protocol: 'rtp';
  readonly type: 'rtcp';
  readonly srcPort: number;
  readonly dstPort: number;
  readonly ssrc: number;
  readonly sender?: SenderInfo;
  readonly reports: readonly ReportBlock[];
  /** RFC 3550 6.5.1: the canonical name, user@host. */
  readonly cname: string;
  readonly bye?: boolean;
}

export type MediaPacket = RtpPacket | RtcpPacket;

/** RFC 3550 5.1: 4 bits of CSRC count. */
export const MAX_CSRC = 15;
/** RFC 3550 6.4.1: 5 bits of report count. */
export const MAX_REPORTS = 31;
