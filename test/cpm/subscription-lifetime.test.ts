import { describe, expect, it } from 'vitest';
import { expiresOf, refreshAfterSeconds, subscriptionStateOf } from '../../src/cpm/subscription-lifetime.js';
import { createRequest } from '../../src/sip/builders.js';
import type { Header } from '../../src/sip/message.js';
import { sipUri } from '../../src/sip/uri.js';

const notify = (extra: Header[]) =>
  createRequest({
    method: 'NOTIFY',
    uri: sipUri('bob', 'phone.bob.b.example'),
    from: { uri: sipUri('conf-1', 'x.example'), params: [{ name: 'tag', value: 'f' }] },
    to: { uri: sipUri('bob', 'b.example'), params: [{ name: 'tag', value: 'b' }] },
    callId: 'c',
    cseq: 1,
    extra,
  });

describe('subscription lifetimes (RFC 6665)', () => {
  it('a subscriber refreshes 600 s before the end of a long subscription, halfway through a short one (TS 24.229 5.1.1.3)', () => {
    expect(refreshAfterSeconds(3600)).toBe(3000);
    expect(refreshAfterSeconds(1201)).toBe(601);
    expect(refreshAfterSeconds(1200)).toBe(600);
    expect(refreshAfterSeconds(120)).toBe(60);
  });

  it('reads Subscription-State: the state, the time left and the reason (4.1.3)', () => {
    expect(subscriptionStateOf(notify([{ name: 'Subscription-State', value: 'active;expires=3598' }]))).toEqual({ state: 'active', expires: 3598 });
    expect(subscriptionStateOf(notify([{ name: 'Subscription-State', value: 'Terminated ; reason=NoResource' }]))).toEqual({ state: 'terminated', reason: 'noresource' });
    expect(subscriptionStateOf(notify([{ name: 'Subscription-State', value: 'pending;expires=soon' }]))).toEqual({ state: 'pending' });
    expect(subscriptionStateOf(notify([]))).toBeUndefined();
  });

  it('reads Expires only as delta-seconds', () => {
    expect(expiresOf(notify([{ name: 'Expires', value: ' 120 ' }]))).toBe(120);
    expect(expiresOf(notify([{ name: 'Expires', value: '0' }]))).toBe(0);
    expect(expiresOf(notify([{ name: 'Expires', value: 'Thu, 01 Dec 1994 16:00:00 GMT' }]))).toBeUndefined();
  });
});
