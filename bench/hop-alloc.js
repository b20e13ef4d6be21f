// What the hop path allocates (docs/performance.md, "After the fifth round"): N users in 20 domains
// registered, a cold round of M pager-mode messages with delivery notifications, then R measured
// rounds. Bytes allocated and promoted in the measured rounds are summed from V8's own GC log
// (`--trace-gc-nvp`, one line per collection with `allocated=` and `promoted=`): allocation is the
// figure that moves least with other jobs on the machine, and the collector's CPU follows it.
// V8 writes that log through C stdio, buffered apart from what the script prints, so the rounds are
// marked in the log itself: three forced full collections in a row, with nothing allocated between.
// Run: node bench/hop-alloc.js [users=10000] [messages=4000] [rounds=3]   (after npm run build)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CpmNetwork, SECOND } from '../dist/index.js';
import { mulberry32, registerEvenly, scheduleMessages } from './population.js';

const [users = 10_000, messages = 4_000, rounds = 3] = process.argv.slice(2).map(Number);
const MARK_COLLECTIONS = 3;
/** A forced collection right after another allocates next to nothing (the log's own units, bytes). */
const QUIET = 64 * 1024;
/** The log prints a counter that went slightly back (a forced collection's) as an unsigned 64-bit number. */
const signed = (digits) => (digits === undefined ? 0 : Number(BigInt.asIntN(64, BigInt(digits))));

if (process.env.CPMSIM_HOP_ALLOC_CHILD === undefined) {
  const child = spawnSync(process.execPath, ['--expose-gc', '--trace-gc-nvp', fileURLToPath(import.meta.url), String(users), String(messages), String(rounds)], {
    env: { ...process.env, CPMSIM_HOP_ALLOC_CHILD: '1' },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (child.status !== 0) throw new Error(`the measured run failed: ${child.stderr}`);
  const log = child.stdout
    .split('\n')
    .filter((line) => line.includes('allocated='))
    .map((line) => ({
      full: /\bgc=m[cs]\b/.test(line),
      allocated: signed(/\ballocated=(\d+)/.exec(line)?.[1]),
      promoted: signed(/\bpromoted=(\d+)/.exec(line)?.[1]),
    }));
  // Where each mark ends: a run of at least MARK_COLLECTIONS full collections, all but the first
  // quiet. A run is taken whole: a quiet collection of V8's own next to a mark (its memory reducer)
  // lengthens the run instead of making a second mark; the measured rounds lie between the runs.
  const marks = [];
  for (let i = 0; i < log.length; ) {
    let end = i;
    while (end + 1 < log.length && log[end + 1].full && log[end + 1].allocated < QUIET) end++;
    if (log[i].full && end - i + 1 >= MARK_COLLECTIONS) marks.push({ start: i, end });
    i = end + 1;
  }
  if (marks.length !== 2) throw new Error(`expected the two marks in the GC log, found ${marks.length}`);
  const measured = log.slice(marks[0].end + 1, marks[1].start + 1);
  const collections = measured.length;
  const allocated = measured.reduce((n, c) => n + c.allocated, 0);
  const promoted = measured.reduce((n, c) => n + c.promoted, 0);
  const total = messages * rounds;
  console.log(JSON.stringify({ users, messages: total, collections, allocated_mb: allocated / 1e6, promoted_mb: promoted / 1e6, allocated_kb_per_message: allocated / 1024 / total }));
} else {
  const net = new CpmNetwork({ seed: 42 });
  for (let d = 1; d <= 20; d++) net.addDomain(`d${d}.example`);
  const aors = Array.from({ length: users }, (_, u) => `sip:u${u}@d${(u % 20) + 1}.example`);
  for (const aor of aors) net.addUser(aor, ['phone']);
  registerEvenly(net, aors);
  net.run({ until: 20 * SECOND, maxEvents: Number.MAX_SAFE_INTEGER });
  const uniform = mulberry32(7);
  const round = () => net.run({ until: scheduleMessages(net, aors, messages, uniform), maxEvents: Number.MAX_SAFE_INTEGER });
  const mark = () => {
    for (let k = 0; k < MARK_COLLECTIONS; k++) globalThis.gc();
  };
  round();
  mark();
  for (let r = 0; r < rounds; r++) round();
  mark();
}
