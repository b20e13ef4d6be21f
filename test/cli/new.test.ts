import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), color: false, columns: 120, cwd });
  return { code, out, err };
}

describe('cpmsim new', () => {
  it('writes a commented scenario that validates and passes as written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpmsim-new-'));
    const r = await cli(['new', 'pager-message'], dir);
    expect(r).toEqual({ code: 0, out: 'wrote pager-message.yaml: edit it, then cpmsim run pager-message.yaml\n', err: '' });
    const text = readFileSync(join(dir, 'pager-message.yaml'), 'utf8');
    expect(text).toMatch(/^# A cpmsim scenario/);
    expect(text).toContain('title: pager message\n');
    expect((await cli(['validate', 'pager-message.yaml'], dir)).code).toBe(0);
    const run = await cli(['run', '--no-ladder', 'pager-message.yaml'], dir);
    expect(run.out).toContain('✓ pager message: 9 steps as expected');
    expect(run.code).toBe(0);
  });

  it('never replaces an existing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpmsim-new-'));
    await cli(['new', 'flow.yaml'], dir);
    const again = await cli(['new', 'flow'], dir);
    expect(again.code).toBe(2);
    expect(again.err).toBe('cpmsim: flow.yaml already exists; choose another name\n');
  });
});
