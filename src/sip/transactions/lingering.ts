import type { Alarm } from '../../kernel/simulator.js';
import type { Body } from '../../bodies/body.js';
import type { Header, SipResponse } from '../message.js';

/** Who files lingering transactions: told when Timer J or K has run out. */
export interface LingeringOwner {
  lingered(lingering: LingeringClient | LingeringServer): void;
}

/**
 * What is left of a Completed non-INVITE client transaction while it absorbs retransmitted
 * responses (RFC 3261 17.1.2.2, Timer K): its key alone. The full transaction, its request and its
 * user's callbacks are freed at once instead of living on for the 5 seconds of Timer K. It is its
 * own timer (an alarm, firing when Timer K runs out), so it keeps no closure either.
 */
export class LingeringClient implements Alarm {
  slot = -1;

  constructor(
    private readonly owner: LingeringOwner,
    readonly key: string,
  ) {}

  fire(): void {
    this.owner.lingered(this);
  }
}

/** Places at or above this in `places` name a request line that a response line extends. */
const EXTENDS = 0x80;
/** No header line holds a NUL but in a quoted-pair (RFC 3261 25.1); a response with one is kept whole. */
const SEPARATOR = '\0';

/**
 * What is left of a Completed non-INVITE server transaction for Timer J (17.2.2, 32 s over UDP): the
 * final response, to send again for a retransmitted request, in as little memory as it can take,
 * since an element keeps one per request it answered in the last 32 s. Most of the response's lines
 * are its request's own line objects (Via, From, Call-ID, CSeq, and at a proxy the To and more,
 * passed down and back): they are kept as their places in the request as it arrived, since a
 * retransmission arrives with the same lines in the same places (17.2.3: it matched the same branch,
 * sent-by and method). Most of the others extend a request line of the same name (the To with the
 * tag the UAS adds, 8.2.6.2; a registrar's Contact with its expires, 10.3 step 8): they are kept as
 * that place and what follows. Only the rest is text, one flat string (a line object keeps its
 * cached parse and its value's rope alive). Another request reusing the branch (one a scenario
 * injects) is told apart by the length of the lines taken from it, and absorbed with a note rather
 * than answered with a mix. Places are one byte each, so a request of more lines than EXTENDS has
 * its response kept whole.
 */
export class LingeringServer implements Alarm {
  slot = -1;
  /** The response itself when it is injected bytes or cannot be taken apart; else undefined. */
  private readonly whole: SipResponse | undefined;
  private readonly status: number;
  private readonly reason: string;
  private readonly body: Body | undefined;
  /**
   * One character a line: 0 for the next line of `own`; the line's place in the request plus one
   * for a line taken as it is; EXTENDS plus that place for the request's line followed by the
   * next value of `own`. Undefined for a response that cannot be taken apart (a NUL in a line, a
   * request of EXTENDS lines or more): it is sent again as it is.
   */
  private readonly places: string | undefined;
  /** The lines not taken from the request as names and values (or what follows), one SEPARATOR apart. */
  private readonly own: string | undefined;
  /** The length of the values taken from the request, which a retransmission's lines there add up to. */
  private readonly taken: number;

  constructor(
    private readonly owner: LingeringOwner,
    readonly key: string,
    res: SipResponse,
    arrived: readonly Header[],
  ) {
    this.status = res.status;
    this.reason = res.reason;
    this.body = res.body;
    const lines = res.headers;
    const codes = new Array<number>(lines.length);
    const own: string[] = [];
    let taken = 0;
    let apart = arrived.length < EXTENDS;
    for (let i = 0; i < lines.length && apart; i++) {
      const line = lines[i]!;
      const at = arrived.indexOf(line);
      if (at >= 0) {
        codes[i] = at + 1;
        taken += line.value.length;
      } else if (line.value.includes(SEPARATOR)) {
        apart = false;
      } else {
        const base = extended(line, arrived);
        const from = base < 0 ? 0 : arrived[base]!.value.length;
        codes[i] = base < 0 ? 0 : EXTENDS + base;
        taken += from;
        own.push(line.name, line.value.slice(from));
      }
    }
    // An injected response is sent again byte for byte, still only to a retransmission of its request.
    this.whole = !apart || res.wire !== undefined ? res : undefined;
    this.places = apart ? String.fromCharCode(...codes) : undefined;
    this.own = !apart || own.length === 0 ? undefined : own.join(SEPARATOR);
    this.taken = taken;
  }

  fire(): void {
    this.owner.lingered(this);
  }

  /** The final response again for a retransmission whose lines (as it arrived) are `arrived`; undefined when they are not those it was taken from. */
  last(arrived: readonly Header[]): SipResponse | undefined {
    const places = this.places;
    if (places === undefined) return this.whole;
    const parts = this.own === undefined ? [] : this.own.split(SEPARATOR);
    const headers = new Array<Header>(places.length);
    let next = 0;
    let length = 0;
    for (let i = 0; i < places.length; i++) {
      const at = places.charCodeAt(i);
      let line: Header | undefined;
      if (at === 0) {
        line = { name: parts[next++]!, value: parts[next++]! };
      } else if (at < EXTENDS) {
        line = arrived[at - 1];
        length += line?.value.length ?? 0;
      } else {
        const base = arrived[at - EXTENDS];
        const name = parts[next++]!;
        const rest = parts[next++]!;
        if (base !== undefined && base.name === name) {
          line = { name, value: base.value + rest };
          length += base.value.length;
        }
      }
      if (line === undefined) return undefined;
      headers[i] = line;
    }
    if (length !== this.taken) return undefined;
    if (this.whole !== undefined) return this.whole;
    const res: SipResponse = { type: 'response', status: this.status, reason: this.reason, headers };
    if (this.body !== undefined) res.body = this.body;
    return res;
  }
}

/** The place of the first request line named as `line` whose value begins `line`'s; -1 if none. */
function extended(line: Header, arrived: readonly Header[]): number {
  for (let j = 0; j < arrived.length; j++) {
    const a = arrived[j]!;
    if (a.name === line.name && line.value.startsWith(a.value)) return j;
  }
  return -1;
}
