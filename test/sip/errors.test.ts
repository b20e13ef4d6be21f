import { describe, expect, it } from 'vitest';
import { locatedAt, SipParseError } from '../../src/sip/errors.js';

const thrown = (run: () => unknown): unknown => {
  try {
    run();
  } catch (e) {
    return e;
  }
  return undefined;
};

// The parser reads a start line, a Content-Length or a body with locatedAt, so that the 400's
// 399 warning (RFC 3261 20.43) can say where the message went wrong.
describe('locatedAt', () => {
  it('places a SipParseError without a place at the line and column it is given, keeping its kind and message', () => {
    const e = thrown(() => locatedAt(3, 7, () => {
      throw new SipParseError('content-length', 'Content-Length 9 exceeds body length 2');
    }));
    expect(e).toBeInstanceOf(SipParseError);
    expect(e).toMatchObject({ what: 'content-length', message: 'Content-Length 9 exceeds body length 2', line: 3, column: 7 });
  });

  it('keeps the place a SipParseError already has: the innermost reader knows it best', () => {
    const inner = new SipParseError('header', 'bad', { line: 5, column: 2 });
    expect(thrown(() => locatedAt(1, 1, () => {
      throw inner;
    }))).toBe(inner);
  });

  it('lets any other error through unchanged: a bug is no malformed message', () => {
    const bug = new TypeError('x is undefined');
    expect(thrown(() => locatedAt(1, 1, () => {
      throw bug;
    }))).toBe(bug);
  });

  it('returns what the reader returns when it throws nothing', () => {
    expect(locatedAt(1, 1, () => 42)).toBe(42);
  });
});
