import { describe, expect, it } from 'vitest';
import { Simulator } from '../../../src/kernel/simulator.js';
import { SECOND } from '../../../src/kernel/time.js';
import { DEFAULT_PREFERENCES } from '../../../src/cpm/preferences.js';
import { readPreferences } from '../../../src/cpm/xdms/preferences-client.js';
import { encodePreferences } from '../../../src/cpm/xdms/preferences-document.js';
import { XcapClient } from '../../../src/cpm/xdms/xcap-client.js';
import type { XcapRequest } from '../../../src/xcap/message.js';

function client() {
  const sim = new Simulator();
  const sent: XcapRequest[] = [];
  const notes: string[] = [];
  const xcap = new XcapClient({ host: 'cs.b.example', xdmsHost: 'xdms.b.example', sim, send: (_to, m) => sent.push(m), note: (t) => notes.push(t) });
  return { sim, sent, notes, xcap };
}

describe('XcapClient and the preferences it reads', () => {
  it('sends one request at a time, so each answer is the one in flight (RFC 9112 9.3)', () => {
    const { xcap, sent } = client();
    const got: string[] = [];
    xcap.get('/one', (res) => got.push(`one ${res?.status}`));
    xcap.get('/two', (res) => got.push(`two ${res?.status}`));
    expect(sent.map((r) => r.path)).toEqual(['/one']);
    xcap.received({ protocol: 'xcap', type: 'xcap-response', status: 200, reason: 'OK' });
    expect(sent.map((r) => r.path)).toEqual(['/one', '/two']);
    xcap.received({ protocol: 'xcap', type: 'xcap-response', status: 404, reason: 'Not Found' });
    expect(got).toEqual(['one 200', 'two 404']);
  });

  it('sends an unanswered GET once more (RFC 9110 9.2.2: GET is idempotent), then goes on without it', () => {
    const { sim, xcap, sent, notes } = client();
    const got: unknown[] = [];
    xcap.get('/one', (res) => got.push(res));
    sim.run({ until: 3 * SECOND });
    expect(sent.map((r) => r.path)).toEqual(['/one', '/one']);
    expect(notes).toEqual(['XDMS did not answer for /one: asks again']);
    sim.run({ until: 5 * SECOND });
    expect(got).toEqual([undefined]);
    expect(notes).toEqual(['XDMS did not answer for /one: asks again', 'XDMS did not answer for /one']);
  });

  it('goes on with the defaults when the XDMS has no document or does not answer in time', () => {
    const { sim, notes, xcap, sent } = client();
    const got: unknown[] = [];
    readPreferences(xcap, 'sip:bob@b.example', (t) => notes.push(t), (p) => got.push(p));
    expect(sent[0]).toMatchObject({ method: 'GET', assertedIdentity: 'cs.b.example' });
    xcap.received({ protocol: 'xcap', type: 'xcap-response', status: 404, reason: 'Not Found' });
    readPreferences(xcap, 'sip:carol@b.example', (t) => notes.push(t), (p) => got.push(p));
    sim.run({ until: 5 * SECOND });
    expect(got).toEqual([DEFAULT_PREFERENCES, DEFAULT_PREFERENCES]);
    expect(notes).toEqual([
      'XDMS answered 404 for bob@b.example: default preferences',
      expect.stringMatching(/^XDMS did not answer for \/org\.openmobilealliance\.cpm-user-prefs\/users\/sip%3Acarol.*: asks again$/),
      expect.stringMatching(/^XDMS did not answer for \/org\.openmobilealliance\.cpm-user-prefs\/users\/sip%3Acarol/),
    ]);
    expect(notes[2]).not.toMatch(/asks again/);
  });

  it('reads the document the XDMS sends', () => {
    const { xcap } = client();
    const got: unknown[] = [];
    const prefs = { ...DEFAULT_PREFERENCES, whenUnavailable: 'reject' as const };
    readPreferences(xcap, 'sip:bob@b.example', () => undefined, (p) => got.push(p));
    xcap.received({ protocol: 'xcap', type: 'xcap-response', status: 200, reason: 'OK', body: { contentType: 'application/vnd.cpmsim.cpm-user-prefs+xml', text: encodePreferences(prefs) } });
    expect(got).toEqual([prefs]);
  });
});
