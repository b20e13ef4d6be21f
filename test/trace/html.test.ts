import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/trace/html.js';
import type { FlowView } from '../../src/trace/view.js';
import { brokenFig16, fig16, launchChromium, NASTY, nastyView, noChromium, root, runText, uncheckedFig16, viewOf } from './fixtures.js';

const FIG7 = join(root, 'scenarios/appendix-c/c-2-1-2-3-group-session-multiple-clients.yaml');

if (noChromium !== undefined) console.warn(`skipping the HTML browser tests: ${noChromium}`);

describe.skipIf(noChromium !== undefined)('the HTML report in headless Chromium', () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'cpmsim-html-'));

  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens the report from a file:// URL, recording every console error and every request. */
  async function open(view: FlowView, name: string, viewportWidth = 1400): Promise<{ page: Page; errors: string[]; requests: string[] }> {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, renderHtml(view));
    const page = await browser.newPage({ viewport: { width: viewportWidth, height: 1000 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, errors, requests };
  }

  it('loads with no console error and no request but the file itself', async () => {
    const { page, errors, requests } = await open(viewOf(fig16()), 'fig16');
    expect(errors).toEqual([]);
    expect(requests.every((u) => u.startsWith('file://'))).toBe(true);
    expect(await page.title()).toBe('Pager Mode CPM Message to a CPM User (originating) — C.3.1.1.1, Figure 16');
    await page.close();
  }, 30_000);

  it('shows every step, as an arrow and as a row of the step list', async () => {
    const { page } = await open(viewOf(fig16()), 'fig16-steps');
    const arrows = page.locator('svg .msg');
    expect(await arrows.count()).toBe(16);
    for (let i = 0; i < 16; i++) expect(await arrows.nth(i).isVisible()).toBe(true);
    const steps = await page.locator('.steps tbody tr td.step').allTextContents();
    expect(steps).toEqual(Array.from({ length: 16 }, (_, i) => String(i + 1)));
    const labels = await page.locator('svg .msg .label').allTextContents();
    expect(labels[6]).toBe('7. 200 OK (MESSAGE)');
    expect(await page.locator('svg .group-title').allTextContents()).toEqual(['a.example', 'b.example']);
    expect(await page.locator('svg .note').allTextContents()).toContain('delivery: delivered');
    await page.close();
  }, 30_000);

  it('reveals the wire message of an arrow when it is clicked', async () => {
    const { page, errors } = await open(viewOf(fig16()), 'fig16-click');
    expect(await page.locator('#msg-4').isVisible()).toBe(false);
    await page.locator('svg .msg[data-row="4"]').click();
    const detail = page.locator('#msg-4');
    expect(await detail.isVisible()).toBe(true);
    const wire = await detail.locator('pre.wire').textContent();
    expect(wire).toMatch(/^MESSAGE sip:bob@b\.example SIP\/2\.0\n/);
    expect(wire).toContain('Content-Type: message/cpim');
    expect(wire).toContain('Hello Bob');
    expect(await page.locator('.steps tr[data-row="4"]').getAttribute('class')).toContain('selected');
    // The step list selects too, and only one message is shown at a time.
    await page.locator('.steps tr[data-row="5"]').click();
    expect(await page.locator('#msg-5 pre.wire').textContent()).toMatch(/^SIP\/2\.0 200 OK\n/);
    expect(await detail.isVisible()).toBe(false);
    // Keyboard: the arrow keys walk the flow.
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#msg-6').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);

  it('highlights the missing, mismatched and unexpected steps', async () => {
    const { page, errors } = await open(viewOf(brokenFig16()), 'broken');
    expect(errors).toEqual([]);
    expect(await page.locator('.verdict.fail').textContent()).toBe('✗ differs from the figure: 1 step missing, 1 step differs, 1 unexpected message');
    const band = async (mark: string): Promise<string> => page
        .locator(`svg .msg.mark-${mark} .band`)
        .first()
        // The type check has no DOM library; the cast is erased before the function reaches the page.
        .evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { fill: string } }).getComputedStyle(el).fill);
    expect(await band('mismatch')).toBe('rgb(253, 226, 226)');
    expect(await band('missing')).toBe('rgb(253, 226, 226)');
    expect(await band('unexpected')).toBe('rgb(255, 243, 205)');
    expect(await band('ok')).toBe('rgba(0, 0, 0, 0)');
    const marks = await page.locator('.steps tbody td.mark').allTextContents();
    expect(marks.filter((m) => m !== '✓')).toEqual(['✗ mismatch', '+ unexpected', '✗ missing']);
    await page.locator('svg .msg.mark-missing').click();
    expect(await page.locator('#detail article:not([hidden])').textContent()).toContain('This step of the figure never happened: step 16: CPM Client A -> CPM System B BYE');
    await page.locator('svg .msg.mark-mismatch').click();
    expect(await page.locator('#detail article:not([hidden])').textContent()).toContain('The figure expects step 5: CPM System B -> SIP/IP Core A 202');
    await page.close();
  }, 30_000);

  it('numbers the steps in order when there are no figure steps', async () => {
    const { page, errors } = await open(viewOf(uncheckedFig16()), 'unchecked');
    expect(errors).toEqual([]);
    const labels = await page.locator('svg .msg .label').allTextContents();
    expect(labels[0]).toBe('1. MESSAGE "Hello Bob"');
    expect(await page.locator('.steps tbody td.mark').allTextContents()).toEqual(labels.map(() => ''));
    await page.close();
  }, 30_000);

  it('fits Figure 7 (seven lifelines) in a 900 px window, readable, and zooms to actual size', async () => {
    const { page, errors } = await open(viewOf(runText(readFileSync(FIG7, 'utf8'), FIG7)), 'fig7', 900);
    expect(errors).toEqual([]);
    // No sideways scrolling of the page, and every lifeline's box in the window.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(900);
    const actors = await page.locator('svg .actor').evaluateAll((els) => els.map((e) => (e as unknown as { getBoundingClientRect(): { left: number; right: number } }).getBoundingClientRect()));
    expect(actors).toHaveLength(7);
    for (const box of actors) {
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.right).toBeLessThanOrEqual(900);
    }
    // Zoomed to fit, the 12 px text is drawn at no less than 9 px.
    const scale = async (): Promise<number> =>
      page.locator('.ladder svg').evaluate((el) => {
        const svg = el as unknown as { getBoundingClientRect(): { width: number }; viewBox: { baseVal: { width: number } } };
        return svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      });
    expect(12 * (await scale())).toBeGreaterThanOrEqual(9);
    expect(await scale()).toBeLessThan(1);
    await page.locator('#zoom').click();
    expect(await scale()).toBe(1);
    expect(await page.locator('#zoom').textContent()).toBe('Zoom to fit');
    await page.locator('#zoom').click();
    expect(await scale()).toBeLessThan(1);
    await page.close();
  }, 30_000);

  it('shows escaped text literally', async () => {
    const { page, errors } = await open(nastyView(), 'nasty');
    expect(errors).toEqual([]);
    // Wrapped lines keep the space they were broken at, so the drawing reads back as the text.
    expect(await page.locator('svg .actor-name').first().textContent()).toBe(NASTY.lifeline);
    expect(await page.locator('svg .note').textContent()).toBe(NASTY.note);
    await page.locator('svg .msg[data-row="1"]').click();
    expect(await page.locator('#msg-1 pre.wire').textContent()).toContain('<b>not bold</b>');
    await page.close();
  }, 30_000);
});
