import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import type { ScenarioSpec } from '../scenario/spec.js';
import { UsageError } from './io.js';

/**
 * Where each scenario's output file goes for `-o`: the file it names for one scenario, or, for
 * several scenarios or a folder (existing, or written with a trailing `/`), `<folder>/<scenario
 * file name><ext>`. Two scenarios that would write one file are refused before anything runs.
 */
export function outputTargets(specs: ScenarioSpec[], ext: string, output: string, cwd: string): string[] {
  const target = resolve(cwd, output);
  const toFolder = specs.length > 1 || /[/\\]$/.test(output) || isFolder(target);
  if (!toFolder) return [target];
  const paths = specs.map((spec) => join(target, `${basename(spec.file, extname(spec.file))}${ext}`));
  const writers = new Map<string, string>();
  specs.forEach((spec, i) => {
    const out = paths[i]!;
    const other = writers.get(out);
    if (other !== undefined) throw new UsageError(`${other} and ${spec.file} would both be written to ${out}; rename one`);
    writers.set(out, spec.file);
  });
  return paths;
}

export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    // Missing, or under a file: not a folder, and writing there reports why.
    return false;
  }
}

/** Writes an output file, creating its folder; a refusal of the file system is the user's to fix. */
export function writeOutput(path: string, data: string | Uint8Array): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) throw e;
    const reason = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way of a folder' : code === 'EISDIR' ? 'it is a folder' : code;
    throw new UsageError(`cannot write ${path}: ${reason}`);
  }
}

/** A path as the user would type it from where they are. */
export function shownPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') ? path : rel;
}
