import { MS, SECOND, type Micros } from '../../kernel/time.js';

/** RFC 3261 17.1.1.1 and Table 4: the base timers; the others are multiples of these. */
export const T1: Micros = 500 * MS;
export const T2: Micros = 4 * SECOND;
export const T4: Micros = 5 * SECOND;

/** Non-INVITE client transaction timeout (Timer F) and server keep-alive (Timer J) over UDP. */
export const TIMER_F: Micros = 64 * T1;
export const TIMER_J: Micros = 64 * T1;
/** Timer K: how long a completed non-INVITE client transaction absorbs response retransmissions. */
export const TIMER_K: Micros = T4;

/** INVITE client transaction (17.1.1.2): first retransmission interval (doubling, no cap) and timeout. */
export const TIMER_A: Micros = T1;
export const TIMER_B: Micros = 64 * T1;
/** Timer D: how long a completed INVITE client transaction re-ACKs retransmitted finals (>= 32 s on UDP). */
export const TIMER_D: Micros = 32 * SECOND;
/** INVITE server transaction (17.2.1): non-2xx retransmission interval, wait for ACK, absorb ACKs. */
export const TIMER_G: Micros = T1;
export const TIMER_H: Micros = 64 * T1;
export const TIMER_I: Micros = T4;
/** RFC 6026 Timers L and M: how long a transaction that passed a 2xx still routes its retransmissions. */
export const TIMER_L: Micros = 64 * T1;
export const TIMER_M: Micros = 64 * T1;
/** RFC 3261 17.2.1: a 100 Trying goes out unless the TU answers within 200 ms. */
export const TRYING_DELAY: Micros = 200 * MS;
/** RFC 3261 16.6 step 11: a proxied INVITE branch that only rings is cancelled after more than 3 minutes. */
export const TIMER_C: Micros = 181 * SECOND;
