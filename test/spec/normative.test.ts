import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { coverage, loadStatements } from '../../src/cli/coverage-command.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The draft, in the shared folder beside the checkout (as scripts/normative.js finds it). */
function specText(): string | undefined {
  for (let dir = root, i = 0; i < 4; i++, dir = dirname(dir)) {
    const seed = join(dir, 'shared/seed');
    if (existsSync(seed)) return readdirSync(seed).some((f) => f.endsWith('.txt')) ? seed : undefined;
  }
  return undefined;
}
const seed = specText();
if (seed === undefined) console.warn('skipping the staleness check of spec/normative.json: no ../shared/seed/*.txt beside the checkout');

describe('spec/normative.json', () => {
  const statements = loadStatements(join(root, 'spec/normative.json'));

  it.skipIf(seed === undefined)('is what scripts/normative.js extracts from the draft today', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts/normative.js'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('holds section 5 statements with unique ids, section and ordinal, each naming its keyword', () => {
    const ids = statements.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of statements) {
      expect(s.id).toBe(`${s.section}-${s.id.split('-')[1]}`);
      expect(s.section).toMatch(/^5(\.\d+)+$/);
      expect(s.sentence).toContain(s.keyword);
      expect(s.keyword).toMatch(/^(SHALL|MUST|SHOULD)( NOT)?$|^MAY$/);
    }
    // Spot checks against the draft's text.
    expect(statements.find((s) => s.id === '5.1.1.1-2')?.sentence).toBe('The CPM Client SHALL indicate its Unique User Agent Identifier at SIP registration.');
    expect(statements.filter((s) => s.section === '5.2.3.2.1.2').map((s) => s.keyword)).toContain('SHALL');
  });

  it('marks a statement inside an FFS editor\'s note, and coverage does not count it as a gap', () => {
    const ffs = statements.find((s) => s.id === '5.3.1.2.4-1');
    expect(ffs?.ffs).toBe(true);
    expect(ffs?.sentence).toMatch(/^Editor.s note: It is FFS/);
    const report = coverage(statements, new Set(['5.1.1.1-2']));
    expect(report.covered).toBe(1);
    expect(report.total).toBe(statements.length - report.ffs);
    const section = report.sections.find((s) => s.section === '5.3.1.2.4');
    expect(section?.ffs.map((s) => s.id)).toEqual(['5.3.1.2.4-1']);
    expect(section?.uncovered.map((s) => s.id)).not.toContain('5.3.1.2.4-1');
  });

  it('keeps the share the docs quote', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toMatch(/\d+ of \d+ normative statements/);
  });
});
