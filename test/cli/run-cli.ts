import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';

/** The repository root, the working directory the CLI tests run in. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the CLI in-process at 120 columns without colour; what it printed and its exit code. */
export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), color: false, columns: 120, cwd: root });
  return { code, out, err };
}
