#!/usr/bin/env node
// Runs Stryker (stryker.config.mjs) one folder at a time: src/trace, src/scenario, src/sip, src/cpm.
// Each folder keeps its own incremental file, reports/stryker-incremental-<folder>.json, because
// Stryker writes the file from the mutants of the run alone: a run of one folder into a shared
// file would drop the others' results.
//
// A folder too big for one sitting (src/cpm: about four hours on two cores) runs in parts: a part
// is a subfolder (`cpm/core` is src/cpm/core/**) or `top`, the files directly in the folder
// (`cpm/top` is src/cpm/*.ts). Each part has its own incremental file and reports,
// reports/stryker-incremental-cpm-core.json and reports/mutation/cpm-core.{html,json}, so the
// parts' results add up across sessions; `npm run mutate:score` (scripts/mutation-score.js) sums
// them per folder. Do not also run the whole folder: its file would test the same mutants again.
//
//   npm run mutate                                    all four folders in turn
//   npm run mutate -- trace scenario                  the folders named
//   npm run mutate -- cpm/xdms cpm/core cpm/top       parts of a folder, each into its own file
//   npm run mutate -- --mutate 'src/trace/**/*.ts'    Stryker's own glob (one folder's files); it
//                                                     writes that folder's file, which then holds
//                                                     the glob's files alone: prefer a part
//
//   npm run mutate -- trace --tests 'test/trace/**/*.test.ts,test/scenario/**/*.test.ts'
//                                                     against those test files only: quicker, and
//                                                     a lower bound of the folder's score
//
// Other arguments go to `stryker run` as they are (e.g. --force to retest every mutant).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const FOLDERS = ['trace', 'scenario', 'sip', 'cpm'];

/** `cpm/core` -> the glob and the name of its reports; undefined if the text names no part. */
function part(text) {
  const m = /^([a-z]+)\/([a-z0-9-]+)$/.exec(text);
  if (m === null || !FOLDERS.includes(m[1])) return undefined;
  const [, folder, sub] = m;
  if (sub === 'top') return { folder: `${folder}-top`, glob: `src/${folder}/*.ts` };
  const dir = `src/${folder}/${sub}`;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    console.error(`mutate: ${text} names no subfolder (${dir} does not exist); 'top' is the files directly in src/${folder}`);
    process.exit(2);
  }
  return { folder: `${folder}-${sub}`, glob: `${dir}/**/*.ts` };
}

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
  const targets = args.map((a) => (FOLDERS.includes(a) ? { folder: a, glob: `src/${a}/**/*.ts` } : part(a)));
  const rest = args.filter((_, i) => targets[i] === undefined);
  const named = targets.filter((t) => t !== undefined);
  for (const { folder, glob } of named.length > 0 ? named : FOLDERS.map((f) => ({ folder: f, glob: `src/${f}/**/*.ts` }))) {
    runs.push({ folder, glob, rest });
  }
}

for (const { folder, glob, rest } of runs) {
  console.log(`mutate: ${folder} (${glob})`);
  const result = spawnSync(
    'npx',
    ['stryker', 'run', '--mutate', glob, ...rest],
    // stryker.config.mjs names the incremental file and the reports after the folder or part.
    { stdio: 'inherit', env: { ...process.env, CPMSIM_MUTATE_FOLDER: folder, ...(tests === undefined ? {} : { CPMSIM_MUTATE_TESTS: tests }) } },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}
