import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const pager = 'scenarios/behaviour/interworking-selection-order.yaml';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), color: false, columns: 100, cwd: root });
  return { code, out, err };
}

/** The runs each invariant broke, from the summary table. */
function table(out: string): string {
  return out.slice(out.indexOf('  invariant'), out.indexOf('run(s) broke'));
}

describe('cpmsim explore: bad input exits 2 with the flag named', () => {
  it.each([
    [['--loss', '1.5'], "--loss: expected a probability from 0 to below 1, got '1.5'"],
    [['--jitter', '5'], '--jitter: duration 5 needs a unit'],
    [['--shard', '3/2'], "--shard: expected i/n with 1 <= i <= n, like 2/4; got '3/2'"],
    [['--perturb', 'drop@1'], '--perturb and --timeline go with --replay <seed>'],
    [['--replay', '1', '--perturb', 'lose@1'], "--perturb: 'lose@1' is not a perturbation"],
    [['--replay', '1', '--timeline', '9'], "--timeline: '9' is not an index"],
    [['--jobs', '0'], '--jobs must be at least 1'],
  ])('%j', async (flags, message) => {
    const r = await cli(['explore', pager, ...flags]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });
});

describe('cpmsim explore', () => {
  it('passes a clean exploration of a scenario with no faults but reordered ties (exit 0)', async () => {
    const r = await cli(['explore', 'scenarios/appendix-c/c-3-1-4-4-recipient-multiple-devices.yaml', '--runs', '10']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/explored 1 scenario\(s\), 10 run\(s\) in [\d.]+s; faults: none/);
    expect(r.out).toContain('0 of 10 run(s) broke an invariant');
  });

  it('finds every interworked MESSAGE answered under loss: SMPP and SMTP ride on TCP, which sends lost segments again (issue 7)', async () => {
    const r = await cli(['explore', pager, '--runs', '10', '--loss', '0.05', '--no-shrink']);
    expect(r.code).toBe(0);
    expect(table(r.out)).toMatch(/transactions-end +0$/m);
    expect(r.out).toContain('0 of 10 run(s) broke an invariant');
  });

  it('splits runs over shards by seed, so the shards add up to the serial exploration', async () => {
    const all = await cli(['explore', pager, '--runs', '12', '--loss', '0.05', '--no-shrink']);
    const one = await cli(['explore', pager, '--runs', '12', '--loss', '0.05', '--no-shrink', '--shard', '1/2']);
    const two = await cli(['explore', pager, '--runs', '12', '--loss', '0.05', '--no-shrink', '--shard', '2/2']);
    const counts = (out: string): number[] => [...table(out).matchAll(/ (\d+)$/gm)].map((m) => Number(m[1]));
    expect(counts(one.out).map((n, i) => n + counts(two.out)[i]!)).toEqual(counts(all.out));
    expect(one.out).toContain('6 run(s) (shard 1/2)');
  });
});

describe('cpmsim explore --jobs (worker threads run the compiled code)', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root });
  }, 120_000);

  it('gives exactly the serial result', () => {
    const run = (jobs: string): string =>
      execFileSync('node', ['bin/cpmsim.js', 'explore', pager, '--runs', '8', '--loss', '0.05', '--no-shrink', '--jobs', jobs], { cwd: root, encoding: 'utf8' }).toString();
    const serial = (() => {
      try {
        return run('1');
      } catch (e) {
        return (e as { stdout: string }).stdout;
      }
    })();
    const parallel = (() => {
      try {
        return run('2');
      } catch (e) {
        return (e as { stdout: string }).stdout;
      }
    })();
    const withoutTime = (s: string): string => s.replace(/in [\d.]+s;/, '');
    expect(withoutTime(parallel)).toBe(withoutTime(serial));
    expect(serial).toMatch(/transactions-end/);
  }, 60_000);
});
