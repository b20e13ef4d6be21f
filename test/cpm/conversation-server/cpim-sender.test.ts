import { describe, expect, it } from 'vitest';
import { at, harness, notes, sent } from '../harness.js';

const MALLORY = 'sip:mallory@a.example';

/** A CPM Message from Mallory whose CPIM From names `cpimFrom`, asking for a delivery notification. */
function message(cpimFrom: string): string {
  const body = [
    `From: <${cpimFrom}>`,
    'To: <sip:bob@a.example>',
    'NS: imdn <urn:ietf:params:imdn>',
    'imdn.Message-ID: m1',
    'DateTime: 2026-01-01T00:00:00Z',
    'imdn.Disposition-Notification: positive-delivery',
    '',
    'Content-Type: text/plain',
    'Content-Length: 5',
    '',
    'Hello',
  ].join('\r\n');
  return [
    'MESSAGE sip:bob@a.example SIP/2.0',
    'Max-Forwards: 70',
    `From: <${MALLORY}>;tag=1`,
    'To: <sip:bob@a.example>',
    `Call-ID: ${cpimFrom.replace(/\W/g, '')}@a.example`,
    'CSeq: 1 MESSAGE',
    'P-Preferred-Service: urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg',
    'Content-Type: message/cpim',
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

function run(cpimFrom: string) {
  const h = harness();
  h.net.addDomain('a.example');
  for (const user of ['alice', 'mallory', 'bob']) h.net.addUser(`sip:${user}@a.example`, ['phone']);
  for (const user of ['alice', 'mallory', 'bob']) h.net.at(0, () => h.net.client(`sip:${user}@a.example`, 'phone').register());
  h.net.at(at(1), () => h.net.client(MALLORY, 'phone').inject(message(cpimFrom)));
  h.net.run({ until: at(5) });
  return h;
}

describe('Participating Function: the CPIM From of a message (RFC 3862 7, RFC 5438 14)', () => {
  it('refuses with 403 a message whose CPIM From is not the asserted sender; nothing reaches Bob or Alice', () => {
    const { trace } = run('sip:alice@a.example');
    expect(sent(trace, { from: 'cs.a.example', method: 'MESSAGE', status: 403 })).toHaveLength(1);
    expect(sent(trace, { to: 'phone.bob.a.example', method: 'MESSAGE' })).toEqual([]);
    expect(sent(trace, { to: 'phone.alice.a.example', method: 'MESSAGE' })).toEqual([]);
    expect(notes(trace, 'cs.a.example')).toContain('refused a message from mallory@a.example whose CPIM From is alice@a.example');
  });

  it('carries the same message when the CPIM From is the sender', () => {
    const { trace } = run(MALLORY);
    expect(sent(trace, { to: 'phone.bob.a.example', method: 'MESSAGE' })).toHaveLength(1);
    expect(sent(trace, { from: 'cs.a.example', status: 403 })).toEqual([]);
  });
});
