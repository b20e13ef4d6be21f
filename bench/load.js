// Runs a load file through the library (runLoad) and prints a JSON line per metrics sample and
// one at the end; past the wall budget it stops with `stopped` and the virtual time reached.
// Run: node bench/load.js <file> [budget-s]
import { loadLoadFile, runLoad } from '../dist/index.js';

const file = process.argv[2];
const budgetS = Number(process.argv[3] ?? 600);
const spec = loadLoadFile(file);
const wall0 = performance.now();
const report = runLoad(spec, {
  progress: (p) => {
    const wallS = (performance.now() - wall0) / 1000;
    console.log(JSON.stringify({ virtual_s: p.virtualUs / 1e6, end_s: p.endUs / 1e6, events: p.events, wall_s: wallS }));
    if (wallS > budgetS) {
      console.log(JSON.stringify({ stopped: true, virtual_s: p.virtualUs / 1e6, end_s: p.endUs / 1e6, wall_s: wallS, peak_rss_mib: process.resourceUsage().maxRSS / 1024 }));
      process.exit(0);
    }
  },
});
const m = report.metrics;
console.log(
  JSON.stringify({
    done: true,
    wall_s: report.machine.wallS,
    cpu_s: report.machine.cpuS,
    peak_rss_mib: report.machine.peakRssMiB,
    messages: (m.actions.pager ?? 0) + (m.actions.group ?? 0) + (m.actions['non-cpm'] ?? 0),
    hops: m.hops,
    delivery_latency_us: m.deliveryLatencyUs,
    notification_round_trip_us: m.notificationRoundTripUs,
    notification_outcomes: m.notificationOutcomes,
    awaiting_notification: m.awaitingNotification,
    deferred_peak: Math.max(0, ...m.deferred.map((d) => d.messages)),
  }),
);
