/** Runs and views shared by the output-format tests. */
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { flowRunOf } from '../../src/scenario/runner.js';
import { loadScenarioText } from '../../src/scenario/loader.js';
import { runScenario, type ScenarioRun } from '../../src/scenario/runner.js';
import { flowView, type FlowView } from '../../src/trace/view.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const FIG16 = join(root, 'scenarios/appendix-c/c-3-1-1-1-pager-to-user-originating.yaml');
const fig16Text = readFileSync(FIG16, 'utf8');

/**
 * Figure 16 with three faults: step 5 expects a 202 (mismatch), step 12 is left out (its message
 * is unexpected), and a 16th step asks for a BYE that never comes (missing).
 */
export function brokenFig16Text(): string {
  let text = fig16Text.replace('{ n: 5, from: CPM System B, to: SIP/IP Core A, response: 200 }', '{ n: 5, from: CPM System B, to: SIP/IP Core A, response: 202 }');
  text = text.replace('    - { n: 12, from: SIP/IP Core A, to: CPM Client A, request: MESSAGE, body: message/imdn+xml }\n', '');
  for (const n of [13, 14, 15, 16]) text = text.replace(`{ n: ${n},`, `{ n: ${n - 1},`);
  return `${text}    - { n: 16, from: CPM Client A, to: CPM System B, request: BYE }\n`;
}

export function runText(text: string, file = 'scenarios/test.yaml'): ScenarioRun {
  return runScenario(loadScenarioText(text, file));
}

export const fig16 = (): ScenarioRun => runText(fig16Text, 'scenarios/appendix-c/c-3-1-1-1-pager-to-user-originating.yaml');
export const brokenFig16 = (): ScenarioRun => runText(brokenFig16Text(), 'broken.yaml');
/** Figure 16's flow with no steps to check against (a file may not say so: it would pass whatever happened). */
export function uncheckedFig16(): ScenarioRun {
  const spec = loadScenarioText(fig16Text, 'unchecked.yaml');
  return runScenario({ ...spec, expect: { ...spec.expect, steps: [], actions: [] } });
}

export const viewOf = (run: ScenarioRun): FlowView => flowView(flowRunOf(run));

/** Text that breaks each format's syntax if it is not escaped. */
export const NASTY = {
  lifeline: 'Client "A"; #1 <b>x</b> & co: 50%, @home \\n end',
  domain: 'a.example',
  label: 'MESSAGE **bold** //it// --strike-- __u__ ~~w~~ [[link]] <color:red>red</color> #x; a;b %% c',
  note: 'note #59; ~tilde~ \\n <script>alert(1)</script> "q" \'s\'',
};

/** A hand-made view whose names, labels and notes carry NASTY text, to test escaping. */
export function nastyView(): FlowView {
  return {
    heading: `Title ${NASTY.label}`,
    source: 'nasty.yaml',
    seed: 1,
    lifelines: [
      { name: NASTY.lifeline, hosts: ['phone.alice.a.example'], domains: [], domain: NASTY.domain },
      { name: 'Core', hosts: ['core.a.example'], domains: [], domain: NASTY.domain },
      { name: 'Other', hosts: [], domains: ['b.example'] },
    ],
    groups: [{ domain: NASTY.domain, first: 0, last: 1 }],
    rows: [
      { type: 'message', seq: 1, eventId: 1, step: 1, at: 0, from: 0, to: 1, label: NASTY.label, kind: 'request', response: false, mark: 'ok', wire: 'MESSAGE sip:x SIP/2.0\r\n\r\n<b>not bold</b>' },
      { type: 'note', eventId: 2, at: 1, lifeline: 0, text: NASTY.note },
      { type: 'message', seq: 2, eventId: 3, at: 2, from: 1, to: 0, label: '200 OK; <done> #1', kind: 'success', response: true, wire: 'SIP/2.0 200 OK\r\n\r\n' },
      { type: 'message', seq: 3, step: 2, at: 2, from: 1, to: 2, label: 'BYE', kind: 'request', response: false, mark: 'missing', expected: 'step 2: Core -> Other BYE', expectedLabel: 'BYE' },
    ],
    checked: true,
    passed: false,
    verdict: 'differs from the figure: 1 step missing',
    events: [],
  };
}

/** Where a program is on PATH, if it is. */
export function onPath(program: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(dir, program);
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export const CHROMIUM = '/usr/bin/chromium';
/** Why the browser tests cannot run here, if they cannot. */
export const noChromium = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (CI installs Debian's chromium)`;

/** Debian's Chromium, headless, offline: tests never download a browser. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
