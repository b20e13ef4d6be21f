import { getHeapStatistics } from 'node:v8';
import { performance } from 'node:perf_hooks';
import { SimulationLimitError } from '../kernel/simulator.js';
import { formatTime } from '../kernel/time.js';
import { alignSteps, capturedMismatches, checkActions, lateSteps, passed, stepMatches, type ActionCheck, type Alignment } from '../trace/expectations.js';
import { describeMessage } from '../trace/wire-format.js';
import { formatDuration } from './duration.js';
import { formatPath } from './yaml-reader.js';
import { project, type Lifeline, type Projection } from '../trace/projection.js';
import { TraceRecorder, type TraceEvent } from '../trace/recorder.js';
import type { FlowRun } from '../trace/view.js';
import { TIMER_F } from '../sip/transactions/timers.js';
import { buildScenario, type BuiltScenario } from './builder.js';
import type { ScenarioSpec } from './spec.js';

export interface ScenarioRun {
  spec: ScenarioSpec;
  seed: number;
  events: TraceEvent[];
  lifelines: Lifeline[];
  projection: Projection;
  alignment: Alignment[];
  /** The figure's action steps (inside one entity) and the notes that show them. */
  actions: ActionCheck[];
  passed: boolean;
  /** Set when a run guard tripped (too many events): the run is a failure whatever matched. */
  error?: string;
  /** Rules of `expect` the run broke beyond its steps: a `never` pattern that matched, a step later than its `within`. */
  broken: string[];
}

/** Events between two looks at the real clock and the heap: cheap next to the events, and fine enough. */
const GUARD_EVERY_EVENTS = 10_000;

/**
 * Runs to `until`, pausing every few thousand events (and once at the end) to check the real time
 * taken and the heap grown. Pausing changes nothing in the run: the simulator resumes where it
 * stopped. (Slices of events, not of virtual time: a run that settles for hours of virtual time
 * has few events.)
 */
function runGuarded(network: { sim: { now: number }; run(limits: { until: number; maxEvents: number; pauseAfter: number }): boolean }, until: number, limits: ScenarioSpec['limits']): void {
  const started = performance.now();
  const heapAtStart = getHeapStatistics().used_heap_size;
  for (;;) {
    const done = network.run({ until, maxEvents: limits.maxEvents, pauseAfter: GUARD_EVERY_EVENTS });
    const at = `${network.sim.now / 1_000_000} s of virtual time`;
    if (performance.now() - started > limits.wallClockMs) {
      throw new SimulationLimitError(`the run took more than ${limits.wallClockMs / 1000} s of real time by ${at} (limits.wall-clock)`);
    }
    if ((getHeapStatistics().used_heap_size - heapAtStart) / 1024 / 1024 > limits.memoryMiB) {
      throw new SimulationLimitError(`the run's heap grew by more than ${limits.memoryMiB} MiB by ${at} (limits.memory)`);
    }
    if (done) return;
  }
}

export interface RunOptions {
  seed?: number;
  /** Run events due at the same virtual time in a random order (cpmsim explore). */
  shuffleTies?: boolean;
  /** Called once the network is built, before it runs, with the virtual time the run will stop at (cpmsim explore adds its faults). */
  prepare?: (built: BuiltScenario, endUs: number) => void;
}

/**
 * Replays a scenario: builds the network, runs it for the scenario's duration (by default until
 * every transaction started by the last action has had time to end, Timer F after it), then
 * matches the figure's steps.
 */
export function runScenario(spec: ScenarioSpec, options: RunOptions = {}): ScenarioRun {
  const seed = options.seed ?? spec.seed;
  const built = buildScenario(spec, seed, options.shuffleTies === true ? { shuffleTies: true } : {});
  const recorder = new TraceRecorder();
  built.network.observe(recorder.observer);
  const end = spec.durationUs ?? built.lastActionAt + TIMER_F;
  options.prepare?.(built, Math.min(spec.limits.untilUs, end));
  let error: string | undefined;
  try {
    runGuarded(built.network, Math.min(spec.limits.untilUs, end), spec.limits);
  } catch (e) {
    if (!(e instanceof SimulationLimitError)) throw e;
    error = e.message;
  }
  return judgeRun(spec, seed, built, recorder.events, error);
}

/**
 * Matches a finished run's events with the scenario's figure (a replay's, or a live run's). With
 * `unexpectedAllowed` (a live run, where a real client sends what it sends) a message no step
 * names is shown as unexpected but does not fail the run; the steps must still all happen.
 */
export function judgeRun(spec: ScenarioSpec, seed: number, built: BuiltScenario, events: TraceEvent[], error: string | undefined, unexpectedAllowed = false): ScenarioRun {
  const projection = project(events, built.lifelines, spec.expect.fromUs);
  const alignment = alignSteps(built.steps, projection.messages, built.ignore);
  const actions = checkActions(built.actions, projection.notes, alignment);
  const names = built.lifelines.map((l) => l.name);
  const broken = [
    ...built.never.flatMap((rule, i) =>
      projection.messages.filter((m) => stepMatches(rule, m)).map((m) => `never rule ${i + 1} (${formatPath(spec.expect.never[i]!.path)}) matched ${names[m.from]} -> ${names[m.to]} ${describeMessage(m.message)} at ${formatTime(m.at)}`),
    ),
    ...capturedMismatches(alignment),
    ...lateSteps(alignment).map((late) => `step ${late.step.n} came ${formatDuration(late.tookUs)} after step ${late.afterStep}, later than within ${formatDuration(late.step.within!)}`),
  ];
  return {
    spec,
    seed,
    events,
    lifelines: built.lifelines,
    projection,
    alignment,
    actions,
    passed: error === undefined && passed(unexpectedAllowed ? alignment.filter((a) => a.kind !== 'unexpected') : alignment) && actions.every((a) => a.found !== undefined) && broken.length === 0,
    ...(error === undefined ? {} : { error }),
    broken,
  };
}

/** What the trace renderers (Mermaid, PlantUML, HTML, JSON lines) read of a scenario run. */
export function flowRunOf(run: ScenarioRun): FlowRun {
  return {
    title: run.spec.title,
    ...(run.spec.spec === undefined ? {} : { figure: run.spec.spec }),
    source: run.spec.file,
    seed: run.seed,
    domains: run.spec.network.domains.map((d) => d.name),
    events: run.events,
    lifelines: run.lifelines,
    projection: run.projection,
    alignment: run.alignment,
    actions: run.actions,
    steps: run.spec.expect.steps.length + run.spec.expect.actions.length,
    passed: run.passed,
    ...(run.error === undefined ? {} : { error: run.error }),
    ...(run.broken.length > 0 && { broken: run.broken }),
  };
}
