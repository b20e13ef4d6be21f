import { describe, expect, it } from 'vitest';
import { decodeGroup, encodeGroup, groupPath } from '../../../src/cpm/xdms/group-document.js';
import { decodePreferences, encodePreferences, preferencesPath } from '../../../src/cpm/xdms/preferences-document.js';
import { DEFAULT_PREFERENCES } from '../../../src/cpm/preferences.js';
import { BodyParseError } from '../../../src/bodies/errors.js';
import { createRequest } from '../../../src/sip/builders.js';
import { parseUri } from '../../../src/sip/uri.js';
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
  it('names the element and the value it refuses, and the values it takes', () => {
    const text = encodePreferences(DEFAULT_PREFERENCES).replace('<when-unavailable>defer', '<when-unavailable>bounce');
    expect(() => decodePreferences(text)).toThrow('<when-unavailable> "bounce" is not one of defer, reject, interwork');
  });

  it('reads each value without the white space around it, as an XML author may indent it', () => {
    const prefs = { ...DEFAULT_PREFERENCES, interworking: ['tel:+15559870002'], sessionDevices: ['urn:uuid:00de6c7e-bb05-4308-921f-a536605363de'] };
    const indented = encodePreferences(prefs).replace(/>([^<>]+)</g, '>\n  $1\n<');
    expect(indented).toContain('>\n  defer\n<');
    expect(decodePreferences(indented)).toEqual(prefs);
  });

  it('keeps delivery notifications off when the document says false', () => {
    const prefs = { ...DEFAULT_PREFERENCES, deliveryNotifications: false, readReports: true };
    expect(decodePreferences(encodePreferences(prefs))).toEqual(prefs);
    expect(decodePreferences(encodePreferences({ ...prefs, deliveryNotifications: true })).deliveryNotifications).toBe(true);
  });

  it("shares one frozen value per document text, its lists too, so no reader can change another's", () => {
    const text = encodePreferences({ ...DEFAULT_PREFERENCES, interworking: ['tel:+15559870002'], sessionDevices: ['urn:uuid:00de6c7e-bb05-4308-921f-a536605363de'] });
    const prefs = decodePreferences(text);
    expect(decodePreferences(text)).toBe(prefs);
    expect(() => (prefs.sessionDevices as string[]).push('urn:uuid:other')).toThrow(TypeError);
    expect(() => (prefs.interworking as string[]).push('tel:+1')).toThrow(TypeError);
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
    expect(() => decodeGroup(encodeGroup(group).replace('rejoin="refused"', 'rejoin="later"'))).toThrow('<policy> rejoin="later" is not allowed or refused');
  });

  /** A group document as an author writes it, with this policy element. */
  const written = (policy: string) =>
    `<group xmlns="urn:cpmsim:params:xml:ns:cpm-group" uri="sip:friends@x.example"><members><entry uri="${BOB}"/></members>${policy}</group>`;

  it('takes members as the senders when the policy names none, and refuses senders it does not have', () => {
    expect(decodeGroup(written('<policy/>')).policy).toEqual({ allowedSenders: 'members' });
    expect(() => decodeGroup(written('<policy senders="friends"/>'))).toThrow('<policy> senders="friends" is not members or anyone');
  });

  it('reads max-participants as a positive decimal integer only', () => {
    expect(decodeGroup(written('<policy max-participants="12"/>')).policy).toEqual({ allowedSenders: 'members', maxParticipants: 12 });
    for (const bad of ['0', '012', '12x', 'x12']) {
      expect(() => decodeGroup(written(`<policy max-participants="${bad}"/>`))).toThrow(`<policy> max-participants="${bad}" is not a positive integer`);
    }
  });

  it('takes participants or originator for who may add, remove or modify, and refuses anything else', () => {
    const policy = { allowedSenders: 'members' as const, mayAdd: 'originator' as const, mayRemove: 'participants' as const, mayModify: 'originator' as const };
    expect(decodeGroup(encodeGroup({ uri: 'sip:friends@x.example', members: [BOB], policy })).policy).toEqual(policy);
    expect(() => decodeGroup(written('<policy may-add="anyone"/>'))).toThrow('<policy> may-add="anyone" is not participants or originator');
  });

  it('writes no attribute or element for what the policy leaves at its default', () => {
    const text = encodeGroup({ uri: 'sip:friends@x.example', members: [BOB], policy: { allowedSenders: 'members', banned: [] } });
    expect(text).not.toMatch(/may-add|may-remove|may-modify|banned|rejoin|max-participants/);
    expect(decodeGroup(text).policy).toEqual({ allowedSenders: 'members' });
    const banning = { uri: 'sip:friends@x.example', members: [BOB], policy: { allowedSenders: 'members' as const, banned: ['sip:eve@e.example'] } };
    expect(decodeGroup(encodeGroup(banning))).toEqual(banning);
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
    expect(xcap(h.trace, 'xdms.b.example', 'cs.b.example')).toMatchObject([{ status: 200, reason: 'OK', body: { contentType: 'application/vnd.cpmsim.cpm-user-prefs+xml' } }]);
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
    expect(xcap(h.trace, 'xdms.b.example', 'cs.a.example')).toMatchObject([{ status: 403, reason: 'Forbidden' }]);
    expect(notes(h.trace, 'cs.a.example')).toEqual([]);
  });

  it('answers 404 Not Found for a document it does not hold (RFC 4825 7.3)', () => {
    const h = harness();
    h.net.addDomain('b.example');
    h.net.at(at(1), () => h.net.net.send('cs.b.example', 'xdms.b.example', { protocol: 'xcap', type: 'xcap-request', method: 'GET', host: 'xdms.b.example', path: preferencesPath('sip:nobody@b.example'), assertedIdentity: 'cs.b.example' }));
    h.net.run({ until: at(5) });
    expect(xcap(h.trace, 'xdms.b.example', 'cs.b.example')).toEqual([{ protocol: 'xcap', type: 'xcap-response', status: 404, reason: 'Not Found' }]);
  });

  it('speaks no SIP: a SIP request sent to it is noted and left unanswered', () => {
    const h = harness();
    h.net.addDomain('b.example');
    const options = createRequest({ method: 'OPTIONS', uri: parseUri('sip:xdms.b.example'), from: { uri: parseUri(BOB), params: [{ name: 'tag', value: '1' }] }, to: { uri: parseUri('sip:xdms.b.example'), params: [] }, callId: 'x@b.example', cseq: 1 });
    h.net.at(at(1), () => h.net.net.send('cs.b.example', 'xdms.b.example', options));
    h.net.run({ until: at(5) });
    expect(notes(h.trace, 'xdms.b.example')).toEqual(['ignored SIP from cs.b.example']);
    expect(h.trace.events.filter((e) => e.type === 'transmit' && e.from === 'xdms.b.example')).toEqual([]);
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
