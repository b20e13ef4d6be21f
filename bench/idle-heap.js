// Where an idle user's memory goes (docs/performance.md, "Where the memory goes now").
//
//   node --expose-gc bench/idle-heap.js [USERS=5000] [SECONDS=60] [Class ...]
//
// Registers USERS users in 20 domains (evenly over 10 virtual seconds, as bench/network.js does),
// runs to SECONDS of virtual time, writes a heap snapshot to the temporary directory and prints,
// per user: the memory grown (the heap and the array buffers outside it), the shallow size by kind of node, and for each class named (by default
// the elements' and a device's main classes) what is reachable only through its instances, the
// way a heap viewer's "retained size" counts it for a set of objects.
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { CpmNetwork, SECOND } from '../dist/index.js';
import { registerEvenly } from './population.js';

const DEFAULT_CLASSES = ['EventQueue', 'ScheduledTimer', 'ConversationServer', 'Registrar', 'Rebootable', 'Registration',
  'SeededStream', 'SipStack', 'Xdms', 'RegEventNotifier', 'CpmClient'];
const [usersArg, secondsArg, ...named] = process.argv.slice(2);
const users = Number(usersArg ?? 5000), seconds = Number(secondsArg ?? 60), DOMAINS = 20;
const classes = named.length > 0 ? named : DEFAULT_CLASSES;
if (typeof gc !== 'function') throw new Error('run with node --expose-gc');

const net = new CpmNetwork({ seed: 42 });
for (let d = 1; d <= DOMAINS; d++) net.addDomain(`d${d}.example`);
const aors = Array.from({ length: users }, (_, u) => `sip:u${u}@d${(u % DOMAINS) + 1}.example`);
/** The JS heap and the typed arrays' backing stores, which live outside it. */
const heldBytes = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
gc();
const before = heldBytes();
for (const aor of aors) net.addUser(aor, ['phone']);
registerEvenly(net, aors);
net.run({ until: seconds * SECOND, maxEvents: Number.MAX_SAFE_INTEGER });
gc();
gc();
console.log(`${users} users at ${seconds} s: ${((heldBytes() - before) / users).toFixed(0)} B each (heap and array buffers)`);

const dir = mkdtempSync(join(tmpdir(), 'cpmsim-heap-'));
const snap = JSON.parse(readFileSync(writeHeapSnapshot(join(dir, 'idle.heapsnapshot')), 'utf8'));
rmSync(dir, { recursive: true });
const meta = snap.snapshot.meta, NF = meta.node_fields.length, EF = meta.edge_fields.length;
const { nodes, edges, strings } = snap;
const [iType, iName, iSize, iEdges] = ['type', 'name', 'self_size', 'edge_count'].map((f) => meta.node_fields.indexOf(f));
const [eType, eTo] = ['type', 'to_node'].map((f) => meta.edge_fields.indexOf(f));
const nodeTypes = meta.node_types[0], weak = meta.edge_types[0].indexOf('weak');
const count = nodes.length / NF;
const perUser = (bytes) => (bytes / users).toFixed(0).padStart(7);

// Shallow size by kind: strings of every representation together, objects by constructor.
const kinds = new Map();
for (let v = 0; v < count; v++) {
  const type = nodeTypes[nodes[v * NF + iType]];
  const name = /string/.test(type) ? '' : strings[nodes[v * NF + iName]];
  const key = `${type} ${name}`.slice(0, 80);
  const k = kinds.get(key) ?? { n: 0, bytes: 0 };
  k.n++;
  k.bytes += nodes[v * NF + iSize];
  kinds.set(key, k);
}
console.log('\nshallow size per user, by kind of node');
for (const [key, k] of [...kinds].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 20))
  console.log(`${perUser(k.bytes)} B  ${(k.n / users).toFixed(1).padStart(6)} nodes  ${key}`);

// Retained through a class: what the roots no longer reach once its instances are blocked.
const firstEdge = new Uint32Array(count + 1);
for (let v = 0, e = 0; v < count; v++) { firstEdge[v] = e; e += nodes[v * NF + iEdges] * EF; }
firstEdge[count] = edges.length;
const reach = (blocked, starts) => {
  const seen = new Uint8Array(count);
  const stack = [...starts];
  for (const s of starts) seen[s] = 1;
  while (stack.length > 0) {
    const v = stack.pop();
    for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF) {
      if (edges[e + eType] === weak) continue;
      const w = edges[e + eTo] / NF;
      if (seen[w] === 0 && !blocked(w)) { seen[w] = 1; stack.push(w); }
    }
  }
  return seen;
};
const live = reach(() => false, [0]);
console.log('\nretained per user only through the instances of');
for (const cls of classes) {
  const isInstance = (v) => /^(object|closure)$/.test(nodeTypes[nodes[v * NF + iType]]) && strings[nodes[v * NF + iName]] === cls;
  const instances = [];
  for (let v = 0; v < count; v++) if (live[v] === 1 && isInstance(v)) instances.push(v);
  const without = reach(isInstance, [0]);
  const through = reach((w) => without[w] === 1, instances);
  let bytes = 0;
  for (let v = 0; v < count; v++) if (through[v] === 1 && without[v] === 0) bytes += nodes[v * NF + iSize];
  console.log(`${perUser(bytes)} B  ${(instances.length / users).toFixed(2).padStart(6)} per user  ${cls}`);
}
