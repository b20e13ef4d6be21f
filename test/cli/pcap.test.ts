import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { findScenarioFiles } from '../../src/scenario/discover.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fig1 = join(root, 'scenarios/appendix-c/c-1-1-client-registering.yaml');
const fig16 = join(root, 'scenarios/appendix-c/c-3-1-1-1-pager-to-user-originating.yaml');

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), color: false, columns: 120, cwd });
  return { code, out, err };
}

const scratch = (): string => mkdtempSync(join(tmpdir(), 'cpmsim-pcap-cli-'));

describe('cpmsim pcap', () => {
  it('writes one scenario to the file named by -o, and prints the address plan', async () => {
    const dir = scratch();
    const r = await cli(['pcap', fig16, '-o', 'flow.pcap'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const pcap = readFileSync(join(dir, 'flow.pcap'));
    expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(pcap.readUInt32LE(20)).toBe(101);
    expect(r.out).toMatch(/^flow\.pcap: Pager Mode CPM Message to a CPM User \(originating\) \(seed 7\): \d+ packets, 46 messages \(\d+ over UDP, \d+ over TCP\)$/m); // 44 SIP, and the XCAP GET and answer of the recipient's preferences
    expect(r.out).toContain('  10.1.0.1        core.a.example\n');
    expect(r.out).toContain('  10.2.0.3        phone.bob.b.example\n');
  });

  it('writes the same bytes on every run, and other bytes for another seed', async () => {
    const dir = scratch();
    await cli(['pcap', fig16, '-o', 'a.pcap'], dir);
    await cli(['pcap', fig16, '-o', 'b.pcap'], dir);
    await cli(['pcap', fig16, '-o', 'c.pcap', '--seed', '3'], dir);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => readFileSync(join(dir, `${n}.pcap`)));
    expect(a?.equals(b ?? Buffer.alloc(0))).toBe(true);
    expect(a?.equals(c ?? Buffer.alloc(0))).toBe(false);
  });

  // Captures every bundled scenario: its time grows with the bundle, past the 5 s default on a loaded machine.
  it('writes one pcap per scenario, named after its file, into a folder', async () => {
    const dir = scratch();
    const r = await cli(['pcap', join(root, 'scenarios'), '-o', 'out/'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const expected = findScenarioFiles([join(root, 'scenarios')]).map((f) => f.replace(/^.*\//, '').replace(/\.ya?ml$/, '.pcap'));
    expect(readdirSync(join(dir, 'out')).sort()).toEqual([...expected].sort());
    expect(r.out).toContain(`out/c-1-1-client-registering.pcap: CPM Client Registering`);
  }, 60_000);

  it('writes into an existing folder given without a trailing slash', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'caps'));
    const r = await cli(['pcap', fig1, '-o', 'caps'], dir);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'caps', 'c-1-1-client-registering.pcap'))).toBe(true);
  });

  it('exits 1, still writing the capture, when the run does not match its figure', async () => {
    const dir = scratch();
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, readFileSync(fig1, 'utf8').replace('response: 200 }\n    # 3.', 'response: 202 }\n    # 3.'));
    const r = await cli(['pcap', broken, '-o', 'broken.pcap'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('the run does not match its figure');
    expect(existsSync(join(dir, 'broken.pcap'))).toBe(true);
  });

  it('exits 2 without -o', async () => {
    const r = await cli(['pcap', fig1], scratch());
    expect(r.code).toBe(2);
    expect(r.err).toContain("required option '-o, --output <path>' not specified");
  });

  it('exits 2 for a missing scenario path', async () => {
    const r = await cli(['pcap', 'no/such.yaml', '-o', 'x.pcap'], scratch());
    expect(r.code).toBe(2);
    expect(r.err).toContain('no such file or folder');
  });

  it('exits 2 for a scenario file with an error, naming file:line:col, writing nothing', async () => {
    const dir = scratch();
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(fig1, 'utf8').replace('register: alice.phone', 'regster: alice.phone'));
    const r = await cli(['pcap', bad, '-o', 'bad.pcap'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^cpmsim: .*bad\.yaml:\d+:\d+: .*'regster'/);
    expect(existsSync(join(dir, 'bad.pcap'))).toBe(false);
  });

  it('creates the folder of the output file, as diagram and run do', async () => {
    const dir = scratch();
    const r = await cli(['pcap', fig1, '-o', 'nowhere/flow.pcap'], dir);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'nowhere', 'flow.pcap'))).toBe(true);
  });

  it('exits 2 when several scenarios would go to one file', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'taken'), '');
    const r = await cli(['pcap', fig1, fig16, '-o', 'taken'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe('cpmsim: 2 scenarios write one capture each, so -o needs a folder: end it with / (e.g. -o taken/), or name one scenario\n');
  });

  it('exits 2 when two scenario files have the same name', async () => {
    const dir = scratch();
    for (const sub of ['x', 'y']) {
      mkdirSync(join(dir, sub));
      writeFileSync(join(dir, sub, 'same.yaml'), readFileSync(fig1, 'utf8'));
    }
    const r = await cli(['pcap', 'x', 'y', '-o', 'out/'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`cpmsim: x/same.yaml and y/same.yaml would both be written to ${join(dir, 'out', 'same.pcap')}; rename one\n`);
  });
});

describe('cpmsim pcap with several scenarios', () => {
  it('refuses one file for several captures instead of making a folder of that name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpmsim-pcap-'));
    let err = '';
    const code = await main(['pcap', join(root, 'scenarios/appendix-c'), '-o', 'one.pcap'], { stdout: () => undefined, stderr: (t) => (err += t), color: false, columns: 100, cwd: dir });
    expect(code).toBe(2);
    expect(err).toBe('cpmsim: 27 scenarios write one capture each, so -o needs a folder: end it with / (e.g. -o one/), or name one scenario\n');
    expect(existsSync(join(dir, 'one.pcap'))).toBe(false);
  });
});
