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

/** How long an element waits for the XDMS before it goes on without the document. */
const TIMEOUT = 2000 * MS;

/**
 * Reads XDMS documents with XCAP GET (RFC 4825 7.3), each when the element needs it. HTTP answers
 * the requests of one connection in order (RFC 9112 9.3), so the oldest one in flight is the one
 * each response answers; undefined stands for an XDMS that did not answer in time.
 */
export class XcapClient {
  private readonly waiting: { path: string; then: (res: XcapResponse | undefined) => void; timer: Timer }[] = [];

  constructor(private readonly ports: XcapPorts) {}

  get(path: string, then: (res: XcapResponse | undefined) => void): void {
    const timer = this.ports.sim.schedule(TIMEOUT, () => this.answered(undefined));
    this.waiting.push({ path, then, timer });
    this.ports.send(this.ports.xdmsHost, { protocol: 'xcap', type: 'xcap-request', method: 'GET', host: this.ports.xdmsHost, path, assertedIdentity: this.ports.host });
  }

  /** The XDMS's answer to the oldest request in flight. */
  received(msg: XcapMessage): void {
    if (msg.type === 'xcap-response') this.answered(msg);
  }

  private answered(res: XcapResponse | undefined): void {
    const next = this.waiting.shift();
    if (next === undefined) return;
    next.timer.cancel();
    if (res === undefined) this.ports.note(`XDMS did not answer for ${next.path}`);
    next.then(res);
  }
}
