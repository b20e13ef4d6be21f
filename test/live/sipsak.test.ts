import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveProcess, freePort, toolMissing } from './live-process.js';
import { UdpClient, okFor } from './udp-client.js';

const SIPSAK = '/usr/bin/sipsak';
const skip = toolMissing(SIPSAK);
let running: LiveProcess | undefined;

afterEach(() => running?.kill());

/** sipsak sends a request read from a file (-f, -G fills in $port$) and waits for its final response. */
function sipsak(file: string, target: string, localPort: number, extra: string[] = []): { code: number | null; out: string } {
  const run = spawnSync(SIPSAK, ['-vv', '-G', '-f', `test/live/sipsak/${file}`, '-s', target, '-l', String(localPort), ...extra], { encoding: 'utf8', timeout: 10_000 });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

describe.skipIf(skip !== undefined)('sipsak against cpmsim live (docs/live/pager.yaml)', () => {
  it('registers as the external user and sends a CPM Message that a simulated user receives; the delivery notification comes back to its address', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpmsim-live-'));
    const { live, port } = await LiveProcess.start(['docs/live/pager.yaml', '--duration', '40s', '--format', 'jsonl', '-o', join(dir, 'trace.jsonl'), '--pcap', join(dir, 'live.pcap')]);
    running = live;
    const local = await freePort();

    const register = sipsak('register.sip', `sip:a.example@127.0.0.1:${port}`, local);
    expect(register.out).toMatch(/SIP\/2\.0 200 OK/);
    expect(register.code).toBe(0);

    const message = sipsak('message.sip', `sip:bob@127.0.0.1:${port}`, local);
    expect(message.out).toMatch(/SIP\/2\.0 200 OK/);
    expect(message.code).toBe(0);

    // sipsak has exited; its address is still the contact it registered, where the network sends
    // Bob's delivery notification (CPM 5.2.2.3.1) and sends it again until it is answered.
    const contact = await UdpClient.openAt(local);
    const imdn = await contact.next((t) => t.startsWith('MESSAGE ') && t.includes('<delivered/>'), 10_000);
    expect(imdn).toMatch(new RegExp(`^MESSAGE sip:alice@127\\.0\\.0\\.1:${local} SIP/2\\.0`));
    // RFC 5438 7.2.1: it names the message it reports on.
    expect(imdn).toMatch(/<message-id>sipsak-m1<\/message-id>/);
    contact.send(okFor(imdn), port);
    contact.close();

    expect(await live.interrupt()).toBe(0);
    expect(live.stderr).toMatch(/cpmsim live: stopped after [\d.]+s: interrupted/);
    expect(live.stderr).toMatch(/gateway: \d+ received, \d+ sent; refused 0 malformed \(400\), 0 oversize \(513\), 0 over the rate \(503\)/);
    const trace = readFileSync(join(dir, 'trace.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(trace[0]).toMatchObject({ passed: true });
    const text = JSON.stringify(trace);
    expect(text).toContain('Hello from sipsak');
    expect(text).toContain('shown to the user');
    // The capture carries the real client as 127.0.0.1 (7f 00 00 01) beside the simulated hosts.
    expect(readFileSync(join(dir, 'live.pcap')).includes(Buffer.from([127, 0, 0, 1]))).toBe(true);
    // Wireshark's dissector reads it as one SIP flow: sipsak's REGISTER to Core A, and Core A's answer.
    const tshark = spawnSync('tshark', ['-r', join(dir, 'live.pcap'), '-Y', 'sip', '-T', 'fields', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'sip.Method', '-e', 'sip.Status-Code'], { encoding: 'utf8' });
    if (tshark.status === 0) {
      const rows = tshark.stdout.split('\n');
      expect(rows).toContain('127.0.0.1\t10.1.0.1\tREGISTER\t');
      expect(rows).toContain('10.1.0.1\t127.0.0.1\t\t200');
    } else console.log('tshark is not installed: the capture is not dissected');
  }, 40_000);

  it('answers the core\'s digest challenge (RFC 3261 22) when the domain has auth: digest; wrong credentials get 403', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpmsim-live-'));
    const scenario = join(dir, 'digest.yaml');
    writeFileSync(scenario, readFileSync('docs/live/pager.yaml', 'utf8').replace('domains: [a.example, b.example]', 'domains: { a.example: { auth: digest }, b.example: null }'));
    const { live, port } = await LiveProcess.start([scenario, '--duration', '40s']);
    running = live;
    const local = await freePort();
    const wrong = sipsak('register.sip', `sip:a.example@127.0.0.1:${port}`, local, ['-u', 'alice@a.example', '-a', 'not-the-password']);
    expect(wrong.out).toMatch(/SIP\/2\.0 403 Bad Credentials/);
    await live.waitFor(/core\.a\.example -> 127\.0\.0\.1 {2}401 Unauthorized \(REGISTER\)/);
    const right = sipsak('register.sip', `sip:a.example@127.0.0.1:${port}`, local, ['-u', 'alice@a.example', '-a', 'secret']);
    expect(right.out).toMatch(/SIP\/2\.0 200 OK/);
    expect(right.code).toBe(0);
    expect(await live.interrupt()).toBe(0);
  }, 40_000);
});
