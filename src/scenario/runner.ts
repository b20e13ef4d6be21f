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
    built.network.run({ until: Math.min(spec.limits.untilUs, end), maxEvents: spec.limits.maxEvents });
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
