/**
 * The metrics of a load run as one value: `metrics` depends only on the file and the seed (the
 * same inputs give the same figures), `machine` on the machine that ran it (time, memory).
 */
import { SECOND, type Micros } from '../kernel/time.js';
import type { EventCounts } from '../trace/event-counter.js';
import type { LoadMetrics, Sample } from './metrics.js';
import { summarize, type Summary } from './percentiles.js';
import type { Population } from './population.js';
import type { LoadSpec } from './spec.js';

export interface LoadReport {
  file: string;
  title: string;
  seed: number;
  metrics: {
    users: number;
    devices: number;
    domains: number;
    /** Virtual time run, the drain after the traffic included, µs. */
    virtualUs: Micros;
    events: number;
    hops: number;
    undeliverable: number;
    /** Messages sent, by entity and protocol, in all and per virtual second. */
    throughput: { entity: string; protocol: string; messages: number; perVirtualSecond: number }[];
    actions: Record<string, number>;
    /** Message sent -> shown on a recipient's device, µs of virtual time. */
    deliveryLatencyUs?: Summary;
    /** Message sent -> its delivery notification back at the sender, µs of virtual time. */
    notificationRoundTripUs?: Summary;
    notificationOutcomes: Record<string, number>;
    /** Messages that asked for a delivery notification and had none when the run ended. */
    awaitingNotification: number;
    interworking: { sms: number; email: number };
    deferred: { at: Micros; messages: number }[];
    trace?: EventCounts;
  };
  machine: {
    wallS: number;
    cpuS: number;
    eventsPerWallSecond: number;
    hopsPerCpuSecond: number;
    messagesPerCpuSecond: number;
    peakRssMiB: number;
    heapUsedMiB: number;
    /** Heap grown by building and registering the population, per user. */
    bytesPerUser: number;
    samples: Sample[];
    trace: { kind: string; path?: string; bytes?: number };
  };
}

export interface ReportInputs {
  spec: LoadSpec;
  seed: number;
  population: Population;
  metrics: LoadMetrics;
  endUs: Micros;
  events: number;
  trace: { kind: string; path?: string; counts?: EventCounts; bytes?: number };
  machine: { wallS: number; cpuS: number; peakRssMiB: number; heapUsedMiB: number; bytesPerUser: number };
}

const sortedRecord = (map: Map<string, number>): Record<string, number> => Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export function buildReport(r: ReportInputs): LoadReport {
  const m = r.metrics;
  const virtualSeconds = r.endUs / SECOND;
  const throughput = [...m.sentBy]
    .map(([key, messages]) => {
      const [entity, protocol] = key.split(' ') as [string, string];
      return { entity, protocol, messages, perVirtualSecond: messages / virtualSeconds };
    })
    .sort((a, b) => b.messages - a.messages || (a.entity + a.protocol < b.entity + b.protocol ? -1 : 1));
  const delivery = summarize(m.deliveryLatency);
  const roundTrip = summarize(m.notificationRoundTrip);
  const sentMessages = ['pager', 'group', 'non-cpm'].reduce((n, k) => n + (m.actions.get(k) ?? 0), 0);
  const cpu = Math.max(r.machine.cpuS, 1e-9);
  return {
    file: r.spec.file,
    title: r.spec.title,
    seed: r.seed,
    metrics: {
      users: r.population.users.length,
      devices: r.population.users.length * r.population.devices.length,
      domains: r.spec.population.domains,
      virtualUs: r.endUs,
      events: r.events,
      hops: m.hops,
      undeliverable: m.undeliverable,
      throughput,
      actions: sortedRecord(m.actions),
      ...(delivery && { deliveryLatencyUs: delivery }),
      ...(roundTrip && { notificationRoundTripUs: roundTrip }),
      notificationOutcomes: sortedRecord(m.outcomes),
      awaitingNotification: m.awaitingNotification,
      interworking: { ...m.interworking },
      deferred: m.samples.map((s) => ({ at: s.at, messages: s.deferred })),
      ...(r.trace.counts && { trace: r.trace.counts }),
    },
    machine: {
      ...r.machine,
      eventsPerWallSecond: r.events / Math.max(r.machine.wallS, 1e-9),
      hopsPerCpuSecond: m.hops / cpu,
      messagesPerCpuSecond: sentMessages / cpu,
      samples: m.samples,
      trace: { kind: r.trace.kind, ...(r.trace.path !== undefined && { path: r.trace.path }), ...(r.trace.bytes !== undefined && { bytes: r.trace.bytes }) },
    },
  };
}

const ms = (us: number): string => (us / 1000).toFixed(1);
const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** The report as the terminal shows it. */
export function formatReport(report: LoadReport): string {
  const m = report.metrics;
  const x = report.machine;
  const lines: string[] = [];
  lines.push(`${report.title} (${report.file}, seed ${report.seed})`);
  lines.push(`  ${int(m.users)} users, ${int(m.devices)} devices in ${m.domains} domains; ${(m.virtualUs / SECOND).toFixed(0)} s virtual in ${x.wallS.toFixed(1)} s wall (${x.cpuS.toFixed(1)} s CPU)`);
  lines.push(`  ${int(m.events)} events (${int(x.eventsPerWallSecond)}/s wall), ${int(m.hops)} hops (${int(x.hopsPerCpuSecond)}/s CPU), ${int(m.undeliverable)} undeliverable`);
  lines.push('');
  lines.push('  traffic');
  for (const [name, n] of Object.entries(m.actions)) lines.push(`    ${name.padEnd(28)} ${int(n).padStart(12)}`);
  lines.push('');
  lines.push('  latency (virtual ms)                    count       mean        p50        p90        p99      p99.9        max');
  for (const [name, s] of [['message -> recipient device', m.deliveryLatencyUs], ['delivery notification round trip', m.notificationRoundTripUs]] as const) {
    if (s === undefined) lines.push(`    ${name.padEnd(34)}          0`);
    else lines.push(`    ${name.padEnd(34)} ${int(s.count).padStart(10)} ${[s.mean, s.p50, s.p90, s.p99, s.p999, s.max].map((v) => ms(v).padStart(10)).join(' ')}`);
  }
  lines.push('');
  lines.push('  notification outcomes');
  for (const [name, n] of Object.entries(m.notificationOutcomes)) lines.push(`    ${name.padEnd(28)} ${int(n).padStart(12)}`);
  lines.push(`    ${'awaiting a notification'.padEnd(28)} ${int(m.awaitingNotification).padStart(12)}`);
  lines.push('');
  lines.push(`  interworking: ${int(m.interworking.sms)} to SMS, ${int(m.interworking.email)} to e-mail`);
  const peak = m.deferred.reduce((best, s) => (s.messages > best.messages ? s : best), { at: 0, messages: 0 });
  const last = m.deferred[m.deferred.length - 1];
  lines.push(`  deferred store: peak ${int(peak.messages)} messages at ${(peak.at / SECOND).toFixed(0)} s, ${int(last?.messages ?? 0)} at the end`);
  lines.push('');
  lines.push('  throughput                     messages   per virtual s');
  for (const t of m.throughput) lines.push(`    ${`${t.entity} ${t.protocol}`.padEnd(24)} ${int(t.messages).padStart(12)} ${t.perVirtualSecond.toFixed(1).padStart(15)}`);
  lines.push('');
  lines.push(`  memory: peak RSS ${x.peakRssMiB.toFixed(0)} MiB, heap ${x.heapUsedMiB.toFixed(0)} MiB at the end, ${int(x.bytesPerUser)} bytes of heap per registered user`);
  if (x.trace.kind !== 'off') lines.push(`  trace: ${x.trace.kind}${x.trace.path === undefined ? '' : ` to ${x.trace.path}`}${x.trace.bytes === undefined ? '' : ` (${int(x.trace.bytes)} octets)`}`);
  return `${lines.join('\n')}\n`;
}

/** RFC 4180 CSV, one figure a row: `section,name,value`, the same figures as the JSON. */
export function reportCsv(report: LoadReport): string {
  const rows: [string, string, string | number][] = [];
  const m = report.metrics;
  const x = report.machine;
  for (const key of ['users', 'devices', 'domains', 'virtualUs', 'events', 'hops', 'undeliverable', 'awaitingNotification'] as const) rows.push(['run', key, m[key]]);
  for (const t of m.throughput) rows.push(['throughput', `${t.entity} ${t.protocol}`, t.messages]);
  for (const [name, n] of Object.entries(m.actions)) rows.push(['traffic', name, n]);
  for (const [name, s] of [['delivery-latency-us', m.deliveryLatencyUs], ['notification-round-trip-us', m.notificationRoundTripUs]] as const) {
    if (s !== undefined) for (const [k, v] of Object.entries(s)) rows.push([name, k, v]);
  }
  for (const [name, n] of Object.entries(m.notificationOutcomes)) rows.push(['notification-outcome', name, n]);
  rows.push(['interworking', 'sms', m.interworking.sms], ['interworking', 'email', m.interworking.email]);
  for (const s of m.deferred) rows.push(['deferred', String(s.at), s.messages]);
  for (const key of ['wallS', 'cpuS', 'eventsPerWallSecond', 'hopsPerCpuSecond', 'messagesPerCpuSecond', 'peakRssMiB', 'heapUsedMiB', 'bytesPerUser'] as const) rows.push(['machine', key, x[key]]);
  const cell = (v: string | number): string => {
    const text = String(v);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `section,name,value\r\n${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

export function reportJson(report: LoadReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
