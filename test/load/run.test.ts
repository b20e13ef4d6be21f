import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { SECOND } from '../../src/kernel/time.js';
import { loadLoadText } from '../../src/load/loader.js';
import { reportCsv } from '../../src/load/report.js';
import { runLoad } from '../../src/load/run.js';
import { PCAP_MAGIC } from '../../src/trace/pcap.js';

const TEXT = `title: two small domains
seed: 3
duration: 3min
population:
  domains: 2
  users-per-domain: 6
  aliases: true
  groups: { per-domain: 1, members: 3 }
  non-cpm: { sms: 2, email: 2 }
  registration: 2s
traffic:
  pager: { every: 1min, notify: [positive-delivery] }
  group: { every: 2min }
  sessions: { every: 5min, duration: 20s, messages: 2 }
  churn: { every: 3min, offline: 30s }
  non-cpm: { every: 5min }
`;
const spec = loadLoadText(TEXT, 'small.load.yaml');

describe('runLoad', () => {
  const report = runLoad(spec);
  const m = report.metrics;

  it('builds the population and runs the traffic for the duration and a Timer F drain', () => {
    expect(m.users).toBe(12);
    expect(m.devices).toBe(12);
    expect(m.virtualUs).toBe(180 * SECOND + 32 * SECOND);
    expect(m.actions['pager']).toBeGreaterThan(0);
    expect(m.hops).toBeGreaterThan(0);
  });

  it('measures every message shown to a recipient and every delivery notification back', () => {
    // Each pager message reaches one device and asks for a notification; the notifications that
    // came are all "delivered" (the recipients allow them by default, CPM 5.2.2.3.1).
    expect(m.deliveryLatencyUs?.count).toBeGreaterThan(0);
    expect(m.notificationRoundTripUs?.count).toBe(m.notificationOutcomes['delivery: delivered']);
    // A round trip is at least two crossings of the domains' 10ms link each way.
    expect(m.notificationRoundTripUs!.p50).toBeGreaterThan(m.deliveryLatencyUs!.p50);
  });

  it('counts messages by the entity that sent them and their protocol', () => {
    const by = new Map(m.throughput.map((t) => [`${t.entity} ${t.protocol}`, t.messages]));
    expect(by.get('core sip')).toBeGreaterThan(0);
    expect(by.get('client sip')).toBeGreaterThan(0);
    expect(m.throughput.reduce((n, t) => n + t.messages, 0)).toBe(m.hops);
    expect(m.interworking.sms + m.interworking.email).toBe(m.actions['non-cpm'] ?? 0);
  });

  it('samples the deferred store once per sample interval', () => {
    expect(m.deferred.map((s) => s.at)).toEqual(Array.from({ length: 22 }, (_, i) => Math.min((i + 1) * 10 * SECOND, 212 * SECOND)));
  });

  it('gives the same metrics for the same file and seed, other ones for another seed', () => {
    expect(runLoad(spec).metrics).toEqual(m);
    expect(runLoad(spec, { seed: 4 }).metrics).not.toEqual(m);
  });

  it('writes the metrics as CSV rows of section, name and value', () => {
    const csv = reportCsv(report).split('\r\n');
    expect(csv[0]).toBe('section,name,value');
    expect(csv).toContain(`run,hops,${m.hops}`);
    expect(csv).toContain(`notification-round-trip-us,p50,${m.notificationRoundTripUs!.p50}`);
  });
});

describe('cpmsim load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cpmsim-load-'));
  const file = join(dir, 'small.load.yaml');
  writeFileSync(file, TEXT);

  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), color: false, columns: 100, cwd: dir });
    return { code, out, err };
  }

  it('prints the metrics table and writes CSV and JSON', async () => {
    const r = await cli(['load', 'small.load.yaml', '--csv', 'm.csv', '--json', 'm.json', '--trace', 'count']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^two small domains \(small\.load\.yaml, seed 3\)/);
    expect(r.out).toMatch(/delivery notification round trip/);
    expect(r.err).toBe('');
    const json = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8'));
    expect(json.metrics.trace.transmitted.sip.request).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'm.csv'), 'utf8')).toMatch(/^section,name,value\r\n/);
  });

  it('streams the trace as JSON lines or pcap', async () => {
    expect((await cli(['load', 'small.load.yaml', '--trace', 'jsonl=t.jsonl'])).code).toBe(0);
    const lines = readFileSync(join(dir, 't.jsonl'), 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({ schema: 'cpmsim.trace-stream', version: 1, source: 'small.load.yaml', title: 'two small domains', seed: 3 });
    expect(lines.length).toBeGreaterThan(100);
    expect((await cli(['load', 'small.load.yaml', '--trace', 'pcap=t.pcap'])).code).toBe(0);
    expect(readFileSync(join(dir, 't.pcap')).readUInt32LE(0)).toBe(PCAP_MAGIC);
  });

  it('refuses a bad file, a bad --trace and an unwritable output with exit 2 and one line', async () => {
    writeFileSync(join(dir, 'bad.load.yaml'), TEXT.replace('domains: 2', 'domains: zero'));
    const bad = await cli(['load', 'bad.load.yaml']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(`cpmsim: ${join(dir, 'bad.load.yaml')}:5:12: population.domains: expected a whole number, got the text 'zero'\n`);
    const trace = await cli(['load', 'small.load.yaml', '--trace', 'jsonl']);
    expect(trace).toMatchObject({ code: 2, err: 'cpmsim: --trace jsonl: expected off, count, jsonl=FILE or pcap=FILE\n' });
    writeFileSync(join(dir, 'afile'), '');
    const unwritable = await cli(['load', 'small.load.yaml', '--json', 'afile/m.json']);
    expect(unwritable.code).toBe(2);
    expect(unwritable.err).toMatch(/^cpmsim: cannot write .*afile\/m\.json: a file is in the way of a folder\n$/);
  });
});
