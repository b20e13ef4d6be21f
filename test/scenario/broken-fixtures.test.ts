/** The corpus of broken scenarios (test/fixtures/broken/): each fails validation with its intended located error. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const dir = fileURLToPath(new URL('../fixtures/broken', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

async function validate(file: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['validate', file], { stdout: (t) => (out += t), stderr: (t) => (err += t), color: false, columns: 120, cwd: dir });
  return { code, out, err };
}

describe('broken scenarios', () => {
  it('are at least 40', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(files)('%s exits 2 with its located error', async (file) => {
    const header = /^# expect-error: (\d+:\d+: .+)$/m.exec(readFileSync(join(dir, file), 'utf8').split('\n')[0] ?? '');
    expect(header, 'first line: # expect-error: line:col: reason').not.toBeNull();
    const r = await validate(file);
    expect(r.err).toBe(`cpmsim: ${file}:${header![1]}\n`);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
  });
});
