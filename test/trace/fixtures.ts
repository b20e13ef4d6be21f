/** Runs and views shared by the output-format tests. */
import { Buffer } from 'node:buffer';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { flowRunOf } from '../../src/scenario/runner.js';
import { loadScenarioText } from '../../src/scenario/loader.js';
import { runScenario, type ScenarioRun } from '../../src/scenario/runner.js';
import { createRequest, createResponse } from '../../src/sip/builders.js';
import type { SipMessage, SipRequest } from '../../src/sip/message.js';
import { sipUri } from '../../src/sip/uri.js';
import type { TraceEvent } from '../../src/trace/recorder.js';
import { flowView, type FlowRun, type FlowView } from '../../src/trace/view.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Mermaid's browser bundle, found as Node finds the package (not under the working folder: a
 * mutation run's sandbox has no node_modules of its own).
 */
export const MERMAID_BUNDLE = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
export const FIG16 = join(root, 'scenarios/appendix-c/c-3-1-1-1-pager-to-user-originating.yaml');
const fig16Text = readFileSync(FIG16, 'utf8');

/**
 * Figure 16 with three faults: step 5 expects a 202 (mismatch), step 12 is left out (its message
 * is unexpected), and a 16th step asks for a BYE that never comes (missing).
 */
export function brokenFig16Text(): string {
  let text = fig16Text.replace('{ n: 5, from: CPM System B, to: SIP/IP Core A, response: 200 }', '{ n: 5, from: CPM System B, to: SIP/IP Core A, response: 202 }');
  text = text.replace('    - { n: 12, from: SIP/IP Core A, to: CPM Client A, request: MESSAGE, body: message/imdn+xml }\n', '');
  for (const n of [13, 14, 15, 16]) text = text.replace(`{ n: ${n},`, `{ n: ${n - 1},`);
  return `${text}    - { n: 16, from: CPM Client A, to: CPM System B, request: BYE }\n`;
}

export function runText(text: string, file = 'scenarios/test.yaml'): ScenarioRun {
  return runScenario(loadScenarioText(text, file));
}

export const fig16 = (): ScenarioRun => runText(fig16Text, 'scenarios/appendix-c/c-3-1-1-1-pager-to-user-originating.yaml');
export const brokenFig16 = (): ScenarioRun => runText(brokenFig16Text(), 'broken.yaml');
/** Figure 16's flow with no steps to check against (a file may not say so: it would pass whatever happened). */
export function uncheckedFig16(): ScenarioRun {
  const spec = loadScenarioText(fig16Text, 'unchecked.yaml');
  return runScenario({ ...spec, expect: { ...spec.expect, steps: [], actions: [] } });
}

export const viewOf = (run: ScenarioRun): FlowView => flowView(flowRunOf(run));

/** A request from sip:alice@a.example to sip:<user>@b.example, one Call-ID per user. */
export function sipRequest(method: string, user = 'bob'): SipRequest {
  return createRequest({
    method,
    uri: sipUri(user, 'b.example'),
    from: { uri: sipUri('alice', 'a.example'), params: [{ name: 'tag', value: 't' }] },
    to: { uri: sipUri(user, 'b.example'), params: [] },
    callId: `c-${user}`,
    cseq: 1,
  });
}

const HOSTS = ['phone.alice.a.example', 'core.a.example', 'cs.b.example'];
const MESSAGE = sipRequest('MESSAGE');

/**
 * A hand-made run against a figure of eight steps over Client A, Core A and Server B, with one
 * row of each kind: steps 1, 2 and 5 as drawn, action 3 found, step 4 answered 200 where the
 * figure says 202, step 6 (a BYE) and actions 7 and 8 (8 in a branch after step 1) never
 * happening, an OPTIONS the figure does not draw and one it ignores, and a note of Core A
 * written on two lines.
 */
export function handRun(): FlowRun {
  const sent: [number, number, number, SipMessage][] = [
    [1, 0, 1, MESSAGE],
    [2, 1, 2, MESSAGE],
    [4, 2, 1, createResponse(MESSAGE, 200)],
    [5, 1, 0, createResponse(MESSAGE, 200)],
    [6, 2, 1, sipRequest('OPTIONS', 'carol')],
    [8, 1, 0, sipRequest('OPTIONS', 'dave')],
  ];
  const messages = sent.map(([id, from, to, message]) => ({ eventId: id, at: id * 1000, from, to, message }));
  const notes = [
    { eventId: 3, at: 3000, lifeline: 2, text: 'deferred (1 held)' },
    { eventId: 7, at: 7000, lifeline: 1, text: 'routed\r\nVia\vcore' },
  ];
  const events: TraceEvent[] = [
    ...messages.map((m): TraceEvent => ({ type: 'transmit', id: m.eventId, at: m.at, arriveAt: m.at + 500, from: HOSTS[m.from]!, to: HOSTS[m.to]!, payload: m.message })),
    ...notes.map((n): TraceEvent => ({ type: 'note', id: n.eventId, at: n.at, host: HOSTS[n.lifeline]!, text: n.text })),
  ].sort((a, b) => a.id - b.id);
  const [m1, m2, m4, m5, m6, m8] = messages as [typeof messages[0], typeof messages[0], typeof messages[0], typeof messages[0], typeof messages[0], typeof messages[0]];
  return {
    title: 'Hand-made',
    figure: { section: 'C.9', figure: 99 },
    source: 'hand.yaml',
    seed: 7,
    domains: ['a.example', 'b.example'],
    events,
    lifelines: [
      { name: 'Client A', hosts: [HOSTS[0]!], domains: [] },
      { name: 'Core A', hosts: [HOSTS[1]!], domains: [] },
      { name: 'Server B', hosts: [HOSTS[2]!], domains: [] },
    ],
    projection: { messages, notes },
    alignment: [
      { kind: 'ok', step: { n: 1, from: 0, to: 1, request: 'MESSAGE' }, actual: m1 },
      { kind: 'ok', step: { n: 2, from: 1, to: 2, request: 'MESSAGE' }, actual: m2 },
      { kind: 'mismatch', step: { n: 4, from: 2, to: 1, response: 202, body: 'text/plain' }, actual: m4 },
      { kind: 'ok', step: { n: 5, from: 1, to: 0, response: 200 }, actual: m5 },
      { kind: 'missing', step: { n: 6, from: 0, to: 1, request: 'BYE', body: 'text/plain' } },
      { kind: 'unexpected', actual: m6 },
      { kind: 'ignored', actual: m8 },
    ],
    actions: [
      { step: { n: 3, lifeline: 2, action: 'deferred' }, found: notes[0]! },
      { step: { n: 7, lifeline: 0, action: 'displayed', text: 'shown to Alice' } },
      { step: { n: 8, lifeline: 1, action: 'routed', after: 1 } },
    ],
    steps: 8,
    passed: false,
  };
}

/** Text that breaks each format's syntax if it is not escaped. */
export const NASTY = {
  lifeline: 'Client "A"; #1 <b>x</b> & co: 50%, @home \\n end',
  domain: 'a.example',
  label: 'MESSAGE **bold** //it// --strike-- __u__ ~~w~~ [[link]] <color:red>red</color> #x; a;b %% c',
  note: 'note #59; ~tilde~ \\n <script>alert(1)</script> "q" \'s\'',
};

/** A hand-made view whose names, labels and notes carry NASTY text, to test escaping. */
export function nastyView(): FlowView {
  return {
    heading: `Title ${NASTY.label}`,
    source: 'nasty.yaml',
    seed: 1,
    lifelines: [
      { name: NASTY.lifeline, hosts: ['phone.alice.a.example'], domains: [], domain: NASTY.domain },
      { name: 'Core', hosts: ['core.a.example'], domains: [], domain: NASTY.domain },
      { name: 'Other', hosts: [], domains: ['b.example'] },
    ],
    groups: [{ domain: NASTY.domain, first: 0, last: 1 }],
    rows: [
      { type: 'message', seq: 1, eventId: 1, step: 1, at: 0, from: 0, to: 1, label: NASTY.label, kind: 'request', response: false, mark: 'ok', wire: 'MESSAGE sip:x SIP/2.0\r\n\r\n<b>not bold</b>' },
      { type: 'note', eventId: 2, at: 1, lifeline: 0, text: NASTY.note },
      { type: 'message', seq: 2, eventId: 3, at: 2, from: 1, to: 0, label: '200 OK; <done> #1', kind: 'success', response: true, wire: 'SIP/2.0 200 OK\r\n\r\n' },
      { type: 'message', seq: 3, step: 2, at: 2, from: 1, to: 2, label: 'BYE', kind: 'request', response: false, mark: 'missing', expected: 'step 2: Core -> Other BYE', expectedLabel: 'BYE' },
    ],
    checked: true,
    passed: false,
    verdict: 'differs from the figure: 1 step missing',
    events: [],
  };
}

/** Lifelines whose home networks alternate, and one that spans two networks. */
export function splitView(): FlowView {
  return flowView({
    title: 't',
    source: 't.yaml',
    seed: 1,
    domains: ['a.example', 'b.example', 'sub.b.example'],
    events: [],
    lifelines: [
      { name: 'A', hosts: ['phone.alice.a.example'], domains: [] },
      { name: 'B', hosts: ['core.sub.b.example'], domains: [] },
      { name: 'B2', hosts: [], domains: ['sub.b.example'] },
      { name: 'A again', hosts: ['cs.a.example'], domains: [] },
      { name: 'Both', hosts: ['core.a.example', 'core.b.example'], domains: [] },
    ],
    projection: { messages: [], notes: [] },
    alignment: [],
    actions: [],
    steps: 0,
    passed: true,
  });
}

/** Where a program is on PATH, if it is. */
export function onPath(program: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(dir, program);
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export const CHROMIUM = '/usr/bin/chromium';
/** Why the browser tests cannot run here, if they cannot. */
export const noChromium = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (CI installs Debian's chromium)`;

/** Debian's Chromium, headless, offline: tests never download a browser. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The records of a classic pcap file, read independently of the writer (src/trace/pcap.ts). */

export interface Rec {
  at: number;
  inclLen: number;
  origLen: number;
  data: Buffer;
}

export function records(pcap: Buffer): Rec[] {
  const out: Rec[] = [];
  for (let off = 24; off < pcap.length; ) {
    const inclLen = pcap.readUInt32LE(off + 8);
    out.push({ at: pcap.readUInt32LE(off) * 1_000_000 + pcap.readUInt32LE(off + 4), inclLen, origLen: pcap.readUInt32LE(off + 12), data: pcap.subarray(off + 16, off + 16 + inclLen) });
    off += 16 + inclLen;
  }
  return out;
}

/** RFC 1071 sum, written out again here so the writer is not checked against itself. */
export function onesSum(...parts: Buffer[]): number {
  const data = Buffer.concat(parts);
  let sum = 0;
  for (let i = 0; i < data.length; i += 2) sum += i + 1 < data.length ? data.readUInt16BE(i) : data.readUInt8(i) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

export interface Ip {
  src: string;
  dst: string;
  protocol: number;
  header: Buffer;
  payload: Buffer;
  pseudo: Buffer;
}

export function ipv4(data: Buffer): Ip {
  const ihl = (data.readUInt8(0) & 0x0f) * 4;
  const total = data.readUInt16BE(2);
  const payload = data.subarray(ihl, total);
  const pseudo = Buffer.alloc(12);
  data.copy(pseudo, 0, 12, 20);
  pseudo.writeUInt8(data.readUInt8(9), 9);
  pseudo.writeUInt16BE(payload.length, 10);
  return { src: [...data.subarray(12, 16)].join('.'), dst: [...data.subarray(16, 20)].join('.'), protocol: data.readUInt8(9), header: data.subarray(0, ihl), payload, pseudo };
}

export interface Tcp {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: string;
  data: Buffer;
}

export function tcp(ip: Ip): Tcp {
  const s = ip.payload;
  const bits = s.readUInt8(13);
  const flags = (['FIN', 'SYN', 'RST', 'PSH', 'ACK'] as const).filter((_, i) => bits & (1 << i)).join(',');
  return { src: ip.src, dst: ip.dst, srcPort: s.readUInt16BE(0), dstPort: s.readUInt16BE(2), seq: s.readUInt32BE(4), ack: s.readUInt32BE(8), flags, data: s.subarray((s.readUInt8(12) >> 4) * 4) };
}

export const segments = (pcap: Buffer): Tcp[] => records(pcap).map((r) => ipv4(r.data)).filter((ip) => ip.protocol === 6).map(tcp);
export const udpPayloads = (pcap: Buffer): { ip: Ip; text: string }[] =>
  records(pcap)
    .map((r) => ipv4(r.data))
    .filter((ip) => ip.protocol === 17)
    .map((ip) => ({ ip, text: ip.payload.subarray(8).toString('utf8') }));
