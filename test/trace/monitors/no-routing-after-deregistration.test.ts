/**
 * no-state-after-deregistration: once a device's REGISTER with Expires: 0 is accepted (RFC 3261
 * 10.2.2), no request other than a NOTIFY (RFC 6665 4.2.2) or an ACK reaches it.
 */
import { describe, expect, it } from 'vitest';
import { removeHeaders } from '../../../src/sip/message.js';
import type { Violation } from '../../../src/trace/monitors/monitor.js';
import { noRoutingAfterDeregistration } from '../../../src/trace/monitors/no-routing-after-deregistration.js';
import { ALICE, BOB, CORE, request, response, Trace } from './fixtures.js';

const check = (t: Trace): Violation[] => noRoutingAfterDeregistration.check(t.input());
const late = (eventId: number, method: string, to = ALICE): Violation => ({
  monitor: 'no-state-after-deregistration',
  at: eventId * 1000,
  eventId,
  message: `${method} sent to ${to} after its de-registration was accepted`,
});

/** Alice's REGISTER with `expires`, from `host`, answered `status` by the core. */
function registered(expires = '0', status = 200, host = ALICE): Trace {
  const t = new Trace();
  const register = request('REGISTER', { user: 'alice', extra: [{ name: 'Expires', value: expires }] });
  t.send(host, CORE, register);
  t.send(CORE, host, response(register, status));
  return t;
}

describe('no-state-after-deregistration', () => {
  it('a request routed to a device after its de-registration was accepted is reported', () => {
    const t = registered();
    t.note(CORE, 'binding removed');
    t.send(CORE, ALICE, request('MESSAGE', { user: 'alice', callId: 'm1' }));
    expect(check(t)).toEqual([late(4, 'MESSAGE')]);
  });

  it('a NOTIFY or an ACK may still reach it; a response to it is no routing', () => {
    const t = registered();
    t.send(CORE, ALICE, request('NOTIFY', { user: 'alice' }));
    t.send(CORE, ALICE, request('ACK', { user: 'alice' }));
    t.send(CORE, ALICE, response(request('MESSAGE', { user: 'alice' }), 200));
    expect(check(t)).toEqual([]);
  });

  it('a request sent before the 200 OK reached the device is not counted', () => {
    const t = new Trace();
    const register = request('REGISTER', { user: 'alice', extra: [{ name: 'Expires', value: '0' }] });
    t.send(ALICE, CORE, register, 0);
    t.send(CORE, ALICE, response(register, 200), 1000, 5000);
    t.send(CORE, ALICE, request('MESSAGE', { user: 'alice' }), 4000);
    t.send(CORE, ALICE, request('INFO', { user: 'alice' }), 5000);
    t.send(CORE, ALICE, request('OPTIONS', { user: 'alice' }), 5001);
    expect(check(t)).toEqual([{ ...late(5, 'OPTIONS'), at: 5001 }]);
  });

  it('only an accepted de-registration counts: not a REGISTER with another Expires, not a refused or provisional answer', () => {
    for (const [expires, status] of [['3600', 200], ['0', 100], ['0', 199], ['0', 300], ['0', 403]] as const) {
      const t = registered(expires, status);
      t.send(CORE, ALICE, request('MESSAGE', { user: 'alice' }));
      expect({ expires, status, found: check(t) }).toEqual({ expires, status, found: [] });
    }
    const accepted = registered('0', 299);
    accepted.send(CORE, ALICE, request('MESSAGE', { user: 'alice' }));
    expect(check(accepted)).toEqual([late(3, 'MESSAGE')]);
  });

  it('a 2xx to another request of the device is not the acceptance', () => {
    const t = new Trace();
    t.send(ALICE, CORE, request('REGISTER', { user: 'alice', extra: [{ name: 'Expires', value: '0' }] }));
    t.send(CORE, ALICE, response(request('SUBSCRIBE', { user: 'alice' }), 200));
    t.send(CORE, ALICE, request('MESSAGE', { user: 'alice' }));
    expect(check(t)).toEqual([]);
  });

  it('a 2xx without a CSeq (a message a scenario injected) is not the acceptance, and fails nothing', () => {
    const t = new Trace();
    t.send(ALICE, CORE, request('REGISTER', { user: 'alice', extra: [{ name: 'Expires', value: '0' }] }));
    const ok = response(request('REGISTER', { user: 'alice' }), 200);
    removeHeaders(ok, 'CSeq');
    t.send(CORE, ALICE, ok);
    t.send(CORE, ALICE, request('MESSAGE', { user: 'alice' }));
    expect(check(t)).toEqual([]);
  });

  it('a REGISTER from a server, or its answer lost on the way, de-registers no device', () => {
    const fromServer = registered('0', 200, 'cs.b.example');
    fromServer.send(CORE, 'cs.b.example', request('MESSAGE', { user: 'alice' }));
    expect(check(fromServer)).toEqual([]);
    const t = new Trace();
    const register = request('REGISTER', { user: 'alice', extra: [{ name: 'Expires', value: '0' }] });
    t.send(ALICE, CORE, register);
    t.lostInFlight(t.send(CORE, ALICE, response(register, 200)));
    t.send(CORE, ALICE, request('MESSAGE', { user: 'alice' }));
    expect(check(t)).toEqual([]);
  });

  it('a request lost on its way to the device is no routing', () => {
    const t = registered();
    t.lostInFlight(t.send(CORE, ALICE, request('MESSAGE', { user: 'alice' })));
    t.undeliverable(CORE, ALICE, request('INFO', { user: 'alice' }));
    expect(check(t)).toEqual([]);
  });

  it('registering again ends it: requests reach the device again', () => {
    const t = registered();
    const again = request('REGISTER', { user: 'alice', callId: 'r2', extra: [{ name: 'Expires', value: '3600' }] });
    t.send(ALICE, CORE, again);
    t.send(CORE, ALICE, response(again, 200));
    t.send(CORE, ALICE, request('MESSAGE', { user: 'alice' }));
    expect(check(t)).toEqual([]);
  });

  it('a de-registration pending again is not yet accepted: the earlier one still counts until the device registers', () => {
    const t = new Trace();
    const register = request('REGISTER', { user: 'alice', extra: [{ name: 'Expires', value: '0' }] });
    t.send(ALICE, CORE, register);
    t.send(ALICE, CORE, register);
    t.send(CORE, ALICE, response(register, 200));
    t.send(CORE, ALICE, request('MESSAGE', { user: 'alice' }));
    expect(check(t)).toEqual([late(4, 'MESSAGE')]);
  });

  it('neither a REGISTER that never reached the core nor another request of the device registers it again', () => {
    const t = registered();
    t.undeliverable(ALICE, CORE, request('REGISTER', { user: 'alice', callId: 'r2', extra: [{ name: 'Expires', value: '3600' }] }));
    t.send(ALICE, CORE, request('OPTIONS', { callId: 'o1' }));
    t.send(CORE, ALICE, request('MESSAGE', { user: 'alice' }));
    expect(check(t)).toEqual([late(5, 'MESSAGE')]);
  });

  it('media to the device is no SIP routing', () => {
    const t = registered();
    t.send(CORE, ALICE, { protocol: 'rtp', type: 'rtp', srcPort: 1, dstPort: 2, payloadType: 0, marker: false, sequence: 1, timestamp: 0, ssrc: 1, csrc: [], payloadOctets: 1 });
    expect(check(t)).toEqual([]);
  });

  it('each device on its own: Bob is still reachable after Alice left', () => {
    const t = registered();
    t.send(CORE, BOB, request('MESSAGE'));
    t.send(CORE, ALICE, request('MESSAGE', { user: 'alice' }));
    expect(check(t)).toEqual([late(4, 'MESSAGE')]);
  });
});
