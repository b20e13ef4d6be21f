/** What the CLI touches of its process, passed in so it runs in-process under test. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Colour only on a terminal, and never when NO_COLOR is set (no-color.org). */
  color: boolean;
  columns: number;
  cwd: string;
  /** Print the stack of an internal error (CPMSIM_DEBUG=1). */
  debug?: boolean;
  /** Where a long run draws its progress bar: stderr when it is a terminal, else nowhere. */
  progress?: NodeJS.WritableStream;
}

/**
 * Exit codes: 0 all passed, 1 an expectation failed (a run guard tripped, or an invariant broke
 * under explore), 2 bad input (the user must fix a file or flag), 3 an internal error (a bug in cpmsim).
 */
export const EXIT = { ok: 0, failed: 1, badInput: 2, internal: 3 } as const;

/** An error in what the user gave us: printed as its message alone, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
