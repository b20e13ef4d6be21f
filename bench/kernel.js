// The kernel's standard model through the public Simulator API: 1,000 processes, each
// rescheduling itself after a uniform random delay in [0, 1) s (whole microseconds), the model
// bench/simpy_model.py and bench/ns3_model.cc run too. Prints one JSON line.
// Run: node bench/kernel.js [events]
import { SECOND, Simulator } from '../dist/index.js';

const PROCESSES = 1000;
const target = Number(process.argv[2] ?? 5_000_000);

/** mulberry32: a few integer operations a draw, so the figure is the kernel's, not the generator's. */
function uniform(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sim = new Simulator();
const next = uniform(42);
const fire = () => {
  sim.schedule(Math.floor(next() * SECOND), fire);
};
for (let i = 0; i < PROCESSES; i++) sim.schedule(Math.floor(next() * SECOND), fire);
// Each process fires about twice a virtual second.
const until = Math.ceil(target / (2 * PROCESSES)) * SECOND;
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
sim.run({ until });
const cpu = process.cpuUsage(cpu0);
const cpuS = (cpu.user + cpu.system) / 1e6;
const wallS = (performance.now() - wall0) / 1000;
console.log(JSON.stringify({ events: sim.eventsRun, cpu_s: cpuS, wall_s: wallS, events_per_s: sim.eventsRun / cpuS }));
