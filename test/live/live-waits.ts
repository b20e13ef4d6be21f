import type { LiveResult, LiveRun } from '../../src/live/live-run.js';

/** Stops a live run and gives what it saw. */
export async function stop(live: LiveRun): Promise<LiveResult> {
  live.stop();
  return live.finished;
}

/** Waits (in real time, at most 5 s) until the live run has seen what the test waits for. */
export async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 10) {
    if (waited > 5000) throw new Error('the live run did not get there within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
