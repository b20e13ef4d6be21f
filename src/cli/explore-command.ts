import { SingleBar } from 'cli-progress';
import { parseShard } from './shard.js';
import { campaignSeeds, runSeed, type RunOutcome, type Shard } from '../explore/campaign.js';
import { counterexampleLadder } from '../explore/counterexample-view.js';
import { exploreRun } from '../explore/explore-run.js';
import { NO_FAULTS, type FaultOptions, type Plan } from '../explore/faults.js';
import { formatPerturbations, parsePerturbations, PerturbationSyntaxError, type Perturbation } from '../explore/perturbation.js';
import { runInWorkers } from '../explore/pool.js';
import { shrink, withTimeline } from '../explore/shrink.js';
import { formatTime } from '../kernel/time.js';
import { DurationError, parseDuration } from '../scenario/duration.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { BUILTIN_MONITORS } from '../trace/monitors/builtin.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { loadAll } from './run-command.js';

export interface ExploreOptions {
  runs: number;
  seed?: number;
  loss?: string;
  jitter?: string;
  crash?: string;
  crashHost?: string[];
  ties: boolean;
  jobs: number;
  shard?: string;
  replay?: number;
  perturb?: string;
  timeline?: string;
  width?: number;
  shrink: boolean;
}

/** `cpmsim explore`: many perturbed runs of each scenario, every run checked by the monitors. */
export async function exploreCommand(paths: string[], options: ExploreOptions, io: CliIo): Promise<number> {
  const specs = loadAll(paths, io);
  const faults = faultOptions(options);
  const shard = parseShard(options.shard);
  if (options.jobs < 1) throw new UsageError('--jobs must be at least 1');
  if (options.runs < 1) throw new UsageError('--runs must be at least 1');
  if (options.replay !== undefined) return replay(specs, options, faults, io);
  if (options.perturb !== undefined || options.timeline !== undefined) throw new UsageError('--perturb and --timeline go with --replay <seed>');
  const started = Date.now();
  const bar = io.progress !== undefined ? new SingleBar({ format: 'explore {bar} {value}/{total} runs  {scenario}', stream: io.progress, hideCursor: true }) : undefined;
  const perScenario = specs.map((spec) => ({ spec, seeds: campaignSeeds(options.seed ?? spec.seed, options.runs, shard) }));
  bar?.start(perScenario.reduce((n, s) => n + s.seeds.length, 0), 0, { scenario: '' });
  const results: { spec: ScenarioSpec; outcomes: RunOutcome[] }[] = [];
  for (const { spec, seeds } of perScenario) {
    bar?.update({ scenario: spec.file });
    const tick = (): void => bar?.increment();
    const outcomes =
      options.jobs > 1 && seeds.length > 1
        ? await runInWorkers(absolute(spec, io), seeds, faults, options.jobs, tick)
        : seeds.map((seed) => {
            const o = runSeed(spec, seed, faults);
            tick();
            return o;
          });
    results.push({ spec, outcomes });
  }
  bar?.stop();
  io.stdout(summary(results, faults, shard, Date.now() - started));
  let violated = false;
  for (const { spec, outcomes } of results) {
    const firstByMonitor = new Map<string, RunOutcome>();
    for (const o of outcomes) for (const v of o.violations) if (!firstByMonitor.has(v.monitor)) firstByMonitor.set(v.monitor, o);
    for (const [monitor, outcome] of firstByMonitor) {
      violated = true;
      io.stdout(`\n${report(spec, outcome, monitor, faults, options, io)}\n`);
    }
  }
  return violated ? EXIT.failed : EXIT.ok;
}

function report(spec: ScenarioSpec, outcome: RunOutcome, monitor: string, faults: FaultOptions, options: ExploreOptions, io: CliIo): string {
  const v = outcome.violations.find((x) => x.monitor === monitor)!;
  const out = [
    `✗ ${monitor}: ${spec.file}, run seed ${outcome.seed}`,
    `    ${v.message} (at ${formatTime(v.at)}, event ${v.eventId})`,
    `    replay:  cpmsim explore ${spec.file} --replay ${outcome.seed}${faultFlags(faults)}`,
  ];
  if (!options.shrink) return out.join('\n');
  const failing = exploreRun(spec, outcome.seed, { kind: 'replay', perturbations: outcome.perturbations });
  const minimal = shrink(spec, failing, monitor);
  const shown = minimal.run.violations.find((x) => x.monitor === monitor) ?? v;
  out.push(
    `    minimal counterexample: ${minimal.perturbations.length} of ${outcome.perturbations.length} perturbation(s), ${minimal.timeline.length} of ${spec.timeline.length} timeline action(s) (${minimal.tries} shrinking runs)`,
    `             ${shown.message}`,
    `    replay:  ${replayCommand(spec, outcome.seed, minimal.perturbations, minimal.timeline)}`,
  );
  if (minimal.run.run !== undefined) {
    out.push('', counterexampleLadder(minimal.run.run, minimal.perturbations, { width: options.width ?? io.columns, color: io.color, title: `${monitor}: ${spec.title} (seed ${outcome.seed})` }));
  }
  return out.join('\n');
}

function replayCommand(spec: ScenarioSpec, seed: number, list: readonly Perturbation[], timeline: readonly number[]): string {
  const keep = timeline.length === spec.timeline.length ? '' : ` --timeline '${timeline.join(',')}'`;
  return `cpmsim explore ${spec.file} --replay ${seed} --perturb '${formatPerturbations(list)}'${keep}`;
}

/** One run again: the seed's own faults, or exactly the perturbations given. Prints its ladder and verdicts. */
function replay(specs: ScenarioSpec[], options: ExploreOptions, faults: FaultOptions, io: CliIo): number {
  if (specs.length !== 1) throw new UsageError(`--replay runs one scenario; ${specs.length} were given`);
  const spec = specs[0]!;
  const keep = parseTimeline(options.timeline, spec);
  let plan: Plan;
  try {
    plan = options.perturb === undefined ? { kind: 'generate', faults } : { kind: 'replay', perturbations: parsePerturbations(options.perturb) };
  } catch (e) {
    if (e instanceof PerturbationSyntaxError) throw new UsageError(`--perturb: ${e.message}`);
    throw e;
  }
  const seed = options.replay!;
  const result = exploreRun(withTimeline(spec, keep), seed, plan);
  if (result.run !== undefined) {
    io.stdout(`${counterexampleLadder(result.run, result.perturbations, { width: options.width ?? io.columns, color: io.color, title: `${spec.title} (${spec.file}, seed ${seed})` })}\n`);
  }
  io.stdout(`perturbations: ${formatPerturbations(result.perturbations) || 'none'}\n`);
  for (const v of result.violations) io.stdout(`✗ ${v.monitor}: ${v.message} (at ${formatTime(v.at)}, event ${v.eventId})\n`);
  if (result.violations.length === 0) io.stdout('✓ every invariant holds\n');
  return result.violations.length === 0 ? EXIT.ok : EXIT.failed;
}

function summary(results: { spec: ScenarioSpec; outcomes: RunOutcome[] }[], faults: FaultOptions, shard: Shard, ms: number): string {
  const names = [...BUILTIN_MONITORS.map((m) => m.name), 'run-settles', 'no-internal-error'];
  for (const { spec } of results) {
    if (spec.expect.underFaults && !names.includes('scenario-expectations')) names.push('scenario-expectations');
    for (const m of spec.monitors ?? []) if (!names.includes(m.name)) names.push(m.name);
  }
  const runs = results.reduce((n, r) => n + r.outcomes.length, 0);
  const violatedBy = (name: string): number => results.reduce((n, r) => n + r.outcomes.filter((o) => o.violations.some((v) => v.monitor === name)).length, 0);
  const failing = results.reduce((n, r) => n + r.outcomes.filter((o) => o.violations.length > 0).length, 0);
  const width = Math.max(...names.map((n) => n.length));
  const lines = [
    `explored ${results.length} scenario(s), ${runs} run(s)${shard.count > 1 ? ` (shard ${shard.index}/${shard.count})` : ''} in ${(ms / 1000).toFixed(1)}s; faults:${faultFlags(faults) || ' none'}`,
    `  ${'invariant'.padEnd(width)}  runs violating`,
    ...names.map((n) => `  ${n.padEnd(width)}  ${violatedBy(n)}`),
    `${failing} of ${runs} run(s) broke an invariant`,
  ];
  return `${lines.join('\n')}\n`;
}

function faultFlags(f: FaultOptions): string {
  return [
    f.loss > 0 ? ` --loss ${f.loss}` : '',
    f.jitterUs > 0 ? ` --jitter ${f.jitterUs}us` : '',
    f.crashUs > 0 ? ` --crash ${f.crashUs}us` : '',
    ...f.crashHosts.map((h) => ` --crash-host ${h}`),
    f.ties ? '' : ' --no-ties',
  ].join('');
}

function faultOptions(o: ExploreOptions): FaultOptions {
  const loss = o.loss === undefined ? 0 : Number(o.loss);
  if (!Number.isFinite(loss) || loss < 0 || loss >= 1) throw new UsageError(`--loss: expected a probability from 0 to below 1, got '${o.loss}'`);
  return { ...NO_FAULTS, loss, jitterUs: duration('--jitter', o.jitter), crashUs: duration('--crash', o.crash), crashHosts: o.crashHost ?? [], ties: o.ties };
}

function duration(flag: string, text: string | undefined): number {
  if (text === undefined) return 0;
  try {
    return parseDuration(text);
  } catch (e) {
    if (e instanceof DurationError) throw new UsageError(`${flag}: ${e.message}`);
    throw e;
  }
}

function parseTimeline(text: string | undefined, spec: ScenarioSpec): number[] {
  if (text === undefined) return spec.timeline.map((_, i) => i);
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return items.map((s) => {
    const i = Number(s);
    if (!Number.isSafeInteger(i) || i < 0 || i >= spec.timeline.length) throw new UsageError(`--timeline: '${s}' is not an index of ${spec.file}'s timeline (0 to ${spec.timeline.length - 1})`);
    return i;
  });
}

function absolute(spec: ScenarioSpec, io: CliIo): string {
  return spec.file.startsWith('/') ? spec.file : `${io.cwd}/${spec.file}`;
}
