import { describe, expect, it } from 'vitest';
import { MS, SECOND } from '../../../src/kernel/time.js';
import { T1, T2, T4, TIMER_F, TIMER_J, TIMER_K } from '../../../src/sip/transactions/timers.js';

describe('RFC 3261 timer values (17.1.1.1, Table 4)', () => {
  it('has the default base timers', () => {
    expect(T1).toBe(500 * MS);
    expect(T2).toBe(4 * SECOND);
    expect(T4).toBe(5 * SECOND);
  });

  it('derives F and J as 64*T1 and K as T4 for UDP', () => {
    expect(TIMER_F).toBe(32 * SECOND);
    expect(TIMER_J).toBe(32 * SECOND);
    expect(TIMER_K).toBe(5 * SECOND);
  });
});
