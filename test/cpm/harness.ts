import { CpmNetwork } from '../../src/cpm/cpm-network.js';
import type { ServicePolicy } from '../../src/cpm/preferences.js';
import { SECOND } from '../../src/kernel/time.js';
import { header, type SipMessage } from '../../src/sip/message.js';
import { TraceRecorder, type TraceEvent } from '../../src/trace/recorder.js';
import { isSip } from '../../src/wire/payload.js';

/** A network under test with its trace, and finders over what crossed it. */
export function harness(seed = 1): { net: CpmNetwork; trace: TraceRecorder } {
  const net = new CpmNetwork({ seed });
  const trace = new TraceRecorder();
  net.observe(trace.observer);
  return { net, trace };
}

/** A SIP message that left its sender. */
export type Sent = Extract<TraceEvent, { type: 'transmit' | 'undeliverable' }> & { payload: SipMessage };

export function sent(trace: TraceRecorder, filter: { from?: string; to?: string; method?: string; status?: number; after?: number } = {}): Sent[] {
  return trace.events.filter((e): e is Sent => {
    if (e.type === 'note' || !isSip(e.payload)) return false;
    const m = e.payload;
    if (filter.from !== undefined && e.from !== filter.from) return false;
    if (filter.to !== undefined && e.to !== filter.to) return false;
    if (filter.after !== undefined && e.at < filter.after) return false;
    if (filter.method !== undefined && (m.type !== 'request' || m.method !== filter.method)) {
      if (!(m.type === 'response' && filter.status !== undefined && cseqMethod(m) === filter.method)) return false;
    }
    if (filter.status !== undefined && (m.type !== 'response' || m.status !== filter.status)) return false;
    return true;
  });
}

export function notes(trace: TraceRecorder, host?: string): string[] {
  return trace.events.flatMap((e) => (e.type === 'note' && (host === undefined || e.host === host) ? [e.text] : []));
}

function cseqMethod(m: SipMessage): string {
  return (header(m, 'CSeq') ?? '').split(' ')[1] ?? '';
}

export const at = (seconds: number): number => Math.round(seconds * SECOND);

/**
 * Alice (sip:alice@a.example) and Bob (sip:bob@b.example), one phone each, both registering at
 * 0 s; `policyA` is a.example's service policy.
 */
export function aliceAndBob(policyA: Partial<ServicePolicy> = {}): { net: CpmNetwork; trace: TraceRecorder } {
  const h = harness();
  h.net.addDomain('a.example', { policy: policyA });
  h.net.addDomain('b.example');
  for (const user of ['sip:alice@a.example', 'sip:bob@b.example']) {
    h.net.addUser(user, ['phone']);
    h.net.at(0, () => h.net.client(user, 'phone').register());
  }
  return h;
}
