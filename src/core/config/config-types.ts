/**
 * The config file, after validation and defaults (the key names are public API). The zod schema in
 * config-schema.ts validates a file into exactly this shape; every section is optional and an absent
 * section's steps are skipped.
 */
export interface BootstrapConfig {
  accountAlias?: string;
  adminGroup?: { name: string };
  adminUser?: {
    name: string;
    /** `generate`, `prompt` (typed at a terminal) or `env:NAME`; never the password itself. */
    password: 'generate' | 'prompt' | `env:${string}`;
    passwordResetRequired: boolean;
    /** Where a generated password goes when no terminal shows it: created with mode 0600, never overwritten. */
    passwordFile?: string;
    /** `prompt`: QR code and codes at a terminal; `defer`: the MFA guard makes the user enrol at first sign-in. */
    mfa: 'prompt' | 'defer';
  };
  rootAccessKeys?: 'delete' | 'report';
  budget?: {
    name: string;
    amount: number;
    alertThresholdPercent: number;
    emails: string[];
  };
}

/** One problem with the file, as `path: message` (e.g. `budget.amount: must be a number greater than 0`). */
export interface ConfigProblem {
  path: string;
  message: string;
}
