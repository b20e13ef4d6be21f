/** A worker thread of `cpmsim explore --jobs`: runs the seeds it is given and posts each outcome. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadScenarioFile } from '../scenario/loader.js';
import { runSeed } from './campaign.js';
import type { FaultOptions } from './faults.js';

export interface WorkerTask {
  file: string;
  seeds: number[];
  faults: FaultOptions;
}

const task = workerData as WorkerTask;
const spec = loadScenarioFile(task.file);
for (const seed of task.seeds) parentPort!.postMessage(runSeed(spec, seed, task.faults));
