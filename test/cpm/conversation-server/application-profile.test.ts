// covers: 5.8.1-2
import { describe, expect, it } from 'vitest';
import { grantOf, receiveRefusal, sendRefusal, type ApplicationProfile, type KnownApplication } from '../../../src/cpm/conversation-server/application-profile.js';

const WEATHER: KnownApplication = { name: 'weather', host: 'weather.forecasts.example', uri: 'sip:weather@a.example', provider: 'forecasts.example' };
const LONE: KnownApplication = { name: 'lone', host: 'lone.example', uri: 'sip:lone@a.example' };
const ALICE = 'sip:alice@a.example';

describe('Application Profile (CPM 5.8.1: per Application or per Value Added Service Provider)', () => {
  it("takes the application's own entry over its provider's", () => {
    const own = { functions: ['receive-messages'] as const };
    const provider = { functions: ['send-message'] as const };
    const profile: ApplicationProfile = { applications: { weather: own }, providers: { 'forecasts.example': provider } };
    expect(grantOf(profile, WEATHER)).toBe(own);
  });

  it("falls back to the provider's entry, and grants nothing to an application named by neither", () => {
    const provider = { functions: ['send-message'] as const };
    const profile: ApplicationProfile = { applications: {}, providers: { 'forecasts.example': provider } };
    expect(grantOf(profile, WEATHER)).toBe(provider);
    expect(grantOf({ applications: {}, providers: { 'other.example': provider } }, WEATHER)).toBeUndefined();
    // An application with no provider is known only by its own entry.
    expect(grantOf(profile, LONE)).toBeUndefined();
  });

  it('lets an application send as itself only with send-message', () => {
    expect(sendRefusal({ functions: ['send-message'] }, WEATHER, WEATHER.uri)).toBeUndefined();
    expect(sendRefusal({ functions: ['receive-messages'] }, WEATHER, WEATHER.uri)).toBe('Not Allowed By The Application Profile');
    // Naming the user is not enough without the function itself.
    expect(sendRefusal({ functions: [], onBehalfOf: [ALICE] }, WEATHER, ALICE)).toBe('Not Allowed By The Application Profile');
  });

  it('lets it send as a user only when on-behalf-of names that user', () => {
    expect(sendRefusal({ functions: ['send-message'], onBehalfOf: [ALICE] }, WEATHER, ALICE)).toBeUndefined();
    expect(sendRefusal({ functions: ['send-message'], onBehalfOf: [ALICE] }, WEATHER, 'sip:bob@a.example')).toBe('Not Allowed On Behalf Of This User');
    expect(sendRefusal({ functions: ['send-message'] }, WEATHER, ALICE)).toBe('Not Allowed On Behalf Of This User');
  });

  it("passes users' messages to it only with receive-messages", () => {
    expect(receiveRefusal({ functions: ['receive-messages'] })).toBeUndefined();
    expect(receiveRefusal({ functions: ['send-message'] })).toBe('Application Does Not Receive Messages');
    expect(receiveRefusal(undefined)).toBe('Application Does Not Receive Messages');
  });
});
