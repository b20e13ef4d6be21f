/** Test helpers (not a test file) for the loader's located error messages. */
import { ScenarioError } from '../../src/scenario/errors.js';
import { loadScenarioText } from '../../src/scenario/loader.js';

/** `line:col` (1-based) where `needle` first appears at or after `after`: where the error must point. */
export function pos(text: string, needle: string, after = ''): string {
  const index = text.indexOf(needle, text.indexOf(after));
  const before = text.slice(0, index).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

/** The message of the ScenarioError that `read` raises. */
export function messageOf(read: () => unknown): string {
  try {
    read();
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

/** The message of the ScenarioError that loading `text` as `file` raises. */
export function errorOf(text: string, file: string): string {
  return messageOf(() => loadScenarioText(text, file));
}
