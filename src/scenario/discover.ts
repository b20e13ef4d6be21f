/** Finds the scenario files named on a command line: files as given, folders searched for YAML. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SCENARIO_FILE = /\.ya?ml$/;
/** Load files (`cpmsim load`, docs/load.md) are YAML too, but not scenarios: a folder walk skips them. */
const LOAD_FILE = /\.load\.ya?ml$/;

/** Sorted, without repeats; a path that does not exist throws `no such file or folder: <path>`. */
export function findScenarioFiles(paths: string[]): string[] {
  const found = new Set<string>();
  for (const path of paths) {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats) throw new Error(`no such file or folder: ${path}`);
    if (stats.isDirectory()) walk(path, found);
    else found.add(path);
  }
  return [...found].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Symlinked folders inside a walked folder are not entered: that keeps the walk finite and its
 * result independent of the order of the paths. Symlinked files are taken.
 */
function walk(folder: string, found: Set<string>): void {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) walk(path, found);
    else if (SCENARIO_FILE.test(entry.name) && !LOAD_FILE.test(entry.name) && statSync(path, { throwIfNoEntry: false })?.isFile()) found.add(path);
  }
}
