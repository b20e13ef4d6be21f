import { resolve } from 'node:path';
import { runScenario } from '../scenario/runner.js';
import { tracePcap } from '../trace/pcap.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { isFolder, outputTargets, shownPath, writeOutput } from './output-files.js';
import { loadAll } from './run-command.js';

export interface PcapOptions {
  /** A file for one scenario; a folder (existing, or written with a trailing `/`) for any number, which several need. */
  output: string;
  seed?: number;
}

/**
 * Writes the messages of each scenario's run as a pcap file for Wireshark, and prints the
 * address of each host (the capture only has IP addresses). The capture is written even when the
 * run does not match its figure, which is then reported as by `run`, with exit code 1.
 */
export function pcapCommand(paths: string[], options: PcapOptions, io: CliIo): number {
  const specs = loadAll(paths, io);
  // One capture per scenario: several cannot share a file, and a folder named like a file would surprise.
  if (specs.length > 1 && !/[/\\]$/.test(options.output) && !isFolder(resolve(io.cwd, options.output))) {
    throw new UsageError(`${specs.length} scenarios write one capture each, so -o needs a folder: end it with / (e.g. -o ${options.output.replace(/\.pcap$/, '')}/), or name one scenario`);
  }
  const targets = outputTargets(specs, '.pcap', options.output, io.cwd);
  const jobs = specs.map((spec, i) => ({ spec, out: targets[i]! }));
  let failed = 0;
  for (const { spec, out } of jobs) {
    const run = runScenario(spec, options.seed === undefined ? {} : { seed: options.seed });
    const capture = tracePcap(run.events, spec.network.domains.map((d) => d.name));
    writeOutput(out, capture.pcap);
    const shown = shownPath(io.cwd, out);
    io.stdout(`${shown}: ${spec.title} (seed ${run.seed}): ${capture.packets} packets, ${capture.udp + capture.tcp} messages (${capture.udp} over UDP, ${capture.tcp} over TCP)\n`);
    for (const { address, host } of capture.plan.entries()) io.stdout(`  ${address.padEnd(15)} ${host}\n`);
    if (!run.passed) {
      failed++;
      io.stdout(`  the run does not match its figure${run.error === undefined ? '' : ` (${run.error})`}: \`cpmsim run ${spec.file}\` shows where\n`);
    }
  }
  return failed === 0 ? EXIT.ok : EXIT.failed;
}
