import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMermaid } from '../../src/trace/mermaid.js';
import { flowView } from '../../src/trace/view.js';
import { brokenFig16, fig16, handRun, launchChromium, MERMAID_BUNDLE, NASTY, nastyView, noChromium, splitView, uncheckedFig16, viewOf } from './fixtures.js';

/**
 * Mermaid's sequence parser (mermaid 11, the last line that supports Node 20) needs a browser for
 * `box` lines (it asks CSS whether the colour is one, and sanitises the title with DOMPurify), and
 * @mermaid-js/parser has no sequence grammar; so the real bundle parses and renders in Chromium.
 */

/** The page globals the tests use (the type check has no DOM library; the casts are erased). */
interface PageGlobals {
  mermaid: { initialize(config: object): void; parse(text: string): Promise<unknown>; render(id: string, text: string): Promise<{ svg: string }> };
  document: { createElement(tag: 'div'): { innerHTML: string; textContent: string | null } };
}

if (noChromium !== undefined) console.warn(`skipping the Mermaid rendering tests: ${noChromium}`);

describe('renderMermaid', () => {
  it('numbers each arrow with its figure step and aliases the figure lifelines', () => {
    const text = renderMermaid(viewOf(fig16()));
    const lines = text.split('\n');
    expect(lines[0]).toBe('sequenceDiagram');
    expect(text).not.toContain('autonumber');
    expect(lines).toContain('        participant L0 as CPM Client A');
    expect(lines).toContain('        participant L2 as CPM Conversation Server A');
    expect(lines).toContain('    L1->>L3: 4. MESSAGE "Hello Bob"');
    expect(lines).toContain('    L2-->>L1: 7. 200 OK (MESSAGE)');
    for (let n = 1; n <= 16; n++) expect(text).toMatch(new RegExp(`^ {4}L\\d-?->>L\\d: ${n}\\. `, 'm'));
  });

  it('boxes the lifelines of each home network, keeping the figure column order', () => {
    const text = renderMermaid(viewOf(fig16()));
    expect(text).toContain(
      [
        '    box rgb(238, 242, 250) a.example',
        '        participant L0 as CPM Client A',
        '        participant L1 as SIP/IP Core A',
        '        participant L2 as CPM Conversation Server A',
        '    end',
        '    box rgb(248, 243, 232) b.example',
        '        participant L3 as CPM System B',
        '    end',
      ].join('\n'),
    );
  });

  it('opens a new box where the home network changes, and leaves a lifeline spanning networks unboxed', () => {
    const view = splitView();
    expect(view.groups).toEqual([
      { domain: 'a.example', first: 0, last: 0 },
      { domain: 'sub.b.example', first: 1, last: 2 },
      { domain: 'a.example', first: 3, last: 3 },
    ]);
    expect(renderMermaid(view)).toContain(
      [
        '    box rgb(238, 242, 250) a.example',
        '        participant L0 as A',
        '    end',
        '    box rgb(248, 243, 232) sub.b.example',
        '        participant L1 as B',
        '        participant L2 as B2',
        '    end',
        '    box rgb(238, 242, 250) a.example',
        '        participant L3 as A again',
        '    end',
        '    participant L4 as Both',
      ].join('\n'),
    );
  });

  it('draws the notes of the entities over their lifeline', () => {
    expect(renderMermaid(viewOf(fig16()))).toContain('    Note over L0: delivery: delivered\n');
  });

  it('marks the mismatched, unexpected and missing steps on a tinted background', () => {
    const text = renderMermaid(viewOf(brokenFig16()));
    expect(text).toContain('    rect rgb(255, 226, 226)\n        L3-->>L1: 5. 200 OK (MESSAGE) ✗ figure: 202\n    end\n');
    expect(text).toContain('    rect rgb(255, 243, 205)\n        L1->>L0: + MESSAGE [IMDN delivered] (not in the figure)\n    end\n');
    expect(text).toContain('    rect rgb(255, 226, 226)\n        L0-xL3: 16. ✗ missing: BYE\n    end\n');
  });

  it('lets Mermaid number the arrows when there are no figure steps', () => {
    const text = renderMermaid(viewOf(uncheckedFig16()));
    expect(text.split('\n')[2]).toBe('    autonumber');
    expect(text).toContain('    L0->>L1: MESSAGE "Hello Bob"\n');
    expect(text).not.toContain('rect');
  });

  it('escapes what Mermaid would read as syntax, as entities it decodes when drawing', () => {
    const text = renderMermaid(nastyView());
    expect(text).toContain('participant L0 as Client "A"#59; #35;1 #60;b#62;x#60;/b#62; #38; co#58; 50%#44; #64;home \\n end');
    // What follows `: ` (messages, notes) or ` as ` (participants) is free text: no raw `;`, `#`, `<`, `>`.
    const free = text.split('\n').flatMap((line) => /(?:: | as )(.*)$/.exec(line)?.[1] ?? []);
    expect(free.length).toBeGreaterThan(4);
    for (const part of free) expect(part.replace(/#\d+;/g, '')).not.toMatch(/[;#<>]/);
  });

  it('titles the diagram with the figure, and spans the scenario title in a note over every lifeline', () => {
    const lines = renderMermaid(flowView(handRun())).split('\n');
    expect(lines.slice(0, 2)).toEqual(['sequenceDiagram', '    title C.9, Figure 99']);
    // The note stands after the participants (Mermaid declares them first) and before the first arrow.
    expect(lines.slice(lines.indexOf('    end', 6) + 1, lines.indexOf('    end', 6) + 3)).toEqual(['    Note over L0,L2: Hand-made', '    L0->>L1: 1. MESSAGE']);
  });

  it('titles a run of no figure with its heading, and adds no note', () => {
    const { figure: _, ...run } = handRun();
    const text = renderMermaid(flowView(run));
    expect(text.split('\n')[1]).toBe('    title Hand-made');
    expect(text).not.toContain('Note over L0,');
    // A view with a figure but no separate title (a caller's own) has no note either.
    const { title: __, ...view } = flowView(handRun());
    expect(renderMermaid(view)).not.toContain('Hand-made');
  });

  it('escapes the title note like any free text', () => {
    expect(renderMermaid({ ...nastyView(), figureRef: 'C.1', title: 'a;b #c <d>' })).toContain('\n    Note over L0,L2: a#59;b #35;c #60;d#62;\n');
  });

  it('puts the title note over the one lifeline there is', () => {
    const run = handRun();
    const view = flowView({ ...run, lifelines: run.lifelines.slice(0, 1), alignment: [], projection: { messages: [], notes: [] }, actions: [], steps: 0 });
    expect(renderMermaid(view)).toContain('\n    Note over L0: Hand-made\n');
  });

  it('keeps a lifeline outside any box at the top level, before a box too', () => {
    const base = splitView();
    const view = { ...base, lifelines: [base.lifelines[4]!, base.lifelines[0]!], groups: [{ domain: 'a.example', first: 1, last: 1 }] };
    expect(renderMermaid(view)).toContain('\n    participant L0 as Both\n    box rgb(238, 242, 250) a.example\n        participant L1 as A\n    end\n');
  });

  it('crosses out a missing response on a dashed arrow', () => {
    const view = { ...nastyView(), rows: [{ type: 'message' as const, seq: 1, step: 3, at: 0, from: 1, to: 0, label: '202', kind: 'success' as const, response: true, mark: 'missing' as const, expectedLabel: '202' }] };
    expect(renderMermaid(view)).toContain('\n    rect rgb(255, 226, 226)\n        L1--xL0: 3. ✗ missing: 202\n    end\n');
  });

  it('is the same text for the same run', () => {
    expect(renderMermaid(viewOf(fig16()))).toBe(renderMermaid(viewOf(fig16())));
  });
});

describe.skipIf(noChromium !== undefined)('Mermaid accepts the output (mermaid 11 in headless Chromium)', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ path: MERMAID_BUNDLE });
    await page.evaluate(() => {
      (globalThis as unknown as PageGlobals).mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Parses and renders; the text of the drawn SVG, or the error Mermaid gave. */
  let renders = 0;
  async function draw(text: string): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
    return page.evaluate(async ([source, id]) => {
      const page = globalThis as unknown as PageGlobals;
      try {
        await page.mermaid.parse(source);
        const { svg } = await page.mermaid.render(id, source);
        const holder = page.document.createElement('div');
        holder.innerHTML = svg;
        return { ok: true as const, text: holder.textContent ?? '' };
      } catch (e) {
        return { ok: false as const, error: String((e as Error).message ?? e) };
      }
    }, [text, `diagram${++renders}`] as const);
  }

  it('rejects a broken diagram (so the checks below mean something)', async () => {
    const result = await draw('sequenceDiagram\n    L0->>: no target\n');
    expect(result.ok).toBe(false);
  });

  it('draws Figure 16 with its boxes, lifelines, numbered steps and notes', async () => {
    const result = await draw(renderMermaid(viewOf(fig16())));
    expect(result).toMatchObject({ ok: true });
    const text = result.ok ? result.text : '';
    for (const s of ['a.example', 'b.example', 'CPM Client A', 'CPM Conversation Server A', '1. MESSAGE "Hello Bob"', '16. 200 OK (MESSAGE)', 'delivery: delivered']) expect(text).toContain(s);
  }, 30_000);

  it('draws the failures of a broken run', async () => {
    const result = await draw(renderMermaid(viewOf(brokenFig16())));
    expect(result).toMatchObject({ ok: true });
    const text = result.ok ? result.text : '';
    for (const s of ['5. 200 OK (MESSAGE) ✗ figure: 202', '+ MESSAGE [IMDN delivered] (not in the figure)', '16. ✗ missing: BYE']) expect(text).toContain(s);
  }, 30_000);

  it('draws an unchecked run with Mermaid numbering', async () => {
    const result = await draw(renderMermaid(viewOf(uncheckedFig16())));
    expect(result).toMatchObject({ ok: true });
  }, 30_000);

  it('draws a network boxed twice and a lifeline outside any box', async () => {
    const result = await draw(renderMermaid(splitView()));
    expect(result).toMatchObject({ ok: true });
    const text = result.ok ? result.text : '';
    for (const s of ['sub.b.example', 'A again', 'Both']) expect(text).toContain(s);
  }, 30_000);

  it('shows escaped names, labels and notes literally', async () => {
    const result = await draw(renderMermaid(nastyView()));
    expect(result).toMatchObject({ ok: true });
    const text = result.ok ? result.text : '';
    expect(text).toContain(`Title ${NASTY.label}`);
    expect(text).toContain(NASTY.lifeline);
    expect(text).toContain(`1. ${NASTY.label}`);
    expect(text).toContain(NASTY.note);
  }, 30_000);
});
