import { readFileSync } from 'node:fs';
import { loadScenarioText } from '../../src/scenario/loader.js';
import { runScenario, type ScenarioRun } from '../../src/scenario/runner.js';

/**
 * Runs a bundled scenario with `extra` (YAML, indented two spaces) added under `network:`, and
 * top-level `fields` (one `key: value` per line), each replacing the scenario's own when it has one.
 */
export function runVariant(file: string, extra: string, fields = ''): ScenarioRun {
  let text = readFileSync(file, 'utf8');
  const added: string[] = [];
  for (const line of fields.split('\n').filter((l) => l !== '')) {
    const own = new RegExp(`^${line.slice(0, line.indexOf(':'))}:.*$`, 'm');
    if (own.test(text)) text = text.replace(own, line);
    else added.push(`${line}\n`);
  }
  text = text.replace(/^network:\n/m, `${added.join('')}network:\n${extra}`);
  return runScenario(loadScenarioText(text, file));
}

/** The notes an element made, in order. */
export function notesOf(run: ScenarioRun, host: string): string[] {
  return run.events.flatMap((e) => (e.type === 'note' && e.host === host ? [e.text] : []));
}
