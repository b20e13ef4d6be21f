import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../../src/kernel/random.js';
import { Simulator } from '../../../src/kernel/simulator.js';
import { SECOND } from '../../../src/kernel/time.js';
import type { MsrpMessage, MsrpRequest } from '../../../src/msrp/message.js';
import { readMsrpMedia } from '../../../src/msrp/sdp.js';
import { formatMsrpUri, parseMsrpUri } from '../../../src/msrp/uri.js';
import { MediaRelay } from '../../../src/cpm/conversation-server/media-relay.js';
import type { ServerPorts } from '../../../src/cpm/conversation-server/ports.js';
import { offer } from '../../../src/cpm/session-sdp.js';

function relayAt(host: string) {
  const sent: { to: string; msg: MsrpMessage }[] = [];
  const notes: string[] = [];
  const sim = new Simulator();
  const ports = { host, sim, rng: new RandomStreams(5).stream(host), sendMedia: (to: string, msg: MsrpMessage) => sent.push({ to, msg }), note: (t: string) => notes.push(t) } as unknown as ServerPorts;
  return { relay: new MediaRelay(ports), sent, notes, sim };
}

const ALICE = parseMsrpUri('msrp://phone.alice.a.example:2855/s1;tcp');
const BOB = parseMsrpUri('msrp://phone.bob.b.example:2855/s2;tcp');

const send = (toPath: MsrpRequest['toPath']): MsrpRequest => ({
  protocol: 'msrp',
  type: 'msrp-request',
  transactionId: 'tx000001',
  method: 'SEND',
  toPath,
  fromPath: [ALICE],
  headers: [{ name: 'Message-ID', value: 'm1' }],
  body: { kind: 'text', contentType: 'text/plain', text: 'hi' },
  continuation: '$',
});

describe('MediaRelay (RFC 4976)', () => {
  it('puts itself first in the path of the message stream, and leaves audio alone', () => {
    const { relay } = relayAt('cs.a.example');
    const body = relay.throughRelay({ kind: 'sdp', contentType: 'application/sdp', sdp: offer('phone.alice.a.example', '1', 1, ['message', 'audio'], ALICE) });
    if (body?.kind !== 'sdp') throw new Error('not SDP');
    const [message, audio] = body.sdp.media;
    expect(readMsrpMedia(message!)!.path.map(formatMsrpUri)).toEqual([expect.stringMatching(/^msrp:\/\/cs\.a\.example:2855\/[0-9a-f]{10};tcp$/), formatMsrpUri(ALICE)]);
    expect(message!.port).toBe(2855);
    expect(audio).toMatchObject({ type: 'audio', port: 49170 });
  });

  it('answers its hop and sends the SEND on with itself in front of the From-Path', () => {
    const { relay, sent } = relayAt('cs.a.example');
    const body = relay.throughRelay({ kind: 'sdp', contentType: 'application/sdp', sdp: offer('h', '1', 1, ['message'], BOB) });
    const hop = body?.kind === 'sdp' ? readMsrpMedia(body.sdp.media[0]!)!.path[0]! : undefined;
    const msg = send([hop!, BOB]);
    expect(relay.relays(msg)).toBe(true);
    relay.forward(msg, 'phone.alice.a.example');
    expect(sent.map((s) => s.to)).toEqual(['phone.alice.a.example', 'phone.bob.b.example']);
    expect(sent[0]!.msg).toMatchObject({ type: 'msrp-response', status: 200, transactionId: 'tx000001', toPath: [ALICE], fromPath: [hop] });
    expect(sent[1]!.msg).toMatchObject({ type: 'msrp-request', toPath: [BOB], fromPath: [hop, ALICE], headers: [{ name: 'Message-ID', value: 'm1' }] });
    expect(sent[1]!.msg.transactionId).not.toBe('tx000001');
  });

  it('does not take a hop that is not its own, and answers 481 when it is the last hop', () => {
    const { relay, sent } = relayAt('cs.a.example');
    expect(relay.relays(send([BOB]))).toBe(false);
    const body = relay.throughRelay({ kind: 'sdp', contentType: 'application/sdp', sdp: offer('h', '1', 1, ['message'], BOB) });
    const hop = body?.kind === 'sdp' ? readMsrpMedia(body.sdp.media[0]!)!.path[0]! : undefined;
    relay.forward(send([hop!]), 'phone.alice.a.example');
    expect(sent.map((s) => s.msg.type === 'msrp-response' && s.msg.status)).toEqual([481]);
  });

  it('reports a SEND that fails further on to its sender (RFC 4975 7.1.2), after 30 s without answer or on an error', () => {
    const { relay, sent, sim } = relayAt('cs.a.example');
    const body = relay.throughRelay({ kind: 'sdp', contentType: 'application/sdp', sdp: offer('h', '1', 1, ['message'], BOB) });
    const hop = body?.kind === 'sdp' ? readMsrpMedia(body.sdp.media[0]!)!.path[0]! : undefined;
    relay.forward(send([hop!, BOB]), 'phone.alice.a.example');
    sim.run({ until: 29 * SECOND });
    expect(sent).toHaveLength(2);
    sim.run({ until: 31 * SECOND });
    expect(sent[2]).toMatchObject({ to: 'phone.alice.a.example', msg: { type: 'msrp-request', method: 'REPORT', toPath: [ALICE], fromPath: [hop] } });
    const report = sent[2]!.msg;
    expect(report.headers).toEqual([{ name: 'Message-ID', value: 'm1' }, { name: 'Status', value: '000 408 Request Timeout' }]);

    relay.forward({ ...send([hop!, BOB]), transactionId: 'tx000002' }, 'phone.alice.a.example');
    const onward = sent.at(-1)!.msg;
    relay.forward({ protocol: 'msrp', type: 'msrp-response', transactionId: onward.transactionId, status: 481, toPath: [hop!], fromPath: [BOB], headers: [] }, 'phone.bob.b.example');
    expect(sent.at(-1)).toMatchObject({ to: 'phone.alice.a.example', msg: { method: 'REPORT', headers: [{ name: 'Message-ID', value: 'm1' }, { name: 'Status', value: '000 481 Failed' }] } });
  });

  it('sends a REPORT on without answering it (RFC 4975 7.1.2)', () => {
    const { relay, sent } = relayAt('cs.a.example');
    const body = relay.throughRelay({ kind: 'sdp', contentType: 'application/sdp', sdp: offer('h', '1', 1, ['message'], BOB) });
    const hop = body?.kind === 'sdp' ? readMsrpMedia(body.sdp.media[0]!)!.path[0]! : undefined;
    relay.forward({ ...send([hop!, BOB]), method: 'REPORT', headers: [{ name: 'Status', value: '000 200 OK' }] }, 'phone.alice.a.example');
    expect(sent.map((s) => [s.to, s.msg.type])).toEqual([['phone.bob.b.example', 'msrp-request']]);
  });

  it("refuses 413 a SEND over the provider's maximum and sends it no further, and advertises the maximum (RFC 4975 8.6, 10.5)", () => {
    const sent: { to: string; msg: MsrpMessage }[] = [];
    const notes: string[] = [];
    const ports = { host: 'cs.b.example', sim: new Simulator(), rng: new RandomStreams(5).stream('cs.b.example'), sendMedia: (to: string, msg: MsrpMessage) => sent.push({ to, msg }), note: (t: string) => notes.push(t) } as unknown as ServerPorts;
    const relay = new MediaRelay(ports, 40);
    const body = relay.throughRelay({ kind: 'sdp', contentType: 'application/sdp', sdp: offer('h', '1', 1, ['message'], BOB) });
    const line = body?.kind === 'sdp' ? readMsrpMedia(body.sdp.media[0]!)! : undefined;
    expect(line?.maxSize).toBe(40);
    const hop = line!.path[0]!;
    relay.forward(send([hop, BOB]), 'phone.alice.a.example');
    relay.forward({ ...send([hop, BOB]), transactionId: 'tx000002', body: { kind: 'text', contentType: 'text/plain', text: 'x'.repeat(41) } }, 'phone.alice.a.example');
    expect(sent.map((s) => [s.to, s.msg.type === 'msrp-response' ? s.msg.status : s.msg.method])).toEqual([
      ['phone.alice.a.example', 200],
      ['phone.bob.b.example', 'SEND'],
      ['phone.alice.a.example', 413],
    ]);
    expect(notes).toEqual(["refused a session message of 41 octets: the service provider's maximum is 40"]);
  });
});
