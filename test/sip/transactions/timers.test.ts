import { describe, expect, it } from 'vitest';
import { MS, SECOND } from '../../../src/kernel/time.js';
import { T1, T2, T4, TIMER_A, TIMER_B, TIMER_D, TIMER_F, TIMER_G, TIMER_H, TIMER_I, TIMER_J, TIMER_K, TRYING_DELAY } from '../../../src/sip/transactions/timers.js';

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

  it('has the INVITE timers of Table 4 for UDP', () => {
    expect(TIMER_A).toBe(500 * MS);
    expect(TIMER_B).toBe(32 * SECOND);
    expect(TIMER_D).toBe(32 * SECOND);
    expect(TIMER_G).toBe(500 * MS);
    expect(TIMER_H).toBe(32 * SECOND);
    expect(TIMER_I).toBe(5 * SECOND);
    expect(TRYING_DELAY).toBe(200 * MS);
  });
});
