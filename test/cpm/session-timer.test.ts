import { describe, expect, it } from 'vitest';
import { adoptRefusal, intervalAfterRefusal, MIN_SE_SECONDS, refreshHeaders, retryWithMinSe, SessionTimer, sessionExpiresOf, supportsTimer, timerHeaders } from '../../src/cpm/session-timer.js';
import { Simulator } from '../../src/kernel/simulator.js';
import { SECOND } from '../../src/kernel/time.js';
import { createRequest, createResponse } from '../../src/sip/builders.js';
import { header, headers, type Header } from '../../src/sip/message.js';
import { sipUri } from '../../src/sip/uri.js';

function invite(extra: Header[]) {
  return createRequest({
    method: 'INVITE',
    uri: sipUri('friends', 'x.example'),
    from: { uri: sipUri('alice', 'a.example'), params: [{ name: 'tag', value: 'a1' }] },
    to: { uri: sipUri('friends', 'x.example'), params: [] },
    callId: 'call-1',
    cseq: 1,
    via: { protocol: 'SIP/2.0', transport: 'UDP', host: 'phone.alice.a.example', params: [{ name: 'branch', value: 'z9hG4bK1' }] },
    extra,
  });
}

describe('Session-Expires and Min-SE (RFC 4028 4, 5)', () => {
  it('reads the interval and the refresher', () => {
    expect(sessionExpiresOf(invite([{ name: 'Session-Expires', value: '1800;refresher=uas' }]))).toEqual({ seconds: 1800, refresher: 'uas' });
    expect(sessionExpiresOf(invite([{ name: 'x', value: '90' }, { name: 'Session-Expires', value: '90' }]))).toEqual({ seconds: 90 });
  });

  it('takes no timer from a value that is not delta-seconds, and no refresher but uac or uas', () => {
    for (const value of ['soon', '0', '-5', '90s']) expect(sessionExpiresOf(invite([{ name: 'Session-Expires', value }]))).toBeUndefined();
    expect(sessionExpiresOf(invite([{ name: 'Session-Expires', value: '90;refresher=proxy' }]))).toEqual({ seconds: 90 });
    expect(sessionExpiresOf(invite([]))).toBeUndefined();
  });

  it('a request asks with Supported: timer, a response answers with Require: timer', () => {
    expect(timerHeaders({ seconds: 90 }, 'request')).toEqual([
      { name: 'Supported', value: 'timer' },
      { name: 'Session-Expires', value: '90' },
    ]);
    expect(timerHeaders({ seconds: 90, refresher: 'uac' }, 'response')).toEqual([
      { name: 'Require', value: 'timer' },
      { name: 'Session-Expires', value: '90;refresher=uac' },
    ]);
    expect(supportsTimer(invite([{ name: 'Supported', value: '100rel, Timer' }]))).toBe(true);
    expect(supportsTimer(invite([{ name: 'Supported', value: 'norefersub' }]))).toBe(false);
  });
});

describe('an INVITE refused 422 (RFC 4028 7.3)', () => {
  const sent = invite(timerHeaders({ seconds: 60 }, 'request'));
  const refusal = createResponse(sent, 422, { toTag: 'f1', extra: [{ name: 'Min-SE', value: String(MIN_SE_SECONDS) }] });

  it('is sent again as a new request of the call, asking for the Min-SE and carrying it', () => {
    const retry = retryWithMinSe(sent, refusal)!;
    expect(header(retry, 'Session-Expires')).toBe('90');
    expect(header(retry, 'Min-SE')).toBe('90');
    expect(header(retry, 'CSeq')).toBe('2 INVITE');
    expect(header(retry, 'Call-ID')).toBe('call-1');
    expect(header(retry, 'From')).toBe(header(sent, 'From'));
    // The transaction layer writes the new branch.
    expect(headers(retry, 'Via')).toEqual([]);
    expect(header(sent, 'Session-Expires')).toBe('60');
  });

  it('only once: a second 422 stands, as does a 422 without Min-SE or another refusal', () => {
    const retry = retryWithMinSe(sent, refusal)!;
    expect(retryWithMinSe(retry, createResponse(retry, 422, { toTag: 'f1', extra: [{ name: 'Min-SE', value: '120' }] }))).toBeUndefined();
    expect(retryWithMinSe(sent, createResponse(sent, 422, { toTag: 'f1' }))).toBeUndefined();
    expect(retryWithMinSe(sent, createResponse(sent, 486, { toTag: 'f1' }))).toBeUndefined();
  });
});

describe('one end’s session timer (RFC 4028 10)', () => {
  function timer() {
    const sim = new Simulator();
    const fired: string[] = [];
    const t = new SessionTimer(sim, () => fired.push(`refresh at ${sim.now / SECOND}`), () => fired.push(`expired at ${sim.now / SECOND}`));
    return { sim, fired, t };
  }

  it('the refresher refreshes at half the interval', () => {
    const { sim, fired, t } = timer();
    t.start(90, true);
    sim.run();
    expect(fired).toEqual(['refresh at 45']);
  });

  it('the other end gives up at the interval less the smaller of 32 s and a third of it', () => {
    for (const [seconds, at] of [[90, 60], [1800, 1768]] as const) {
      const { sim, fired, t } = timer();
      t.start(seconds, false);
      sim.run();
      expect(fired).toEqual([`expired at ${at}`]);
    }
  });

  it('a refresh starts it again, and a stopped timer does nothing', () => {
    const { sim, fired, t } = timer();
    t.start(90, false);
    sim.at(50 * SECOND, () => t.start(90, false));
    sim.run();
    expect(fired).toEqual(['expired at 110']);
    t.start(90, true);
    t.stop();
    sim.run();
    expect(fired).toEqual(['expired at 110']);
  });
});

describe('a session refresh refused 422 (RFC 4028 7.3, 7.4)', () => {
  const refresh = invite([]);
  const refusal = (minSe?: string, status = 422) => createResponse(refresh, status, { toTag: 'f1', extra: minSe === undefined ? [] : [{ name: 'Min-SE', value: minSe }] });

  it('asks again for the Min-SE of the 422 when it is above what was asked', () => {
    expect(intervalAfterRefusal(refusal('120'), 90)).toBe(120);
  });

  it('not when the 422 asks for no more, gives no Min-SE, or the answer is another refusal', () => {
    expect(intervalAfterRefusal(refusal('90'), 90)).toBeUndefined();
    expect(intervalAfterRefusal(refusal('60'), 90)).toBeUndefined();
    expect(intervalAfterRefusal(refusal(), 90)).toBeUndefined();
    expect(intervalAfterRefusal(refusal('120', 488), 90)).toBeUndefined();
  });

  it("the dialog adopts the 422's Min-SE as its interval and Min-SE, and keeps both when it is not one to retry", () => {
    const dialog: { interval?: number; minSe?: number } = { interval: 90 };
    expect(adoptRefusal(dialog, refusal('60'), 90)).toBeUndefined();
    expect(dialog).toEqual({ interval: 90 });
    expect(adoptRefusal(dialog, refusal('120'), 90)).toBe(120);
    expect(dialog).toEqual({ interval: 120, minSe: 120 });
  });

  it('a refresh carries the Min-SE once a 422 of its dialog gave one', () => {
    expect(refreshHeaders({ seconds: 90, refresher: 'uac' }, undefined)).toEqual(timerHeaders({ seconds: 90, refresher: 'uac' }, 'request'));
    expect(refreshHeaders({ seconds: 120, refresher: 'uas' }, 120)).toEqual([...timerHeaders({ seconds: 120, refresher: 'uas' }, 'request'), { name: 'Min-SE', value: '120' }]);
  });
});
