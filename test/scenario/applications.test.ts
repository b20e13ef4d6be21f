import { describe, expect, test } from 'vitest';
import { loadScenarioText } from '../../src/scenario/loader.js';
import { errorOf, pos } from './located-errors.js';

const FILE = 'x.yaml';

function scenario(profile: string, applications: string, timeline: string): string {
  return `title: T
network:
  domains:
    a.example:
      application-profile:
${profile}
  users:
    alice@a.example: { devices: [phone] }
  applications:
${applications}
lifelines:
  A: alice.phone
  W: weather
timeline:
${timeline}
expect:
  steps:
    - { n: 1, from: W, to: A, request: MESSAGE }
`;
}

const PROFILE = `        applications:
          weather: { functions: [send-message], on-behalf-of: alice@a.example, mask-identity: true }
        providers:
          news.example: { functions: [receive-messages] }`;
const APPS = `    weather: { provider: a.example, vasp: forecasts.example }
    headlines: { provider: a.example, vasp: news.example }`;

describe('applications and the Application Profile (CPM 5.8.1)', () => {
  test('are read: hosts by default <name>.<vasp>, on-behalf-of as SIP URIs, app actions', () => {
    const spec = loadScenarioText(scenario(PROFILE, APPS, '  - { at: 1s, app-send: { from: weather, to: alice@a.example, text: hi, on-behalf-of: alice@a.example } }\n  - { at: 2s, app-reply: { from: headlines, text: ok } }'), FILE);
    expect(spec.network.applications?.map((a) => a.host)).toEqual(['weather.forecasts.example', 'headlines.news.example']);
    expect(spec.network.domains[0]!.applicationProfile).toEqual({
      applications: { weather: { functions: ['send-message'], onBehalfOf: ['sip:alice@a.example'], maskIdentity: true } },
      providers: { 'news.example': { functions: ['receive-messages'] } },
    });
    expect(spec.lifelines[1]!.refs).toEqual(['weather.forecasts.example']);
    expect(spec.timeline.map((e) => e.action)).toEqual([
      { kind: 'app-send', from: 'weather', to: 'sip:alice@a.example', text: 'hi', onBehalfOf: 'sip:alice@a.example' },
      { kind: 'app-reply', from: 'headlines', text: 'ok' },
    ]);
  });

  test('a profile entry naming no application that uses the domain is refused where it is written', () => {
    const text = scenario(PROFILE.replace('weather:', 'wether:'), APPS, '  - { at: 1s, app-reply: { from: weather, text: ok } }');
    expect(errorOf(text, FILE)).toBe(`${FILE}:${pos(text, 'wether:')}: network.domains["a.example"].application-profile.applications: no application of network.applications uses a.example as wether; did you mean 'weather'?`);
  });

  test('on-behalf-of must name a user of the profile\'s own domain', () => {
    const text = scenario(PROFILE.replace('on-behalf-of: alice@a.example', 'on-behalf-of: carol@b.example'), APPS, '  - { at: 1s, app-reply: { from: weather, text: ok } }');
    expect(errorOf(text, FILE)).toContain('carol@b.example is not a user of a.example, whose profile this is');
  });

  test('an action names an application of network.applications', () => {
    const text = scenario(PROFILE, APPS, '  - { at: 1s, app-send: { from: wether, to: alice@a.example, text: hi } }');
    expect(errorOf(text, FILE)).toBe(`${FILE}:${pos(text, 'wether')}: timeline[0].app-send.from: unknown application wether; did you mean 'weather'?`);
  });

  test('an unknown function is refused with the list', () => {
    const text = scenario(PROFILE.replace('[send-message]', '[send-mesage]'), APPS, '  - { at: 1s, app-reply: { from: weather, text: ok } }');
    expect(errorOf(text, FILE)).toContain('send-mesage');
  });
});
