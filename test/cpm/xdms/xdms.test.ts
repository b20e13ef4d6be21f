import { describe, expect, it } from 'vitest';
import { decodeGroup, encodeGroup, groupPath } from '../../../src/cpm/xdms/group-document.js';
import { decodePreferences, encodePreferences, preferencesPath } from '../../../src/cpm/xdms/preferences-document.js';
import { DEFAULT_PREFERENCES } from '../../../src/cpm/preferences.js';
import { BodyParseError } from '../../../src/bodies/errors.js';
import type { TraceRecorder } from '../../../src/trace/recorder.js';
import { at, harness, notes, sent } from '../harness.js';

/** The XCAP messages between two hosts. */
const xcap = (trace: TraceRecorder, from: string, to: string) =>
  trace.events.flatMap((e) => (e.type === 'transmit' && e.from === from && e.to === to && 'protocol' in e.payload && e.payload.protocol === 'xcap' ? [e.payload] : []));

const BOB = 'sip:bob@b.example';

describe('the user preferences document (CPM 5.4)', () => {
  it('round-trips every preference', () => {
    const prefs = { ...DEFAULT_PREFERENCES, whenUnavailable: 'interwork' as const, interworking: ['tel:+15559870002', 'mailto:bob@mail.example'], readReports: false, notificationDevices: 'all' as const, sessionDevices: ['urn:uuid:00de6c7e-bb05-4308-921f-a536605363de'] };
    expect(decodePreferences(encodePreferences(prefs))).toEqual(prefs);
    expect(decodePreferences(encodePreferences(DEFAULT_PREFERENCES))).toEqual(DEFAULT_PREFERENCES);
  });

  it('names a user document in its user tree (RFC 4825 6)', () => {
    expect(preferencesPath(BOB)).toBe('/org.openmobilealliance.cpm-user-prefs/users/sip%3Abob%40b.example/index');
  });

  it('refuses a value the preference does not have', () => {
    const text = encodePreferences(DEFAULT_PREFERENCES).replace('<when-unavailable>defer', '<when-unavailable>bounce');
    expect(() => decodePreferences(text)).toThrow(BodyParseError);
  });
});

describe('the Pre-defined Group document (CPM 5.1.2.4)', () => {
  it('round-trips members and policy, in the group URI\'s own user tree', () => {
    const group = { uri: 'sip:friends@x.example', members: ['sip:alice@a.example', BOB], policy: { allowedSenders: 'anyone' as const } };
    expect(decodeGroup(encodeGroup(group))).toEqual(group);
    expect(groupPath(group.uri)).toBe('/org.openmobilealliance.groups/users/sip%3Afriends%40x.example/index');
  });

  it('keeps a policy that refuses re-joining (CPM 5.2.3.2.1.1), and refuses a value it does not have', () => {
    const group = { uri: 'sip:friends@x.example', members: [BOB], policy: { allowedSenders: 'members' as const, rejoin: false } };
    expect(encodeGroup(group)).toContain('rejoin="refused"');
    expect(decodeGroup(encodeGroup(group))).toEqual(group);
    expect(() => decodeGroup(encodeGroup(group).replace('rejoin="refused"', 'rejoin="later"'))).toThrow(BodyParseError);
  });
});

describe('the XDMS over the network (RFC 4825)', () => {
  it('gives the Controlling Function the group document it applies (C.3.1.2 step 6)', () => {
    const h = harness();
    for (const d of ['a.example', 'b.example', 'x.example']) h.net.addDomain(d);
    h.net.addUser('sip:alice@a.example', ['phone']);
    h.net.addUser(BOB, ['phone']);
    h.net.addGroup('sip:friends@x.example', { members: ['sip:alice@a.example', BOB] });
    h.net.at(0, () => h.net.client('sip:alice@a.example', 'phone').register());
    h.net.at(at(1), () => h.net.client('sip:alice@a.example', 'phone').send({ to: 'sip:friends@x.example', text: 'hi' }));
    h.net.run({ until: at(40) });
    expect(xcap(h.trace, 'cs.x.example', 'xdms.x.example')).toMatchObject([{ path: groupPath('sip:friends@x.example') }]);
    expect(notes(h.trace, 'cs.x.example')).toContain('authorized alice@a.example: 1 copies');
  });

  it('is read by the Conversation Server when the recipient is not registered, then the preference applies', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addDomain('b.example');
    h.net.addUser('sip:alice@a.example', ['phone']);
    h.net.addUser(BOB, ['phone'], { preferences: { whenUnavailable: 'reject' } });
    h.net.at(0, () => h.net.client('sip:alice@a.example', 'phone').register());
    h.net.at(at(1), () => h.net.client('sip:alice@a.example', 'phone').send({ to: BOB, text: 'hi' }));
    h.net.run({ until: at(40) });
    expect(xcap(h.trace, 'cs.b.example', 'xdms.b.example')).toMatchObject([{ method: 'GET', path: preferencesPath(BOB) }]);
    expect(xcap(h.trace, 'xdms.b.example', 'cs.b.example')).toMatchObject([{ status: 200 }]);
    // The preference read says reject: 480 rather than deferral.
    expect(sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE', status: 480 })).toHaveLength(1);
  });

  it('refuses an element of another domain with 403', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addDomain('b.example');
    h.net.addUser(BOB, ['phone'], { preferences: { whenUnavailable: 'reject' } });
    h.net.at(at(1), () => h.net.net.send('cs.a.example', 'xdms.b.example', { protocol: 'xcap', type: 'xcap-request', method: 'GET', host: 'xdms.b.example', path: preferencesPath(BOB), assertedIdentity: 'cs.a.example' }));
    h.net.run({ until: at(5) });
    expect(xcap(h.trace, 'xdms.b.example', 'cs.a.example')).toMatchObject([{ status: 403 }]);
    expect(notes(h.trace, 'cs.a.example')).toEqual([]);
  });
});

describe('a registration while the XDMS answers', () => {
  it('delivers the message instead of deferring it', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addDomain('b.example');
    h.net.addUser('sip:alice@a.example', ['phone']);
    h.net.addUser(BOB, ['phone']);
    h.net.at(0, () => h.net.client('sip:alice@a.example', 'phone').register());
    h.net.at(at(1), () => h.net.client('sip:alice@a.example', 'phone').send({ to: BOB, text: 'hi' }));
    // The MESSAGE and the reg NOTIFY of Bob's registration reach cs.b.example at 1.014 s, the
    // MESSAGE first: it asks the XDMS, and the answer (1.015 s) finds Bob registered.
    h.net.at(at(1.01), () => h.net.client(BOB, 'phone').register());
    h.net.run({ until: at(40) });
    expect(notes(h.trace, 'cs.b.example')).toContain('no client of bob@b.example is registered');
    expect(sent(h.trace, { to: 'phone.bob.b.example', method: 'MESSAGE' }).length).toBeGreaterThan(0);
    expect(sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE', status: 202 })).toEqual([]);
  });
});
