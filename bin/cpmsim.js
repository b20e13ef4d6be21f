#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

const color = Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env);
const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  color,
  columns: process.stdout.columns ?? 100,
  cwd: process.cwd(),
});
process.exitCode = code;
