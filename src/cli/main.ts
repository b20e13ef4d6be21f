import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ScenarioError } from '../scenario/errors.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { loadAll, runCommand } from './run-command.js';

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

/**
 * The whole CLI as a function of its arguments and I/O, returning the exit code, so tests run it
 * in-process. User errors become a one-line message and exit code 2, never a stack trace.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('cpmsim')
    .description('Discrete-event simulator of the OMA CPM architecture: replays Appendix C flows as real SIP')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command('run')
    .description('run scenarios (files or folders; default: ./scenarios) and check them against their figures')
    .argument('[paths...]', 'scenario files or folders')
    .option('--seed <n>', 'override every scenario seed', integer)
    .option('--wire', 'print the full SIP text of each message under its arrow', false)
    .option('--no-ladder', 'print only the verdicts')
    .option('--width <columns>', 'ladder width (default: the terminal width)', integer)
    .action((paths: string[], opts: { seed?: number; wire: boolean; ladder: boolean; width?: number }) => {
      code = runCommand(paths, opts, io);
    });

  program
    .command('validate')
    .description('check scenario files without running them')
    .argument('[paths...]', 'scenario files or folders')
    .action((paths: string[]) => {
      const specs = loadAll(paths, io);
      io.stdout(`${specs.length} scenario file(s) valid\n`);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    if (e instanceof ScenarioError || e instanceof UsageError) {
      io.stderr(`cpmsim: ${e.message}\n`);
      return EXIT.badInput;
    }
    throw e;
  }
}
