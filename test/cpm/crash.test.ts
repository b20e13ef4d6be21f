import { describe, expect, it } from 'vitest';
import { CpmNetwork } from '../../src/cpm/cpm-network.js';
import { SECOND } from '../../src/kernel/time.js';
import type { TraceEvent } from '../../src/trace/recorder.js';
import { isSip } from '../../src/wire/payload.js';

const PHONE = 'phone.alice.a.example';

function network() {
  const net = new CpmNetwork({ seed: 1 });
  net.addDomain('a.example');
  net.addUser('sip:alice@a.example', ['phone'], { registrationSeconds: 20 });
  const events: TraceEvent[] = [];
  net.observe((e) => events.push(e));
  const registers = () => events.filter((e) => e.type === 'transmit' && e.from === PHONE && isSip(e.payload) && e.payload.type === 'request' && e.payload.method === 'REGISTER').map((e) => e.at);
  return { net, events, registers };
}

describe('crashes of an element', () => {
  it('with its state lost: the dead process sends nothing more, and the new one starts afresh', () => {
    const { net, registers } = network();
    net.at(0, () => net.client('sip:alice@a.example', 'phone').register());
    net.at(1 * SECOND, () => net.crash(PHONE, 'lost'));
    net.at(2 * SECOND, () => net.restart(PHONE));
    net.run({ until: 60 * SECOND });
    // Without the crash the client would refresh its 20 s registration before it ran out.
    expect(registers()).toEqual([0]);
    expect(net.net.isUp(PHONE)).toBe(true);
  });

  it('with its state kept: its timers run on, and what they send while it is down is lost', () => {
    const { net, events, registers } = network();
    net.at(0, () => net.client('sip:alice@a.example', 'phone').register());
    net.at(1 * SECOND, () => net.crash(PHONE, 'kept'));
    net.at(30 * SECOND, () => net.restart(PHONE));
    net.run({ until: 30 * SECOND });
    expect(registers()).toEqual([0]);
    const refresh = events.find((e) => e.type === 'undeliverable' && e.from === PHONE);
    expect(refresh).toMatchObject({ reason: 'sender-down' });
    expect(events.flatMap((e) => (e.type === 'note' && e.host === PHONE ? [e.text] : []))).toContain('crashed (state kept)');
  });
});
