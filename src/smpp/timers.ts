import { SECOND } from '../kernel/time.js';

/**
 * SMPP 3.4 7.2: the response_timer, how long an SMPP entity waits for the response to a request
 * before it assumes the request failed (the value is the implementation's; 10 s answers a SIP
 * MESSAGE well inside its 32 s transaction, RFC 3261 17.1.2.2).
 */
export const RESPONSE_TIMER = 10 * SECOND;
