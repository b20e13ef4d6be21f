// Fuzzes every codec with mutated wire messages (`npm run fuzz -- --count N --seed S [--target T]`):
// the messages of the bundled scenarios' traces and the RFC 4475/5118 torture vectors, mutated,
// fed to each parser. Reports any error that is not the codec's typed one, any input that takes
// over 50 ms, and any parsed value that does not survive a round trip; exit code 1 if there is one.
// `--index I` replays one input and prints it. Runs over dist/ (npm run build first).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { loadScenarioFile, runScenario } from '../dist/index.js';
import { findScenarioFiles } from '../dist/scenario/discover.js';
import { addVectors, corpusOfTraces } from '../dist/fuzz/corpus.js';
import { inputOf, runCampaign, SLOW_MS, targetOf, timedExercise } from '../dist/fuzz/campaign.js';
import { TARGETS, targetNamed } from '../dist/fuzz/targets.js';

const integer = (v) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
};

const program = new Command('fuzz')
  .option('--count <n>', 'inputs to generate', integer, 10_000)
  .option('--seed <n>', 'seed of the campaign', integer, 1)
  .option('--target <names>', `comma-separated codecs: ${TARGETS.map((t) => t.name).join(', ')}`)
  .option('--index <i>', 'replay input i of the campaign only and print it', integer)
  .option('--save <file>', 'with --index: write the input octets to this file')
  .option('--show <n>', 'findings to print', integer, 20)
  .parse();
const opts = program.opts();

const targets = opts.target === undefined ? TARGETS : opts.target.split(',').map((name) => targetNamed(name) ?? program.error(`unknown target ${name}`));
const scenarios = fileURLToPath(new URL('../scenarios', import.meta.url));
const traces = findScenarioFiles([scenarios]).map((f) => runScenario(loadScenarioFile(f)).events);
const corpus = corpusOfTraces(traces);
addVectors(corpus, fileURLToPath(new URL('../test/vectors', import.meta.url)));

const targetList = opts.target === undefined ? '' : ` --target ${opts.target}`;
const replayOf = (index) => `npm run fuzz -- --seed ${opts.seed}${targetList} --index ${index}`;

if (opts.index !== undefined) {
  const target = targetOf(targets, opts.index);
  const octets = inputOf(corpus, target, opts.seed, opts.index);
  const { outcome, ms } = timedExercise(target, octets);
  const shown = octets.toString('latin1');
  console.log(`input ${opts.index} of seed ${opts.seed} for ${target.name}: ${octets.length} octets, ${ms.toFixed(1)} ms`);
  console.log(JSON.stringify(shown.length > 2000 ? `${shown.slice(0, 2000)}…` : shown));
  if (opts.save !== undefined) writeFileSync(opts.save, octets);
  console.log(outcome.kind === 'crashed' ? outcome.error : outcome);
  process.exitCode = outcome.kind === 'crashed' || outcome.kind === 'lossy' || ms > SLOW_MS ? 1 : 0;
} else {
  const entries = [...corpus.values()].reduce((n, list) => n + list.length, 0);
  console.error(`fuzz: seed ${opts.seed}, ${opts.count} inputs over ${targets.length} codec(s), from ${entries} wire messages of ${traces.length} scenario traces and the RFC 4475/5118 vectors`);
  const started = Date.now();
  const report = runCampaign({ corpus, targets, seed: opts.seed, count: opts.count, onProgress: (done) => done % 10_000 === 0 && console.error(`  ${done} inputs`) });
  console.log('target            inputs   parsed  refused    lossy  crashed     slow   max ms');
  const total = { inputs: 0, parsed: 0, refused: 0, lossy: 0, crashed: 0, slow: 0, maxMs: 0 };
  for (const [name, t] of report.tallies) {
    console.log(`${name.padEnd(16)} ${[t.inputs, t.parsed, t.refused, t.lossy, t.crashed, t.slow].map((n) => String(n).padStart(8)).join(' ')} ${t.maxMs.toFixed(1).padStart(8)}`);
    for (const k of Object.keys(total)) total[k] = k === 'maxMs' ? Math.max(total.maxMs, t.maxMs) : total[k] + t[k];
  }
  console.log(`${'all'.padEnd(16)} ${[total.inputs, total.parsed, total.refused, total.lossy, total.crashed, total.slow].map((n) => String(n).padStart(8)).join(' ')} ${total.maxMs.toFixed(1).padStart(8)}`);
  console.log(`${((Date.now() - started) / 1000).toFixed(1)} s; the slowest input of each codec: --index ${[...report.tallies.values()].map((t) => t.slowestIndex).join(', ')}`);
  for (const f of report.findings.slice(0, opts.show)) console.log(`${f.problem} in ${f.target}: ${f.detail}\n    replay: ${replayOf(f.index)}`);
  if (report.findings.length > opts.show) console.log(`… and ${report.findings.length - opts.show} more`);
  process.exitCode = total.crashed + total.slow + total.lossy > 0 ? 1 : 0;
}
