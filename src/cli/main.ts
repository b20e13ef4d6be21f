import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ScenarioError } from '../scenario/errors.js';
import { diagramCommand, FORMATS, type DiagramOptions } from './diagram-command.js';
import { coverageCommand } from './coverage-command.js';
import { docsCommand, type DocsOptions } from './docs-command.js';
import { exploreCommand, type ExploreOptions } from './explore-command.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { listCommand } from './list-command.js';
import { liveCommand, type LiveCommandOptions } from './live-command.js';
import { PARSE_AS, parseCommand, type ParseOptions } from './parse-command.js';
import { loadCommand, type LoadOptions } from './load-command.js';
import { pcapCommand, type PcapOptions } from './pcap-command.js';
import { loadAll, runCommand, type RunOptions } from './run-command.js';
import { scenarioSchemaText } from '../scenario/json-schema.js';
import { newCommand } from './new-command.js';
import { REPORTERS } from './test-reporters.js';
import { testCommand, type TestCommandOptions } from './test-command.js';

/** The package's version, from the package.json beside src/ and dist/. */
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const EXIT_CODES = `
Exit codes:
  0  everything passed
  1  an expectation failed, a trace differs from its golden file, or a run guard tripped
  2  bad input: a scenario file, flag or path to fix (the message names file:line:col)
  3  internal error: a bug in cpmsim (CPMSIM_DEBUG=1 prints the stack)
`;

function formatOption(): Option {
  return new Option('--format <format>', 'output format').choices(FORMATS).default('ladder');
}

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
    .version(VERSION, '-V, --version', 'print the version')
    .addHelpText('after', EXIT_CODES)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command('run')
    .description('run scenarios (files or folders; default: ./scenarios) and check them against their figures')
    .argument('[paths...]', 'scenario files or folders')
    .option('--seed <n>', 'override every scenario seed', integer)
    .option('--wire', 'print the full SIP text of each message under its arrow', false)
    .option('--no-ladder', 'print only the verdicts')
    .option('--width <columns>', 'ladder width in terminal cells (default: the terminal width)', integer)
    .addOption(formatOption())
    .option('-o, --output <path>', 'write each diagram to a file: the file for one scenario, else a folder (one <scenario>.<ext> each)')
    .action((paths: string[], opts: RunOptions) => {
      code = runCommand(paths, opts, io);
    });

  program
    .command('test')
    .description('run scenarios, check their expectations and compare each trace with the golden file beside it (<scenario>.golden)')
    .argument('[paths...]', 'scenario files or folders (default: ./scenarios)')
    .option('--update', 'write each golden file from this run instead of comparing', false)
    .addOption(new Option('--reporter <name>', 'report format').choices(REPORTERS).default('terminal'))
    .option('-o, --output <file>', 'write the report to this file (the terminal report still goes to stdout)')
    .option('--shard <i/n>', 'test only scenarios k with k mod n = i - 1, in file order (CI jobs)')
    .option('--jobs <n>', 'worker threads', integer, 1)
    .addHelpText('after', EXIT_CODES)
    .action(async (paths: string[], opts: TestCommandOptions) => {
      code = await testCommand(paths, opts, io);
    });

  program
    .command('new')
    .description('write a commented scenario to start from: <name>.yaml')
    .argument('<name>', 'the scenario file to write (.yaml is added)')
    .action((name: string) => {
      code = newCommand(name, io);
    });

  program
    .command('schema')
    .description('print the JSON Schema of scenario files (shipped as schema/scenario.schema.json, for editors)')
    .action(() => {
      io.stdout(scenarioSchemaText());
    });

  program
    .command('diagram')
    .description('draw one scenario run as a ladder, Mermaid, PlantUML, HTML or JSON lines')
    .argument('<scenario>', 'the scenario file')
    .addOption(formatOption())
    .option('-o, --output <path>', 'the file to write (a folder: <scenario>.<ext> in it); default: stdout')
    .option('--seed <n>', 'override the scenario seed', integer)
    .option('--wire', 'ladder: print the full SIP text of each message under its arrow', false)
    .option('--width <columns>', 'ladder width in terminal cells (default: the terminal width, or 100 in a file)', integer)
    .action((scenario: string, opts: DiagramOptions) => {
      code = diagramCommand(loadAll([scenario], io), opts, io);
    });

  program
    .command('validate')
    .description('check scenario files without running them')
    .argument('[paths...]', 'scenario files or folders')
    .action((paths: string[]) => {
      const specs = loadAll(paths, io);
      io.stdout(`${specs.length} scenario file(s) valid\n`);
    });

  program
    .command('list')
    .description('list scenarios (default: ./scenarios) with the figure and section each reproduces')
    .argument('[paths...]', 'scenario files or folders')
    .action((paths: string[]) => {
      listCommand(loadAll(paths, io), io);
    });

  program
    .command('coverage')
    .description('how many normative statements of section 5 each section has, and how many the scenarios and tests cover')
    .argument('[paths...]', 'scenario files or folders')
    .option('--no-uncovered', 'print the counts only, not the uncovered statements')
    .action((paths: string[], opts: { uncovered: boolean }) => {
      code = coverageCommand(loadAll(paths, io), opts, io);
    });

  program
    .command('docs')
    .description('write one page per Appendix C figure (docs/figures): the draft\'s text of each step beside the simulated ladder and wire messages')
    .argument('[paths...]', 'scenario files or folders (default: the bundled scenarios)')
    .option('-o, --output <folder>', 'where the pages go (default: docs/figures of the package)')
    .option('--spec <file>', 'the text of the draft (default: found in ../shared/seed/)')
    .option('--check', 'write nothing; exit 1 if a page is missing or stale', false)
    .action((paths: string[], opts: DocsOptions) => {
      code = docsCommand(loadAll(paths, io), opts, io);
    });

  program
    .command('pcap')
    .description('write the messages of scenarios (SIP, MSRP, XCAP, SMPP, SMTP, RTP) as pcap captures for Wireshark, one per scenario')
    .argument('[paths...]', 'scenario files or folders')
    .requiredOption('-o, --output <path>', 'the pcap file, or a folder (existing or ending in /) for one <scenario>.pcap each')
    .option('--seed <n>', 'override every scenario seed', integer)
    .action((paths: string[], opts: PcapOptions) => {
      code = pcapCommand(paths, opts, io);
    });

  program
    .command('parse')
    .description('parse one message file (SIP by default) as the simulated elements do: print it, or where it is malformed')
    .argument('<file>', 'the message: wire octets, as in the RFC 4475 torture tests')
    .addOption(new Option('--as <protocol>', 'the protocol (default: MSRP or HTTP when the first line says so, else SIP)').choices(PARSE_AS))
    .option('--content-type <type>', 'read the file as a body of this media type (e.g. message/cpim)')
    .option('--crlf', 'turn bare LF line ends into CRLF first (a file saved by a text editor)', false)
    .action((file: string, opts: ParseOptions) => {
      code = parseCommand(file, opts, io);
    });

  program
    .command('explore')
    .description('run scenarios under many seeds with lost, delayed and reordered packets and crashes, and check invariants on every run')
    .argument('[paths...]', 'scenario files or folders')
    .option('--runs <n>', 'runs per scenario', integer, 100)
    .option('--seed <n>', 'seed of the first run (default: the scenario seed); run k uses seed + k', integer)
    .option('--loss <p>', 'probability that each packet is lost')
    .option('--jitter <duration>', 'up to this much extra delay per packet (e.g. 5ms)')
    .option('--crash <duration>', 'one node per run goes down for this long at a random time')
    .option('--crash-host <host...>', 'the nodes a crash may pick (default: any)')
    .option('--no-ties', 'keep events of the same virtual time in scheduling order')
    .option('--jobs <n>', 'worker threads', integer, 1)
    .option('--shard <i/n>', 'run only the runs k with k mod n = i - 1 (CI jobs)')
    .option('--no-shrink', 'report violations without shrinking them')
    .option('--replay <seed>', 'run one seed again and draw it', integer)
    .option('--perturb <list>', 'with --replay: exactly these perturbations (as a counterexample prints them)')
    .option('--timeline <indexes>', 'with --replay: keep only these timeline entries (0-based, comma-separated)')
    .option('--width <columns>', 'ladder width in terminal cells (default: the terminal width)', integer)
    .action(async (paths: string[], opts: ExploreOptions) => {
      code = await exploreCommand(paths, opts, io);
    });

  program
    .command('live')
    .description('run a scenario in real time with a gateway where real SIP clients (sipsak, baresip, ...) play its external devices (docs/live.md)')
    .argument('<scenario>', 'the scenario file; its devices marked external: true or external: plain-sip are the real clients')
    .option('--listen <address:port>', 'where the gateway binds UDP and TCP: loopback, or an address you name (port 0: any free one)', '127.0.0.1:5060')
    .option('--duration <duration>', 'how long to run (default: the scenario duration), e.g. 60s')
    .option('--seed <n>', 'override the scenario seed', integer)
    .option('--rate <n>', 'packets one address and port may send per second; past it one 503 a second, the rest dropped', integer, 100)
    .option('--max-message <octets>', 'the largest message accepted; a longer one is answered 513', integer, 16 * 1024)
    .addOption(formatOption())
    .option('-o, --output <file>', 'write the trace there (in --format) instead of printing it')
    .option('--pcap <file>', 'also write the run as a pcap capture, stamped with real time')
    .option('--wire', 'print the full SIP text of each message under its arrow', false)
    .option('--no-log', 'do not print the real clients\' messages as they go')
    .action(async (scenario: string, opts: LiveCommandOptions) => {
      code = await liveCommand([scenario], opts, io);
    });

  program
    .command('load')
    .description('run a load file (docs/load.md): a generated population and its traffic for a virtual duration, and print its metrics')
    .argument('<file>', 'the load file')
    .option('--seed <n>', 'override the load file seed', integer)
    .option('--trace <mode>', 'off, count, jsonl=FILE or pcap=FILE (streamed as the run goes)', 'off')
    .option('--csv <file>', 'write the metrics as CSV')
    .option('--json <file>', 'write the metrics as JSON')
    .action((file: string, opts: LoadOptions) => {
      code = loadCommand(file, opts, io);
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
    return internalError(e, io);
  }
}

/**
 * Anything else is a bug in cpmsim, not in what the user gave: one line that says so (exit 3, apart
 * from a failed expectation's 1), the stack only on request.
 */
function internalError(e: unknown, io: CliIo): number {
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  io.stderr(`cpmsim: internal error (a bug in cpmsim; please report it with the command that caused it): ${what.split('\n')[0]}\n`);
  if (io.debug === true && e instanceof Error && e.stack !== undefined) io.stderr(`${e.stack}\n`);
  else io.stderr('cpmsim: set CPMSIM_DEBUG=1 to print the stack\n');
  return EXIT.internal;
}
