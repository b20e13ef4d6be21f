#!/usr/bin/env node
// Prints the mutation score of each folder from the incremental files Stryker keeps
// (reports/stryker-incremental-<folder>.json and the parts' <folder>-<part>.json, scripts/mutate.js),
// the parts of one folder summed, without rerunning anything:
//
//   npm run mutate:score                  reports/
//   node scripts/mutation-score.js DIR    the incremental files in DIR
//
// The score is Stryker's (mutation-testing-metrics, countFileMetrics): detected (killed + timeout)
// over valid (detected + survived + no coverage); ignored mutants and runtime or compile errors are
// not valid mutants and count nowhere. A source file found in both a whole-folder file and a
// part's file is counted once, from the part (the part's run is the one kept up to date).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'reports';
const names = readdirSync(dir)
  .map((f) => /^stryker-incremental-([a-z0-9]+)(?:-([a-z0-9-]+))?\.json$/.exec(f))
  .filter((m) => m !== null)
  // Whole-folder files first, so a part's entry for the same source file replaces theirs.
  .sort((a, b) => Number(a[2] !== undefined) - Number(b[2] !== undefined) || a[0].localeCompare(b[0]));

/** folder -> source file -> its mutants' statuses and the part whose file they came from. */
const folders = new Map();
for (const [file, folder, part] of names) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const files = folders.get(folder) ?? new Map();
  for (const [path, result] of Object.entries(report.files ?? {})) {
    files.set(path, { part, statuses: result.mutants.map((m) => m.status) });
  }
  folders.set(folder, files);
}

function row(name, statuses) {
  const count = (...wanted) => statuses.filter((s) => wanted.includes(s)).length;
  const detected = count('Killed', 'Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const valid = detected + survived + noCoverage;
  const score = valid === 0 ? 'n/a' : `${((detected / valid) * 100).toFixed(2)} %`;
  return [name, String(detected), String(survived), String(noCoverage), score];
}

// Each folder's row, then, if it was run in parts, one indented row per part.
const rows = [];
for (const folder of [...folders.keys()].sort()) {
  const entries = [...folders.get(folder).values()];
  rows.push(row(`src/${folder}`, entries.flatMap((e) => e.statuses)));
  const parts = [...new Set(entries.map((e) => e.part))].filter((p) => p !== undefined).sort();
  for (const p of parts) rows.push(row(`  ${folder}/${p}`, entries.filter((e) => e.part === p).flatMap((e) => e.statuses)));
}

const table = [['folder', 'killed+timeout', 'survived', 'no coverage', 'score'], ...rows];
const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
for (const r of table) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
