import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { findScenarioFiles } from '../../src/scenario/discover.js';
import { loadScenarioFile } from '../../src/scenario/loader.js';
import { cellWidth } from '../../src/trace/cells.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const files = findScenarioFiles([join(root, 'scenarios')]).map((f) => relative(root, f));

/** `cpmsim run --width W FILE` as a user types it in a wider terminal. */
async function ladderAt(file: string, width: number): Promise<string> {
  let out = '';
  await main(['run', '--width', String(width), file], { stdout: (t) => (out += t), stderr: () => {}, color: false, columns: 200, cwd: root });
  return out;
}

describe('every bundled scenario fits an 80-column terminal', () => {
  it.each(files)('%s', async (file) => {
    const out = await ladderAt(file, 80);
    const wide = out.split('\n').filter((line) => cellWidth(line) > 80);
    expect(wide).toEqual([]);
    // Every figure step is still there: one row numbered by it, as a ladder arrow or folded.
    const { expect: spec } = loadScenarioFile(join(root, file));
    const steps = spec.steps.length + spec.actions.length;
    expect(out.split('\n').filter((l) => /^\s*\d+\s+[\d:.]+s /.test(l))).toHaveLength(steps);
  });
});
