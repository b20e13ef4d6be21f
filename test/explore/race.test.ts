/**
 * Explore finds a real race: in Figure 7 (C.2.1.2.3) the core's CANCEL to B2 can arrive after B2
 * accepted, so the Controlling Function gets a second 2xx from another dialog (RFC 3261 13.2.2.4:
 * it must ACK it, then ends it with BYE). The flawed variant re-sends the first dialog's ACK and
 * leaves B2's dialog half-open; the real one does not.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { exploreRun } from '../../src/explore/explore-run.js';
import { NO_FAULTS } from '../../src/explore/faults.js';
import { formatPerturbations, parsePerturbations, type Perturbation } from '../../src/explore/perturbation.js';
import { shrink } from '../../src/explore/shrink.js';
import { loadScenarioFile } from '../../src/scenario/loader.js';
import { isSip } from '../../src/wire/payload.js';

const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const figure7 = join(root, 'scenarios/appendix-c/c-2-1-2-3-group-session-multiple-clients.yaml');
const flawed = join(root, 'test/explore/fixtures/figure-7-flawed.yaml');

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: () => undefined, color: false, columns: 100, cwd: root });
  return { code, out };
}

/**
 * Drops every copy of the core's CANCEL to B2 (RFC 3261 17.1.2.2 retransmits it) that would reach
 * B2 before it accepts at 4.03s: found run by run, each drop revealing the next retransmission.
 */
function lateCancel(file: string): Perturbation[] {
  const spec = loadScenarioFile(file);
  const drops: Perturbation[] = [];
  for (;;) {
    const run = exploreRun(spec, 7, { kind: 'replay', perturbations: drops }).run!;
    const cancel = run.events.find(
      (e) => e.type === 'transmit' && e.to === 'b2.bob.b.example' && e.arriveAt < 4_030_000 && isSip(e.payload) && e.payload.type === 'request' && e.payload.method === 'CANCEL',
    );
    if (cancel === undefined) return drops;
    drops.push({ kind: 'drop', packet: cancel.id });
  }
}

describe('explore finds the late-CANCEL race of Figure 7', () => {
  it('the flawed Controlling Function leaves the second dialog half-open; the real one releases it', () => {
    const late = lateCancel(figure7);
    expect(late.length).toBe(3);
    const bad = exploreRun(loadScenarioFile(flawed), 7, { kind: 'replay', perturbations: late });
    expect(bad.violations.map((v) => v.monitor)).toEqual(['dialogs-complete']);
    expect(bad.violations[0]!.message).toMatch(/from b2\.bob\.b\.example was neither ACKed nor ended with BYE/);
    const good = exploreRun(loadScenarioFile(figure7), 7, { kind: 'replay', perturbations: late });
    expect(good.violations).toEqual([]);
    const notes = good.run!.events.flatMap((e) => (e.type === 'note' ? [e.text] : []));
    expect(notes).toContain('bob@b.example answered on a second device: released');
  });

  it('shrinks a noisy counterexample to the three lost CANCELs, and the printed list replays it', () => {
    const spec = loadScenarioFile(flawed);
    const late = lateCancel(flawed);
    const noise: Perturbation[] = [{ kind: 'delay', packet: 3, us: 200 }, ...late, { kind: 'delay', packet: 1, us: 700 }, { kind: 'ties' }];
    const failing = exploreRun(spec, 7, { kind: 'replay', perturbations: noise });
    expect(failing.violations.map((v) => v.monitor)).toContain('dialogs-complete');
    const minimal = shrink(spec, failing, 'dialogs-complete');
    // The same three packets, now named by their place on the core's link to B2: its three CANCELs.
    expect(minimal.perturbations.map((p) => p.kind)).toEqual(['drop', 'drop', 'drop']);
    expect(minimal.perturbations.map((p) => (p.kind === 'drop' ? p.packet : ''))).toEqual(expect.arrayContaining([expect.stringMatching(/^core\.b\.example>b2\.bob\.b\.example#\d+$/)]));
    const lost = minimal.run.run!.events.flatMap((e) => (e.type === 'undeliverable' && e.reason === 'lost' && isSip(e.payload) && e.payload.type === 'request' ? [`${e.payload.method} to ${e.to}`] : []));
    expect(lost).toEqual(['CANCEL to b2.bob.b.example', 'CANCEL to b2.bob.b.example', 'CANCEL to b2.bob.b.example']);
    // Both timeline actions are needed: without the registration or the invitation there is no session.
    expect(minimal.timeline).toEqual([0, 1]);
    const again = exploreRun(spec, 7, { kind: 'replay', perturbations: parsePerturbations(formatPerturbations(minimal.perturbations)) });
    expect(again.violations.map((v) => v.monitor)).toEqual(['dialogs-complete']);
  });

  it('shrinks a run found under jitter (and loss) to a few delays, each needed, and the printed list replays it', () => {
    const spec = loadScenarioFile(flawed);
    const faults = { ...NO_FAULTS, jitterUs: 2_500_000, loss: 0.05, ties: true };
    // The first of a few seeds whose run breaks it: which one does depends on every packet of the flow.
    let found: { seed: number; run: ReturnType<typeof exploreRun> } | undefined;
    for (let seed = 1; seed <= 40 && found === undefined; seed++) {
      const run = exploreRun(spec, seed, { kind: 'generate', faults });
      if (run.violations.some((v) => v.monitor === 'dialogs-complete')) found = { seed, run };
    }
    expect(found).toBeDefined();
    for (const { seed, run: failing } of [found!]) {
      expect(failing.perturbations.length).toBeGreaterThan(300);
      const minimal = shrink(spec, failing, 'dialogs-complete');
      // From more than 300 to a handful (3 to 7 in the seeds tried), each one needed (below).
      expect(minimal.perturbations.length).toBeLessThanOrEqual(8);
      const replay = (list: Perturbation[]): string[] => exploreRun(spec, seed, { kind: 'replay', perturbations: parsePerturbations(formatPerturbations(list)) }).violations.map((v) => v.monitor);
      expect(replay(minimal.perturbations)).toContain('dialogs-complete');
      // 1-minimal: without any one of them the race does not happen.
      for (const p of minimal.perturbations) expect(replay(minimal.perturbations.filter((q) => q !== p))).not.toContain('dialogs-complete');
      for (const p of minimal.perturbations) if (p.kind === 'delay' || p.kind === 'drop') expect(String(p.packet)).toMatch(/^[a-z0-9.]+>[a-z0-9.]+#\d+$/);
    }
  }, 120_000);

  it('cpmsim explore reports the flawed variant (exit 1, seed and replay command) and passes the real one (exit 0)', async () => {
    const bad = await cli(['explore', 'test/explore/fixtures/figure-7-flawed.yaml', '--runs', '30', '--jitter', '2500ms', '--no-shrink']);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/✗ dialogs-complete: test\/explore\/fixtures\/figure-7-flawed\.yaml, run seed \d+/);
    expect(bad.out).toMatch(/replay: {2}cpmsim explore test\/explore\/fixtures\/figure-7-flawed\.yaml --replay \d+ --jitter 2500000us/);
    const good = await cli(['explore', 'scenarios/appendix-c/c-2-1-2-3-group-session-multiple-clients.yaml', '--runs', '30', '--jitter', '2500ms']);
    expect(good.out).toMatch(/0 of 30 run\(s\) broke an invariant/);
    expect(good.code).toBe(0);
  });

  it('a replayed seed gives the run explore reported', async () => {
    const bad = await cli(['explore', 'test/explore/fixtures/figure-7-flawed.yaml', '--runs', '30', '--jitter', '2500ms', '--no-shrink']);
    const seed = /run seed (\d+)/.exec(bad.out)![1]!;
    const replayed = await cli(['explore', 'test/explore/fixtures/figure-7-flawed.yaml', '--replay', seed, '--jitter', '2500ms']);
    expect(replayed.code).toBe(1);
    // Which of Bob's clients answered second depends on the run's draws; the replay names the same one.
    const reported = /the 2xx to INVITE .* from (b[12]\.bob\.b\.example)/.exec(bad.out)![1]!;
    expect(replayed.out).toMatch(new RegExp(`✗ dialogs-complete: the 2xx to INVITE .* from ${reported.replace(/\./g, '\\.')}`));
    const options = { ...NO_FAULTS, jitterUs: 2_500_000, ties: true };
    const a = exploreRun(loadScenarioFile(flawed), Number(seed), { kind: 'generate', faults: options });
    const b = exploreRun(loadScenarioFile(flawed), Number(seed), { kind: 'replay', perturbations: a.perturbations });
    expect(b.run!.events.length).toBe(a.run!.events.length);
    expect(b.violations).toEqual(a.violations);
  });
});
