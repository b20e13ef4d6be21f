import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import { runScenario } from '../scenario/runner.js';
import { tracePcap } from '../trace/pcap.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { loadAll } from './run-command.js';

export interface PcapOptions {
  /** A file for one scenario; a folder (existing, or written with a trailing `/`) for any number. */
  output: string;
  seed?: number;
}

/**
 * Writes the SIP messages of each scenario's run as a pcap file for Wireshark, and prints the
 * address of each host (the capture only has IP addresses). The capture is written even when the
 * run does not match its figure, which is then reported as by `run`, with exit code 1.
 */
export function pcapCommand(paths: string[], options: PcapOptions, io: CliIo): number {
  const specs = loadAll(paths, io);
  const target = resolve(io.cwd, options.output);
  const toFolder = specs.length > 1 || /[/\\]$/.test(options.output) || statSync(target, { throwIfNoEntry: false })?.isDirectory() === true;
  const jobs = specs.map((spec) => ({ spec, out: toFolder ? join(target, `${basename(spec.file, extname(spec.file))}.pcap`) : target }));
  const writers = new Map<string, string>();
  for (const { spec, out } of jobs) {
    const other = writers.get(out);
    if (other !== undefined) throw new UsageError(`${other} and ${spec.file} would both be written to ${out}; rename one`);
    writers.set(out, spec.file);
  }
  if (toFolder) writing(target, () => mkdirSync(target, { recursive: true }));
  let failed = 0;
  for (const { spec, out } of jobs) {
    const run = runScenario(spec, options.seed === undefined ? {} : { seed: options.seed });
    const capture = tracePcap(run.events, spec.network.domains.map((d) => d.name));
    writing(out, () => writeFileSync(out, capture.pcap));
    const shown = relative(io.cwd, out).startsWith('..') ? out : relative(io.cwd, out);
    io.stdout(`${shown}: ${spec.title} (seed ${run.seed}): ${capture.packets} packets, ${capture.udp + capture.tcp} SIP messages (${capture.udp} over UDP, ${capture.tcp} over TCP)\n`);
    for (const { address, host } of capture.plan.entries()) io.stdout(`  ${address.padEnd(15)} ${host}\n`);
    if (!run.passed) {
      failed++;
      io.stdout(`  the run does not match its figure${run.error === undefined ? '' : ` (${run.error})`}: \`cpmsim run ${spec.file}\` shows where\n`);
    }
  }
  return failed === 0 ? EXIT.ok : EXIT.failed;
}

/** A file system refusal is the user's to fix (a missing folder, a file where a folder should be). */
function writing(path: string, write: () => void): void {
  try {
    write();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) throw e;
    const reason = code === 'ENOENT' ? 'no such folder' : code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way of a folder' : code === 'EISDIR' ? 'it is a folder' : code;
    throw new UsageError(`cannot write ${path}: ${reason}`);
  }
}
