import { describe, expect, test } from 'vitest';
import { loadScenarioText } from '../../src/scenario/loader.js';
import { errorOf, pos } from './located-errors.js';
import { withNonCpm } from './minimal-scenario.js';

const FILE = 'x.yaml';

function scenario(imps: string): string {
  return withNonCpm(`    imps.example:
${imps}`);
}

describe('an imps non-CPM system', () => {
  test('reads its users, groups and logged-out users', () => {
    const spec = loadScenarioText(
      scenario(`      service: imps
      users: [wv:carol@imps.example, wv:dave@imps.example]
      logged-out: wv:dave@imps.example
      groups:
        wv:carol/friends@imps.example: { access: restricted, members: [wv:carol@imps.example] }
        wv:carol/open@imps.example:`),
      FILE,
    );
    expect(spec.network.nonCpm?.[0]).toMatchObject({
      service: 'imps',
      users: ['wv:carol@imps.example', 'wv:dave@imps.example'],
      loggedOut: ['wv:dave@imps.example'],
      groups: [
        { id: 'wv:carol/friends@imps.example', access: 'restricted', members: ['wv:carol@imps.example'] },
        { id: 'wv:carol/open@imps.example', access: 'open', members: [] },
      ],
    });
  });

  test('refuses a user that is not a WV user of its domain, located', () => {
    const text = scenario('      { service: imps, users: [wv:carol@other.example] }');
    expect(errorOf(text, FILE)).toBe(`x.yaml:${pos(text, 'wv:carol')}: network.non-cpm["imps.example"].users[0]: 'wv:carol@other.example' is not a WV user of imps.example like wv:carol@imps.example`);
  });

  test('refuses a group address that is not a WV group, and a member the server does not have', () => {
    const bad = scenario('      service: imps\n      users: [wv:carol@imps.example]\n      groups: { wv:friends@imps.example: { members: [wv:carol@imps.example] } }');
    expect(errorOf(bad, FILE)).toContain("'wv:friends@imps.example' is not a WV group of imps.example like wv:carol/friends@imps.example");
    const member = scenario('      service: imps\n      users: [wv:carol@imps.example]\n      groups: { wv:carol/f@imps.example: { members: [wv:zed@imps.example] } }');
    expect(errorOf(member, FILE)).toBe(`x.yaml:${pos(member, 'wv:zed')}: network.non-cpm["imps.example"].groups["wv:carol/f@imps.example"].members[0]: wv:zed@imps.example is not a user of this IMPS system`);
  });

  test('refuses IMPS settings on another kind of system', () => {
    const text = scenario('      { service: email, users: [mailto:carol@imps.example], logged-out: [mailto:carol@imps.example] }');
    expect(errorOf(text, FILE)).toContain('logged-out is an IMPS setting: only an imps system has it');
    const groups = scenario('      { service: mms, users: [tel:+15559870001], groups: { tel:+15559870009: { members: [tel:+15559870001] } } }');
    expect(errorOf(groups, FILE)).toContain('groups are IMPS groups, mailing lists or SMS distribution lists: an mms system has none');
  });
});
