import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderPlantUml } from '../../src/trace/plantuml.js';
import { brokenFig16, fig16, NASTY, nastyView, onPath, uncheckedFig16, viewOf } from './fixtures.js';

const plantuml = onPath('plantuml');
if (plantuml === undefined) console.warn("skipping the PlantUML rendering tests: plantuml is not installed (CI installs Debian's plantuml)");

/** Renders with the real PlantUML; its exit code, and everything it printed. */
function render(source: string): { code: number | null; svg: string; err: string } {
  const r = spawnSync(plantuml!, ['-tsvg', '-pipe', '-charset', 'UTF-8'], { input: source, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, svg: r.stdout, err: r.stderr };
}

/** The text PlantUML drew, with the XML escapes undone. */
function drawnText(svg: string): string[] {
  const xml: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  return Array.from(svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g), (m) =>
    m[1]!.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (e, name: string) =>
      name.startsWith('#x') ? String.fromCodePoint(parseInt(name.slice(2), 16)) : name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : (xml[name] ?? e),
    ),
  );
}

function expectAccepted(result: { code: number | null; svg: string; err: string }): void {
  expect(result.err).not.toMatch(/error/i);
  expect(result.svg).not.toMatch(/Syntax Error|Some diagram description contains errors/);
  expect(result.code).toBe(0);
  expect(result.svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>/);
}

describe.skipIf(plantuml === undefined)('PlantUML accepts the output (Debian plantuml, -tsvg)', () => {
  it('rejects a broken diagram (so the checks below mean something)', () => {
    const result = render('@startuml\nL0 -> : nowhere\n(((\n@enduml\n');
    expect(result.code !== 0 || /Syntax Error/.test(result.svg)).toBe(true);
  }, 120_000);

  it('renders Figure 16 with its boxes, lifelines, numbered steps and notes', () => {
    const result = render(renderPlantUml(viewOf(fig16())));
    expectAccepted(result);
    const drawn = drawnText(result.svg);
    for (const s of ['a.example', 'b.example', 'CPM Client A', 'CPM Conversation Server A', '1. MESSAGE "Hello Bob"', '16. 200 OK (MESSAGE)', 'delivery: delivered']) expect(drawn).toContain(s);
  }, 120_000);

  it('renders a broken run and an unchecked one', () => {
    const broken = render(renderPlantUml(viewOf(brokenFig16())));
    expectAccepted(broken);
    expect(drawnText(broken.svg)).toContain('16. ✗ missing: BYE');
    const unchecked = render(renderPlantUml(viewOf(uncheckedFig16())));
    expectAccepted(unchecked);
    // autonumber draws the number apart from the label.
    expect(drawnText(unchecked.svg)).toContain('MESSAGE "Hello Bob"');
  }, 120_000);

  it('draws escaped names, labels and notes literally', () => {
    const result = render(renderPlantUml(nastyView()));
    expectAccepted(result);
    const drawn = drawnText(result.svg).join('\n');
    expect(drawn).toContain(NASTY.lifeline);
    expect(drawn).toContain(`1. ${NASTY.label}`);
    expect(drawn).toContain(NASTY.note);
    expect(drawn).toContain(`Title ${NASTY.label}`);
  }, 120_000);
});
