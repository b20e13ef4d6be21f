import { describe, expect, it } from 'vitest';
import { mediaFeatureTags } from '../../src/cpm/session-media.js';

describe('Contact feature tags of the Media Stream Types (RFC 3840, CPM Appendix D)', () => {
  it('audio and video are RFC 3840 tags, a message stream the OMA SIMPLE IM tag, in the order given', () => {
    expect(mediaFeatureTags(['video', 'message', 'audio'])).toEqual([{ name: 'video' }, { name: '+g.oma.sip-im' }, { name: 'audio' }]);
    expect(mediaFeatureTags([])).toEqual([]);
  });

  it('each tag is one frozen object shared by every device', () => {
    const [a] = mediaFeatureTags(['audio']);
    const [b] = mediaFeatureTags(['message', 'audio']).slice(1);
    expect(a).toBe(b);
    expect(Object.isFrozen(a)).toBe(true);
  });
});
