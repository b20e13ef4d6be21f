/** A worker thread of `cpmsim test --jobs`: tests the scenarios it is given and posts each result with its index. */
import { parentPort, workerData } from 'node:worker_threads';
import { testScenario, type TestOptions } from './test-run.js';

export interface TestTask {
  /** Absolute path, name shown, and place in the serial order. */
  files: { path: string; shown: string; index: number }[];
  options: TestOptions;
}

const task = workerData as TestTask;
for (const { path, shown, index } of task.files) parentPort!.postMessage({ index, result: testScenario(path, shown, task.options) });
