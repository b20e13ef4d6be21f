/**
 * BFCP (RFC 4582) messages of the floor control cpmsim models: a client's FloorRequest and
 * FloorRelease, and the floor control server's FloorRequestStatus, which answers them and later
 * tells a queued request it was granted. One floor per session, the session's audio and video.
 */

/** RFC 4582 5.1: primitives. */
export const BFCP_PRIMITIVES = { FloorRequest: 1, FloorRelease: 2, FloorRequestStatus: 4 } as const;
export type BfcpPrimitive = keyof typeof BFCP_PRIMITIVES;

/** RFC 4582 5.2.5: request statuses. */
export const REQUEST_STATUSES = { Pending: 1, Accepted: 2, Granted: 3, Denied: 4, Cancelled: 5, Released: 6, Revoked: 7 } as const;
export type RequestStatus = keyof typeof REQUEST_STATUSES;

export interface BfcpMessage {
  readonly protocol: 'bfcp';
  readonly primitive: BfcpPrimitive;
  readonly conferenceId: number;
  /** RFC 4582 8: a client's request and its answer share one; the server's own messages have 0. */
  readonly transactionId: number;
  readonly userId: number;
  readonly floorId: number;
  /** FloorRelease and FloorRequestStatus name the floor request. */
  readonly floorRequestId?: number;
  /** FloorRequestStatus: the request's status, and its place in the queue when Pending. */
  readonly status?: RequestStatus;
  readonly queuePosition?: number;
  /** The TCP connection it travels on (RFC 4583: the client opens it to the server's port). */
  readonly client: string;
  readonly serverPort: number;
}
