/**
 * What the verdict of a run counts (src/scenario/runner.ts judgeRun): every message step, every
 * action step, the rules beyond the steps, and, for a live run, the steps alone.
 */
import { describe, expect, it } from 'vitest';
import { scaffold } from '../../src/cli/new-command.js';
import { buildScenario } from '../../src/scenario/builder.js';
import { loadScenarioText } from '../../src/scenario/loader.js';
import { flowRunOf, judgeRun, runScenario, type ScenarioRun } from '../../src/scenario/runner.js';
import { flowView } from '../../src/trace/view.js';

const FILE = 'flow.yaml';
const BASE = scaffold('pager flow');
const STEP5 = '    - { n: 5, at: Network B, action: shown }          # an action: a kind of note an entity writes\n';
const STEP8 = '    - { n: 8, from: CPM Conversation Server A, to: SIP/IP Core A, response: 200 }\n';
const STEP9 = '    - { n: 9, from: SIP/IP Core A, to: Alice, response: 200 }\n';

const run = (text: string): ScenarioRun => runScenario(loadScenarioText(text, FILE));
const verdict = (r: ScenarioRun): string => flowView(flowRunOf(r)).verdict;

function edited(old: string, replacement: string): string {
  expect(BASE).toContain(old);
  return BASE.replace(old, replacement);
}

/** The scaffold with step 8 left out of the figure (its message then comes unexpected). */
const withoutStep8 = (): string => edited(STEP8, '').replace(STEP9, '    - { n: 8, from: SIP/IP Core A, to: Alice, response: 200 }\n');

/** The scenario's run judged again as a live run is (judgeRun with unexpected messages allowed). */
function judgedLive(text: string): ScenarioRun {
  const spec = loadScenarioText(text, FILE);
  const replay = runScenario(spec);
  return judgeRun(spec, spec.seed, buildScenario(spec, spec.seed), replay.events, undefined, true);
}

describe('the verdict of a run', () => {
  it('counts the action steps among the steps as in the figure', () => {
    const r = run(BASE);
    expect(r.passed).toBe(true);
    // Eight message steps and one action step.
    expect([r.spec.expect.steps.length, r.spec.expect.actions.length]).toEqual([8, 1]);
    expect(verdict(r)).toBe('9 steps as in the figure');
  });

  it('fails a run whose action step finds no note, though every message step matched', () => {
    const r = run(edited(STEP5, '    - { n: 5, at: Network B, action: read }\n'));
    expect(r.alignment.every((a) => a.kind === 'ok')).toBe(true);
    expect(r.passed).toBe(false);
    expect(verdict(r)).toBe('differs from the figure: 1 step missing');
  });

  it('fails a run with a message no step names', () => {
    const r = run(withoutStep8());
    expect(r.passed).toBe(false);
    expect(verdict(r)).toBe('differs from the figure: 1 unexpected message');
  });

  it('lets a live run send what the figure does not draw, but not leave out a step', () => {
    // First step 8 left out of the figure (its message comes unexpected); then a step 10 nothing sends.
    const extra = withoutStep8();
    expect(judgedLive(extra).passed).toBe(true);
    expect(judgedLive(extra).alignment.some((a) => a.kind === 'unexpected')).toBe(true);
    const missing = `${BASE}    - { n: 10, from: Alice, to: SIP/IP Core A, request: BYE }\n`;
    expect(judgedLive(missing).passed).toBe(false);
  });
});
