/** Process exit codes: public API, documented in the README. */
export const ExitCode = {
  /** Success. `check`: every control passed or is manual/skipped. */
  Ok: 0,
  /** `check`: at least one control fails. */
  Findings: 1,
  /** Invalid usage or config: nothing was sent to AWS. */
  Usage: 2,
  /** AWS error: no or invalid credentials, access denied, network, unexpected AWS response. */
  Aws: 3,
  /** An internal error: a bug in aws-bootstrap. */
  Internal: 4,
  /** Interrupted (Ctrl-C). */
  Interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
