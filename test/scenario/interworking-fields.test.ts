import { REQUEST_NAMES } from '../../src/scenario/vocabulary.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadScenarioText } from '../../src/scenario/loader.js';
import { errorOf, pos } from './located-errors.js';

const FILE = 'x.yaml';

function scenario(network: string, timeline = '  - { at: 0s, register: alice.phone }', lifelines = '  A: alice.phone'): string {
  return `title: T
network:
${network}
lifelines:
${lifelines}
timeline:
${timeline}
expect:
  steps:
    - { n: 1, from: A, to: A, request: MESSAGE }
`;
}

const ALICE = `  domains: [a.example]
  users:
    alice@a.example: { devices: [phone], aliases: [tel:+15551230001] }`;



describe('non-CPM systems, interworking preferences and policy', () => {
  test('are read', () => {
    const spec = loadScenarioText(
      scenario(
        `  domains:
    a.example: { policy: { interworking: [email, sms], sms-max-segments: 3 } }
  users:
    alice@a.example:
      devices: [phone]
      preferences: { when-unavailable: interwork, interworking: [tel:+15559870002, mailto:alice@mail.example] }
  non-cpm:
    sms.example: { service: sms, users: [tel:+15559870002] }
    mail.example: { service: email, users: [mailto:alice@mail.example] }`,
        '  - { at: 1s, non-cpm-send: { from: tel:+15559870002, to: tel:+15551230001, text: Hi, delivery-report: true } }',
        '  A: alice.phone\n  S: smsc.sms.example\n  M: "*@mail.example"\n  I: isf.a.example',
      ),
      FILE,
    );
    expect(spec.network.domains[0]!.policy).toEqual({ interworking: ['email', 'sms'], smsMaxSegments: 3 });
    expect(spec.network.users[0]!.preferences).toEqual({ whenUnavailable: 'interwork', interworking: ['tel:+15559870002', 'mailto:alice@mail.example'] });
    expect(spec.network.nonCpm?.map((s) => [s.domain, s.service, s.users])).toEqual([
      ['sms.example', 'sms', ['tel:+15559870002']],
      ['mail.example', 'email', ['mailto:alice@mail.example']],
    ]);
    expect(spec.timeline[0]!.action).toEqual({ kind: 'non-cpm-send', from: 'tel:+15559870002', to: 'tel:+15551230001', text: 'Hi', deliveryReport: true });
    expect(spec.lifelines.map((l) => l.refs)).toEqual([['alice.phone'], ['smsc.sms.example'], ['*@mail.example'], ['isf.a.example']]);
  });

  test('on-no-sip-core and handset actions are read', () => {
    const spec = loadScenarioText(
      scenario(
        `  domains:\n    a.example: { policy: { on-no-sip-core: interwork } }\n  users:\n    alice@a.example: { devices: [phone] }\n  non-cpm:\n    sms.example: { service: sms, users: [tel:+15559870002] }`,
        '  - { at: 1s, handset-off: tel:+15559870002 }\n  - { at: 2s, handset-on: [tel:+15559870002] }',
      ),
      FILE,
    );
    expect(spec.network.domains[0]!.policy).toEqual({ onNoSipCore: 'interwork' });
    expect(spec.timeline.map((e) => e.action)).toEqual([
      { kind: 'handset-off', users: ['tel:+15559870002'] },
      { kind: 'handset-on', users: ['tel:+15559870002'] },
    ]);
  });

  test('a handset action names an SMS subscriber', () => {
    const text = scenario(
      `${ALICE}\n  non-cpm:\n    mail.example: { service: email, users: [mailto:carol@mail.example] }`,
      '  - { at: 1s, handset-off: mailto:carol@mail.example }',
    );
    expect(errorOf(text, FILE)).toMatch(new RegExp(`^x\\.yaml:${pos(text, 'mailto:carol@mail.example }')}: timeline\\[0\\]\\.handset-off: mailto:carol@mail\\.example is not an SMS subscriber`));
  });

  test('an unknown service is located and lists the allowed ones', () => {
    const text = scenario(`${ALICE}\n  non-cpm:\n    im.example: { service: fax, users: [tel:+15559870002] }`);
    expect(errorOf(text, FILE)).toBe(`x.yaml:${pos(text, 'fax')}: network.non-cpm["im.example"].service: unknown value 'fax'; allowed: sms, email, mms, imps`);
  });

  test('a non-CPM system in a CPM domain is refused', () => {
    const text = scenario(`${ALICE}\n  non-cpm:\n    a.example: { service: sms, users: [tel:+15559870002] }`);
    expect(errorOf(text, FILE)).toBe(`x.yaml:${pos(text, 'a.example: { service')}: network.non-cpm: a.example is a CPM domain of network.domains; a non-CPM system needs a domain of its own or one with cpm: false`);
  });

  test('a subscriber address that does not fit the service is located', () => {
    const sms = scenario(`${ALICE}\n  non-cpm:\n    sms.example: { service: sms, users: [mailto:bob@sms.example] }`);
    expect(errorOf(sms, FILE)).toBe(`x.yaml:${pos(sms, 'mailto:bob')}: network.non-cpm["sms.example"].users[0]: 'mailto:bob@sms.example' is not a global tel URI like tel:+15559870001, the address of an SMS subscriber`);
    const mail = scenario(`${ALICE}\n  non-cpm:\n    mail.example: { service: email, users: [mailto:bob@other.example] }`);
    expect(errorOf(mail, FILE)).toBe(`x.yaml:${pos(mail, 'mailto:bob')}: network.non-cpm["mail.example"].users[0]: 'mailto:bob@other.example' is not a mailbox of mail.example like mailto:carol@mail.example`);
  });

  test('two systems of one service are refused', () => {
    const text = scenario(`${ALICE}\n  non-cpm:\n    s1.example: { service: sms, users: [tel:+15559870002] }\n    s2.example: { service: sms, users: [tel:+15559870003] }`);
    expect(errorOf(text, FILE)).toBe(`x.yaml:${pos(text, 'sms, users: [tel:+15559870003')}: network.non-cpm["s2.example"].service: there is already a sms system (s1.example)`);
  });

  test('an interworking preference that is not a tel or mailto address is located', () => {
    const text = scenario(`  users:\n    alice@a.example: { devices: [phone], preferences: { interworking: [sip:alice@b.example] } }`);
    expect(errorOf(text, FILE)).toBe(`x.yaml:${pos(text, 'sip:alice@b')}: network.users["alice@a.example"].preferences.interworking[0]: 'sip:alice@b.example' is not a tel:+... number, a mailto: or a wv: address`);
  });

  test('policy: unknown interworking service and sms-max-segments out of range', () => {
    const service = scenario(`  domains:\n    a.example: { policy: { interworking: [fax] } }\n  users:\n    alice@a.example: { devices: [phone] }`);
    expect(errorOf(service, FILE)).toBe(`x.yaml:${pos(service, 'fax')}: network.domains["a.example"].policy.interworking[0]: unknown value 'fax'; allowed: sms, email, mms, imps`);
    const segments = scenario(`  domains:\n    a.example: { policy: { sms-max-segments: 0 } }\n  users:\n    alice@a.example: { devices: [phone] }`);
    expect(errorOf(segments, FILE)).toBe(`x.yaml:${pos(segments, '0 }')}: network.domains["a.example"].policy.sms-max-segments: sms-max-segments must be from 1 to 255 (TS 23.040 9.2.3.24.1)`);
  });

  test('non-cpm-send names a user of a non-CPM system', () => {
    const text = scenario(
      `${ALICE}\n  non-cpm:\n    sms.example: { service: sms, users: [tel:+15559870002] }`,
      '  - { at: 1s, non-cpm-send: { from: tel:+15559870009, to: tel:+15551230001, text: Hi } }',
    );
    expect(errorOf(text, FILE)).toMatch(new RegExp(`^x\\.yaml:${pos(text, 'tel:+15559870009')}: timeline\\[0\\]\\.non-cpm-send\\.from: tel:\\+15559870009 is not a user of a non-CPM system`));
  });

  test('a step may name SMPP commands and responses, and refuses other lowercase names', () => {
    const ok = scenario(ALICE).replace('request: MESSAGE }', 'request: submit_sm }\n    - { n: 2, from: A, to: A, response: submit_sm_resp }');
    expect(loadScenarioText(ok, FILE).expect.steps.map((s) => s.request ?? s.response)).toEqual(['submit_sm', 'submit_sm_resp']);
    const bad = scenario(ALICE).replace('request: MESSAGE }', 'request: submit }');
    expect(errorOf(bad, FILE)).toBe(`x.yaml:${pos(bad, 'submit }')}: expect.steps[0].request: 'submit' is not a request of a simulated protocol (SIP, MSRP or HTTP method, SMTP verb, SMPP command, RTP or RTCP packet, BFCP, MM7 or IMPS CSP primitive); known are: ${REQUEST_NAMES.join(', ')}`);
  });

  test('the CLI exits 2 with the location for a bad non-CPM field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpmsim-iw-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, scenario(`${ALICE}\n  non-cpm:\n    im.example: { service: imps, users: [tel:+15559870002] }`));
    let err = '';
    const code = await main(['validate', file], { stdout: () => undefined, stderr: (t) => (err += t), color: false, columns: 120, cwd: dir });
    expect(code).toBe(2);
    expect(err).toContain('bad.yaml:7:');
  });
});
