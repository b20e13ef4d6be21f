import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportRun } from '../../src/cli/report.js';
import { findScenarioFiles } from '../../src/scenario/discover.js';
import { loadScenarioFile } from '../../src/scenario/loader.js';
import { runScenario } from '../../src/scenario/runner.js';
import { renderHtml } from '../../src/trace/html.js';
import { renderJsonl } from '../../src/trace/jsonl.js';
import { renderLadder } from '../../src/trace/ladder.js';
import { ladderRows } from '../../src/trace/ladder-rows.js';
import { renderMermaid } from '../../src/trace/mermaid.js';
import { kindsOf } from '../../src/trace/note-kinds.js';
import { renderPlantUml } from '../../src/trace/plantuml.js';
import type { FlowView } from '../../src/trace/view.js';
import { launchChromium, MERMAID_BUNDLE, noChromium, onPath, root, viewOf } from './fixtures.js';

/** The little of the DOM the Mermaid check uses in the page (the type check has no DOM library). */
interface DomText {
  textContent: string;
  getBBox(): { x: number; width: number };
}
interface DomSvg {
  getAttribute(name: string): string | null;
  querySelectorAll(s: string): DomText[];
}

/** Every bundled scenario, run once, as the view all renderers draw. */
const views: { name: string; view: FlowView; steps: number; ladder: string; verdict: string; notes: string[] }[] = findScenarioFiles([join(root, 'scenarios')]).map((file) => {
  const run = runScenario(loadScenarioFile(file));
  const names = run.lifelines.map((l) => l.name);
  const ladder = renderLadder(names, ladderRows(run.alignment, run.projection, names, true, run.actions), { color: false, width: 160, wire: true });
  const verdict = reportRun(run, { color: false, width: 160, wire: false, ladder: false });
  const notes = run.events.flatMap((e) => (e.type === 'note' ? [e.text] : []));
  return { name: basename(file, '.yaml'), view: viewOf(run), steps: run.spec.expect.steps.length + run.spec.expect.actions.length, ladder, verdict, notes };
});
const dir = mkdtempSync(join(tmpdir(), 'cpmsim-renders-'));
const plantuml = onPath('plantuml');
if (plantuml === undefined) console.warn('skipping PlantUML on every bundled scenario: plantuml is not installed (CI installs it)');
if (noChromium !== undefined) console.warn(`skipping Mermaid and HTML on every bundled scenario: ${noChromium}`);

describe('every bundled scenario renders in every format', () => {
  it.each(views.map((v) => [v.name, v] as const))('%s', (_name, { view, steps, ladder }) => {
    // Each figure step, message or action, is a numbered row of the ladder (with its wire text under it).
    expect(ladder.split('\n').filter((l) => /^\s*\d+\s+[\d:.]+s /.test(l))).toHaveLength(steps);
    expect(renderMermaid(view)).toMatch(/^sequenceDiagram\n/);
    expect(renderPlantUml(view)).toMatch(/^@startuml\n[\s\S]*@enduml\n$/);
    expect(renderHtml(view)).toMatch(/^<!DOCTYPE html>/);
    for (const line of renderJsonl(view).trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe('every output reports the same steps', () => {
  it.each(views.map((v) => [v.name, v] as const))('%s', (_name, { view, steps, ladder, verdict }) => {
    const count = (text: string, pattern: RegExp): number => text.split('\n').filter((l) => pattern.test(l)).length;
    expect(verdict).toContain(`: ${steps} steps as `);
    expect(view.verdict).toBe(`${steps} steps as in the figure`);
    expect(count(ladder, /^\s*\d+\s+[\d:.]+s /)).toBe(steps);
    expect(count(renderMermaid(view), /^\s*(?:L\d+-\S*L\d+|Note over L\d+): \d+\. /)).toBe(steps);
    expect(count(renderPlantUml(view), /^(?:L\d+ \S+ L\d+|note over L\d+) : (?:<color:[^>]+><b>)?\d+\. /)).toBe(steps);
    expect(renderHtml(view).match(/<td class="step">\d+<\/td>/g) ?? []).toHaveLength(steps);
    const [header, ...events] = renderJsonl(view).trimEnd().split('\n').map((line) => JSON.parse(line) as { step?: number; missing?: unknown[] });
    expect(events.filter((e) => e.step !== undefined).length + (header?.missing?.length ?? 0)).toBe(steps);
  });
});

describe('note kinds', () => {
  it('give every note of a bundled run at most one kind', () => {
    const ambiguous = views.flatMap(({ name, notes }) => notes.filter((text) => kindsOf(text).length > 1).map((text) => `${name}: ${text} (${kindsOf(text).join(', ')})`));
    expect(ambiguous).toEqual([]);
  });
});

describe.skipIf(plantuml === undefined)('PlantUML accepts every bundled scenario', () => {
  it('renders them all to SVG without a syntax error', () => {
    const files = views.map(({ name, view }) => {
      const file = join(dir, `${name}.puml`);
      writeFileSync(file, renderPlantUml(view));
      return file;
    });
    const r = spawnSync(plantuml!, ['-tsvg', '-charset', 'UTF-8', ...files], { encoding: 'utf8', timeout: 300_000 });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    for (const file of files) expect(readFileSync(file.replace(/\.puml$/, '.svg'), 'utf8')).not.toMatch(/Syntax Error|Some diagram description contains errors/);
  }, 300_000);
});

describe.skipIf(noChromium !== undefined)('Mermaid and the HTML viewer accept every bundled scenario (headless Chromium)', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('Mermaid parses and draws each one', async () => {
    const page = await browser.newPage();
    await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ path: MERMAID_BUNDLE });
    const failures: string[] = [];
    for (const [i, { name, view }] of views.entries()) {
      const error = await page.evaluate(
        async ([source, id]) => {
          const g = globalThis as unknown as { mermaid: { initialize(c: object): void; parse(t: string): Promise<unknown>; render(id: string, t: string): Promise<unknown> } };
          g.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
          try {
            await g.mermaid.parse(source);
            const { svg } = (await g.mermaid.render(id, source)) as { svg: string };
            // Drawn on the page, no text may stand outside the diagram's view box (Figure 20's
            // title once ran off its right edge).
            const doc = (globalThis as unknown as { document: { body: { innerHTML: string; querySelector(s: string): DomSvg } } }).document;
            doc.body.innerHTML = svg;
            const drawn = doc.body.querySelector('svg');
            const [left = 0, , width = 0] = (drawn.getAttribute('viewBox') ?? '').split(/\s+/).map(Number);
            const outside = Array.from(drawn.querySelectorAll('text')).filter((t) => {
              const box = t.getBBox();
              return box.width > 0 && (box.x < left - 1 || box.x + box.width > left + width + 1);
            });
            return outside.length === 0 ? undefined : `text outside the diagram: ${outside.map((t) => t.textContent).join(' | ')}`;
          } catch (e) {
            return String((e as Error).message ?? e);
          }
        },
        [renderMermaid(view), `d${i}`] as const,
      );
      if (error !== undefined) failures.push(`${name}: ${error}`);
    }
    expect(failures).toEqual([]);
    await page.close();
  }, 300_000);

  it('the HTML viewer loads each one with no console error and a row for every step', async () => {
    const failures: string[] = [];
    for (const { name, view, steps } of views) {
      const file = join(dir, `${name}.html`);
      writeFileSync(file, renderHtml(view));
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      const rows = await page.locator('.steps tbody tr td.step').count();
      if (errors.length > 0 || rows < steps) failures.push(`${name}: ${rows} step rows of ${steps}; ${errors.join('; ')}`);
      await page.close();
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
