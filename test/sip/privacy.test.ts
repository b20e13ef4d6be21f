import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../src/sip/message.js';
import { ANONYMOUS, wantsIdentityPrivacy } from '../../src/sip/privacy.js';
import { parseUri } from '../../src/sip/uri.js';

const request = (privacy?: string): SipRequest => ({
  type: 'request',
  method: 'MESSAGE',
  uri: parseUri('sip:bob@b.example'),
  headers: [{ name: 'From', value: '<sip:alice@a.example>;tag=1' }, ...(privacy === undefined ? [] : [{ name: 'Privacy', value: privacy }])],
});

describe('identity privacy (RFC 3323, RFC 3325 9.3)', () => {
  it('is asked by the priv-value id, in any case, among others', () => {
    expect(wantsIdentityPrivacy(request('id'))).toBe(true);
    expect(wantsIdentityPrivacy(request('header; ID'))).toBe(true);
    expect(wantsIdentityPrivacy(request(' user ;id ;critical'))).toBe(true);
  });

  it('is not asked without a Privacy header, or by other values that only contain "id"', () => {
    expect(wantsIdentityPrivacy(request())).toBe(false);
    expect(wantsIdentityPrivacy(request('none'))).toBe(false);
    expect(wantsIdentityPrivacy(request('header;idx'))).toBe(false);
    expect(wantsIdentityPrivacy(request('user,id'))).toBe(false);
  });

  it('writes the anonymous From of RFC 3323 4.1.1.3', () => {
    expect(ANONYMOUS).toBe('sip:anonymous@anonymous.invalid');
  });
});
