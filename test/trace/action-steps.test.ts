/** An action step of the figure (an entity's note) in every output: numbered when found, drawn and counted as missing when not. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportRun } from '../../src/cli/report.js';
import { renderHtml } from '../../src/trace/html.js';
import { renderJsonl } from '../../src/trace/jsonl.js';
import { renderLadder } from '../../src/trace/ladder.js';
import { ladderRows } from '../../src/trace/ladder-rows.js';
import { renderMermaid } from '../../src/trace/mermaid.js';
import { renderPlantUml } from '../../src/trace/plantuml.js';
import { root, runText, viewOf } from './fixtures.js';

const text = readFileSync(join(root, 'scenarios/appendix-c/c-3-1-4-3-unsuccessful-delivery.yaml'), 'utf8');
// Step 3 asks for a note of another kind than the deferral the Conversation Server writes.
const broken = text.replace('action: deferred }', 'action: deferred-stored }');

describe('action steps', () => {
  it('are numbered in every output when their note is found', () => {
    const run = runText(text, 'c-3-1-4-3.yaml');
    const view = viewOf(run);
    const names = run.lifelines.map((l) => l.name);
    expect(renderLadder(names, ladderRows(run.alignment, run.projection, names, false, run.actions), { width: 160 })).toMatch(/^ +3 +1\.016000s .*⟦deferred \(1 held\)⟧/m);
    expect(renderMermaid(view)).toMatch(/^ {4}Note over L\d+: 3\. deferred \(1 held\)$/m);
    expect(renderPlantUml(view)).toMatch(/^note over L\d+ : 3\. deferred \(1 held\)$/m);
    expect(renderHtml(view)).toContain('<td class="step">3</td>');
    expect(renderJsonl(view)).toMatch(/"type":"note",[^\n]*"step":3,"text":"deferred \(1 held\)"/);
  });

  it('are drawn and counted as missing when no note of their kind comes', () => {
    expect(text).not.toBe(broken);
    const run = runText(broken, 'broken.yaml');
    expect(run.passed).toBe(false);
    const view = viewOf(run);
    expect(view.verdict).toBe('differs from the figure: 1 step missing');
    const names = run.lifelines.map((l) => l.name);
    expect(renderLadder(names, ladderRows(run.alignment, run.projection, names, false, run.actions), { width: 160 })).toMatch(/^ +3 .*⟦deferred-stored⟧ .*✗ missing\n +↳ expected step 3: CPM Conversation Server B deferred-stored$/m);
    expect(renderMermaid(view)).toMatch(/ {4}rect rgb\(255, 226, 226\)\n {8}Note over L\d+: 3\. ✗ missing: deferred-stored\n {4}end/);
    expect(renderPlantUml(view)).toMatch(/^note over L\d+ : <color:#C62828><b>3\. ✗ missing: deferred-stored<\/b><\/color>$/m);
    const header = JSON.parse(renderJsonl(view).split('\n')[0]!) as { missing: unknown[] };
    expect(header.missing).toEqual([{ step: 3, lifeline: 2, expected: 'step 3: CPM Conversation Server B deferred-stored' }]);
    expect(reportRun(run, { color: false, width: 100, wire: false, ladder: false })).toContain('missing step 3: CPM Conversation Server B deferred-stored');
  });
});
