/**
 * `cpmsim docs`: writes docs/figures/figure-N.md and .svg for every scenario that reproduces a
 * figure; `--check` writes nothing and exits 1 naming each page that is missing or stale.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScenarioSpec } from '../scenario/spec.js';
import { figurePage } from './figure-pages.js';
import { EXIT, UsageError, type CliIo } from './io.js';

const PACKAGE = fileURLToPath(new URL('../..', import.meta.url));

export interface DocsOptions {
  output?: string;
  spec?: string;
  check: boolean;
}

/** The draft in a `shared/seed/` folder beside the checkout, as the project keeps it. */
export function findDraft(from: string[]): string | undefined {
  for (const start of from) {
    for (let dir = start, i = 0; i < 4; i++, dir = dirname(dir)) {
      const seed = join(dir, 'shared/seed');
      if (!existsSync(seed)) continue;
      const txt = readdirSync(seed).filter((f) => f.endsWith('.txt')).sort();
      if (txt[0] !== undefined) return join(seed, txt[0]);
    }
  }
  return undefined;
}

export function docsCommand(specs: ScenarioSpec[], options: DocsOptions, io: CliIo): number {
  const draftFile = options.spec === undefined ? findDraft([io.cwd, PACKAGE]) : resolve(io.cwd, options.spec);
  if (draftFile === undefined || !existsSync(draftFile)) throw new UsageError('no text of the draft: give it with --spec FILE (it is looked for in ../shared/seed/)');
  const draft = readFileSync(draftFile, 'utf8');
  const notesFile = join(PACKAGE, 'docs/spec-notes.md');
  const specNotes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : '';
  const dir = resolve(io.cwd, options.output ?? join(PACKAGE, 'docs/figures'));
  const stale: string[] = [];
  let written = 0;
  for (const spec of specs) {
    const page = figurePage(spec, draft, specNotes, relative(PACKAGE, resolve(io.cwd, spec.file)));
    if (page === undefined) continue;
    for (const [file, text] of [[`${page.name}.md`, page.markdown], [`${page.name}.svg`, page.svg]] as const) {
      const path = join(dir, file);
      if (options.check) {
        if (!existsSync(path) || readFileSync(path, 'utf8') !== text) stale.push(file);
      } else {
        mkdirSync(dir, { recursive: true });
        writeFileSync(path, text);
        written++;
      }
    }
  }
  if (options.check) {
    if (stale.length === 0) {
      io.stdout('figure pages up to date\n');
      return EXIT.ok;
    }
    io.stdout(`stale or missing figure pages (run \`npm run docs\`): ${stale.join(', ')}\n`);
    return EXIT.failed;
  }
  io.stdout(`wrote ${written} files to ${dir}\n`);
  return EXIT.ok;
}
