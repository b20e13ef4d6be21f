/**
 * Mutation testing (docs/testing.md, "Mutation testing"). `npm run mutate` (scripts/mutate.js)
 * runs it one folder at a time, each folder with its own incremental file under reports/ kept in
 * the repository, so a run after a small change tests only the mutants that change touches.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
/** The folder or part (cpm-core) scripts/mutate.js runs: its incremental file and reports; else all of them. */
const folder = process.env.CPMSIM_MUTATE_FOLDER ?? 'all';

export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // The suite without the tests of external programs and the long sweeps (see that file).
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  coverageAnalysis: 'perTest',
  mutate: ['src/cpm/**/*.ts', 'src/sip/**/*.ts', 'src/trace/**/*.ts', 'src/scenario/**/*.ts'],
  // A mutant of a module-level value runs every test once per mutant: hours on two cores. They
  // are left out (reported as ignored) and their rules are read by the tests of what uses them.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `reports/stryker-incremental-${folder}.json`,
  // Two cores, shared: one vitest worker per core.
  concurrency: 2,
  // A mutant that loops (an index that no longer moves) is cut off this long after the tests' own time.
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${folder}.html` },
  jsonReporter: { fileName: `reports/mutation/${folder}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
