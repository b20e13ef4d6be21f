import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fig16 = join(root, 'scenarios/appendix-c/c-3-1-1-1-pager-to-user-originating.yaml');

async function cli(args: string[], cwd = root): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), color: false, columns: 120, cwd });
  return { code, out, err };
}

function scratch(name: string, text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cpmsim-cli-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return { dir, file };
}

describe('cpmsim run', () => {
  // Runs every bundled scenario: its time grows with the bundle, past the 5 s default on a loaded machine.
  it('runs the bundled scenarios by default and exits 0', async () => {
    const r = await cli(['run', '--no-ladder']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/✓ CPM Client Registering — C\.1\.1, Figure 1: 8 steps as in the figure/);
    expect(r.out).toMatch(/^\d+ passed, 0 failed$/m);
  }, 60_000);

  it('prints the ladder with the figure step numbers', async () => {
    const r = await cli(['run', fig16]);
    expect(r.code).toBe(0);
    for (let n = 1; n <= 16; n++) expect(r.out).toMatch(new RegExp(`^ *${n} 1\\.\\d{6}s`, 'm'));
    expect(r.out).toMatch(/CPM Conversation Server\n.* A /);
    expect(r.out).not.toContain('\u001b[');
  });

  it('prints the wire text with --wire', async () => {
    const r = await cli(['run', fig16, '--wire']);
    expect(r.out).toContain('MESSAGE sip:bob@b.example SIP/2.0');
    expect(r.out).toContain('Content-Type: message/cpim');
    expect(r.out).toContain('imdn.Disposition-Notification: positive-delivery');
  });

  it('exits 1 with a readable diff when one expected step is broken', async () => {
    const broken = readFileSync(fig16, 'utf8').replace('{ n: 5, from: CPM System B, to: SIP/IP Core A, response: 200 }', '{ n: 5, from: CPM System B, to: SIP/IP Core A, response: 202 }');
    const { file } = scratch('broken.yaml', broken);
    const r = await cli(['run', file]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('✗ mismatch');
    expect(r.out).toContain('expected step 5: CPM System B -> SIP/IP Core A 202');
    expect(r.out).toMatch(/got CPM System B -> SIP\/IP Core A 200 OK \(MESSAGE\) at 1\.\d{6}s/);
    expect(r.out).toMatch(/^0 passed, 1 failed$/m);
  });

  it('exits 2 naming file:line:col for a typo in a field name', async () => {
    const typo = readFileSync(fig16, 'utf8').replace('notify: [positive-delivery]', 'notfy: [positive-delivery]');
    const { file } = scratch('typo.yaml', typo);
    const r = await cli(['run', file]);
    expect(r.code).toBe(2);
    const line = typo.split('\n').findIndex((l) => l.includes('notfy')) + 1;
    const col = typo.split('\n')[line - 1]!.indexOf('notfy') + 1;
    expect(r.err).toBe(`cpmsim: ${file}:${line}:${col}: timeline[1].send: unknown field 'notfy'; did you mean 'notify'?\n`);
    expect(r.out).toBe('');
  });

  it('exits 2 for a YAML syntax error, with no stack trace', async () => {
    const { file } = scratch('bad.yaml', 'title: [unclosed\n');
    const r = await cli(['run', file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^cpmsim: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for a missing path', async () => {
    const r = await cli(['run', 'no/such/file.yaml']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no such file or folder');
  });

  it('exits 2 for a bad option value', async () => {
    const r = await cli(['run', '--seed', 'abc']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('expected a non-negative integer');
  });

  it('--seed overrides the scenario seed', async () => {
    const r = await cli(['run', fig16, '--seed', '99']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('seed 99');
  });
});

describe('cpmsim validate', () => {
  it('accepts the bundled scenarios', async () => {
    const r = await cli(['validate']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\d+ scenario file\(s\) valid$/m);
  });
});

describe('exit codes for what is not the user\'s input', () => {
  it('an internal error is one line naming it a bug, exit 3; the stack only with debug', async () => {
    let err = '';
    const io = { stdout: () => { throw new TypeError('boom'); }, stderr: (t: string) => (err += t), color: false, columns: 120, cwd: root };
    expect(await main(['list'], io)).toBe(3);
    expect(err).toBe('cpmsim: internal error (a bug in cpmsim; please report it with the command that caused it): TypeError: boom\ncpmsim: set CPMSIM_DEBUG=1 to print the stack\n');
    err = '';
    expect(await main(['list'], { ...io, debug: true })).toBe(3);
    expect(err).toMatch(/^cpmsim: internal error .*\nTypeError: boom\n    at /);
  });

  it('a scenario file over the size limit is refused before it is read, exit 2', async () => {
    const { file } = scratch('huge.yaml', `title: x\n# ${'x'.repeat(1024 * 1024)}\n`);
    const r = await cli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^cpmsim: .*huge\.yaml:1:1: the file is 1048588 bytes, more than the 1048576 bytes a scenario file may have\n$/);
  });
});
