import type { Simulator, Timer } from '../../kernel/simulator.js';
import { MS } from '../../kernel/time.js';
import type { XcapMessage, XcapRequest } from '../../xcap/message.js';
import { DEFAULT_PREFERENCES, type UserPreferences } from '../preferences.js';
import { decodePreferences, preferencesPath } from './preferences-document.js';

/** What an element needs to read preferences: where the XDMS is, and how to send to it. */
export interface PreferencesPorts {
  host: string;
  xdmsHost: string;
  sim: Simulator;
  send(toHost: string, msg: XcapRequest): void;
  note(text: string): void;
}

/** RFC 9112 9.3: an HTTP request over one connection is answered in order; this long is too long. */
const TIMEOUT = 2000 * MS;

/**
 * Reads users' preference documents from the XDMS with XCAP GET (RFC 4825 7.3), each when the
 * element needs it, and hands the answer on. A missing document or an XDMS that does not answer
 * leaves the defaults (CPM 5.4 leaves the absence of a document to the provider: cpmsim's choice).
 */
export class PreferencesClient {
  /** Requests in flight, in the order sent: HTTP answers them in order on the connection. */
  private readonly waiting: { aor: string; then: (p: UserPreferences) => void; timer: Timer }[] = [];

  constructor(private readonly ports: PreferencesPorts) {}

  /** C.4.1.2 step 3: "retrieves the recipient's user preferences from preference XDMS". */
  read(aor: string, then: (preferences: UserPreferences) => void): void {
    const timer = this.ports.sim.schedule(TIMEOUT, () => this.answered(undefined));
    this.waiting.push({ aor, then, timer });
    this.ports.send(this.ports.xdmsHost, { protocol: 'xcap', type: 'xcap-request', method: 'GET', host: this.ports.xdmsHost, path: preferencesPath(aor), assertedIdentity: this.ports.host });
  }

  /** The XDMS's answer to the oldest request in flight. */
  received(msg: XcapMessage): void {
    if (msg.type === 'xcap-response') this.answered(msg);
  }

  private answered(res: Extract<XcapMessage, { type: 'xcap-response' }> | undefined): void {
    const next = this.waiting.shift();
    if (next === undefined) return;
    next.timer.cancel();
    let preferences = DEFAULT_PREFERENCES;
    if (res === undefined) this.ports.note(`XDMS did not answer for ${short(next.aor)}: default preferences`);
    else if (res.status !== 200 || res.body === undefined) this.ports.note(`XDMS answered ${res.status} for ${short(next.aor)}: default preferences`);
    else preferences = decodePreferences(res.body.text);
    next.then(preferences);
  }
}

const short = (aor: string): string => aor.replace(/^sip:/, '');
