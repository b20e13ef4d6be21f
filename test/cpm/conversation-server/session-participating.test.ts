import { describe, expect, it } from 'vitest';
import type { ServicePolicy, UserPreferences } from '../../../src/cpm/preferences.js';
import type { DeviceSettings } from '../../../src/cpm/session-media.js';
import { header, headers } from '../../../src/sip/message.js';
import type { TraceRecorder } from '../../../src/trace/recorder.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@b.example';

/** The XCAP messages between two hosts after a time: requests, and responses with their document's text. */
function xcap(trace: TraceRecorder, from: string, to: string, after: number): { type: string; text?: string }[] {
  return trace.events.flatMap((e) => {
    if (e.type !== 'transmit' || e.from !== from || e.to !== to || e.at < after || !('protocol' in e.payload) || e.payload.protocol !== 'xcap') return [];
    const p = e.payload;
    return [{ type: p.type, ...(p.type === 'xcap-response' && p.body !== undefined ? { text: p.body.text } : {}) }];
  });
}

/** Alice invites Bob to a message session at 1 s; Bob's devices (registered in their order), preferences and provider policy vary. */
function inviteBob(devices: (string | DeviceSettings)[], options: { preferences?: Partial<UserPreferences>; policy?: Partial<ServicePolicy> } = {}) {
  const h = harness();
  h.net.addDomain('a.example');
  h.net.addDomain('b.example', options.policy === undefined ? {} : { policy: options.policy });
  h.net.addUser(ALICE, ['phone']);
  h.net.addUser(BOB, devices, options.preferences === undefined ? {} : { preferences: options.preferences });
  const names = devices.map((d) => (typeof d === 'string' ? d : d.name));
  h.net.at(0, () => h.net.client(ALICE, 'phone').register());
  // One after the other, so that "the earliest registered" is the order of the list.
  for (const [i, name] of names.entries()) h.net.at(at(0.1 * i), () => h.net.client(BOB, name).register());
  h.net.at(at(1), () => h.net.client(ALICE, 'phone').session.invite(BOB, ['message']));
  h.net.run({ until: at(6) });
  const instance = (name: string): string => `*;+sip.instance="<${h.net.client(BOB, name).instance}>"`;
  const invitedDevices = names.filter((name) => sent(h.trace, { to: `${name}.bob.b.example`, method: 'INVITE', after: at(1) }).length > 0);
  const fromServer = sent(h.trace, { from: 'cs.b.example', to: 'core.b.example', method: 'INVITE', after: at(1) });
  const preferenceReads = xcap(h.trace, 'cs.b.example', 'xdms.b.example', at(1)).length;
  const answer = sent(h.trace, { to: 'phone.alice.a.example', after: at(1) }).flatMap((e) => (e.payload.type === 'response' && e.payload.status >= 200 ? [e.payload.status] : []))[0];
  // Their order carries no meaning (RFC 3841 9.2).
  const rejected = fromServer.flatMap((e) => headers(e.payload, 'Reject-Contact')).sort();
  return { h, instance, invitedDevices, rejected, preferenceReads, answer };
}

// covers: 5.2.3.2.1.3-2, 5.2.3.2.1.3-5
describe('The choice of the invited user\'s clients (CPM 5.2.3.2.1.3)', () => {
  it('invites every capable client when the user has no preference and the provider no limit', () => {
    const run = inviteBob(['phone', 'tablet']);
    expect(run.invitedDevices).toEqual(['phone', 'tablet']);
    expect(run.rejected).toEqual([]);
    expect(run.answer).toBe(200);
  });

  it('reads the preferences only when several clients are registered', () => {
    expect(inviteBob(['phone']).preferenceReads).toBe(0);
    expect(inviteBob(['phone', 'tablet']).preferenceReads).toBe(1);
  });

  it("leaves out, by their Unique User Agent Identifier, the clients the user's preferences do not name", () => {
    const run = inviteBob(['phone', 'tablet', 'laptop'], { preferences: { sessionDevices: ['tablet'] } });
    expect(run.invitedDevices).toEqual(['tablet']);
    expect(run.rejected).toEqual([run.instance('phone'), run.instance('laptop')].sort());
    expect(notes(run.h.trace, 'cs.b.example')).toContain('not eligible: bob@phone.bob.b.example, bob@laptop.bob.b.example');
  });

  it('leaves out a preferred client that cannot take part in the offered streams', () => {
    const run = inviteBob(['phone', { name: 'watch', media: ['audio'] }, 'tablet'], { preferences: { sessionDevices: ['watch', 'tablet'] } });
    expect(run.invitedDevices).toEqual(['tablet']);
    expect(run.rejected).toEqual([run.instance('phone'), run.instance('watch')].sort());
  });

  it('refuses the invitation 480 when the preferences leave no client that can take part', () => {
    const run = inviteBob(['phone', { name: 'watch', media: ['audio'] }], { preferences: { sessionDevices: ['watch'] } });
    expect(run.invitedDevices).toEqual([]);
    expect(run.answer).toBe(480);
    expect(notes(run.h.trace, 'cs.b.example')).toContain('user preferences (XDMS): bob@b.example takes sessions on none of bob@phone.bob.b.example');
  });

  it("invites at most the provider's number of clients, the earliest registered first", () => {
    const run = inviteBob(['phone', 'tablet', 'laptop'], { policy: { maxSessionDevices: 2 } });
    expect(run.invitedDevices).toEqual(['phone', 'tablet']);
    expect(run.rejected).toEqual([run.instance('laptop')]);
  });

  it("applies the provider's limit to the clients the user prefers", () => {
    const run = inviteBob(['phone', 'tablet', 'laptop'], { preferences: { sessionDevices: ['laptop', 'tablet'] }, policy: { maxSessionDevices: 1 } });
    expect(run.invitedDevices).toEqual(['tablet']);
    expect(run.rejected).toEqual([run.instance('phone'), run.instance('laptop')].sort());
  });

  it('writes the named devices into the preference document by their identifiers', () => {
    const run = inviteBob(['phone', 'tablet'], { preferences: { sessionDevices: ['tablet'] } });
    const [document] = xcap(run.h.trace, 'xdms.b.example', 'cs.b.example', at(1));
    expect(document?.text).toContain(`<instance>${run.h.net.client(BOB, 'tablet').instance}</instance>`);
    expect(document?.text).not.toContain(run.h.net.client(BOB, 'phone').instance);
    expect(header(sent(run.h.trace, { to: 'tablet.bob.b.example', method: 'INVITE' })[0]!.payload, 'To')).toBe('<sip:bob@b.example>');
  });

  it('refuses to name a device the user does not have', () => {
    const h = harness();
    h.net.addDomain('b.example');
    expect(() => h.net.addUser(BOB, ['phone'], { preferences: { sessionDevices: ['laptop'] } })).toThrow(/session-devices names laptop/);
  });
});
