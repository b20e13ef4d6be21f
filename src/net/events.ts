import type { Micros } from '../kernel/time.js';
import type { LossReason } from './links.js';

/**
 * The closed set of things the network reports. Do not add ad-hoc event types elsewhere: every
 * observer (ladder, pcap, expectations) reads this one union.
 */
export type NetEvent<P> =
  /** `retransmissions`: how many times TCP sent a segment again before it got through (absent: none). */
  | { type: 'transmit'; id: number; at: Micros; arriveAt: Micros; from: string; to: string; payload: P; retransmissions?: number }
  | { type: 'undeliverable'; id: number; at: Micros; from: string; to: string; payload: P; reason: 'unknown-host' | 'host-down' | 'sender-down' | 'connection-reset' | LossReason }
  /** `message`: the identity of the pager message the note is about, for monitors (not printed in traces). */
  | { type: 'note'; id: number; at: Micros; host: string; text: string; message?: string };

export type NetObserver<P> = (event: NetEvent<P>) => void;

/** What a perturbation does to one packet: lose it, or hold it back for extra microseconds. */
export interface PacketFate {
  drop?: boolean;
  extraDelay?: Micros;
}

/** Consulted once per packet that could be delivered (cpmsim explore); undefined leaves it alone. */
export type Perturber<P> = (packet: { id: number; from: string; to: string; payload: P }) => PacketFate | undefined;
