import { CpmNetwork } from '../../../src/cpm/cpm-network.js';
import type { InterworkingService } from '../../../src/cpm/interworking/addresses.js';
import { iwfHost } from '../../../src/cpm/naming.js';
import type { WirePayload } from '../../../src/wire/payload.js';
import { TraceRecorder } from '../../../src/trace/recorder.js';

export const ALICE = 'sip:alice@a.example';
export const ALICE_NUMBER = 'tel:+15551230001';
/** Bob's domain, b.example, has no Interworking Function the system could reach. */
export const BOB_NUMBER = 'tel:+15552340001';
/** 2026-12-07 23:59 UTC: dates a minute or more into a run fall on 8 December. */
export const EPOCH = Date.UTC(2026, 11, 7, 23, 59);

type Hosted = Parameters<CpmNetwork['addNonCpmSystem']>[4];
type Link = Parameters<CpmNetwork['addNonCpmSystem']>[3];

/**
 * A non-CPM system facing a script that plays a.example's Interworking Function: the test sends
 * each message, `received` holds what the system sent the script, and `reply` (when given)
 * may answer each at once. a.example (Alice, ALICE_NUMBER) and b.example (Bob, BOB_NUMBER) are
 * added after the system, so neither gets an Interworking Function of its own; with
 * `replaceIwf` they are added before, and the script takes the place of a.example's (crashed,
 * so nothing it does reaches the network), while b.example keeps its own.
 */
export function facingScript(options: { service: InterworkingService; domain: string; users: string[]; link?: Link; hosted?: Hosted; replaceIwf?: boolean; reply?: (payload: WirePayload, send: (payload: WirePayload) => void) => void }) {
  const net = new CpmNetwork({ seed: 1, epochMs: EPOCH });
  const trace = new TraceRecorder();
  net.observe(trace.observer);
  const domains = (): void => {
    net.addDomain('a.example');
    net.addDomain('b.example');
  };
  if (options.replaceIwf === true) domains();
  net.addNonCpmSystem(options.service, options.domain, options.users, options.link, options.hosted);
  if (options.replaceIwf !== true) domains();
  net.addUser(ALICE, ['phone'], { aliases: [ALICE_NUMBER] });
  net.addUser('sip:bob@b.example', ['phone'], { aliases: [BOB_NUMBER] });
  const host = iwfHost(options.service, 'a.example');
  if (options.replaceIwf === true) {
    net.crash(host, 'lost');
    net.net.detach(host);
    net.net.setUp(host, true);
  }
  const received: WirePayload[] = [];
  net.net.attach({
    host,
    domain: 'a.example',
    receive: (payload, from) => {
      received.push(payload);
      options.reply?.(payload, (answer) => net.net.send(host, from, answer));
    },
  });
  return {
    net,
    trace,
    host,
    received,
    /** Sends `payload` from the script to `to`. */
    sendTo: (to: string, payload: WirePayload): void => net.net.send(host, to, payload),
  };
}
