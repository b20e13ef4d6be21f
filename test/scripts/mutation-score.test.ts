import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/mutation-score.js', import.meta.url));

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An incremental file as Stryker writes it (mutation-testing-report-schema 1.0), reduced to what the script reads. */
function incremental(name: string, files: Record<string, string[]>): void {
  const report = {
    schemaVersion: '1.0',
    thresholds: { high: 80, low: 60 },
    files: Object.fromEntries(
      Object.entries(files).map(([path, statuses]) => [
        path,
        {
          language: 'typescript',
          source: '',
          mutants: statuses.map((status, i) => ({
            id: String(i),
            mutatorName: 'ConditionalExpression',
            replacement: 'true',
            status,
            location: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } },
          })),
        },
      ]),
    ),
  };
  writeFileSync(join(dir, `stryker-incremental-${name}.json`), JSON.stringify(report));
}

/** The printed table, one array of cells per line, keyed by its first cell. */
function score(): Map<string, string[]> {
  const r = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const [head = '', ...lines] = r.stdout.trimEnd().split('\n');
  expect(head.split(/\s{2,}/)).toEqual(['folder', 'killed+timeout', 'survived', 'no coverage', 'score']);
  return new Map(lines.map((l) => l.trim().split(/\s{2,}/)).map(([name = '', ...cells]) => [name, cells]));
}

describe('scripts/mutation-score.js', () => {
  it("scores a folder as Stryker does: killed and timed out over those plus survived and uncovered", () => {
    dir = mkdtempSync(join(tmpdir(), 'mutation-score-'));
    // Ignored, compile errors and runtime errors are not valid mutants (mutation-testing-metrics).
    incremental('sip', { 'src/sip/uri.ts': ['Killed', 'Killed', 'Survived', 'Ignored', 'CompileError', 'RuntimeError'] });
    expect(score().get('src/sip')).toEqual(['2', '1', '0', '66.67 %']);
  });

  it('sums the parts of one folder and shows each part below it', () => {
    dir = mkdtempSync(join(tmpdir(), 'mutation-score-'));
    incremental('cpm-core', { 'src/cpm/core/registrar.ts': ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'Ignored'] });
    incremental('cpm-xdms', { 'src/cpm/xdms/xdms.ts': ['Killed', 'Survived'], 'src/cpm/xdms/xcap-client.ts': ['Killed'] });
    incremental('cpm-top', { 'src/cpm/naming.ts': ['NoCoverage'] });
    const rows = score();
    // Detected 2 + 2 + 0 = 4; survived 1 + 1 = 2; uncovered 1 + 1 = 2: 4 / 8.
    expect(rows.get('src/cpm')).toEqual(['4', '2', '2', '50.00 %']);
    expect(rows.get('cpm/core')).toEqual(['2', '1', '1', '50.00 %']);
    expect(rows.get('cpm/xdms')).toEqual(['2', '1', '0', '66.67 %']);
    expect(rows.get('cpm/top')).toEqual(['0', '0', '1', '0.00 %']);
  });

  it("counts a source file in both a whole-folder file and a part's file once, from the part", () => {
    dir = mkdtempSync(join(tmpdir(), 'mutation-score-'));
    incremental('cpm', { 'src/cpm/core/core.ts': ['Survived', 'Survived', 'Survived'], 'src/cpm/naming.ts': ['Killed'] });
    incremental('cpm-core', { 'src/cpm/core/core.ts': ['Killed', 'Killed', 'Survived'] });
    const rows = score();
    expect(rows.get('src/cpm')).toEqual(['3', '1', '0', '75.00 %']);
    expect(rows.get('cpm/core')).toEqual(['2', '1', '0', '66.67 %']);
  });

  it('leaves out files that are not incremental files and says n/a for a folder with no valid mutant', () => {
    dir = mkdtempSync(join(tmpdir(), 'mutation-score-'));
    incremental('trace', { 'src/trace/view.ts': ['Ignored'] });
    writeFileSync(join(dir, 'stryker-incremental.json'), '{}');
    writeFileSync(join(dir, 'notes.json'), '{}');
    expect([...score()]).toEqual([['src/trace', ['0', '0', '0', 'n/a']]]);
  });
});
