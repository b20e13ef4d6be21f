#!/usr/bin/env node
// Extracts every normative statement (SHALL, SHALL NOT, MUST, MUST NOT, SHOULD, SHOULD NOT, MAY)
// of section 5 of the CPM System Description into spec/normative.json, with a stable id: the
// section and the statement's ordinal in it (`5.2.2.1-3`). A statement inside an editor's note
// that leaves it "FFS" is marked `ffs`, so coverage does not count it as a gap.
// Usage: node scripts/normative.js [spec.txt] [--check]  (--check: exit 1 if the file is stale)
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'spec/normative.json');

/** The draft as the shared folder beside the checkout holds it (../shared/seed/). */
export function findSpec(start = root) {
  for (let dir = start, i = 0; i < 4; i++, dir = dirname(dir)) {
    const seed = join(dir, 'shared/seed');
    if (!existsSync(seed)) continue;
    const txt = readdirSync(seed).filter((f) => f.endsWith('.txt')).sort();
    if (txt.length > 0) return join(seed, txt[0]);
  }
  return undefined;
}

const KEYWORD = /\b(SHALL NOT|SHALL|MUST NOT|MUST|SHOULD NOT|SHOULD|MAY)\b/;
const HEADING = /^(5(?:\.\d+)*)\.?\s+(\S.*)$/;

export function extract(text) {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^5\.\s+CPM Functional Concepts/.test(l));
  const end = lines.findIndex((l, i) => i > start && /^Appendix A\./.test(l));
  const statements = [];
  let section = '5';
  let title = 'CPM Functional Concepts';
  let ordinal = 0;
  let inNote = false;
  // The statement that introduces the bullet list under way (`The X SHALL:`), which takes the
  // list's items into its sentence: the items are the obligation, and without them it says nothing.
  let leadIn;
  for (const raw of lines.slice(start + 1, end)) {
    const line = raw.replace(/\s+/g, ' ').trim();
    const heading = HEADING.exec(line);
    if (heading !== null && heading[1].split('.').length > 1 && !KEYWORD.test(line)) {
      [, section, title] = heading;
      ordinal = 0;
      inNote = false;
      leadIn = undefined;
      continue;
    }
    if (line === '') continue;
    // An editor's note runs until the next paragraph that is not a quotation inside it.
    if (/^Editor.s note/i.test(line)) inNote = true;
    else if (!/^[“"]/.test(line)) inNote = false;
    const bullet = BULLET.test(line);
    const text = line.replace(BULLET, '');
    // An editor's note between two items is an aside; the list goes on after it.
    if (!bullet && !/^Editor.s note/i.test(line)) leadIn = undefined;
    if (bullet && leadIn !== undefined) leadIn.sentence += ` • ${text}`;
    // Sentences end at a full stop before a capital letter (the draft once leaves out the space:
    // `...Function.The CPM...`); a bullet is a statement of its own.
    let last;
    for (const sentence of text.split(/(?<=[.;])\s+(?=[A-Z“"])|(?<=[a-z]{2}\.)(?=[A-Z][a-z])/)) {
      last = undefined;
      const keyword = KEYWORD.exec(sentence)?.[1];
      if (keyword === undefined) continue;
      ordinal++;
      const ffs = inNote && /\bFFS\b/.test(line);
      last = { id: `${section}-${ordinal}`, section, title: title.trim(), keyword, ...(ffs ? { ffs: true } : {}), sentence };
      statements.push(last);
    }
    if (last !== undefined && leadIn === undefined && opensList(last.sentence)) leadIn = last;
  }
  return statements;
}

const BULLET = /^[·•]\s*/;

/** A sentence left open for a list (`...SHALL:`, `...in the format of`), not one that is itself
 * an item of a list (`...; and,`, `...; or`) nor a complete sentence. */
function opensList(sentence) {
  return !/[.”"\]]$/.test(sentence) && !/(;|, (and|or))\s*(and|or)?,?$/.test(sentence);
}

export function render(statements) {
  return `${JSON.stringify(statements, null, 1)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const file = args.find((a) => !a.startsWith('--')) ?? findSpec();
  if (file === undefined) {
    console.error('normative: no spec text found (../shared/seed/*.txt); give its path');
    process.exit(2);
  }
  const text = render(extract(readFileSync(file, 'utf8')));
  if (check) {
    const current = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
    if (current !== text) {
      console.error('spec/normative.json is stale: run `node scripts/normative.js`');
      process.exit(1);
    }
  } else {
    writeFileSync(OUT, text);
    console.log(`wrote spec/normative.json (${JSON.parse(text).length} statements)`);
  }
}
