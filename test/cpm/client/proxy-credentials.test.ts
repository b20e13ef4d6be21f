import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ProxyCredentials } from '../../../src/cpm/client/proxy-credentials.js';
import { RandomStreams } from '../../../src/kernel/random.js';
import { parseDigest } from '../../../src/sip/digest.js';
import { header, headers, type SipRequest, type SipResponse } from '../../../src/sip/message.js';
import { parseUri } from '../../../src/sip/uri.js';

const ALICE = 'sip:alice@a.example';
const PHONE = 'phone.alice.a.example';
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/** A MESSAGE as the device's stack sent it: its Via on top, CSeq 4. */
const sent = (extra: { name: string; value: string }[] = []): SipRequest => ({
  type: 'request',
  method: 'MESSAGE',
  uri: parseUri('sip:bob@b.example'),
  headers: [
    { name: 'Via', value: `SIP/2.0/UDP ${PHONE};branch=z9hG4bK1` },
    { name: 'From', value: `<${ALICE}>;tag=f` },
    { name: 'To', value: '<sip:bob@b.example>' },
    { name: 'Call-ID', value: 'c@a.example' },
    { name: 'CSeq', value: '4 MESSAGE' },
    ...extra,
  ],
});
const answer = (status: number, challenge?: string): SipResponse => ({
  type: 'response',
  status,
  reason: '',
  headers: challenge === undefined ? [] : [{ name: 'Proxy-Authenticate', value: challenge }],
});
const CHALLENGE = 'Digest realm="a.example", nonce="n0nce", algorithm=MD5, qop="auth"';
const credentials = (seed = 1): ProxyCredentials => new ProxyCredentials(ALICE, 'pw', new RandomStreams(seed), PHONE);

describe('ProxyCredentials (RFC 3261 22.3, RFC 2617 3.2.2)', () => {
  it('answers a 407 with the request again: a new CSeq of the same method, no Via, and digest credentials for the realm', () => {
    const retry = credentials().retry(sent(), answer(407, CHALLENGE));
    expect(retry).toBeDefined();
    // RFC 3261 8.1.3.5: a new request of the same call; the stack writes its own Via.
    expect(headers(retry!, 'Via')).toEqual([]);
    expect(header(retry!, 'CSeq')).toBe('5 MESSAGE');
    expect(header(retry!, 'Call-ID')).toBe('c@a.example');
    const d = parseDigest(header(retry!, 'Proxy-Authorization')!);
    expect([d.get('username'), d.get('realm'), d.get('nonce'), d.get('uri'), d.get('qop'), d.get('nc')]).toEqual(['alice@a.example', 'a.example', 'n0nce', 'sip:bob@b.example', 'auth', '00000001']);
    // RFC 2617 3.2.2.1, qop=auth: MD5(HA1:nonce:nc:cnonce:qop:HA2), computed here, not by src/sip/digest.ts.
    const ha1 = md5('alice@a.example:a.example:pw');
    const ha2 = md5('MESSAGE:sip:bob@b.example');
    expect(d.get('response')).toBe(md5(`${ha1}:n0nce:00000001:${d.get('cnonce')}:auth:${ha2}`));
  });

  it('draws its client nonce from the device\'s own stream, so another actor does not change it', () => {
    const d = parseDigest(header(credentials(7).retry(sent(), answer(407, CHALLENGE))!, 'Proxy-Authorization')!);
    expect(d.get('cnonce')).toBe(new RandomStreams(7).stream(`${PHONE}/proxy-cnonce`).hex(16));
  });

  it('gives up on anything but a 407, and on a 407 to a request that already carried credentials (the caller gets it)', () => {
    expect(credentials().retry(sent(), answer(401, CHALLENGE))).toBeUndefined();
    expect(credentials().retry(sent([{ name: 'Proxy-Authorization', value: 'Digest username="alice@a.example"' }]), answer(407, CHALLENGE))).toBeUndefined();
  });

  it('gives up on a 407 whose challenge is missing or not Digest', () => {
    expect(credentials().retry(sent(), answer(407))).toBeUndefined();
    expect(credentials().retry(sent(), answer(407, 'Basic realm="a.example"'))).toBeUndefined();
  });
});
