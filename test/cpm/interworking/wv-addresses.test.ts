import { describe, expect, it } from 'vitest';
import { isWvAddress, isWvGroup, sipOfWv, wvDomain, wvOfSip } from '../../../src/cpm/interworking/wv-addresses.js';

describe('WV addresses (CPM 5.1.2.2, 5.1.2.5)', () => {
  it('tells users from groups', () => {
    expect(isWvAddress('wv:bob@imps.example')).toBe(true);
    expect(isWvGroup('wv:bob@imps.example')).toBe(false);
    expect(isWvGroup('wv:carol/friends@imps.example')).toBe(true);
    for (const bad of ['wv:bob', 'wv:@imps.example', 'wv:a/b/c@imps.example', 'mailto:bob@imps.example', 'wv:bob@localhost']) expect(isWvAddress(bad)).toBe(false);
  });

  it("assigns a CPM user's IMPS address from its SIP identity, and back", () => {
    expect(wvOfSip('alice', 'A.Example')).toBe('wv:alice@a.example');
    expect(sipOfWv('wv:alice@a.example')).toBe('sip:alice@a.example');
    expect(wvDomain('wv:carol/friends@imps.example')).toBe('imps.example');
  });
});
