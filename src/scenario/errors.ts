/**
 * A problem in a scenario file, pinned to the place in it that caused it.
 * The message is the whole user-facing line (`file:line:col: reason`), so callers
 * print `err.message` and never a stack trace.
 */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';

  constructor(
    readonly file: string,
    /** 1-based. */
    readonly line: number,
    /** 1-based. */
    readonly col: number,
    /** What is wrong, without the location. */
    readonly reason: string,
  ) {
    super(`${file}:${line}:${col}: ${reason}`);
  }

  override toString(): string {
    return this.message;
  }
}
