import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findScenarioFiles } from '../../src/scenario/discover.js';

describe('findScenarioFiles', () => {
  let root = '';

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'cpmsim-discover-'));
    for (const folder of ['pager/deep', 'session', 'empty']) mkdirSync(join(root, folder), { recursive: true });
    for (const file of ['pager/b.yaml', 'pager/a.yml', 'pager/deep/c.yaml', 'pager/notes.txt', 'pager/many.load.yaml', 'session/z.yaml', 'loose.txt']) {
      writeFileSync(join(root, file), 'title: x\n');
    }
    // Symlinked folders are not entered (this one would loop); symlinked files are taken.
    symlinkSync(root, join(root, 'session', 'loop'));
    symlinkSync(join(root, 'pager/b.yaml'), join(root, 'session', 'link.yaml'));
    symlinkSync(join(root, 'gone.yaml'), join(root, 'session', 'dangling.yaml'));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  test('walks folders for .yaml and .yml files, sorted, leaving out load files (.load.yaml)', () => {
    expect(findScenarioFiles([join(root, 'pager')])).toEqual([
      join(root, 'pager/a.yml'),
      join(root, 'pager/b.yaml'),
      join(root, 'pager/deep/c.yaml'),
    ]);
  });

  test('keeps files as given whatever their extension, merges repeats, skips symlinked folders', () => {
    const loose = join(root, 'loose.txt');
    const z = join(root, 'session/z.yaml');
    const link = join(root, 'session/link.yaml');
    expect(findScenarioFiles([z, loose, join(root, 'session'), join(root, 'empty')])).toEqual([loose, link, z]);
  });

  test('gives the same result whatever the order of the paths', () => {
    const paths = [join(root, 'session'), join(root, 'pager')];
    expect(findScenarioFiles(paths)).toEqual(findScenarioFiles([...paths].reverse()));
  });

  test('a missing path is an error naming it', () => {
    const missing = join(root, 'nope');
    expect(() => findScenarioFiles([join(root, 'pager'), missing])).toThrow(new Error(`no such file or folder: ${missing}`));
  });
});
