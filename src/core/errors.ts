import { ExitCode, type ExitCodeValue } from './exit-codes.js';

/** Stable error codes: scripts may match on them (`--json` error output, docs). */
export type ErrorCode =
  | 'USAGE'
  | 'CONFIG_INVALID'
  | 'AWS_NO_CREDENTIALS'
  | 'AWS_INVALID_CREDENTIALS'
  | 'AWS_ACCESS_DENIED'
  | 'AWS_NETWORK'
  | 'AWS_ERROR'
  | 'INTERRUPTED'
  | 'INTERNAL';

const EXIT_CODE_OF: Record<ErrorCode, ExitCodeValue> = {
  USAGE: ExitCode.Usage,
  CONFIG_INVALID: ExitCode.Usage,
  AWS_NO_CREDENTIALS: ExitCode.Aws,
  AWS_INVALID_CREDENTIALS: ExitCode.Aws,
  AWS_ACCESS_DENIED: ExitCode.Aws,
  AWS_NETWORK: ExitCode.Aws,
  AWS_ERROR: ExitCode.Aws,
  INTERRUPTED: ExitCode.Interrupted,
  INTERNAL: ExitCode.Internal,
};

/**
 * The one error type the core throws on purpose. `message` is a complete, user-facing paragraph:
 * the top-level handler prints it as is (the stack only under --debug).
 */
export class BootstrapError extends Error {
  override readonly name = 'BootstrapError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  get exitCode(): ExitCodeValue {
    return EXIT_CODE_OF[this.code];
  }
}

export function isBootstrapError(e: unknown): e is BootstrapError {
  return e instanceof BootstrapError;
}
