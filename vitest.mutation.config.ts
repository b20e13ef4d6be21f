import { defineConfig } from 'vitest/config';

/**
 * The suite Stryker runs against each mutant (stryker.config.json): every test of vitest.config.ts
 * but those that drive an external program or run for long without testing a rule of src/ more
 * sharply than the rest. docs/testing.md ("Mutation testing") says why each is left out.
 */
/** scripts/mutate.js --tests: a narrower suite for a quick look (its score is a lower bound). */
const only = process.env.CPMSIM_MUTATE_TESTS;

export default defineConfig({
  test: {
    include: only === undefined ? ['test/**/*.test.ts'] : only.split(','),
    // Instrumented code runs several times slower, on a shared machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    exclude: [
      // Real programs on real sockets (sipsak, baresip, the live runner, the UDP gateway).
      'test/live/**',
      // npm pack and an install into a scratch folder.
      'test/package/**',
      // Wireshark, PlantUML and headless Chromium read the rendered output.
      'test/trace/pcap-tshark.test.ts',
      'test/trace/plantuml.test.ts',
      'test/trace/html.test.ts',
      'test/cli/diagram.test.ts',
      // Renders every bundled scenario in every format through the built CLI.
      'test/trace/bundled-renders.test.ts',
      // Property runs and sweeps of many seeded runs: minutes each, for rules the scenarios check.
      'test/fuzz/**',
      'test/faults/lossy-sweep.test.ts',
      'test/explore/**',
      'test/load/**',
      // Every bundled scenario again through the CLI, for the terminal width, the tutorial's
      // commands, a pcap per scenario and explore's shuffled reruns: per surviving mutant minutes,
      // for rules test/scenario/runner.test.ts and the golden files (test-command) already read.
      'test/cli/ladder-width.test.ts',
      'test/cli/tutorial.test.ts',
      'test/cli/pcap.test.ts',
      'test/cli/explore.test.ts',
    ],
  },
});
