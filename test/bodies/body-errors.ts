/** Test helper (not a test file): the BodyParseError a decoder throws. */
import { expect } from 'vitest';
import { BodyParseError } from '../../src/bodies/errors.js';

/** Runs `fn` and returns the BodyParseError it throws (failing the test otherwise). */
export function parseError(fn: () => unknown): BodyParseError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BodyParseError);
    return e as BodyParseError;
  }
  throw new Error('expected a BodyParseError');
}
