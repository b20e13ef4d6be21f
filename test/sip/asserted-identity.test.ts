import { describe, expect, it } from 'vitest';
import { assertedIdentity } from '../../src/sip/asserted-identity.js';
import type { SipRequest } from '../../src/sip/message.js';
import { parseUri } from '../../src/sip/uri.js';

const request = (...asserted: string[]): SipRequest => ({
  type: 'request',
  method: 'MESSAGE',
  uri: parseUri('sip:bob@b.example'),
  headers: [{ name: 'From', value: '<sip:mallory@m.example>;tag=1' }, ...asserted.map((value) => ({ name: 'P-Asserted-Identity', value }))],
});

describe('the asserted identity (RFC 3325 9.1)', () => {
  it('is the address of record of the first P-Asserted-Identity, never the From', () => {
    expect(assertedIdentity(request('"Alice" <sip:alice@a.example;user=phone>', '<tel:+15551230001>'))).toBe('sip:alice@a.example');
    expect(assertedIdentity(request('<tel:+15551230001>'))).toBe('tel:+15551230001');
  });

  it('is undefined when the network asserted none', () => {
    expect(assertedIdentity(request())).toBeUndefined();
  });
});
