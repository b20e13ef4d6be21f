/**
 * The load run's progress bar on a terminal (cli-progress): virtual time done, wall time, events
 * per second and the time left at the current pace.
 */
import cliProgress from 'cli-progress';
import type { Progress } from '../load/run.js';
import { SECOND } from '../kernel/time.js';

export function progressBar(stream: NodeJS.WritableStream): { update(p: Progress): void; stop(): void } {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{bar} {percentage}% | virtual {virtual}/{end} s | wall {wall} s | {rate} events/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let last = { events: 0, wallMs: 0 };
  return {
    update(p: Progress): void {
      const rate = p.wallMs > last.wallMs ? ((p.events - last.events) / (p.wallMs - last.wallMs)) * 1000 : 0;
      last = { events: p.events, wallMs: p.wallMs };
      const payload = { virtual: (p.virtualUs / SECOND).toFixed(0), end: (p.endUs / SECOND).toFixed(0), wall: (p.wallMs / 1000).toFixed(1), rate: Math.round(rate).toLocaleString('en-US') };
      if (!started) {
        bar.start(p.endUs, p.virtualUs, payload);
        started = true;
      } else bar.update(p.virtualUs, payload);
    },
    stop(): void {
      if (started) bar.stop();
    },
  };
}
