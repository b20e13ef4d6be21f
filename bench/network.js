// Hops and messages a second on a network of N users in 20 domains, each with one device: all
// register, then M pager-mode messages with delivery notifications between random users, four
// times: a first round (cold: each user's first message makes the state it keeps, and the code
// of the message path is compiled), then with tracing off (no observer), counting, and streamed to
// a JSON-lines file. Also the heap each idle registered user takes. Prints one JSON line.
// Run: node --expose-gc bench/network.js [users] [messages]
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CpmNetwork, EventCounter, FileSink, JsonlStreamWriter, SECOND } from '../dist/index.js';
import { mulberry32, registerEvenly, scheduleMessages } from './population.js';

const users = Number(process.argv[2] ?? 100_000);
const messages = Number(process.argv[3] ?? 2_000);
const DOMAINS = 20;
const collect = () => globalThis.gc?.();
/** The JS heap and the typed arrays' backing stores, which live outside it (the random streams' slabs, the event queue's keys). */
const heldBytes = () => {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

const net = new CpmNetwork({ seed: 42 });
for (let d = 1; d <= DOMAINS; d++) net.addDomain(`d${d}.example`);
collect();
const heap0 = heldBytes();
const aors = Array.from({ length: users }, (_, u) => `sip:u${u}@d${(u % DOMAINS) + 1}.example`);
const wall0 = performance.now();
for (const aor of aors) net.addUser(aor, ['phone']);
registerEvenly(net, aors);
net.run({ until: 20 * SECOND, maxEvents: Number.MAX_SAFE_INTEGER });
const registerWallS = (performance.now() - wall0) / 1000;
collect();
const bytesPerIdleUser = (heldBytes() - heap0) / users;

const uniform = mulberry32(7);

/** M messages evenly spread over M/100 virtual seconds, run until every transaction has ended. */
function phase() {
  const until = scheduleMessages(net, aors, messages, uniform);
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  net.run({ until, maxEvents: Number.MAX_SAFE_INTEGER });
  const cpu = process.cpuUsage(cpu0);
  return { cpuS: (cpu.user + cpu.system) / 1e6, wallS: (performance.now() - w0) / 1000 };
}

const cold = phase();
const off = phase();
const counter = new EventCounter();
net.observe(counter.observer);
const hopsOf = () => Object.values(counter.counts().transmitted).reduce((n, kinds) => n + Object.values(kinds).reduce((a, b) => a + b, 0), 0);
const count = phase();
const hopsCount = hopsOf();
const file = join(tmpdir(), `cpmsim-bench-${process.pid}.jsonl`);
const sink = new FileSink(file);
net.observe(new JsonlStreamWriter({ source: 'bench/network.js', title: 'bench', seed: 42 }, (t) => sink.write(t)).observer);
const traced = phase();
sink.close();
const hopsFile = hopsOf() - hopsCount;
rmSync(file);
// Tracing off has no observer to count with: its hops are the counting phase's per message.
const hopsPerMessage = hopsCount / messages;
console.log(
  JSON.stringify({
    users,
    messages,
    register_wall_s: registerWallS,
    bytes_per_idle_user: bytesPerIdleUser,
    hops_per_message: hopsPerMessage,
    hops_per_s_cold: (hopsPerMessage * messages) / cold.cpuS,
    hops_per_s_trace_off: (hopsPerMessage * messages) / off.cpuS,
    hops_per_s_trace_count: hopsCount / count.cpuS,
    hops_per_s_trace_file: hopsFile / traced.cpuS,
    trace_file_bytes: sink.size,
    messages_per_s: messages / off.cpuS,
    messages_per_s_wall: messages / off.wallS,
    wall_s_per_message: off.wallS / messages,
    peak_rss_mib: process.resourceUsage().maxRSS / 1024,
  }),
);
