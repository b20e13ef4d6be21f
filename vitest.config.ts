import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A guard against a test that hangs, not a speed check (those live in `npm run bench`): on
    // the shared 2-core machine, with a mutation run beside it, the suite took 33 minutes and
    // a 7-second test timed out at the default 5 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
