/**
 * Golden traces (`cpmsim test`): a run written as readable text, one block per event (virtual
 * time, from, to, first line, headers, a body summary), with the values a run draws at random
 * (tags, branches, Call-IDs, UUIDs, MSRP and session ids) replaced by names numbered in order of
 * first appearance, so a golden file shows what changed in the flow, not which random numbers
 * moved. The fingerprint is a hash of the event trajectory alone (time, kind, hosts, what each
 * message is), like OMNeT++'s, so two machines compare a run at a glance and a change of wording
 * or header layout does not move it.
 */
import { createHash } from 'node:crypto';
import { formatTime } from '../kernel/time.js';
import { protocolOf, type WirePayload } from '../wire/payload.js';
import type { TraceEvent } from './recorder.js';
import { wireFormat, wireText } from './wire-format.js';

export interface GoldenRun {
  title: string;
  seed: number;
  /** One line: the verdict of the run's expectations. */
  result: string;
  events: TraceEvent[];
}

/** Values a run draws from its random streams, each with the name its stand-ins get. */
const VOLATILE: { name: string; pattern: RegExp }[] = [
  { name: 'uuid', pattern: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi },
  // RFC 3261 8.1.1.7: the branch after the magic cookie; 19.3: tags; 8.1.1.4: Call-ID.
  { name: 'branch', pattern: /(?<=branch=z9hG4bK)[\w.!%*+`'~-]+/g },
  { name: 'tag', pattern: /(?<=\btag=)[\w.!%*+`'~-]+/g },
  { name: 'call-id', pattern: /(?<=^(?:Call-ID|i):\s*)\S+/gim },
  // RFC 4566 5.2: o=<username> <sess-id> <sess-version>
  { name: 'sdp-session', pattern: /(?<=^o=\S+ )\d+/gm },
  // RFC 4975 9: the session part of an MSRP URI.
  { name: 'msrp-session', pattern: /(?<=msrp:\/\/[^/\s]+\/)[^;\s]+/g },
  // Transaction ids, Message-IDs, conference ids: hex words with a letter and a digit.
  { name: 'id', pattern: /\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{6,}\b/g },
];

const BODY_LINE_MAX = 72;

/** Gives each volatile value one stand-in for the whole trace, so correlations stay visible. */
class StandIns {
  private readonly names = new Map<string, string>();
  private readonly counts = new Map<string, number>();

  apply(line: string): string {
    let out = line;
    for (const { name, pattern } of VOLATILE) {
      out = out.replace(pattern, (value) => {
        if (value.startsWith('<')) return value;
        const key = `${name}\u0000${value}`;
        let standIn = this.names.get(key);
        if (standIn === undefined) {
          const k = (this.counts.get(name) ?? 0) + 1;
          this.counts.set(name, k);
          standIn = `<${name}-${k}>`;
          this.names.set(key, standIn);
        }
        return standIn;
      });
    }
    return out;
  }
}

/** The first line and headers of a message as sent, and one line about its body. */
function messageLines(payload: WirePayload, standIns: StandIns): string[] {
  const wire = wireText(payload);
  // The header block ends at the first empty line (RFC 3261 7.5, as in HTTP and MSRP); what follows
  // is counted as sent, CRLFs included, so a SIP body's count is its Content-Length.
  const end = /\r?\n\r?\n/.exec(wire);
  const head = (end === null ? wire : wire.slice(0, end.index)).split(/\r?\n/).filter((line) => line !== '' && !/^Content-Length:/i.test(line));
  const sent = end === null ? '' : wire.slice(end.index + end[0].length);
  const lines = head.map((line) => `    ${standIns.apply(line)}`);
  if (sent.replace(/(\r?\n)+$/, '') !== '') {
    const first = sent.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
    const shown = first.length > BODY_LINE_MAX ? `${first.slice(0, BODY_LINE_MAX - 1)}…` : first;
    lines.push(`    body: ${Buffer.byteLength(sent)} octets: ${standIns.apply(shown)}`);
  }
  return lines;
}

function eventBlock(e: TraceEvent, standIns: StandIns): string {
  if (e.type === 'note') return `${formatTime(e.at)} note ${e.host}: ${standIns.apply(e.text)}`;
  const how = e.type === 'transmit' ? `(arrives ${formatTime(e.arriveAt)})` : `(undeliverable: ${e.reason})`;
  return [`${formatTime(e.at)} ${protocolOf(e.payload)} ${e.from} -> ${e.to} ${how}`, ...messageLines(e.payload, standIns)].join('\n');
}

/** The event blocks of a run, in order. */
export function goldenEvents(events: TraceEvent[]): string[] {
  const standIns = new StandIns();
  return events.map((e) => eventBlock(e, standIns));
}

/** What a message is, without its wording: the request name or the status. */
function what(p: WirePayload): string {
  const request = wireFormat(p).request(p);
  if (request !== undefined) return request;
  if ('command' in p) return `${p.command}/${'status' in p ? p.status : ''}`;
  // RFC 4582 5.2.5: a FloorRequestStatus answers by its REQUEST-STATUS, and its text's first line
  // holds only ids (a conference 100 would read as a status code).
  if ('primitive' in p && 'floorId' in p) return `${p.primitive}/${p.status ?? ''}`;
  const first = wireText(p).split(/\r?\n/, 1)[0] ?? '';
  return /\b[1-6]\d\d\b/.exec(first)?.[0] ?? first.split(' ')[0] ?? '';
}

/** A hash of the event trajectory: each event's time, type, hosts and what a message is (64 bits, hex). */
export function fingerprint(events: TraceEvent[]): string {
  const hash = createHash('sha256');
  for (const e of events) {
    if (e.type === 'note') hash.update(`n|${e.at}|${e.host}\n`);
    else hash.update(`${e.type === 'transmit' ? `t|${e.arriveAt}` : `u|${e.reason}`}|${e.at}|${e.from}|${e.to}|${protocolOf(e.payload)}|${what(e.payload)}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

export const GOLDEN_HEADER = '# cpmsim golden trace: `cpmsim test --update` rewrites this file';

/** The whole golden file of a run. */
export function goldenText(run: GoldenRun): string {
  const header = [
    GOLDEN_HEADER,
    `# scenario: ${run.title}`,
    `# seed: ${run.seed}`,
    `# result: ${run.result}`,
    `# events: ${run.events.length}`,
    `# fingerprint: ${fingerprint(run.events)}`,
  ];
  return `${header.join('\n')}\n\n${goldenEvents(run.events).join('\n\n')}\n`;
}

/** The fingerprint a golden file records, if it has one. */
export function goldenFingerprint(text: string): string | undefined {
  return /^# fingerprint: ([0-9a-f]+)$/m.exec(text)?.[1];
}
