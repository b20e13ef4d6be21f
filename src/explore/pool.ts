import { Worker } from 'node:worker_threads';
import type { RunOutcome } from './campaign.js';
import type { FaultOptions } from './faults.js';
import type { WorkerTask } from './worker.js';

/** The compiled worker: worker threads run JavaScript, so from sources (tests) this is dist's copy. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../../dist/explore/worker.js', here) : new URL('./worker.js', here);
}

/**
 * Spreads the seeds over `jobs` worker threads (seed k to worker k mod jobs) and hands back every
 * outcome sorted by seed, whatever order they finished in, so the result is the serial one.
 */
export async function runInWorkers(file: string, seeds: number[], faults: FaultOptions, jobs: number, onRun: () => void): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = [];
  const lanes = Array.from({ length: Math.min(jobs, seeds.length) }, (_, w) => seeds.filter((_, k) => k % jobs === w));
  await Promise.all(
    lanes.map(
      (lane) =>
        new Promise<void>((resolve, reject) => {
          const task: WorkerTask = { file, seeds: lane, faults };
          const worker = new Worker(workerUrl(), { workerData: task });
          worker.on('message', (outcome: RunOutcome) => {
            outcomes.push(outcome);
            onRun();
          });
          worker.on('error', reject);
          worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`explore worker exited with code ${code}`))));
        }),
    ),
  );
  return outcomes.sort((a, b) => a.seed - b.seed);
}
