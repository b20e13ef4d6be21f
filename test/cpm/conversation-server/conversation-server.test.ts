import { describe, expect, it } from 'vitest';
import { conferenceFactoryUri, deferredServiceUri } from '../../../src/cpm/naming.js';
import type { Header, SipRequest } from '../../../src/sip/message.js';
import { parseUri } from '../../../src/sip/uri.js';
import { at, harness, sent } from '../harness.js';

let sequence = 0;

/** A request SIP/IP Core A hands its Conversation Server exactly as written. */
function fromCore(method: string, uri: string, extra: Header[] = []): SipRequest {
  sequence += 1;
  return {
    type: 'request',
    method,
    uri: parseUri(uri),
    headers: [
      { name: 'Via', value: `SIP/2.0/UDP core.a.example;branch=z9hG4bKcs${sequence}` },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: '<sip:alice@a.example>;tag=1' },
      { name: 'To', value: `<${uri}>` },
      { name: 'Call-ID', value: `cs${sequence}@a.example` },
      { name: 'CSeq', value: `1 ${method}` },
      ...extra,
    ],
    body: { kind: 'text', contentType: 'text/plain', text: 'hi' },
  };
}

/** The reason phrases of the Conversation Server's final answers to the core. */
const refusals = (h: ReturnType<typeof harness>): string[] =>
  sent(h.trace, { from: 'cs.a.example', to: 'core.a.example' }).flatMap((e) => (e.payload.type === 'response' && e.payload.status >= 300 ? [`${e.payload.status} ${e.payload.reason}`] : []));

function network() {
  const h = harness();
  h.net.addDomain('a.example');
  h.net.addUser('sip:alice@a.example', ['phone']);
  h.net.addUser('sip:bob@a.example', ['phone']);
  return h;
}

describe('Conversation Server: whom it serves (CPM 5.2.2.1, 5.1.1.3)', () => {
  it('refuses 403 a request its core routed with no served user, to no address it hosts', () => {
    const h = network();
    h.net.at(at(1), () => h.net.net.send('core.a.example', 'cs.a.example', fromCore('MESSAGE', 'sip:bob@a.example')));
    h.net.run({ until: at(2) });
    expect(refusals(h)).toEqual(['403 Not Routed By The SIP/IP Core']);
  });

  it('refuses 403 a retrieval of deferred messages and an Ad-hoc Group invitation that assert no identity', () => {
    const h = network();
    h.net.at(at(1), () => h.net.net.send('core.a.example', 'cs.a.example', fromCore('MESSAGE', deferredServiceUri('a.example'))));
    h.net.at(at(2), () => h.net.net.send('core.a.example', 'cs.a.example', fromCore('INVITE', conferenceFactoryUri('a.example'))));
    h.net.run({ until: at(3) });
    expect([...new Set(refusals(h))]).toEqual(['403 No Asserted Identity']);
    expect(sent(h.trace, { from: 'cs.a.example', method: 'INVITE', status: 403 }).length).toBeGreaterThan(0);
    expect(sent(h.trace, { from: 'cs.a.example', method: 'MESSAGE', status: 403 })).toHaveLength(1);
  });
});
