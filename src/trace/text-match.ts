/**
 * Header and body matchers of scenario steps and patterns: a value exactly, a regular expression,
 * or only that the header (or a body) is present or absent. They read a message as it went on the
 * wire (its readable text: start line, `Name: value` lines, a blank line, the body), so every
 * protocol is matched alike.
 */
import { isSip, type WirePayload } from '../wire/payload.js';
import { wireText } from './wire-format.js';

export type TextMatch =
  | { kind: 'exact'; value: string }
  | { kind: 'regex'; regex: RegExp }
  | { kind: 'present' }
  | { kind: 'absent' }
  /** The value a step before captured: the header must be present here; capturedMismatches compares the values. */
  | { kind: 'captured'; name: string };

export interface HeaderMatch {
  name: string;
  match: TextMatch;
}

interface WireParts {
  /** Header values by lowercase name, each line one value. */
  headers: Map<string, string[]>;
  body?: string;
}

// Matching tries every step against every message; a message's text is split once.
const parts = new WeakMap<object, WireParts>();

function wireParts(p: WirePayload): WireParts {
  const known = parts.get(p);
  if (known !== undefined) return known;
  const text = wireText(p).replace(/\r\n/g, '\n');
  const found = !isSip(p) && p.protocol === 'rtp' ? rtpParts(text) : textParts(text);
  parts.set(p, found);
  return found;
}

/** Start line, `Name: value` lines, a blank line, the body. */
function textParts(text: string): WireParts {
  const blank = text.indexOf('\n\n');
  const head = (blank < 0 ? text : text.slice(0, blank)).split('\n').slice(1);
  const headers = new Map<string, string[]>();
  for (const line of head) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  const body = blank < 0 ? undefined : text.slice(blank + 2);
  return { headers, ...(body !== undefined && body !== '' && { body }) };
}

/**
 * RTP and RTCP are binary (RFC 3550 5.1, 6.4): no header lines, and their readable text (an RTP
 * header's fields; an RTCP packet's sender counts, report blocks, SDES and BYE) is their body,
 * so a step can read a report.
 */
function rtpParts(text: string): WireParts {
  return { headers: new Map(), body: text };
}

function matches(values: string[], match: TextMatch): boolean {
  switch (match.kind) {
    case 'present':
    case 'captured':
      return values.length > 0;
    case 'absent':
      return values.length === 0;
    case 'exact':
      return values.includes(match.value);
    case 'regex':
      return values.some((v) => match.regex.test(v));
  }
}

/** The values of a header as sent, each line one value. */
export function headerValues(p: WirePayload, name: string): string[] {
  return wireParts(p).headers.get(name.toLowerCase()) ?? [];
}

/** Every header matcher holds: some line of that header matches (absent: there is none). */
export function headersMatch(p: WirePayload, wanted: HeaderMatch[]): boolean {
  const { headers } = wireParts(p);
  return wanted.every(({ name, match }) => matches(headers.get(name.toLowerCase()) ?? [], match));
}

/** The body, as sent, matches. */
export function bodyMatches(p: WirePayload, match: TextMatch): boolean {
  const { body } = wireParts(p);
  return matches(body === undefined ? [] : [body], match);
}
