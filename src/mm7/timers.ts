import { SECOND } from '../kernel/time.js';

/**
 * How long an MM7 client waits for the answer to its request before it counts the request failed.
 * TS 23.140 leaves it to HTTP, whose timeouts are the implementation's (RFC 9112 9.5); 10 s, as for
 * SMPP here, answers a SIP MESSAGE well inside its 32 s transaction (RFC 3261 17.1.2.2).
 */
export const MM7_RESPONSE_TIMER = 10 * SECOND;
