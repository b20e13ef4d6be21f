import { describe, expect, it } from 'vitest';
import { MMS_MAX_OCTETS, selectInterworking, type SelectionInput } from '../../../src/cpm/interworking/selection.js';

const input = (over: Partial<SelectionInput>): SelectionInput => ({
  addresses: ['tel:+15559870002'],
  allowed: ['sms', 'mms', 'email'],
  available: new Set(['sms', 'mms', 'email']),
  originatorReachable: () => true,
  text: 'Hi',
  smsMaxSegments: 2,
  ...over,
});

const services = (over: Partial<SelectionInput>): string[] => selectInterworking(input(over)).candidates.map((c) => c.service);

describe('Interworking selection by size and content (CPM 5.3.1.2.2, 5.3.1.2.3)', () => {
  it('offers a number by SMS first for short plain text, MMS after it', () => {
    expect(services({})).toEqual(['sms', 'mms']);
  });

  it('leaves SMS out for multimedia content, which goes by MMS', () => {
    const out = selectInterworking(input({ text: undefined, content: { type: 'image/jpeg', octets: 20_000 } }));
    expect(out.candidates.map((c) => c.service)).toEqual(['mms']);
    expect(out.refused).toEqual(['tel:+15559870002: content is not text']);
  });

  it('leaves SMS out for a text longer than the provider allows in SMS', () => {
    expect(services({ text: 'x'.repeat(1000) })).toEqual(['mms']);
  });

  it('refuses MMS above its size limit', () => {
    const out = selectInterworking(input({ text: undefined, content: { type: 'video/mp4', octets: MMS_MAX_OCTETS + 1 } }));
    expect(out.candidates).toEqual([]);
    expect(out.refused).toContain(`tel:+15559870002: larger than ${MMS_MAX_OCTETS} octets for MMS`);
  });
});

describe('Interworking selection for a CPM Session Invitation (CPM 5.3.1)', () => {
  it('takes SMS for an invitation with a message stream, whatever the text criteria', () => {
    expect(services({ text: undefined, sessionMedia: ['message'] })).toEqual(['sms']);
  });

  it('refuses an invitation offering no message stream', () => {
    const out = selectInterworking(input({ sessionMedia: ['audio'] }));
    expect(out.candidates).toEqual([]);
    expect(out.refused).toContain('tel:+15559870002: offers no message stream');
  });

  it('takes e-mail for a mailto address with a message stream', () => {
    expect(services({ addresses: ['mailto:bob@mail.example'], sessionMedia: ['message'] })).toEqual(['email']);
  });
});
