import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveProcess, freePort, toolMissing } from './live-process.js';

const BARESIP = '/usr/bin/baresip';
const skip = toolMissing(BARESIP);
const open: { live?: LiveProcess; baresip?: ChildProcess } = {};

afterEach(() => {
  open.live?.kill();
  if (open.baresip?.exitCode === null) open.baresip.kill('SIGKILL');
});

/** A headless baresip: no audio modules, the account of Alice with cpmsim live as its outbound proxy. */
function baresipConfig(dir: string, localPort: number, gatewayPort: number): void {
  writeFileSync(join(dir, 'config'), [`sip_listen 127.0.0.1:${localPort}`, 'module_path /usr/lib/baresip/modules', 'module_app account.so', 'module_app contact.so', 'module_app menu.so', ''].join('\n'));
  writeFileSync(join(dir, 'accounts'), `<sip:alice@a.example>;outbound="sip:127.0.0.1:${gatewayPort}";regint=600\n`);
  writeFileSync(join(dir, 'contacts'), '"Bob" <sip:bob@b.example>\n');
}

/**
 * A headless baresip that carries audio: PCMU, a tone from a WAV file (aufile: no sound card) and
 * ALSA's null device as the player, answering nothing, for Alice of docs/live/call.yaml.
 */
function audioConfig(dir: string, localPort: number, gatewayPort: number): void {
  const samples = 8000 * 10;
  const wav = Buffer.alloc(44 + 2 * samples);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + 2 * samples, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(8000, 24);
  wav.writeUInt32LE(16000, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(2 * samples, 40);
  for (let i = 0; i < samples; i++) wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)), 44 + 2 * i);
  writeFileSync(join(dir, 'tone.wav'), wav);
  writeFileSync(
    join(dir, 'config'),
    [`sip_listen 127.0.0.1:${localPort}`, 'module_path /usr/lib/baresip/modules', 'module_app account.so', 'module_app contact.so', 'module_app menu.so', 'module g711.so', 'module aufile.so', 'module alsa.so', `audio_source aufile,${join(dir, 'tone.wav')}`, 'audio_player alsa,null', 'audio_alert alsa,null', ''].join('\n'),
  );
  writeFileSync(join(dir, 'accounts'), `<sip:alice@a.example>;outbound="sip:127.0.0.1:${gatewayPort}";regint=600;audio_codecs=PCMU\n`);
  writeFileSync(join(dir, 'contacts'), '"Bob" <sip:bob@b.example>\n');
}

describe.skipIf(skip !== undefined)('baresip against cpmsim live (docs/live/softphone.yaml)', () => {
  it('registers as a plain SIP device of Alice beside her simulated phone, sends a MESSAGE, and receives the plain MESSAGE Bob sends while the CPM Message reaches only the CPM device', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpmsim-baresip-'));
    const { live, port } = await LiveProcess.start(['docs/live/softphone.yaml', '--duration', '20s', '--format', 'jsonl', '-o', join(dir, 'trace.jsonl')]);
    open.live = live;
    const local = await freePort();
    baresipConfig(dir, local, port);
    let said = '';
    const baresip = spawn(BARESIP, ['-f', dir, '-t', '15', '-e', '/message Hello from baresip'], { stdio: ['ignore', 'pipe', 'pipe'] });
    open.baresip = baresip;
    baresip.stdout!.on('data', (chunk: Buffer) => (said += chunk.toString('utf8')));
    baresip.stderr!.on('data', (chunk: Buffer) => (said += chunk.toString('utf8')));

    await live.waitFor(/127\.0\.0\.1 -> core\.a\.example {2}REGISTER\n.*core\.a\.example -> 127\.0\.0\.1 {2}200 OK \(REGISTER\)/);
    // RFC 3428: baresip's MESSAGE is text/plain; Bob's CPM client takes message/cpim only and says so.
    await live.waitFor(/core\.a\.example -> 127\.0\.0\.1 {2}415 Unsupported Media Type \(MESSAGE\)/);
    // At 9 s Bob's phone sends a plain SIP MESSAGE: it forks to every registered device of Alice.
    await live.waitFor(/core\.a\.example -> 127\.0\.0\.1 {2}MESSAGE\n.*127\.0\.0\.1 -> core\.a\.example {2}200 OK \(MESSAGE\)/, 15_000);
    expect(said).toMatch(/alice@a\.example: \{0\/UDP\/v4\} 200 OK/);
    expect(said).toMatch(/415 Unsupported Media Type/);

    expect(await live.interrupt()).toBe(0);
    const trace = readFileSync(join(dir, 'trace.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { type?: string; to?: string; from?: string; text?: string; wire?: string; host?: string; passed?: boolean });
    expect(trace[0]!.passed).toBe(true);
    const text = JSON.stringify(trace);
    expect(text).toContain('Hello from baresip');
    expect(text).toContain('Hello, plain SIP!');
    // The CPM Message of 8 s went to the device that registered the CPM feature tag only (RFC 3841).
    expect(text).toContain('Hello Alice');
    expect(live.stderr).not.toMatch(/-> 127\.0\.0\.1 {2}MESSAGE "Hello Alice"/);
  }, 40_000);
});

const alsaNull = toolMissing('/usr/lib/baresip/modules/alsa.so') ?? toolMissing('/usr/lib/baresip/modules/aufile.so');

describe.skipIf(skip !== undefined || alsaNull !== undefined)('baresip calls a simulated user with audio (docs/live/call.yaml)', () => {
  it('its RTP reaches Bob\'s simulated phone through the gateway\'s port pair, and Bob\'s RTCP reaches baresip at the c= of its SDP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpmsim-baresip-audio-'));
    // Bob's own invitation at 3 s does not reach baresip, which registers no CPM feature tag (RFC 3841): baresip calls.
    const { live, port } = await LiveProcess.start(['docs/live/call.yaml', '--duration', '14s', '--format', 'jsonl', '-o', join(dir, 'trace.jsonl')]);
    open.live = live;
    audioConfig(dir, await freePort(), port);
    let said = '';
    const baresip = spawn(BARESIP, ['-f', dir, '-t', '12', '-e', '/dial sip:bob@b.example'], { stdio: ['ignore', 'pipe', 'pipe'] });
    open.baresip = baresip;
    baresip.stdout!.on('data', (chunk: Buffer) => (said += chunk.toString('utf8')));
    baresip.stderr!.on('data', (chunk: Buffer) => (said += chunk.toString('utf8')));

    await live.waitFor(/core\.a\.example -> 127\.0\.0\.1 {2}200 OK \(INVITE\)/);
    const given = await live.waitFor(/gives the real client 127\.0\.0\.1:(\d+) for the audio of phone\.bob\.b\.example:\d+/);
    await live.waitFor(/127\.0\.0\.1 -> phone\.bob\.b\.example {2}RTP PT=0/);
    // RFC 3550 6.2: Bob's phone reports on what it hears within 1.5 RTCP intervals (7.5 s), to baresip's c= and m= port + 1.
    await live.waitFor(/phone\.bob\.b\.example -> [\d.]+ {2}RTCP RR/, 12_000);
    // The line is printed when Bob's phone sends the report; the gateway relays it to baresip when it
    // arrives, one paced link delay later: stopping at once could cut it off (seen under load).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await live.interrupt()).toBe(0);
    expect(said).toMatch(/Call established: sip:bob@b\.example/);
    const trace = readFileSync(join(dir, 'trace.jsonl'), 'utf8');
    expect(trace).toContain('receiving audio: RTP payload type 0');
    expect(live.stderr).not.toMatch(/RTCP RR.*not delivered/);
    expect(live.stderr).toMatch(new RegExp(`RTP: (\\d+) received, [1-9]\\d* sent`));
    expect(Number(given[1]) % 2).toBe(0);
  }, 40_000);
});
