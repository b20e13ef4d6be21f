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

  it('keeps the bullet list a statement introduces, in its sentence; an item with its own keyword stays a statement too', () => {
    const text = (id: string): string | undefined => statements.find((s) => s.id === id)?.sentence;
    expect(text('5.1.2.1-1')).toBe('The CPM User address SHALL be in the format of • a SIP URI as specified in [RFC3261]; or, • a TEL URI as specified in [RFC3966].');
    // Four items, across the editor's note that interrupts the list (the note is not an item).
    const invitation = text('5.2.3.2.1.1-3') ?? '';
    expect(invitation.split(' • ')).toHaveLength(5);
    expect(invitation).toMatch(/• the CPM Session Identity, if re-joining a CPM Session or a non-CPM session\.$/);
    expect(invitation).not.toContain('Editor');
    // `...the CPM Controlling Function • SHALL respond...; and, • SHALL send...`: the lead-in reads
    // whole, and each SHALL item keeps its own id, so declarations made against it still hold.
    expect(text('5.2.2.1-4')).toContain('if authorized, the CPM Controlling Function • SHALL respond with a CPM Message successful response; and, • SHALL send the CPM Message');
    expect(text('5.2.2.1-5')).toBe('SHALL respond with a CPM Message successful response; and,');
    // An item of an alternative (`...; or`) does not swallow the item after it.
    expect(text('5.3.1.2.1-1')).toBe('SHALL return the error response back to the originating CPM User; or');
    // The draft's missing space after a full stop (`...Function.The CPM...`) still ends a sentence.
    expect(text('5.2.3.2.3-3')).toMatch(/^The CPM Conversation Server performing the Participating Function of the adding CPM User SHALL route/);
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
