import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findDraft } from '../../src/cli/docs-command.js';
import { figureText } from '../../src/cli/figure-pages.js';
import { main } from '../../src/cli/main.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const draft = findDraft([root]);
if (draft === undefined) console.warn('skipping the figure-page checks: no ../shared/seed/*.txt beside the checkout');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), color: false, columns: 120, cwd: root });
  return { code, out, err };
}

describe.skipIf(draft === undefined)('cpmsim docs: one page per Appendix C figure', () => {
  it('the checked-in pages are what the scenarios generate today (run `npm run docs` when this fails)', async () => {
    const r = await cli(['docs', '--check', 'scenarios/appendix-c']);
    expect(r.out).toBe('figure pages up to date\n');
    expect(r.code).toBe(0);
  }, 120_000);

  it('has a page and a ladder for each of the 27 figures', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpmsim-docs-'));
    const r = await cli(['docs', '-o', dir, 'scenarios/appendix-c/c-3-1-1-1-pager-to-user-originating.yaml']);
    expect(r.code).toBe(0);
    const page = readFileSync(join(dir, 'figure-16.md'), 'utf8');
    // The draft's own words beside the simulated arrow, the wire text, the SVG with its own styles.
    expect(page).toContain('| 5 | 5. CPM System B returns an OK response after delivering the CPM Message. | `200 OK (MESSAGE)` CPM System B → SIP/IP Core A ✓ |');
    expect(page).toContain('MESSAGE sip:bob@b.example SIP/2.0');
    expect(readFileSync(join(dir, 'figure-16.svg'), 'utf8')).toMatch(/^<svg [^>]*>\n<style>/);
    for (let n = 1; n <= 27; n++) expect(readFileSync(join(root, `docs/figures/figure-${n}.md`), 'utf8')).toMatch(new RegExp(`^# Figure ${n}: `));
  }, 60_000);

  it('stops the figure text at the next heading', () => {
    const text = figureText(readFileSync(draft!, 'utf8'), 9);
    expect(text[0]).toMatch(/^1-2\. CPM Client A sends a CPM Session leaving request/);
    expect(text.at(-1)).toMatch(/^11\. If the whole CPM Session is to be terminated/);
  });
});
