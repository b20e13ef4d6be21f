import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = mkdtempSync(join(tmpdir(), 'mutate-bin-'));
afterAll(() => rmSync(bin, { recursive: true, force: true }));
// A stand-in for npx that prints what scripts/mutate.js would hand Stryker: the folder or part
// stryker.config.mjs names the incremental file after, the tests, and the arguments.
writeFileSync(join(bin, 'npx'), '#!/bin/sh\necho "$CPMSIM_MUTATE_FOLDER|${CPMSIM_MUTATE_TESTS:-}|$*"\n');
chmodSync(join(bin, 'npx'), 0o755);

function mutate(...args: string[]) {
  return spawnSync(process.execPath, ['scripts/mutate.js', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
}
const runs = (stdout: string) => stdout.split('\n').filter((l) => l.includes('|'));

describe('scripts/mutate.js', () => {
  it('runs a part of a folder into its own incremental file: a subfolder, or top for the files directly in it', () => {
    const r = mutate('cpm/core', 'cpm/top', '--force');
    expect(r.status).toBe(0);
    expect(runs(r.stdout)).toEqual([
      'cpm-core||stryker run --mutate src/cpm/core/**/*.ts --force',
      'cpm-top||stryker run --mutate src/cpm/*.ts --force',
    ]);
  });

  it('keeps the folder commands: a folder by name, every folder without one, and --tests', () => {
    expect(runs(mutate('sip', '--tests', 'test/sip/a.test.ts').stdout)).toEqual(['sip|test/sip/a.test.ts|stryker run --mutate src/sip/**/*.ts']);
    expect(runs(mutate().stdout).map((l) => l.split('|')[0])).toEqual(['trace', 'scenario', 'sip', 'cpm']);
    expect(runs(mutate('--mutate', 'src/trace/view.ts').stdout)).toEqual(['trace||stryker run --mutate src/trace/view.ts']);
  });

  it('refuses a part that names no subfolder, before running anything', () => {
    const r = mutate('cpm/nowhere');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('src/cpm/nowhere does not exist');
    expect(runs(r.stdout)).toEqual([]);
  });
});
