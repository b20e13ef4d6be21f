import type { RandomStream } from '../kernel/random.js';
import type { Timer } from '../kernel/simulator.js';
import { SECOND, type Micros } from '../kernel/time.js';
import { msrpHeader, type MsrpRequest, type MsrpResponse } from './message.js';
import type { MsrpUri } from './uri.js';

/** RFC 4975 7.1.1: a SEND not answered within 30 s has failed, as if answered 408. */
export const TRANSACTION_TIMEOUT = 30 * SECOND;

/** What the sender of SENDs needs of the clock. */
export interface MsrpTimers {
  schedule(delay: Micros, action: () => void): Timer;
}

/**
 * The SENDs a hop has sent and waits on, each with what the hop needs to know of it (`T`): each
 * ends with its response, or after TRANSACTION_TIMEOUT with `timedOut` (RFC 4975 7.1.1).
 */
export class MsrpSends<T> {
  private readonly waiting = new Map<string, { timer: Timer; context: T }>();

  constructor(private readonly timers: MsrpTimers) {}

  sent(req: MsrpRequest, context: T, timedOut: (context: T) => void): void {
    const timer = this.timers.schedule(TRANSACTION_TIMEOUT, () => {
      this.waiting.delete(req.transactionId);
      timedOut(context);
    });
    this.waiting.set(req.transactionId, { timer, context });
  }

  /** The response to one of the SENDs ends its transaction; what the SEND was sent with, if it was ours. */
  answered(res: MsrpResponse): T | undefined {
    const w = this.waiting.get(res.transactionId);
    if (w === undefined) return undefined;
    this.waiting.delete(res.transactionId);
    w.timer.cancel();
    return w.context;
  }
}

/** Whether the sender of `req` wants a REPORT when it fails (RFC 4975 7.1.2: Failure-Report defaults to yes). */
export function wantsFailureReport(req: MsrpRequest): boolean {
  const value = msrpHeader(req, 'Failure-Report')?.toLowerCase();
  return value !== 'no' && value !== 'partial';
}

/**
 * RFC 4975 7.1.2: the REPORT a hop sends towards the sender of a SEND that failed: To-Path the
 * SEND's From-Path, its Message-ID and Byte-Range, and the Status of the failure (namespace 000).
 */
export function failureReport(rng: RandomStream, req: MsrpRequest, self: MsrpUri, status: number): MsrpRequest {
  return report(rng, req, self, `000 ${status} ${status === 408 ? 'Request Timeout' : 'Failed'}`);
}

/** Whether the sender of `req` asked for a REPORT once the whole message arrived (RFC 4975 7.1.2: Success-Report defaults to no). */
export function wantsSuccessReport(req: MsrpRequest): boolean {
  return msrpHeader(req, 'Success-Report')?.toLowerCase() === 'yes';
}

/**
 * RFC 4975 7.1.2: the REPORT the receiving endpoint sends when the sender of a SEND asked for a
 * success report: the SEND's Message-ID and Byte-Range, Status 000 200.
 */
export function successReport(rng: RandomStream, req: MsrpRequest, self: MsrpUri): MsrpRequest {
  return report(rng, req, self, '000 200 OK');
}

/** A REPORT about `req` (RFC 4975 7.1.2): its Message-ID and Byte-Range, and the Status given. */
function report(rng: RandomStream, req: MsrpRequest, self: MsrpUri, status: string): MsrpRequest {
  const carried = ['Message-ID', 'Byte-Range'].flatMap((name) => {
    const value = msrpHeader(req, name);
    return value === undefined ? [] : [{ name, value }];
  });
  return {
    protocol: 'msrp',
    type: 'msrp-request',
    transactionId: rng.hex(12),
    method: 'REPORT',
    toPath: req.fromPath,
    fromPath: [self],
    headers: [...carried, { name: 'Status', value: status }],
    continuation: '$',
  };
}
