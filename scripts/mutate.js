#!/usr/bin/env node
// Runs Stryker (stryker.config.mjs) one folder at a time: src/trace, src/scenario, src/sip, src/cpm.
// Each folder keeps its own incremental file, reports/stryker-incremental-<folder>.json, because
// Stryker writes the file from the mutants of the run alone: a run of one folder into a shared
// file would drop the others' results.
//
//   npm run mutate                                    all four folders in turn
//   npm run mutate -- trace scenario                  the folders named
//   npm run mutate -- --mutate 'src/trace/**/*.ts'    Stryker's own glob (one folder's files)
//
//   npm run mutate -- trace --tests 'test/trace/**/*.test.ts,test/scenario/**/*.test.ts'
//                                                     against those test files only: quicker, and
//                                                     a lower bound of the folder's score
//
// Other arguments go to `stryker run` as they are (e.g. --force to retest every mutant).
import { spawnSync } from 'node:child_process';

const FOLDERS = ['trace', 'scenario', 'sip', 'cpm'];
const args = process.argv.slice(2);
const testsAt = args.indexOf('--tests');
const tests = testsAt < 0 ? undefined : args.splice(testsAt, 2)[1];
const at = args.indexOf('--mutate');
const runs = [];
if (at >= 0) {
  const glob = args[at + 1] ?? '';
  const folder = /^src\/([a-z]+)\//.exec(glob)?.[1];
  if (folder === undefined || !FOLDERS.includes(folder)) {
    console.error(`mutate: --mutate takes a glob inside one of ${FOLDERS.map((f) => `src/${f}/`).join(', ')}, got '${glob}'`);
    process.exit(2);
  }
  runs.push({ folder, glob, rest: [...args.slice(0, at), ...args.slice(at + 2)] });
} else {
  const named = args.filter((a) => FOLDERS.includes(a));
  const rest = args.filter((a) => !FOLDERS.includes(a));
  for (const folder of named.length > 0 ? named : FOLDERS) runs.push({ folder, glob: `src/${folder}/**/*.ts`, rest });
}

for (const { folder, glob, rest } of runs) {
  console.log(`mutate: src/${folder} (${glob})`);
  const result = spawnSync(
    'npx',
    ['stryker', 'run', '--mutate', glob, ...rest],
    // stryker.config.mjs names the incremental file and the reports after the folder.
    { stdio: 'inherit', env: { ...process.env, CPMSIM_MUTATE_FOLDER: folder, ...(tests === undefined ? {} : { CPMSIM_MUTATE_TESTS: tests }) } },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}
