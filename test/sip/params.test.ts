import { describe, expect, it } from 'vitest';
import { SipParseError } from '../../src/sip/errors.js';
import { parseHeaderParams } from '../../src/sip/params.js';

describe('parseHeaderParams (RFC 3261 25.1 generic-param)', () => {
  it('reads names with and without values', () => {
    expect(parseHeaderParams(' ;tag=1 ; lr')).toEqual([{ name: 'tag', value: '1' }, { name: 'lr' }]);
  });

  it('refuses a value without a name as an empty parameter, not as a name "=value"', () => {
    // generic-param = token [ EQUAL gen-value ]: in ";=1" the token before "=" is empty.
    let err: unknown;
    try {
      parseHeaderParams(';=1');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SipParseError);
    expect((err as SipParseError).message).toBe('empty parameter between semicolons');
  });
});
