/** What the CLI touches of its process, passed in so it runs in-process under test. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Colour only on a terminal, and never when NO_COLOR is set (no-color.org). */
  color: boolean;
  columns: number;
  cwd: string;
  /** Where a long run draws its progress bar: stderr when it is a terminal, else nowhere. */
  progress?: NodeJS.WritableStream;
}

/** Exit codes: 0 all passed, 1 an expectation failed, 2 bad input (the user must fix a file or flag). */
export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

/** An error in what the user gave us: printed as its message alone, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
