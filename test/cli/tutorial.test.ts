/**
 * docs/tutorial.md as a newcomer follows it: every scenario block is saved where it says, and
 * every command block is run in order, in a scratch checkout-like folder, with the exit code the
 * page promises (0 unless a command ends in `# exit N`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { cellWidth } from '../../src/trace/cells.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const page = readFileSync(join(root, 'docs/tutorial.md'), 'utf8');

interface Block {
  info: string;
  body: string;
}

const blocks: Block[] = Array.from(page.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm), (m) => ({ info: (m[1] ?? '').trim(), body: m[2] ?? '' }));

/** Words of a command line as a POSIX shell splits them, for the quoting this page uses. */
function words(line: string): string[] {
  return Array.from(line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g), (m) => m[1] ?? m[2] ?? m[3] ?? '');
}

describe('docs/tutorial.md', () => {
  it('has scenarios and commands to run', () => {
    expect(blocks.filter((b) => b.info.startsWith('yaml file=')).length).toBeGreaterThan(0);
    expect(blocks.filter((b) => b.info === 'sh').length).toBeGreaterThan(3);
  });

  it('installs with the scripts the package has (the suite itself runs after npm ci)', () => {
    const setup = blocks.filter((b) => b.info === 'sh setup').flatMap((b) => b.body.trim().split('\n'));
    expect(setup).toEqual(['npm ci']);
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    // npm ci runs `prepare`, which builds dist/ for `npx cpmsim`.
    expect(scripts['prepare']).toBe('npm run build');
  });

  it('runs every command and scenario as written, with the exit codes it promises', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpmsim-tutorial-'));
    symlinkSync(join(root, 'scenarios'), join(dir, 'scenarios'));
    const outputs: string[] = [];
    for (const block of blocks) {
      const file = /^yaml file=(\S+)$/.exec(block.info)?.[1];
      if (file !== undefined) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), block.body);
        continue;
      }
      if (block.info !== 'sh') continue;
      for (const raw of block.body.split('\n')) {
        const [command = '', promise] = raw.split(/\s+# exit (\d+)$/);
        if (command.trim() === '') continue;
        const expected = promise === undefined ? 0 : Number(promise);
        const argv = words(command);
        if (argv[0] === 'npx' && argv[1] === 'cpmsim') {
          let out = '';
          const code = await main(argv.slice(2), { stdout: (t) => (out += t), stderr: (t) => (out += t), color: false, columns: 200, cwd: dir });
          outputs.push(out);
          expect({ command, code }).toEqual({ command, code: expected });
          if (argv.includes('--width')) for (const line of out.split('\n')) expect(cellWidth(line)).toBeLessThanOrEqual(Number(argv[argv.indexOf('--width') + 1]));
        } else {
          execFileSync('sh', ['-c', command], { cwd: dir, stdio: 'pipe' });
        }
      }
    }
    // What the page says the reader will see (the verdicts wrap at 80 columns).
    const all = outputs.join('\n').replace(/\s+/g, ' ');
    expect(all).toContain('16 steps as in the figure');
    expect(all).toContain('6 steps as expected');
    expect(all).toContain('↳ expected step 4: Bob -> Network B 202');
    expect(readFileSync(join(dir, 'my-scenarios/first.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
    expect(readFileSync(join(dir, 'my-scenarios/first.mmd'), 'utf8')).toMatch(/^sequenceDiagram\n/);
    expect(readFileSync(join(dir, 'my-scenarios/traces/first.jsonl'), 'utf8')).toContain('"schema":"cpmsim.trace"');
  }, 60_000);
});
