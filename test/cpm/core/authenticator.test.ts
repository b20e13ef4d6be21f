import { describe, expect, it } from 'vitest';
import { DigestAuthenticator } from '../../../src/cpm/core/authenticator.js';
import { RandomStreams } from '../../../src/kernel/random.js';
import type { SipRequest } from '../../../src/sip/message.js';
import { parseUri } from '../../../src/sip/uri.js';

const ALICE = 'sip:alice@a.example';

const register = (authorization?: string): SipRequest => ({
  type: 'request',
  method: 'REGISTER',
  uri: parseUri('sip:a.example'),
  headers: authorization === undefined ? [] : [{ name: 'Authorization', value: authorization }],
});

describe('DigestAuthenticator (RFC 3261 22.4, RFC 2617)', () => {
  const authenticator = () => new DigestAuthenticator('a.example', new RandomStreams(1).stream('nonces'), () => 'pw', () => 0);

  it('challenges a request without credentials', () => {
    expect(authenticator().check(register(), ALICE).kind).toBe('challenge');
  });

  it('refuses credentials that do not parse as Digest, rather than challenging again', () => {
    expect(authenticator().check(register('Basic YWxpY2U6cHc='), ALICE)).toEqual({ kind: 'refused', reason: 'Malformed Credentials' });
    expect(authenticator().check(register('Digest user name="alice"'), ALICE)).toEqual({ kind: 'refused', reason: 'Malformed Credentials' });
  });
});
