import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseJunit } from 'junit2json';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLED = ['appendix-c/c-1-1-client-registering', 'appendix-c/c-3-1-1-1-pager-to-user-originating', 'behaviour/session-cancelled', 'behaviour/interworking-sms-segmentation'];

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), color: false, columns: 120, cwd });
  return { code, out, err };
}

/** A folder holding copies of some bundled scenarios and no golden files. */
function suite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cpmsim-test-'));
  for (const name of BUNDLED) copyFileSync(join(root, 'scenarios', `${name}.yaml`), join(dir, `${name.split('/')[1]}.yaml`));
  return dir;
}

describe('cpmsim test', () => {
  it('fails without golden files, writes them with --update, then passes', async () => {
    const dir = suite();
    const before = await cli(['test', '.'], dir);
    expect(before.code).toBe(1);
    expect(before.out).toContain('no golden file c-1-1-client-registering.golden: write it with cpmsim test --update c-1-1-client-registering.yaml');
    const update = await cli(['test', '--update', '.'], dir);
    expect(update.code).toBe(0);
    expect(existsSync(join(dir, 'session-cancelled.golden'))).toBe(true);
    const after = await cli(['test', '.'], dir);
    expect(after.code).toBe(0);
    expect(after.out).toMatch(/^✓ c-1-1-client-registering\.yaml: 8 steps as in the figure; fingerprint [0-9a-f]{16}$/m);
    expect(after.out).toMatch(/^4 passed, 0 failed$/m);
  });

  it('names the scenario and the first diverging event, with a unified diff around it', async () => {
    const dir = suite();
    await cli(['test', '--update', '.'], dir);
    const golden = join(dir, 'c-1-1-client-registering.golden');
    const text = readFileSync(golden, 'utf8');
    // Event 2 (block 0 is the header): the 200 OK to Alice's REGISTER.
    const blocks = text.split('\n\n');
    blocks[2] = blocks[2]!.replace('SIP/2.0 200 OK', 'SIP/2.0 202 Accepted');
    writeFileSync(golden, blocks.join('\n\n'));
    const r = await cli(['test', 'c-1-1-client-registering.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('✗ c-1-1-client-registering.yaml: CPM Client Registering — C.1.1, Figure 1');
    expect(r.out).toMatch(/trace differs from c-1-1-client-registering\.golden at event 2: 0\.001000s sip core\.a\.example -> phone\.alice\.a\.example/);
    expect(r.out).toContain('-    SIP/2.0 202 Accepted');
    expect(r.out).toContain('+    SIP/2.0 200 OK');
    expect(r.out).toMatch(/^ {4}@@ -\d+,\d+ \+\d+,\d+ @@$/m);
  });

  it('reports a shortened trace as ending before the golden file does', async () => {
    const dir = suite();
    await cli(['test', '--update', 'session-cancelled.yaml'], dir);
    const golden = join(dir, 'session-cancelled.golden');
    writeFileSync(golden, `${readFileSync(golden, 'utf8').trimEnd()}\n\n9.000000s note phone.bob.b.example: one more\n`);
    const r = await cli(['test', 'session-cancelled.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/the run ends before event \d+: 9\.000000s note phone\.bob\.b\.example: one more/);
  });

  it('writes a JUnit report that a JUnit parser reads, with a failure for the failing scenario', async () => {
    const dir = suite();
    await cli(['test', '--update', '.'], dir);
    writeFileSync(join(dir, 'session-cancelled.golden'), 'not a golden trace\n');
    const r = await cli(['test', '--reporter', 'junit', '-o', 'report.xml', '.'], dir);
    expect(r.code).toBe(1);
    const report = (await parseJunit(readFileSync(join(dir, 'report.xml'), 'utf8'))) as { tests?: number; failures?: number; testsuite?: { tests?: number; testcase?: { name?: string; classname?: string; failure?: { message?: string; inner?: string }[] }[] }[] };
    expect(report.tests).toBe(4);
    expect(report.failures).toBe(1);
    const cases = report.testsuite?.[0]?.testcase ?? [];
    expect(cases).toHaveLength(4);
    const failed = cases.filter((c) => c.failure !== undefined);
    expect(failed.map((c) => c.name)).toEqual(['session-cancelled.yaml: An invitation given up while it rings — 5.2.3.1.1']);
    expect(failed[0]?.failure?.[0]?.message).toMatch(/^trace differs from session-cancelled\.golden/);
    expect(failed[0]?.failure?.[0]?.inner).toContain('+0.000000s sip');
  });

  it('writes a JSON report', async () => {
    const dir = suite();
    await cli(['test', '--update', '.'], dir);
    const r = await cli(['test', '--reporter', 'json', '.'], dir);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { schema: string; passed: number; failed: number; results: { file: string; passed: boolean; fingerprint: string; goldenOutcome: string }[] };
    expect(report).toMatchObject({ schema: 'cpmsim.test', passed: 4, failed: 0 });
    expect(report.results.map((x) => [x.file, x.goldenOutcome])).toEqual([
      ['c-1-1-client-registering.yaml', 'match'],
      ['c-3-1-1-1-pager-to-user-originating.yaml', 'match'],
      ['interworking-sms-segmentation.yaml', 'match'],
      ['session-cancelled.yaml', 'match'],
    ]);
  });

  it('splits a suite into shards that together are the serial run, and gives the serial results with worker threads', async () => {
    const dir = suite();
    await cli(['test', '--update', '.'], dir);
    writeFileSync(join(dir, 'session-cancelled.golden'), 'changed\n');
    const results = async (args: string[]): Promise<unknown[]> => (JSON.parse((await cli(['test', '--reporter', 'json', ...args, '.'], dir)).out) as { results: unknown[] }).results;
    const serial = await results([]);
    const shards = [...(await results(['--shard', '1/3'])), ...(await results(['--shard', '2/3'])), ...(await results(['--shard', '3/3']))];
    const byFile = (xs: unknown[]): unknown[] => [...xs].sort((a, b) => ((a as { file: string }).file < (b as { file: string }).file ? -1 : 1));
    expect(byFile(shards)).toEqual(serial);
    expect(await results(['--jobs', '3'])).toEqual(serial);
  });

  it('refuses a bad shard or job count with exit 2', async () => {
    const dir = suite();
    expect((await cli(['test', '--shard', '3/2', '.'], dir)).code).toBe(2);
    expect((await cli(['test', '--jobs', '0', '.'], dir)).code).toBe(2);
  });
});

describe('every bundled scenario', () => {
  // All 65 bundled scenarios: about 4 s alone, more on a machine shared with other work.
  it('matches its golden file', async () => {
    const r = await cli(['test', 'scenarios'], root);
    expect(r.out.split('\n').filter((line) => line.startsWith('✗'))).toEqual([]);
    expect(r.code).toBe(0);
  }, 60_000);
});

describe('cpmsim --version and --help', () => {
  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const r = await cli(['--version'], root);
    expect(r.out).toBe(`${version}\n`);
    expect(r.code).toBe(0);
  });

  it('documents the exit codes', async () => {
    const r = await cli(['--help'], root);
    for (const line of ['0  everything passed', '1  an expectation failed', '2  bad input', '3  internal error']) expect(r.out).toContain(line);
  });
});
