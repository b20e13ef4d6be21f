/** Reads a scenario YAML file into a validated ScenarioSpec; every problem is a located ScenarioError. */
import { LIMITS, ROOT, SPEC_REF, fieldNames } from './shape.js';
import { readFileSync, statSync } from 'node:fs';
import { TIMER_F } from '../sip/transactions/timers.js';
import { formatDuration } from './duration.js';
import { ScenarioError } from './errors.js';
import { readLifelines } from './lifelines.js';
import { readFaults } from './faults.js';
import { readMonitors } from './monitors.js';
import { readNetwork } from './network.js';
import { Directory } from './refs.js';
import type { ScenarioSpec } from './spec.js';
import { readExpect } from './steps.js';
import { readTimeline } from './timeline.js';
import { Source, type Value } from './yaml-reader.js';

const FIELDS = fieldNames(ROOT);
const DEFAULT_SEED = 1;
const DEFAULT_MAX_EVENTS = 1_000_000;
const DEFAULT_UNTIL_US = 3_600_000_000;
/** Real time a run may take: the bundled scenarios take milliseconds; a run past this does not settle. */
const DEFAULT_WALL_CLOCK_MS = 10 * 60 * 1000;
/** Heap a run may grow by: the synthetic benchmark of 50,000 messages stays under 1 GiB. */
const DEFAULT_MEMORY_MIB = 2048;
/**
 * Size of a scenario file. The largest bundled one is 6 KB; a file of tens of megabytes is not a
 * flow drawn by hand, and reading it would exhaust memory long before it ran.
 */
export const MAX_SCENARIO_OCTETS = 1024 * 1024;

function tooLarge(path: string, size: number): ScenarioError {
  return new ScenarioError(path, 1, 1, `the file is ${size} bytes, more than the ${MAX_SCENARIO_OCTETS} bytes a scenario file may have`);
}

/** `shown`: the file as errors and the spec name it (the path as the user wrote it). */
export function loadScenarioFile(path: string, shown = path): ScenarioSpec {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_SCENARIO_OCTETS) throw tooLarge(shown, size);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof ScenarioError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ScenarioError(shown, 1, 1, 'no such file');
    if (code === 'EISDIR') throw new ScenarioError(shown, 1, 1, 'is a folder, not a scenario file');
    throw new ScenarioError(shown, 1, 1, `cannot read the file (${code ?? String(err)})`);
  }
  return loadScenarioText(text, shown);
}

export function loadScenarioText(text: string, file: string): ScenarioSpec {
  if (text.length > MAX_SCENARIO_OCTETS) throw tooLarge(file, Buffer.byteLength(text, 'utf8'));
  const source = Source.parse(text, file);
  const root = source.root().map(FIELDS);
  const titleValue = root.require('title');
  const title = titleValue.text();
  if (title.trim() === '') titleValue.fail('the title is empty');
  const description = root.get('description')?.text();
  const spec = readSpecRef(root.get('spec'));
  const covers = readCovers(root.get('covers'));
  const seed = readSeed(root.get('seed'));
  const limits = readLimits(root.get('limits'));
  const durationValue = root.get('duration');
  const durationUs = durationValue?.duration();
  if (durationValue && durationUs !== undefined && durationUs > limits.untilUs) durationValue.fail('duration is longer than limits.until');
  const networkValue = root.require('network');
  const declared = readNetwork(networkValue);
  const directory = new Directory(declared);
  const faults = readFaults(networkValue.map(), declared, directory);
  const network = faults === undefined ? declared : { ...declared, faults };
  const warnings: ScenarioError[] = [];
  const lifelines = readLifelines(root.require('lifelines'), directory, warnings);
  const timeline = readTimeline(root.require('timeline'), directory, limits.untilUs, declared.rtp === true);
  const expectValue = root.require('expect');
  const expect = readExpect(
    expectValue,
    lifelines.map((lifeline) => lifeline.name),
    directory,
  );
  const monitorsValue = root.get('monitors');
  const monitors = monitorsValue === undefined ? undefined : readMonitors(monitorsValue, lifelines.map((l) => l.name), directory);
  if (expect.steps.length + expect.actions.length === 0 && monitors === undefined) {
    expectValue.map().require('steps').fail('no steps: a scenario must expect at least one step (or have monitors:), or it passes whatever happens');
  }
  checkFrom(expectValue, expect.fromUs, durationUs ?? timeline.reduce((end, entry) => Math.max(end, entry.atUs), 0) + TIMER_F, durationUs !== undefined);
  return {
    file,
    title,
    ...(description !== undefined && { description }),
    ...(spec && { spec }),
    ...(covers.length > 0 && { covers }),
    seed,
    ...(durationUs !== undefined && { durationUs }),
    network,
    lifelines,
    timeline,
    expect,
    ...(monitors && { monitors }),
    limits,
    ...(warnings.length > 0 && { warnings }),
    locate: (path) => source.locate(path),
  };
}

/** `expect.from` must leave some of the run to match: after the end, every step would be missing. */
function checkFrom(expect: Value, fromUs: number, endUs: number, fromDuration: boolean): void {
  if (fromUs <= endUs) return;
  const end = fromDuration ? `duration ${formatDuration(endUs)}` : `${formatDuration(endUs)}: the last timeline entry plus Timer F`;
  expect.map().require('from').fail(`${formatDuration(fromUs)} is after the end of the run (${end}), so no step could be matched`);
}

function readSpecRef(value: Value | undefined): ScenarioSpec['spec'] {
  if (!value) return undefined;
  const ref = value.map(fieldNames(SPEC_REF));
  const section = ref.require('section').text();
  const figureValue = ref.get('figure');
  const figure = figureValue?.integer();
  if (figureValue && figure !== undefined && figure < 1) figureValue.fail('a figure number starts at 1');
  return { section, ...(figure !== undefined && { figure }) };
}

/** Ids of spec/normative.json (`5.2.2.1-3`); whether each exists is for `cpmsim coverage` to say. */
function readCovers(value: Value | undefined): string[] {
  if (!value) return [];
  return value.list().map((item) => {
    const id = item.text();
    if (!/^5(\.\d+)*-\d+$/.test(id)) item.fail(`'${id}' is not a normative statement id: section and ordinal, e.g. 5.2.2.1-3`);
    return id;
  });
}

function readSeed(value: Value | undefined): number {
  const seed = value?.integer() ?? DEFAULT_SEED;
  if (value && seed < 0) value.fail('the seed must not be negative');
  return seed;
}

function readLimits(value: Value | undefined): ScenarioSpec['limits'] {
  const limits = value?.map(fieldNames(LIMITS));
  const maxEventsValue = limits?.get('max-events');
  const untilValue = limits?.get('until');
  const maxEvents = maxEventsValue?.integer() ?? DEFAULT_MAX_EVENTS;
  if (maxEventsValue && maxEvents < 1) maxEventsValue.fail('max-events must be at least 1');
  const untilUs = untilValue?.duration() ?? DEFAULT_UNTIL_US;
  if (untilValue && untilUs === 0) untilValue.fail('until must be longer than 0s');
  const wallClockValue = limits?.get('wall-clock');
  const wallClockUs = wallClockValue?.duration();
  if (wallClockValue && wallClockUs === 0) wallClockValue.fail('wall-clock must be longer than 0s');
  const memoryValue = limits?.get('memory');
  const memoryMiB = memoryValue?.integer() ?? DEFAULT_MEMORY_MIB;
  if (memoryValue && memoryMiB < 1) memoryValue.fail('memory is a number of MiB, at least 1');
  return { maxEvents, untilUs, wallClockMs: wallClockUs === undefined ? DEFAULT_WALL_CLOCK_MS : Math.ceil(wallClockUs / 1000), memoryMiB };
}
