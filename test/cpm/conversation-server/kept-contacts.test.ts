import { describe, expect, it } from 'vitest';
import type { RegContact } from '../../../src/bodies/reginfo.js';
import { keptContacts } from '../../../src/cpm/conversation-server/kept-contacts.js';

const contact = (id: string, state: RegContact['state'], instance: string): RegContact => ({
  id,
  state,
  event: 'registered',
  expires: 3600,
  uri: `sip:alice@${id}.a.example`,
  unknownParams: [{ name: '+sip.instance', value: `"<urn:uuid:${instance}>"` }, { name: '+g.oma.sip-im' }],
});

describe('the contacts the Conversation Server keeps of a reg-event NOTIFY', () => {
  it('keeps the active contacts only, each equal to the document\'s (RFC 3680: a terminated one is gone)', () => {
    const doc = [contact('phone', 'active', '1'), contact('laptop', 'terminated', '2'), { ...contact('tablet', 'active', '3'), displayName: 'Tab', expires: undefined }];
    const kept = keptContacts(doc);
    expect(kept).toEqual([doc[0], { ...contact('tablet', 'active', '3'), displayName: 'Tab', expires: undefined }]);
    expect('expires' in kept[1]!).toBe(false);
    expect(kept[0]).not.toBe(doc[0]);
  });

  it('a feature tag without a value is one shared object for every device; one with a value is the device\'s own', () => {
    const [a] = keptContacts([contact('phone', 'active', '1')]);
    const [b] = keptContacts([contact('laptop', 'active', '2')]);
    expect(a!.unknownParams[1]).toBe(b!.unknownParams[1]);
    expect(Object.isFrozen(a!.unknownParams[1])).toBe(true);
    expect(a!.unknownParams[0]).toEqual({ name: '+sip.instance', value: '"<urn:uuid:1>"' });
  });
});
