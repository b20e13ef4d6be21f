import { describe, expect, test } from 'vitest';
import { loadScenarioText } from '../../src/scenario/loader.js';
import { errorOf } from './located-errors.js';
import { withNonCpm } from './minimal-scenario.js';

const FILE = 'x.yaml';

function scenario(mail: string): string {
  return withNonCpm(`    mail.example:
      service: email
      users: [mailto:carol@mail.example]
      groups:
${mail}`);
}

// covers: 5.1.2.5-1
describe('the mailing lists of an email system (CPM 5.1.2.5 Non-CPM Groups)', () => {
  test('reads each list with its members, here or elsewhere', () => {
    const spec = loadScenarioText(scenario('        mailto:team@mail.example: { members: [mailto:carol@mail.example, mailto:alice@a.example] }\n        mailto:empty@mail.example:'), FILE);
    expect(spec.network.nonCpm?.[0]?.lists).toEqual([
      { address: 'mailto:team@mail.example', members: ['mailto:carol@mail.example', 'mailto:alice@a.example'] },
      { address: 'mailto:empty@mail.example', members: [] },
    ]);
  });

  test('refuses a list address of another domain, or one that is a mailbox', () => {
    expect(errorOf(scenario('        mailto:team@other.example: {}'), FILE)).toContain("'mailto:team@other.example' is not a mailing list address of mail.example like mailto:team@mail.example");
    expect(errorOf(scenario('        sip:team@mail.example: {}'), FILE)).toContain('is not a mailing list address of mail.example');
    expect(errorOf(scenario('        mailto:carol@mail.example: {}'), FILE)).toContain('mailto:carol@mail.example is a mailbox of this system; a list needs an address of its own');
  });

  test('refuses a member that is not a mail address, or no mailbox of this system, and IMPS access', () => {
    expect(errorOf(scenario('        mailto:team@mail.example: { members: [tel:+15559870001] }'), FILE)).toContain("'tel:+15559870001' is not a mail address like mailto:carol@mail.example");
    expect(errorOf(scenario('        mailto:team@mail.example: { members: [mailto:nobody@mail.example] }'), FILE)).toContain('mailto:nobody@mail.example is not a mailbox of this system');
    expect(errorOf(scenario('        mailto:team@mail.example: { access: open }'), FILE)).toContain('access is an IMPS group setting; a mailing list takes any post');
  });
});

function smsScenario(groups: string): string {
  return scenario('').replace(
    /    mail\.example:\n      service: email\n      users: \[mailto:carol@mail\.example\]\n      groups:\n\n/,
    `    sms.example:\n      service: sms\n      users: [tel:+15559870001]\n      groups:\n${groups}\n`,
  );
}

// covers: 5.1.2.5-1
describe('the distribution lists of an sms system (CPM 5.1.2.5 Non-CPM Groups in tel: form)', () => {
  test('reads each list number with its members', () => {
    const spec = loadScenarioText(smsScenario('        tel:+15550100: { members: [tel:+15559870001, tel:+15551230001] }'), FILE);
    expect(spec.network.nonCpm?.[0]?.distributionLists).toEqual([{ number: 'tel:+15550100', members: ['tel:+15559870001', 'tel:+15551230001'] }]);
  });

  test('refuses a list that is not a global number or is a subscriber, a member that is no number, and IMPS access', () => {
    expect(errorOf(smsScenario('        tel:5550100: {}'), FILE)).toContain("'tel:5550100' is not a global tel URI like tel:+15550100, the number of a distribution list");
    expect(errorOf(smsScenario('        tel:+15559870001: {}'), FILE)).toContain('tel:+15559870001 is a subscriber of this system; a list needs a number of its own');
    expect(errorOf(smsScenario('        tel:+15550100: { members: [mailto:carol@mail.example] }'), FILE)).toContain("'mailto:carol@mail.example' is not a global tel URI like tel:+15559870001");
    expect(errorOf(smsScenario('        tel:+15550100: { access: open }'), FILE)).toContain('access is an IMPS group setting; a distribution list takes any message');
  });
});
