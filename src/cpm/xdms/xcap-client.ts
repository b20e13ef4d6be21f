import type { Simulator, Timer } from '../../kernel/simulator.js';
import { MS } from '../../kernel/time.js';
import type { XcapMessage, XcapRequest, XcapResponse } from '../../xcap/message.js';

/** What an element needs to read the XDMS: where it is, and how to send to it. */
export interface XcapPorts {
  host: string;
  xdmsHost: string;
  sim: Simulator;
  send(toHost: string, msg: XcapRequest): void;
  note(text: string): void;
}

/** How long an element waits for the XDMS before it takes the connection for broken. */
const TIMEOUT = 2000 * MS;
/** RFC 9110 9.2.2: a GET is idempotent, so a client may send it again on a new connection; once. */
const ATTEMPTS = 2;

interface Waiting {
  path: string;
  then: (res: XcapResponse | undefined) => void;
  attempt: number;
  timer?: Timer;
}

/**
 * Reads XDMS documents with XCAP GET (RFC 4825 7.3), each when the element needs it, one at a
 * time (RFC 9112 9.3 lets a client wait for each response before the next request), so the one
 * in flight is the one each response answers. A GET left unanswered is sent once more; after
 * that the element goes on without the document (undefined).
 */
export class XcapClient {
  private readonly waiting: Waiting[] = [];

  constructor(private readonly ports: XcapPorts) {}

  get(path: string, then: (res: XcapResponse | undefined) => void): void {
    this.waiting.push({ path, then, attempt: 0 });
    if (this.waiting.length === 1) this.transmit();
  }

  /** The XDMS's answer to the request in flight. */
  received(msg: XcapMessage): void {
    if (msg.type === 'xcap-response') this.answered(msg);
  }

  private transmit(): void {
    const head = this.waiting[0];
    if (head === undefined) return;
    head.attempt++;
    head.timer = this.ports.sim.schedule(TIMEOUT, () => {
      if (head.attempt < ATTEMPTS) {
        this.ports.note(`XDMS did not answer for ${head.path}: asks again`);
        return this.transmit();
      }
      this.answered(undefined);
    });
    this.ports.send(this.ports.xdmsHost, { protocol: 'xcap', type: 'xcap-request', method: 'GET', host: this.ports.xdmsHost, path: head.path, assertedIdentity: this.ports.host });
  }

  private answered(res: XcapResponse | undefined): void {
    const head = this.waiting.shift();
    if (head === undefined) return;
    head.timer?.cancel();
    // The next request goes before `then` runs, which may ask for more.
    this.transmit();
    if (res === undefined) this.ports.note(`XDMS did not answer for ${head.path}`);
    head.then(res);
  }
}
