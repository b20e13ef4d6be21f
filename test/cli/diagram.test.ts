import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { brokenFig16Text } from '../trace/fixtures.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fig16 = join(root, 'scenarios/appendix-c/c-3-1-1-1-pager-to-user-originating.yaml');
/** Three bundled scenarios by file name, without `.yaml`: a folder of their own keeps these tests apart from new scenarios. */
const SOME = ['c-1-1-client-registering', 'c-3-1-1-1-pager-to-user-originating', 'c-3-1-1-2-pager-to-user-terminating'];

async function cli(args: string[], cwd = root): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), color: false, columns: 120, cwd });
  return { code, out, err };
}

const scratch = (): string => mkdtempSync(join(tmpdir(), 'cpmsim-diagram-'));

function someScenarios(): string {
  const dir = join(scratch(), 'scenarios');
  mkdirSync(dir);
  for (const name of SOME) copyFileSync(join(root, 'scenarios/appendix-c', `${name}.yaml`), join(dir, `${name}.yaml`));
  return dir;
}

describe('cpmsim diagram', () => {
  it('prints the terminal ladder by default, as run does', async () => {
    const r = await cli(['diagram', fig16]);
    expect(r.code).toBe(0);
    for (let n = 1; n <= 16; n++) expect(r.out).toMatch(new RegExp(`^ *${n} 1\\.\\d{6}s`, 'm'));
    expect(r.out).toContain('16 steps as in the figure');
  });

  it.each([
    ['mermaid', /^sequenceDiagram\n/],
    ['plantuml', /^@startuml\n[\s\S]*@enduml\n$/],
    ['html', /^<!DOCTYPE html>[\s\S]*<\/html>\n$/],
    ['jsonl', /^\{"schema":"cpmsim\.trace","version":2,/],
  ])('prints --format %s on stdout, and nothing else', async (format, shape) => {
    const r = await cli(['diagram', fig16, '--format', format]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(shape);
  });

  it('writes the file -o names, the same bytes each time', async () => {
    const dir = scratch();
    const file = join(dir, 'sub', 'fig16.mmd');
    const r = await cli(['diagram', fig16, '--format', 'mermaid', '-o', file]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote ${file}\n`);
    const first = readFileSync(file, 'utf8');
    expect(first).toBe((await cli(['diagram', fig16, '--format', 'mermaid'])).out);
    await cli(['diagram', fig16, '--format', 'mermaid', '-o', file]);
    expect(readFileSync(file, 'utf8')).toBe(first);
  });

  it('names the file after the scenario when -o is a folder', async () => {
    const dir = scratch();
    const r = await cli(['diagram', fig16, '--format', 'html', '-o', dir]);
    expect(r.code).toBe(0);
    expect(readdirSync(dir)).toEqual(['c-3-1-1-1-pager-to-user-originating.html']);
  });

  it('writes a ladder file without colour, at 100 columns whatever the terminal', async () => {
    const dir = scratch();
    let out = '';
    const code = await main(['diagram', fig16, '-o', join(dir, 'ladder.txt')], { stdout: (t) => (out += t), stderr: () => {}, color: true, columns: 300, cwd: root });
    expect(code).toBe(0);
    const text = readFileSync(join(dir, 'ladder.txt'), 'utf8');
    expect(text).not.toContain('\u001b[');
    expect(text).toBe((await cli(['diagram', fig16, '--width', '100'])).out);
  });

  it('still draws a run that differs from its figure, with exit code 1 and the verdict on stderr', async () => {
    const dir = scratch();
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, brokenFig16Text());
    const r = await cli(['diagram', file, '--format', 'plantuml']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('16. ✗ missing: BYE');
    expect(r.err).toContain('missing step 16: CPM Client A -> CPM System B BYE');
  });

  it('exits 2 for an unknown format', async () => {
    const r = await cli(['diagram', fig16, '--format', 'svg']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Allowed choices are ladder, mermaid, plantuml, html, jsonl');
  });

  it('exits 2 when given a folder of several scenarios', async () => {
    const r = await cli(['diagram', someScenarios(), '--format', 'mermaid']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^cpmsim: diagram draws one scenario, and \d+ were given/);
  });

  it('exits 2 when the output cannot be written', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'file'), '');
    const r = await cli(['diagram', fig16, '--format', 'jsonl', '-o', join(dir, 'file', 'x.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('a file is in the way of a folder');
  });
});

describe('cpmsim run --format', () => {
  it('writes one file per scenario into the -o folder, named after the scenario file', async () => {
    const dir = join(scratch(), 'out');
    const r = await cli(['run', someScenarios(), '--format', 'mermaid', '-o', dir]);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(SOME.map((n) => `${n}.mmd`));
    for (const n of SOME) expect(readFileSync(join(dir, `${n}.mmd`), 'utf8')).toMatch(/^sequenceDiagram\n/);
    // The verdicts are on stdout, with where each file went.
    expect(r.out).toContain(`wrote ${join(dir, `${SOME[0]}.mmd`)}`);
    expect(r.out).toMatch(/^3 passed, 0 failed$/m);
  });

  it('writes ladders to files with -o alone', async () => {
    const dir = join(scratch(), 'ladders');
    mkdirSync(dir);
    const r = await cli(['run', fig16, '-o', dir]);
    expect(r.code).toBe(0);
    // The ladder fits its 100 columns, so the long name wraps in its header box.
    expect(readFileSync(join(dir, 'c-3-1-1-1-pager-to-user-originating.txt'), 'utf8')).toMatch(/CPM Conversation\n.*Server A/);
  });

  it('streams JSON lines of every scenario on stdout, verdicts on stderr', async () => {
    const r = await cli(['run', someScenarios(), '--format', 'jsonl']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const headers = lines.filter((l) => l['schema'] === 'cpmsim.trace');
    expect(headers).toHaveLength(3);
    expect(lines.length).toBe(headers.reduce((n, h) => n + 1 + (h['events'] as number), 0));
    expect(r.err).toMatch(/^3 passed, 0 failed$/m);
  });

  it('needs a folder for several scenarios in a one-diagram-per-document format', async () => {
    const r = await cli(['run', someScenarios(), '--format', 'html']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--format html holds one scenario per document: give a folder with -o for 3 scenarios');
  });

  it('refuses --no-ladder with --format', async () => {
    const r = await cli(['run', fig16, '--no-ladder', '--format', 'jsonl']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--no-ladder prints only the verdicts');
  });

  it('keeps the terminal ladder as the default', async () => {
    const dir = scratch();
    const r = await cli(['run', fig16], dir);
    expect(r.out).toContain('✓ Pager Mode CPM Message to a CPM User (originating) — C.3.1.1.1, Figure 16: 16 steps as in the figure');
    expect(existsSync(join(dir, 'c-3-1-1-1-pager-to-user-originating.txt'))).toBe(false);
  });
});
