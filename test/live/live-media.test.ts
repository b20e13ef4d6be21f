import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tracePcap } from '../../src/trace/pcap.js';
import { LiveRun, type LiveResult } from '../../src/live/live-run.js';
import { loadScenarioFile } from '../../src/scenario/loader.js';
import { SECOND } from '../../src/kernel/time.js';
import { describeMessage } from '../../src/trace/wire-format.js';
import { MsrpClient, msrpOk, msrpSdp, msrpSend } from './msrp-client.js';
import { UdpClient, registerText, statusOf } from './udp-client.js';
import { stop, until } from './live-waits.js';

const GATEWAY = { host: '127.0.0.1', port: 0, maxPacketsPerSecond: 100, maxMessageOctets: 16 * 1024, durationUs: 60 * SECOND };

const open: { live?: LiveRun; sip: UdpClient[]; msrp: MsrpClient[] } = { sip: [], msrp: [] };

afterEach(async () => {
  open.live?.stop();
  if (open.live !== undefined) await open.live.finished;
  for (const c of open.sip) c.close();
  for (const c of open.msrp) c.close();
  open.live = undefined;
  open.sip = [];
  open.msrp = [];
});

/** A live run of docs/live/session.yaml with Alice's real client registered over UDP and an MSRP endpoint listening. */
async function registered(file = 'docs/live/session.yaml', media = ';+g.oma.sip-im'): Promise<{ live: LiveRun; sip: UdpClient; msrp: MsrpClient }> {
  const live = await LiveRun.start(loadScenarioFile(file), GATEWAY);
  open.live = live;
  const sip = await UdpClient.open();
  const msrp = await MsrpClient.listen();
  open.sip.push(sip);
  open.msrp.push(msrp);
  sip.send(registerText('alice', 'a.example', sip.port, { cpm: true, media }), live.port);
  expect(statusOf(await sip.next((t) => t.includes('CSeq: 1 REGISTER')))).toBe(200);
  return { live, sip, msrp };
}

function notes(result: LiveResult | LiveRun, host: string): string[] {
  const events = 'run' in result ? result.run.events : result.events;
  return events.flatMap((e) => (e.type === 'note' && e.host === host ? [e.text] : []));
}

/** What crossed the network from or to the real host, as the ladder labels it. */
function realMessages(result: LiveResult): string[] {
  return result.run.events.flatMap((e) => (e.type === 'transmit' && (e.from === '127.0.0.1' || e.to === '127.0.0.1') ? [`${e.from} -> ${e.to} ${describeMessage(e.payload)}`] : []));
}

/** The a=path the real client was given in a SIP message's SDP. */
function pathIn(sip: string): string {
  return /^a=path:(.+)\r$/m.exec(sip)![1]!;
}

/** A 2xx to an INVITE with an SDP answer, as a UAS writes it (RFC 3261 8.2.6.2, 12.1.1: a Contact for the dialog). */
function okWithSdp(request: string, sdp: string, contactPort: number): string {
  const head = request.slice(0, request.indexOf('\r\n\r\n')).split('\r\n');
  const copied = head.filter((l) => /^(Via|From|To|Call-ID|CSeq|Record-Route):/i.test(l)).map((l) => (/^To:/i.test(l) && !l.includes('tag=') ? `${l};tag=uas1` : l));
  return ['SIP/2.0 200 OK', ...copied, `Contact: <sip:alice@127.0.0.1:${contactPort}>`, 'Content-Type: application/sdp', `Content-Length: ${Buffer.byteLength(sdp)}`, '', sdp].join('\r\n');
}

/** A CPM Session invitation with a message stream (CPM 5.2.3.1.1.1) from the client at 127.0.0.1:port. */
function inviteText(port: number, sdp: string): string {
  return [
    'INVITE sip:bob@b.example SIP/2.0',
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-inv-1;rport`,
    'Max-Forwards: 70',
    'From: <sip:alice@a.example>;tag=inv1',
    'To: <sip:bob@b.example>',
    'Call-ID: inv-1@127.0.0.1',
    'CSeq: 1 INVITE',
    `Contact: <sip:alice@127.0.0.1:${port}>;+sip.instance="<urn:uuid:00000000-0000-4000-8000-${String(port).padStart(12, '0')}>"`,
    'Accept-Contact: *;+g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.session"',
    'P-Preferred-Service: urn:urn-7:3gpp-service.ims.icsi.oma.cpm.session',
    'Conversation-ID: 11111111-2222-4333-8444-555555555555',
    'Contribution-ID: 66666666-7777-4888-8999-000000000000',
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(sdp)}`,
    '',
    sdp,
  ].join('\r\n');
}

describe('a live session with a message stream between a real client and a simulated user (RFC 4975 over real TCP)', () => {
  it('the simulated user offers: the client is given the gateway in its a=path, the gateway connects to the client (the offerer is active, RFC 4975 5.4) and SENDs, 200s and REPORTs flow both ways', async () => {
    const { live, sip, msrp } = await registered();
    // At 3 s Bob's phone invites Alice: the offer reaches the real client with the gateway's address in a=path.
    const invite = await sip.next((t) => t.startsWith('INVITE '), 8000);
    const offered = pathIn(invite);
    expect(offered).toMatch(new RegExp(`^msrp://127\\.0\\.0\\.1:${live.msrpPort}/\\S+;tcp$`));
    expect(invite).toMatch(new RegExp(`^m=message ${live.msrpPort} TCP/MSRP \\*\r$`, 'm'));
    expect(invite).not.toMatch(/b\.example:2855/);
    const own = `msrp://127.0.0.1:${msrp.port}/alice1;tcp`;
    sip.send(okWithSdp(invite, msrpSdp(msrp.port, 'alice1', 'passive'), sip.port), live.port);

    // The gateway, on behalf of the offerer, connects to the client's a=path and binds it with an empty SEND (RFC 4975 7.1.1).
    const bind = await msrp.next((t) => / SEND\r\n/.test(t));
    expect(bind).toContain(`To-Path: ${own}\r\n`);
    expect(bind).toContain(`From-Path: ${offered}\r\n`);
    expect(bind).not.toContain('Content-Type');
    msrp.write(msrpOk(bind));

    // At 4 s Bob says hello, asking for a success report: it reaches the client over the real connection.
    const hello = await msrp.next((t) => t.includes('Hello from the simulated network'), 8000);
    expect(hello).toContain(`To-Path: ${own}\r\n`);
    expect(hello).toContain(`From-Path: ${offered}\r\n`);
    msrp.write(msrpOk(hello));
    const id = /^Message-ID: (\S+)\r$/m.exec(hello)![1]!;
    const range = /^Byte-Range: (\S+)\r$/m.exec(hello)![1]!;
    msrp.write(`MSRP rep1abcd REPORT\r\nTo-Path: ${offered}\r\nFrom-Path: ${own}\r\nMessage-ID: ${id}\r\nByte-Range: ${range}\r\nStatus: 000 200 OK\r\n-------rep1abcd$\r\n`);
    await until(() => notes(live, 'phone.bob.b.example').includes('session message delivered'));

    // The client says something back on the same connection: Bob's phone shows it and answers 200, and reports it.
    msrp.write(msrpSend('snd1abcd', offered, own, 'alice@a.example', 'bob@b.example', 'Hello Bob, from a real client'));
    const ok = await msrp.next((t) => t.startsWith('MSRP snd1abcd 200'));
    expect(ok).toContain(`To-Path: ${own}\r\n`);
    const report = await msrp.next((t) => / REPORT\r\n/.test(t) && t.includes('Message-ID: m-snd1abcd'));
    expect(report).toContain('Status: 000 200 OK');

    const result = await stop(live);
    expect(notes(result, 'phone.bob.b.example')).toContain('session message: Hello Bob, from a real client');
    const real = realMessages(result);
    // The trace shows the real client's MSRP beside the simulated messages, each way.
    expect(real.filter((m) => m.includes(' MSRP '))).toEqual([
      'phone.bob.b.example -> 127.0.0.1 MSRP SEND "Hello from the simulate…"',
      '127.0.0.1 -> phone.bob.b.example MSRP 200 OK',
      '127.0.0.1 -> phone.bob.b.example MSRP REPORT',
      '127.0.0.1 -> phone.bob.b.example MSRP SEND "Hello Bob, from a real …"',
      'phone.bob.b.example -> 127.0.0.1 MSRP 200 OK',
      'phone.bob.b.example -> 127.0.0.1 MSRP REPORT',
    ]);
    expect(notes(result, '127.0.0.1')).toContain(`opened an MSRP connection to 127.0.0.1:${msrp.port} for ${own} and bound it with an empty SEND (RFC 4975 5.4)`);
    expect(notes(result, '127.0.0.1').some((n) => /^gives the real client the MSRP path msrp:\/\/127\.0\.0\.1:\d+\/\S+;tcp for msrp:\/\/\S+\.example:2855\/\S+;tcp \(the gateway relays the media\)$/.test(n))).toBe(true);
    expect(result.msrpCounts).toMatchObject({ malformed: 0, oversize: 0, sendFailed: 0 });
    // The capture of the run (cpmsim live --pcap) holds the real client's MSRP beside the simulated messages.
    const capture = tracePcap(result.run.events, ['a.example', 'b.example'], result.startedAtMs * 1000);
    const pcapPath = join(mkdtempSync(join(tmpdir(), 'cpmsim-live-pcap-')), 'live.pcap');
    writeFileSync(pcapPath, capture.pcap);
    const tshark = spawnSync('tshark', ['-r', pcapPath, '-Y', 'msrp', '-T', 'fields', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'msrp.method', '-e', 'msrp.status.code'], { encoding: 'utf8' });
    if (tshark.error !== undefined) console.log('tshark is not installed (apt-get install tshark): the capture is not read back');
    else {
      const rows = tshark.stdout.trim().split('\n').map((l) => l.split('\t').filter((f) => f !== '').join(' '));
      expect(rows.filter((r) => r.startsWith('127.0.0.1 ')).map((r) => r.split(' ').slice(2).join(' '))).toEqual(['200', 'REPORT', 'SEND']);
      expect(rows.filter((r) => / 127\.0\.0\.1 /.test(r)).map((r) => r.split(' ').slice(2).join(' '))).toEqual(['SEND', '200', 'REPORT']);
    }
  }, 20_000);

  it('the real client offers: the gateway answers with its own a=path and waits, the client connects (it is active) and its SEND reaches Bob, who answers and reports', async () => {
    const { live, sip, msrp } = await registered();
    const own = `msrp://127.0.0.1:${msrp.port}/alice2;tcp`;
    sip.send(inviteText(sip.port, msrpSdp(msrp.port, 'alice2', 'actpass')), live.port);
    const ok = await sip.next((t) => statusOf(t) === 200 && t.includes('CSeq: 1 INVITE'));
    const answered = pathIn(ok);
    expect(answered).toMatch(new RegExp(`^msrp://127\\.0\\.0\\.1:${live.msrpPort}/\\S+;tcp$`));
    expect(ok).toMatch(/^a=setup:passive\r$/m);
    await msrp.connect(live.msrpPort);
    msrp.write(msrpSend('snd2abcd', answered, own, 'alice@a.example', 'bob@b.example', 'Hi Bob'));
    expect(await msrp.next((t) => t.startsWith('MSRP snd2abcd 200'))).toContain(`From-Path: ${answered.split(' ')[0]}\r\n`);
    const report = await msrp.next((t) => / REPORT\r\n/.test(t));
    expect(report).toContain('Message-ID: m-snd2abcd');
    expect(report).toContain(`To-Path: ${own}\r\n`);
    const result = await stop(live);
    expect(notes(result, 'phone.bob.b.example')).toContain('session message: Hi Bob');
    expect(notes(result, '127.0.0.1').filter((n) => /^MSRP connection from 127\.0\.0\.1:\d+ bound to /.test(n))).toEqual([expect.stringMatching(new RegExp(`bound to ${own.replace(/[.]/g, '\\.')} \\(RFC 4975 5\\.4\\)$`))]);
    // No connection was opened to a client that is the active end.
    expect(notes(result, '127.0.0.1').some((n) => n.startsWith('opened an MSRP connection'))).toBe(false);
  }, 20_000);

  it('malformed MSRP is answered 400 (RFC 4975 7.2), counted and noted; bytes that are not MSRP lose their connection; the run goes on', async () => {
    const { live, msrp } = await registered();
    await msrp.connect(live.msrpPort);
    msrp.write(`MSRP bad1abcd SEND\r\nTo-Path: msrp://127.0.0.1:${live.msrpPort}/x1;tcp\r\nFrom-Path: msrp://127.0.0.1:${msrp.port}/y1;tcp\r\nByte-Range: nonsense\r\n-------bad1abcd$\r\n`);
    expect(await msrp.next((t) => t.startsWith('MSRP bad1abcd'))).toMatch(/^MSRP bad1abcd 400 Bad Request\r\n/);
    // A SEND to a session the gateway never gave out: 481 (RFC 4975 7.3.1).
    msrp.write(msrpSend('nos1abcd', `msrp://127.0.0.1:${live.msrpPort}/unknown;tcp`, `msrp://127.0.0.1:${msrp.port}/y1;tcp`, 'alice@a.example', 'bob@b.example', 'anyone?'));
    expect(await msrp.next((t) => t.startsWith('MSRP nos1abcd'))).toMatch(/^MSRP nos1abcd 481 /);
    const garbage = await MsrpClient.listen();
    open.msrp.push(garbage);
    await garbage.connect(live.msrpPort);
    garbage.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await until(() => !garbage.connected);
    const result = await stop(live);
    expect(result.msrpCounts.malformed).toBe(2);
    expect(notes(result, '127.0.0.1').filter((n) => n.startsWith('refused a malformed MSRP message from 127.0.0.1:'))).toHaveLength(2);
    expect(notes(result, '127.0.0.1').some((n) => n.endsWith('with 400'))).toBe(true);
  }, 20_000);
});

/** An RTP packet as a client writes one (RFC 3550 5.1): PCMU, 160 octets of silence (20 ms, RFC 3551 4.5.14). */
function rtpPacket(sequence: number, ssrc: number): Buffer {
  const b = Buffer.alloc(12 + 160, 0xff);
  b[0] = 0x80;
  b[1] = sequence === 1 ? 0x80 : 0;
  b.writeUInt16BE(sequence, 2);
  b.writeUInt32BE(sequence * 160, 4);
  b.writeUInt32BE(ssrc, 8);
  return b;
}

describe('a live audio session between a real client and a simulated user (RFC 3550 over real UDP)', () => {
  it('the gateway gives the client a port pair of its own in c= and m=audio, relays the simulated RTP and RTCP to the client\'s answer, and the client\'s RTP reaches the simulated phone', async () => {
    const { live, sip } = await registered('docs/live/call.yaml', ';audio');
    const media = await UdpClient.open();
    open.sip.push(media);
    const invite = await sip.next((t) => t.startsWith('INVITE '), 8000);
    expect(invite).toMatch(/^c=IN IP4 127\.0\.0\.1\r$/m);
    const gatewayPort = Number(/^m=audio (\d+) RTP\/AVP 0\r$/m.exec(invite)![1]);
    expect(gatewayPort % 2).toBe(0);
    const answer = ['v=0', 'o=- 2 2 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${media.port} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', 'a=ptime:20', ''].join('\r\n');
    sip.send(okWithSdp(invite, answer, sip.port), live.port);

    // At 4 s Bob's phone talks for 500 ms: 25 packets of 20 ms, to the m= of the client's answer.
    await until(() => media.received.length >= 25);
    // The client sends to the port pair the offer gave it, which stands for Bob's phone.
    for (let n = 1; n <= 5; n++) media.sendOctets(rtpPacket(n, 0x1234abcd), gatewayPort);
    await until(() => notes(live, 'phone.bob.b.example').includes('receiving audio: RTP payload type 0'));
    // A datagram that is not RTP is counted and dropped (RTP has no error answer): the run goes on.
    media.sendOctets(Buffer.from('not rtp'), gatewayPort);
    await until(() => live.events.some((e) => e.type === 'note' && e.text.startsWith('dropped a datagram from 127.0.0.1:')));

    const result = await stop(live);
    const real = realMessages(result);
    expect(real.filter((m) => /^127\.0\.0\.1 -> phone\.bob\.b\.example RTP/.test(m))).toHaveLength(5);
    expect(real.filter((m) => /^phone\.bob\.b\.example -> 127\.0\.0\.1 RTP/.test(m)).length).toBeGreaterThanOrEqual(25);
    expect(result.rtpCounts).toMatchObject({ received: 6, malformed: 1, unrelayed: 0 });
    expect(result.rtpCounts.sent).toBeGreaterThanOrEqual(25);
    expect(notes(result, '127.0.0.1')).toContain(`gives the real client 127.0.0.1:${gatewayPort} for the audio of phone.bob.b.example:49170 (the gateway relays the media)`);
  }, 20_000);
});
