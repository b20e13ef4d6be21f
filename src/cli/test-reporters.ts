/**
 * Reports of `cpmsim test`: lines for a terminal, a JSON document, and JUnit XML (the format CI
 * systems read: one testcase per scenario, a failure element when it failed).
 */
import { Chalk } from 'chalk';
import { XMLBuilder } from 'fast-xml-parser';
import type { Shard } from './shard.js';
import type { TestResult } from './test-run.js';

export const REPORTERS = ['terminal', 'json', 'junit'] as const;
export type Reporter = (typeof REPORTERS)[number];

export interface TestSummary {
  results: TestResult[];
  shard: Shard;
  update: boolean;
}

/** Why a scenario failed, as lines: its expectations, then its golden file. */
export function failureLines(r: TestResult): string[] {
  const lines = r.expectationsPassed ? [] : [`expectations: ${r.verdict}`, ...r.failures.map((f) => f.trim())];
  if (r.goldenOutcome === 'missing') lines.push(`no golden file ${r.golden}: write it with cpmsim test --update ${r.file}`);
  if (r.goldenOutcome === 'differs') {
    lines.push(`trace differs from ${r.golden} ${r.divergence?.summary ?? ''}`.trimEnd());
    if (r.goldenFingerprint !== undefined) lines.push(`fingerprint ${r.goldenFingerprint} in the golden file, ${r.fingerprint} now`);
    if (r.divergence !== undefined && r.divergence.diff !== '') lines.push(...r.divergence.diff.split('\n'));
  }
  return lines;
}

function counts(summary: TestSummary): { passed: number; failed: number } {
  const failed = summary.results.filter((r) => !r.passed).length;
  return { passed: summary.results.length - failed, failed };
}

export function terminalReport(summary: TestSummary, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const out: string[] = [];
  for (const r of summary.results) {
    const golden = r.goldenOutcome === 'written' ? `, wrote ${r.golden}` : '';
    if (r.passed) out.push(`${c.green('✓')} ${r.file}: ${r.verdict}; fingerprint ${r.fingerprint}${golden}`);
    else {
      out.push(`${c.red('✗')} ${r.file}: ${r.title}; fingerprint ${r.fingerprint}${golden}`);
      for (const line of failureLines(r)) out.push(`    ${line.startsWith('-') ? c.red(line) : line.startsWith('+') ? c.green(line) : line}`);
    }
  }
  const { passed, failed } = counts(summary);
  const shard = summary.shard.count > 1 ? ` (shard ${summary.shard.index}/${summary.shard.count})` : '';
  out.push(`${passed} passed, ${failed} failed${shard}`);
  return `${out.join('\n')}\n`;
}

/** The JSON report; `ms` is left out so that two runs of one suite give the same document. */
export function jsonReport(summary: TestSummary): string {
  const { passed, failed } = counts(summary);
  const results = summary.results.map(({ ms: _ms, ...r }) => r);
  return `${JSON.stringify({ schema: 'cpmsim.test', version: 1, shard: summary.shard, passed, failed, results }, null, 2)}\n`;
}

/** A JUnit testcase's class: the scenario's folder with dots, as Java packages read in CI views. */
function className(file: string): string {
  const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  return folder.replace(/^\.\//, '').replace(/[/\\]/g, '.') || 'scenarios';
}

export function junitReport(summary: TestSummary, withTimes = true): string {
  const { failed } = counts(summary);
  const seconds = (ms: number): string => (ms / 1000).toFixed(3);
  const total = summary.results.reduce((sum, r) => sum + r.ms, 0);
  const time = (ms: number): Record<string, string> => (withTimes ? { '@_time': seconds(ms) } : {});
  const testcases = summary.results.map((r) => ({
    '@_classname': className(r.file),
    '@_name': `${r.file}: ${r.title}`,
    '@_file': r.file,
    ...time(r.ms),
    ...(r.passed ? {} : { failure: { '@_message': failureLines(r)[0] ?? 'failed', '@_type': r.expectationsPassed ? 'golden' : 'expectations', '#text': failureLines(r).join('\n') } }),
    'system-out': `seed ${r.seed}; fingerprint ${r.fingerprint}; ${r.verdict}`,
  }));
  const suite = { '@_name': 'cpmsim test', '@_tests': summary.results.length, '@_failures': failed, '@_errors': 0, '@_skipped': 0, ...time(total), testcase: testcases };
  const builder = new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true });
  const xml = builder.build({ testsuites: { '@_name': 'cpmsim', '@_tests': summary.results.length, '@_failures': failed, '@_errors': 0, ...time(total), testsuite: suite } }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
}
