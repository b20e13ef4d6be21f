#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// A reader that stops early (`| head`) is not an error: stop writing, exit quietly.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const color = Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env);
const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  color,
  columns: process.stdout.columns ?? 100,
  cwd: process.cwd(),
  debug: process.env.CPMSIM_DEBUG === '1',
  ...(process.stderr.isTTY ? { progress: process.stderr } : {}),
});
process.exitCode = code;
