import { describe, expect, it } from 'vitest';
import type { SessionDescription } from 'sdp-transform';
import { MediaAlg, type MsrpOutlet, type RtpOutlet } from '../../src/live/media-alg.js';
import type { MsrpMessage } from '../../src/msrp/message.js';
import { parseMsrpUri, type MsrpUri } from '../../src/msrp/uri.js';
import { parseMessage } from '../../src/sip/parser.js';
import type { SipMessage } from '../../src/sip/message.js';
import { encodeSdp } from '../../src/bodies/sdp-codec.js';

/** The sockets' side, recorded: what the ALG sends and where it connects. */
function outlets(): { msrp: MsrpOutlet & { sent: [MsrpUri, MsrpMessage][]; connected: [MsrpUri, MsrpUri[]][] }; rtp: RtpOutlet; notes: string[] } {
  const sent: [MsrpUri, MsrpMessage][] = [];
  const connected: [MsrpUri, MsrpUri[]][] = [];
  let next = 40000;
  const ports = new Map<string, number>();
  return {
    msrp: { host: '127.0.0.1', port: 7000, sent, connected, send: (to, msg) => sent.push([to, msg]), connect: (to, from) => connected.push([to, from]) },
    rtp: { portFor: (host, port) => ports.get(`${host}:${port}`) ?? (ports.set(`${host}:${port}`, (next += 2)), next), toClient: () => undefined },
    notes: [],
  };
}

const sdpText = (host: string, path: string, setup: string, audioPort?: number) =>
  ['v=0', `o=- 1 1 IN IP4 ${host}`, 's=-', `c=IN IP4 ${host}`, 't=0 0', 'm=message 2855 TCP/MSRP *', 'a=accept-types:message/cpim', `a=path:${path}`, `a=setup:${setup}`, ...(audioPort === undefined ? [] : [`m=audio ${audioPort} RTP/AVP 0`]), ''].join('\r\n');

function sip(first: string, sdp: string, callId = 'c1'): SipMessage {
  return parseMessage([first, 'Via: SIP/2.0/UDP x.example;branch=z9hG4bK1', 'From: <sip:bob@b.example>;tag=1', 'To: <sip:alice@a.example>', `Call-ID: ${callId}`, `CSeq: 1 ${first.startsWith('SIP') ? 'INVITE' : first.split(' ')[0]}`, 'Content-Type: application/sdp', `Content-Length: ${Buffer.byteLength(sdp)}`, '', sdp].join('\r\n'));
}

const sdpOf = (msg: SipMessage): SessionDescription => (msg.body?.kind === 'sdp' ? msg.body.sdp : (() => { throw new Error('no sdp'); })());

describe('MediaAlg: the gateway as an ALG for the media of sessions with real clients', () => {
  it('gives the client the gateway in place of each simulated a=path URI (same session id), the gateway in c= and a port pair in m=audio, and notes it', () => {
    const o = outlets();
    const alg = new MediaAlg(o.msrp, o.rtp, (t) => o.notes.push(t));
    const out = alg.outgoing(sip('INVITE sip:alice@127.0.0.1:5070 SIP/2.0', sdpText('cs.b.example', 'msrp://cs.b.example:2855/relay1;tcp msrp://phone.bob.b.example:2855/s1;tcp', 'active', 49170)));
    const sdp = sdpOf(out);
    expect(encodeSdp(sdp)).toContain('a=path:msrp://127.0.0.1:7000/relay1;tcp msrp://127.0.0.1:7000/s1;tcp\r\n');
    expect(sdp.connection?.ip).toBe('127.0.0.1');
    expect(sdp.media.map((m) => m.port)).toEqual([7000, 40002]);
    expect(o.notes).toEqual(['gives the real client the MSRP path msrp://127.0.0.1:7000/relay1;tcp msrp://127.0.0.1:7000/s1;tcp for msrp://cs.b.example:2855/relay1;tcp msrp://phone.bob.b.example:2855/s1;tcp, 127.0.0.1:40002 for the audio of cs.b.example:49170 (the gateway relays the media)']);
  });

  it('the network offered and the client answers passive: the gateway connects to the client\'s a=path with the offer\'s path as From-Path (RFC 4975 5.4)', () => {
    const o = outlets();
    const alg = new MediaAlg(o.msrp, o.rtp, () => undefined);
    alg.outgoing(sip('INVITE sip:alice@127.0.0.1:5070 SIP/2.0', sdpText('phone.bob.b.example', 'msrp://phone.bob.b.example:2855/s1;tcp', 'active')));
    alg.incoming(sip('SIP/2.0 200 OK', sdpText('127.0.0.1', 'msrp://127.0.0.1:5555/mine;tcp', 'passive')), '127.0.0.1');
    expect(o.msrp.connected).toEqual([[parseMsrpUri('msrp://127.0.0.1:5555/mine;tcp'), [parseMsrpUri('msrp://127.0.0.1:7000/s1;tcp')]]]);
  });

  it('the network offered and the client answers a=setup:active (RFC 6135): the client connects, the gateway does not', () => {
    const o = outlets();
    const alg = new MediaAlg(o.msrp, o.rtp, () => undefined);
    alg.outgoing(sip('INVITE sip:alice@127.0.0.1:5070 SIP/2.0', sdpText('phone.bob.b.example', 'msrp://phone.bob.b.example:2855/s1;tcp', 'actpass')));
    alg.incoming(sip('SIP/2.0 200 OK', sdpText('127.0.0.1', 'msrp://127.0.0.1:5555/mine;tcp', 'active')), '127.0.0.1');
    expect(o.msrp.connected).toEqual([]);
  });

  it('the client offered and the network answers passive: the client is active, the gateway waits for it', () => {
    const o = outlets();
    const alg = new MediaAlg(o.msrp, o.rtp, () => undefined);
    alg.incoming(sip('INVITE sip:bob@b.example SIP/2.0', sdpText('127.0.0.1', 'msrp://127.0.0.1:5555/mine;tcp', 'actpass')), '127.0.0.1');
    alg.outgoing(sip('SIP/2.0 200 OK', sdpText('phone.bob.b.example', 'msrp://phone.bob.b.example:2855/s1;tcp', 'passive')));
    expect(o.msrp.connected).toEqual([]);
  });

  it('puts the simulated URI back in the To-Path of what the client sends, answers 481 for a gateway URI it never gave, and gives gateway URIs in the From-Path of what it is sent', () => {
    const o = outlets();
    const alg = new MediaAlg(o.msrp, o.rtp, () => undefined);
    alg.outgoing(sip('INVITE sip:alice@127.0.0.1:5070 SIP/2.0', sdpText('phone.bob.b.example', 'msrp://phone.bob.b.example:2855/s1;tcp', 'active')));
    const client = parseMsrpUri('msrp://127.0.0.1:5555/mine;tcp');
    const send = (to: string): MsrpMessage => ({ protocol: 'msrp', type: 'msrp-request', transactionId: 'abcd1', method: 'SEND', toPath: [parseMsrpUri(to)], fromPath: [client], headers: [], continuation: '$' });
    expect(alg.fromClient(send('msrp://127.0.0.1:7000/s1;tcp'))).toEqual({ carry: { ...send('msrp://127.0.0.1:7000/s1;tcp'), toPath: [parseMsrpUri('msrp://phone.bob.b.example:2855/s1;tcp')] } });
    expect(alg.fromClient(send('msrp://127.0.0.1:7000/nobody;tcp'))).toMatchObject({ answer: { status: 481, toPath: [client] } });
    alg.toClient({ ...send('msrp://127.0.0.1:5555/mine;tcp'), fromPath: [parseMsrpUri('msrp://phone.bob.b.example:2855/s1;tcp')] });
    expect(o.msrp.sent.map(([to, m]) => [to, m.fromPath])).toEqual([[client, [parseMsrpUri('msrp://127.0.0.1:7000/s1;tcp')]]]);
  });

  it('a c= of the client that is another address gets reachable when it is this machine\'s, and is noted when it is not', () => {
    const o = outlets();
    const asked: string[] = [];
    const alg = new MediaAlg(o.msrp, o.rtp, (t) => o.notes.push(t), (address) => (asked.push(address), address === '192.0.2.2'));
    const audio = (host: string) => ['v=0', `o=- 1 1 IN IP4 ${host}`, 's=-', `c=IN IP4 ${host}`, 't=0 0', 'm=audio 30000 RTP/AVP 0', ''].join('\r\n');
    alg.incoming(sip('INVITE sip:bob@b.example SIP/2.0', audio('192.0.2.2')), '127.0.0.1');
    alg.incoming(sip('INVITE sip:bob@b.example SIP/2.0', audio('198.51.100.7'), 'c2'), '127.0.0.1');
    alg.incoming(sip('INVITE sip:bob@b.example SIP/2.0', audio('127.0.0.1'), 'c3'), '127.0.0.1');
    expect(asked).toEqual(['192.0.2.2', '198.51.100.7']);
    expect(o.notes).toEqual(['could not send to 198.51.100.7: the audio address of the real client at 127.0.0.1 is not an address of this machine, where the gateway sends media']);
  });
});
