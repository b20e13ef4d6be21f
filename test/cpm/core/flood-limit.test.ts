import { describe, expect, it } from 'vitest';
import { FloodLimit } from '../../../src/cpm/core/flood-limit.js';
import { SECOND } from '../../../src/kernel/time.js';

describe('FloodLimit (RFC 3261 21.5.4, 20.33)', () => {
  it('admits a request that waited the Retry-After it was given', () => {
    let now = 0;
    const limit = new FloodLimit({ requests: 1, per: 10 * SECOND }, () => now);
    expect(limit.check('10.0.0.1')).toBeUndefined();
    now = 2 * SECOND;
    const retryAfter = limit.check('10.0.0.1');
    expect(retryAfter).toBe(8);
    // Retry-After names when the element will take the request again (20.33): retrying then succeeds.
    now += retryAfter! * SECOND;
    expect(limit.check('10.0.0.1')).toBeUndefined();
  });
});
