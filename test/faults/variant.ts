import { readFileSync } from 'node:fs';
import { loadScenarioText } from '../../src/scenario/loader.js';
import { runScenario, type ScenarioRun } from '../../src/scenario/runner.js';

/** Runs a bundled scenario with `extra` (YAML, indented two spaces) added under `network:`, and top-level `fields`. */
export function runVariant(file: string, extra: string, fields = ''): ScenarioRun {
  const text = readFileSync(file, 'utf8').replace(/^network:\n/m, `${fields}network:\n${extra}`);
  return runScenario(loadScenarioText(text, file));
}

/** The notes an element made, in order. */
export function notesOf(run: ScenarioRun, host: string): string[] {
  return run.events.flatMap((e) => (e.type === 'note' && e.host === host ? [e.text] : []));
}
