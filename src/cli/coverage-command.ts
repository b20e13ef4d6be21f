/**
 * `cpmsim coverage`: which normative statements of section 5 (spec/normative.json, extracted by
 * scripts/normative.js) the scenarios and the tests declare they exercise, per section, and
 * which they do not. A statement the draft leaves FFS is listed apart, never as a gap.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScenarioSpec } from '../scenario/spec.js';
import { EXIT, UsageError, type CliIo } from './io.js';

const PACKAGE = fileURLToPath(new URL('../..', import.meta.url));

export interface Statement {
  id: string;
  section: string;
  title: string;
  keyword: string;
  ffs?: boolean;
  sentence: string;
}

export function loadStatements(file = join(PACKAGE, 'spec/normative.json')): Statement[] {
  return JSON.parse(readFileSync(file, 'utf8')) as Statement[];
}

/** `// covers: 5.2.2.1-1, 5.2.2.1-2` in a test file: the statements its tests check. */
const TAG = /\/\/\s*covers:\s*([\d.\-,\s]+)/g;

/** What each test file under `dir` declares, by the file's path. */
export function testDeclarations(dir: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        const ids = Array.from(readFileSync(path, 'utf8').matchAll(TAG)).flatMap((m) => (m[1] ?? '').split(/[,\s]+/).filter((id) => id !== ''));
        if (ids.length > 0) found.set(path, ids);
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return found;
}

export interface Coverage {
  sections: { section: string; title: string; covered: number; total: number; uncovered: Statement[]; ffs: Statement[] }[];
  covered: number;
  total: number;
  ffs: number;
}

/** Per section in document order; `total` leaves out the FFS statements. */
export function coverage(statements: Statement[], declared: Set<string>): Coverage {
  const sections: Coverage['sections'] = [];
  for (const s of statements) {
    let entry = sections[sections.length - 1];
    if (entry?.section !== s.section) {
      entry = { section: s.section, title: s.title, covered: 0, total: 0, uncovered: [], ffs: [] };
      sections.push(entry);
    }
    if (s.ffs === true) entry.ffs.push(s);
    else {
      entry.total++;
      if (declared.has(s.id)) entry.covered++;
      else entry.uncovered.push(s);
    }
  }
  const covered = sections.reduce((n, s) => n + s.covered, 0);
  const total = sections.reduce((n, s) => n + s.total, 0);
  return { sections, covered, total, ffs: statements.filter((s) => s.ffs === true).length };
}

function percent(n: number, of: number): string {
  return of === 0 ? '—' : `${Math.round((100 * n) / of)}%`;
}

export function coverageCommand(specs: ScenarioSpec[], options: { uncovered: boolean }, io: CliIo): number {
  const statements = loadStatements();
  const known = new Set(statements.map((s) => s.id));
  const declared = new Set<string>();
  const declare = (where: string, ids: string[]): void => {
    for (const id of ids) {
      if (!known.has(id)) throw new UsageError(`${where}: covers ${id}, which is not a statement of spec/normative.json`);
      declared.add(id);
    }
  };
  for (const spec of specs) declare(spec.file, spec.covers ?? []);
  // In a checkout the tests declare too; an installed package has none.
  for (const [file, ids] of testDeclarations(join(PACKAGE, 'test'))) declare(relative(io.cwd, file), ids);

  const report = coverage(statements, declared);
  const width = Math.max(...report.sections.map((s) => s.section.length));
  for (const s of report.sections) {
    const ffs = s.ffs.length > 0 ? `  (+${s.ffs.length} FFS)` : '';
    io.stdout(`${s.section.padEnd(width)}  ${String(s.covered).padStart(2)}/${String(s.total).padEnd(2)}  ${s.title}${ffs}\n`);
    if (options.uncovered) for (const u of s.uncovered) io.stdout(`${' '.repeat(width)}    ${u.id} ${u.keyword}: ${u.sentence}\n`);
  }
  io.stdout(`${report.covered} of ${report.total} normative statements covered (${percent(report.covered, report.total)}); ${report.ffs} left FFS by the draft, not counted\n`);
  return EXIT.ok;
}
