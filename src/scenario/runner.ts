import { performance } from 'node:perf_hooks';
import { SimulationLimitError } from '../kernel/simulator.js';
import { alignSteps, checkActions, passed, type ActionCheck, type Alignment } from '../trace/expectations.js';
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
}

/** Virtual time between two looks at the real clock and the heap: cheap, and fine enough. */
const GUARD_SLICE_US = 100_000;

/**
 * Runs to `until` in slices of virtual time, checking the real time taken and the heap grown after
 * each. Slicing changes nothing in the run: the simulator resumes where it stopped, and an event
 * burst inside one slice is bounded by max-events.
 */
function runGuarded(network: { run(limits: { until: number; maxEvents: number }): void }, until: number, limits: ScenarioSpec['limits']): void {
  const started = performance.now();
  const heapAtStart = process.memoryUsage().heapUsed;
  for (let t = 0; ; t = Math.min(until, t + GUARD_SLICE_US)) {
    network.run({ until: t, maxEvents: limits.maxEvents });
    if (t >= until) return;
    const ms = performance.now() - started;
    if (ms > limits.wallClockMs) {
      throw new SimulationLimitError(`the run took more than ${limits.wallClockMs / 1000} s of real time by ${t / 1_000_000} s of virtual time (limits.wall-clock)`);
    }
    const grownMiB = (process.memoryUsage().heapUsed - heapAtStart) / 1024 / 1024;
    if (grownMiB > limits.memoryMiB) {
      throw new SimulationLimitError(`the run's heap grew by more than ${limits.memoryMiB} MiB by ${t / 1_000_000} s of virtual time (limits.memory)`);
    }
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
  const projection = project(recorder.events, built.lifelines, spec.expect.fromUs);
  const alignment = alignSteps(built.steps, projection.messages, built.ignore);
  const actions = checkActions(built.actions, projection.notes, alignment);
  return {
    spec,
    seed,
    events: recorder.events,
    lifelines: built.lifelines,
    projection,
    alignment,
    actions,
    passed: error === undefined && passed(alignment) && actions.every((a) => a.found !== undefined),
    ...(error === undefined ? {} : { error }),
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
    steps: run.spec.expect.steps.length,
    passed: run.passed,
    ...(run.error === undefined ? {} : { error: run.error }),
  };
}
