import { formatTime } from '../kernel/time.js';
import { GatewayError } from '../live/gateway.js';
import { LiveRun, type LiveResult } from '../live/live-run.js';
import { DurationError, parseDuration } from '../scenario/duration.js';
import { tracePcap } from '../trace/pcap.js';
import type { TraceEvent } from '../trace/recorder.js';
import { describeMessage } from '../trace/wire-format.js';
import { renderRun, type Format } from './diagram-command.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { shownPath, writeOutput } from './output-files.js';
import { loadAll } from './run-command.js';
import { resolve } from 'node:path';

export interface LiveCommandOptions {
  listen: string;
  duration?: string;
  seed?: number;
  rate: number;
  maxMessage: number;
  format: Format;
  output?: string;
  pcap?: string;
  wire: boolean;
  /** Print each message to or from a real client as it goes (default on). */
  log: boolean;
}

/** What a live run waits on besides its own end: Ctrl-C (the binary passes the process's SIGINT). */
export interface LiveSignals {
  onInterrupt(stop: () => void): () => void;
}

const PROCESS_SIGNALS: LiveSignals = {
  onInterrupt(stop) {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
  },
};

/** `127.0.0.1:5060`, `[::1]:5060`, or an address alone (port 5060, RFC 3261 19.1.2). */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d{1,5}))?$/.exec(text);
  const port = m?.[3] === undefined ? 5060 : Number(m[3]);
  if (m === null || port > 65535) throw new UsageError(`--listen ${text}: expected ADDRESS:PORT such as 127.0.0.1:5060`);
  return { host: m[1] ?? m[2]!, port };
}

/**
 * `cpmsim live`: runs one scenario paced by the wall clock with the gateway open, until its
 * duration or Ctrl-C, then prints the summary and writes the outputs asked for. Exit 0 when the run
 * matched the scenario's expectations, 1 when not.
 */
export async function liveCommand(paths: string[], options: LiveCommandOptions, io: CliIo, signals: LiveSignals = PROCESS_SIGNALS): Promise<number> {
  const specs = loadAll(paths, io);
  if (specs.length !== 1) throw new UsageError(`cpmsim live runs one scenario; ${paths.join(' ')} holds ${specs.length}`);
  const spec = specs[0]!;
  const listen = parseListen(options.listen);
  let durationUs: number | undefined;
  try {
    durationUs = options.duration === undefined ? undefined : parseDuration(options.duration);
  } catch (e) {
    if (e instanceof DurationError) throw new UsageError(`--duration ${options.duration}: ${e.message}`);
    throw e;
  }
  let live: LiveRun;
  try {
    live = await LiveRun.start(spec, {
      host: listen.host,
      port: listen.port,
      maxPacketsPerSecond: options.rate,
      maxMessageOctets: options.maxMessage,
      ...(durationUs !== undefined && { durationUs }),
      ...(options.seed !== undefined && { seed: options.seed }),
      ...(options.log && { onEvent: (event: TraceEvent) => logEvent(event, listen.host, io) }),
    });
  } catch (e) {
    if (e instanceof GatewayError) throw new UsageError(e.message);
    throw e;
  }
  const shownHost = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  io.stderr(`cpmsim live: ${spec.title}: listening on udp and tcp ${shownHost}:${live.port} (MSRP on tcp ${shownHost}:${live.msrpPort}) since ${new Date(live.startedAtMs).toISOString()}, time 0 of the trace (Ctrl-C to stop)\n`);
  const release = signals.onInterrupt(() => live.stop());
  const result = await live.finished;
  release();
  io.stderr(`${summary(result)}\n`);
  writeOutputs(result, options, io);
  return result.run.passed ? EXIT.ok : EXIT.failed;
}

/** One line per message a real client sends or is sent, as it happens. */
function logEvent(event: TraceEvent, listenHost: string, io: CliIo): void {
  if (event.type === 'note') {
    if (/^(?:real client at|refused a|could not send|\S+ registered without|gives the real client|opened an MSRP|MSRP connection|throttled MSRP|discarded an MSRP|dropped a datagram)/.test(event.text)) io.stderr(`  ${formatTime(event.at)}  ${event.host}: ${event.text}\n`);
    return;
  }
  const real = (host: string) => /^[\d.]+$|:/.test(host) || host === listenHost;
  if (!real(event.from) && !real(event.to)) return;
  const fate = event.type === 'undeliverable' ? ` (not delivered: ${event.reason})` : '';
  io.stderr(`  ${formatTime(event.at)}  ${event.from} -> ${event.to}  ${describeMessage(event.payload)}${fate}\n`);
}

function summary(result: LiveResult): string {
  const { counts, msrpCounts: msrp, rtpCounts: rtp } = result;
  const why = { duration: 'the scenario duration ended', interrupt: 'interrupted', limit: `a run guard tripped (${result.run.error ?? ''})` }[result.endedBy];
  const clients = result.clients.length === 0 ? 'none' : result.clients.join(', ');
  return [
    `cpmsim live: stopped after ${formatTime(result.endedAtUs)}: ${why}`,
    `  real clients: ${clients}`,
    `  gateway: ${counts.received} received, ${counts.sent} sent; refused ${counts.malformed} malformed (400), ${counts.oversize} oversize (513), ${counts.rateLimited} over the rate (503); ${counts.sendFailed} could not be sent`,
    `  MSRP: ${msrp.received} received, ${msrp.sent} sent; refused ${msrp.malformed} malformed (400), ${msrp.oversize} oversize (413); throttled ${msrp.throttled} times; ${msrp.sendFailed} could not be sent`,
    `  RTP: ${rtp.received} received, ${rtp.sent} sent; dropped ${rtp.malformed} malformed, ${rtp.oversize} oversize, ${rtp.rateLimited} over the rate; ${rtp.unrelayed} without a gateway port`,
  ].join('\n');
}

function writeOutputs(result: LiveResult, options: LiveCommandOptions, io: CliIo): void {
  const { run } = result;
  const text = renderRun(run, options.format, { color: io.color && options.output === undefined, width: options.output === undefined ? io.columns : 100, wire: options.wire });
  if (options.output === undefined) io.stdout(text);
  else {
    const path = resolve(io.cwd, options.output);
    writeOutput(path, text);
    io.stderr(`  wrote ${shownPath(io.cwd, path)}\n`);
  }
  if (options.pcap !== undefined) {
    const path = resolve(io.cwd, options.pcap);
    const capture = tracePcap(run.events, run.spec.network.domains.map((d) => d.name), result.startedAtMs * 1000);
    writeOutput(path, capture.pcap);
    io.stderr(`  wrote ${shownPath(io.cwd, path)}: ${capture.packets} packets\n`);
  }
}
