import { Buffer } from 'node:buffer';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findScenarioFiles } from '../../src/scenario/discover.js';
import { loadScenarioFile } from '../../src/scenario/loader.js';
import { runScenario } from '../../src/scenario/runner.js';
import type { SipMessage } from '../../src/sip/message.js';
import { parseMessage } from '../../src/sip/parser.js';
import { tracePcap } from '../../src/trace/pcap.js';
import type { TraceEvent } from '../../src/trace/recorder.js';
import { isSip } from '../../src/wire/payload.js';
import { wireText } from '../../src/trace/wire-format.js';

/**
 * Wireshark is the reader these captures are for: every bundled scenario's capture must dissect as
 * SIP (with its bodies) without a malformed packet or an expert warning. tshark comes from Debian
 * (`.ci/run` installs it); without it these tests are skipped, saying why.
 */
const TSHARK_MISSING = spawnSync('tshark', ['--version']).status !== 0;
if (TSHARK_MISSING) console.warn('pcap-tshark: skipped, tshark is not installed (apt-get install tshark; .ci/run does it in CI)');

const root = fileURLToPath(new URL('../..', import.meta.url));
const scenarios = findScenarioFiles([join(root, 'scenarios')]);
const dir = mkdtempSync(join(tmpdir(), 'cpmsim-pcap-'));
/** Two tshark runs per capture take a second or two; more on a loaded machine. */
const TIMEOUT = 120_000;

/** Checksum validation is off by default in Wireshark; on, a wrong checksum is an expert error. */
function tshark(file: string, ...args: string[]): string {
  const checks = ['ip', 'udp', 'tcp'].flatMap((p) => ['-o', `${p}.check_checksum:TRUE`]);
  return execFileSync('tshark', ['-n', '-r', file, ...checks, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 });
}

/** What Wireshark must make of the capture of a trace, compared with the trace itself. */
function checkCapture(name: string, events: readonly TraceEvent[], domains: string[]): void {
  const capture = tracePcap(events, domains);
  const file = join(dir, `${name}.pcap`);
  writeFileSync(file, capture.pcap);
  // RTP has no port of its own: Wireshark decodes it on the ports the SDP negotiated (RFC 3550 11).
  const ports = sdpPorts(events);
  const decodeAs = [
    ...ports.rtp.flatMap((port) => ['-d', `udp.port==${port},rtp`, '-d', `udp.port==${port + 1},rtcp`]),
    // BFCP (RFC 4583) too: on the floor control server's port of the SDP.
    ...ports.bfcp.flatMap((port) => ['-d', `tcp.port==${port},bfcp`]),
  ];
  const read = (...args: string[]): string => tshark(file, ...decodeAs, ...args);

  expect(read('-Y', '_ws.malformed || _ws.expert.severity >= warning')).toBe('');

  const sent = new Map<number, SipMessage>();
  const others = new Map<number, string>();
  for (const e of events) {
    if (e.type === 'note') continue;
    if (isSip(e.payload)) sent.set(e.id, e.payload);
    // An SMTP client's connect is the TCP handshake alone: no frame of the protocol.
    else others.set(e.id, wireText(e.payload) === '' ? 'handshake' : e.payload.protocol);
  }
  const frames = read('-Y', 'sip', '-T', 'fields', '-E', 'separator=|', '-e', 'frame.protocols', '-e', 'sip.Method', '-e', 'sip.Status-Code')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('|'));
  expect(frames).toHaveLength(sent.size);
  expect(frames.map(([, method, status]) => status || method)).toEqual([...sent.values()].map((m) => (m.type === 'request' ? m.method : String(m.status))));

  const layers = frames.map(([protocols = '']) => protocols.split(':'));
  const media = [...others.values()].filter((p) => p === 'rtp').length;
  expect(layers.filter((l) => l.includes('udp')).length).toBe(capture.udp - media);
  expect(layers.filter((l) => l.includes('tcp')).length).toBe(capture.tcp - (others.size - media));
  // Each SMPP PDU, SMTP exchange, MSRP, XCAP and MM7 message is dissected as its protocol (one frame may hold several).
  // XCAP and MM7 (SOAP over HTTP, TS 23.140 8.7) are HTTP to Wireshark; IMPS CSP is HTTP with its
  // XML body (WV-CSP 1.2), dissected as XML.
  const csp = 'http.content_type == "application/vnd.wv.csp.xml"';
  for (const [protocols, filter] of [[['smpp'], 'smpp'], [['smtp'], 'smtp'], [['msrp'], 'msrp'], [['xcap', 'mm7'], `http && !(${csp})`], [['imps'], `${csp} && xml`], [['bfcp'], 'bfcp']] as const) {
    const expected = [...others.values()].filter((p) => (protocols as readonly string[]).includes(p)).length;
    const frames = read('-Y', filter, '-T', 'fields', '-e', 'frame.number').split('\n').filter((line) => line !== '');
    expect(frames.length).toBe(expected);
  }
  // Each RTP packet and each compound RTCP packet is one datagram, dissected as such.
  expect(read('-Y', 'rtp || rtcp', '-T', 'fields', '-e', 'frame.number').split('\n').filter((line) => line !== '').length).toBe(media);
  // MM7's SOAP envelope is dissected as XML, and a submission's or delivery's content as a part of
  // its multipart/related body (IMPS CSP, XML over HTTP as well, is counted above).
  const mm7 = [...others.values()].filter((p) => p === 'mm7').length;
  expect(read('-Y', `http && xml && tcp.port == 80 && !(http.request.method == "GET") && !(${csp})`, '-T', 'fields', '-e', 'frame.number').split('\n').filter((line) => line !== '').length).toBe(mm7);
  // The bodies Wireshark has dissectors for are dissected (CPIM has none: it shows as text).
  // A multipart body is dissected part by part (RFC 5366: SDP beside a resource list).
  const bodies = [...sent.values()].map((m) => (m.body?.kind === 'multipart' ? m.body.parts.map((p) => p.content.contentType) : [m.body?.contentType ?? '']));
  expect(layers.map((l) => l.includes('xml'))).toEqual(bodies.map((types) => types.some((t) => /\+xml\b/.test(t))));
  expect(layers.map((l) => l.includes('sdp'))).toEqual(bodies.map((types) => types.some((t) => t.startsWith('application/sdp'))));
}

/** The audio and video ports, and the BFCP servers' ports, of every session description in the trace. */
function sdpPorts(events: readonly TraceEvent[]): { rtp: number[]; bfcp: number[] } {
  const ports = new Set<number>();
  const bfcp = new Set<number>();
  for (const e of events) {
    if (e.type === 'note' || !isSip(e.payload)) continue;
    const body = e.payload.body;
    const sdps = body?.kind === 'sdp' ? [body.sdp] : body?.kind === 'multipart' ? body.parts.flatMap((p) => (p.content.kind === 'sdp' ? [p.content.sdp] : [])) : [];
    for (const sdp of sdps) {
      for (const m of sdp.media) {
        if ((m.type === 'audio' || m.type === 'video') && m.port !== 0) ports.add(m.port);
        if (m.protocol === 'TCP/BFCP' && m.setup === 'passive') bfcp.add(m.port);
      }
    }
  }
  const sorted = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);
  return { rtp: sorted(ports), bfcp: sorted(bfcp) };
}

describe('tshark reads the capture of every bundled scenario', () => {
  it('finds the bundled scenarios', () => {
    expect(scenarios.length).toBeGreaterThan(0);
  });

  for (const path of scenarios) {
    it.skipIf(TSHARK_MISSING)(basename(path), () => {
      const spec = loadScenarioFile(path);
      const run = runScenario(spec);
      checkCapture(basename(path, '.yaml'), run.events, spec.network.domains.map((d) => d.name));
    }, TIMEOUT);
  }
});

function message(from: string, octets: number, branch: string): SipMessage {
  const body = 'x'.repeat(octets);
  return parseMessage(
    [`MESSAGE sip:bob@b.example SIP/2.0`, `Via: SIP/2.0/UDP ${from};branch=${branch}`, 'Max-Forwards: 70', `From: <sip:alice@a.example>;tag=1`, 'To: <sip:bob@b.example>', `Call-ID: ${branch}`, 'CSeq: 1 MESSAGE', 'Content-Type: text/plain', `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n'),
  );
}

describe('tshark reads the TCP cases the bundled scenarios may not have', () => {
  it.skipIf(TSHARK_MISSING)('segmented messages, responses on the connection, both directions at once, lost and unreachable hosts', () => {
    const A = 'core.a.example';
    const B = 'core.b.example';
    const big = message(A, 5000, 'z9hG4bKbig');
    const lost = message(A, 1400, 'z9hG4bKlost');
    const events: TraceEvent[] = [
      { type: 'undeliverable', id: 1, at: 0, from: A, to: 'core.c.example', payload: message(A, 3000, 'z9hG4bKunknown'), reason: 'unknown-host' },
      { type: 'transmit', id: 2, at: 10, arriveAt: 10_010, from: A, to: B, payload: big },
      { type: 'transmit', id: 3, at: 20_000, arriveAt: 30_000, from: B, to: A, payload: { type: 'response', status: 200, reason: 'OK', headers: big.headers } },
      { type: 'transmit', id: 4, at: 40_000, arriveAt: 50_000, from: B, to: A, payload: message(B, 1400, 'z9hG4bKfromB') },
      { type: 'transmit', id: 5, at: 40_000, arriveAt: 50_000, from: A, to: B, payload: message(A, 1400, 'z9hG4bKfromA') },
      { type: 'transmit', id: 6, at: 60_000, arriveAt: 70_000, from: A, to: B, payload: lost },
      { type: 'undeliverable', id: 6, at: 70_000, from: A, to: B, payload: lost, reason: 'host-down' },
      { type: 'undeliverable', id: 7, at: 80_000, from: A, to: B, payload: message(A, 100, 'z9hG4bKdown'), reason: 'host-down' },
      { type: 'transmit', id: 8, at: 90_000, arriveAt: 100_000, from: A, to: B, payload: message(A, 2000, 'z9hG4bKback') },
    ];
    checkCapture('tcp-cases', events, ['a.example', 'b.example']);
  }, TIMEOUT);
});
