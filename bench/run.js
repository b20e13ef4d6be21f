// Benchmarks (`npm run bench`): how fast the simulator runs and how much memory it takes, on the
// bundled scenarios and on a synthetic network far larger than any figure. Targets live here, not
// in the unit tests; a miss prints a warning and sets the exit code, so a pipeline can act on it.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CpmNetwork, SECOND, loadScenarioFile, runScenario } from '../dist/index.js';
import { findScenarioFiles } from '../dist/scenario/discover.js';

// Measured on the 2-core machines this project runs on: about 0.25 s, 19 000 events/s and
// 750 MiB (every transaction keeps its messages for Timer J/K, 32 s of virtual time).
const TARGETS = {
  /** Every bundled scenario, run once each, in total. */
  bundledMs: 2_000,
  /** Network events a second on the synthetic load. */
  eventsPerSecond: 15_000,
  /** Heap growth of the synthetic load. */
  heapMiB: 1_024,
};

function bundled() {
  const files = findScenarioFiles([fileURLToPath(new URL('../scenarios', import.meta.url))]);
  const specs = files.map((f) => loadScenarioFile(f));
  const start = performance.now();
  let events = 0;
  for (const spec of specs) events += runScenario(spec).events.length;
  return { scenarios: specs.length, events, ms: performance.now() - start };
}

/** `users` users in `domains` domains; each sends one pager-mode message a second for `seconds`. */
function synthetic(domains, users, seconds) {
  const net = new CpmNetwork({ seed: 42 });
  let events = 0;
  net.observe(() => events++);
  const names = Array.from({ length: domains }, (_, d) => `d${d}.example`);
  for (const name of names) net.addDomain(name);
  const aors = Array.from({ length: users }, (_, u) => `sip:u${u}@${names[u % domains]}`);
  for (const aor of aors) net.addUser(aor, ['phone']);
  net.at(0, () => aors.forEach((aor) => net.client(aor, 'phone').register()));
  for (let s = 1; s <= seconds; s++) {
    net.at(s * SECOND, () => aors.forEach((aor, u) => net.client(aor, 'phone').send({ to: aors[(u * 7 + s) % users], text: `m${s}`, notify: ['positive-delivery'] })));
  }
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  net.run({ until: (seconds + 40) * SECOND, maxEvents: 100_000_000 });
  const ms = performance.now() - start;
  return { users, messages: users * seconds, events, ms, eventsPerSecond: (events / ms) * 1000, heapMiB: (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20 };
}

const misses = [];
const check = (what, value, target, better) => {
  const ok = better === 'lower' ? value <= target : value >= target;
  if (!ok) misses.push(`${what}: ${value.toFixed(0)} (target ${better === 'lower' ? '<=' : '>='} ${target})`);
};

const b = bundled();
console.log(`bundled scenarios: ${b.scenarios} runs, ${b.events} trace events in ${b.ms.toFixed(0)} ms`);
check('bundled scenarios (ms)', b.ms, TARGETS.bundledMs, 'lower');

const s = synthetic(20, 2_000, 5);
console.log(`synthetic load: ${s.users} users, ${s.messages} messages with delivery notifications, ${s.events} network events in ${s.ms.toFixed(0)} ms (${s.eventsPerSecond.toFixed(0)} events/s), heap +${s.heapMiB.toFixed(0)} MiB`);
check('synthetic events per second', s.eventsPerSecond, TARGETS.eventsPerSecond, 'higher');
check('synthetic heap growth (MiB)', s.heapMiB, TARGETS.heapMiB, 'lower');

if (misses.length > 0) {
  console.warn(`missed targets:\n  ${misses.join('\n  ')}`);
  process.exitCode = 1;
}
