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
