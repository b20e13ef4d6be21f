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
