import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The config file the scripted-setup tests apply (the README's example): alias, admin group, alice with a
 * generated password going to a password file and MFA deferred, a 25 USD budget. Written to `acme.yaml` in `dir`
 * (default: a fresh temporary directory), with the password file beside it unless another is named.
 */
export function writeAcmeConfig(
  options: { dir?: string; passwordFile?: string; rootAccessKeys?: 'report' | 'delete'; extra?: string } = {},
): { dir: string; file: string; passwordFile: string } {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'aws-bootstrap-acme-'));
  const passwordFile = options.passwordFile ?? join(dir, 'alice-password.txt');
  const file = join(dir, 'acme.yaml');
  writeFileSync(
    file,
    `accountAlias: acme-sandbox
adminGroup:
  name: Administrators
adminUser:
  name: alice
  password: generate
  passwordFile: ${passwordFile}
  passwordResetRequired: true
  mfa: defer
rootAccessKeys: ${options.rootAccessKeys ?? 'report'}
budget:
  amount: 25
  alertThresholdPercent: 80
  emails: [ops@example.com]
${options.extra ?? ''}`,
  );
  return { dir, file, passwordFile };
}

/** Step id -> status, from `init --json` output. */
export const statusesOf = (stdout: string): Record<string, string> =>
  Object.fromEntries((JSON.parse(stdout).steps as { id: string; status: string }[]).map((s) => [s.id, s.status]));

/** What `init --config --yes --json` with this file reports, by step id, when it is not run as root. */
export const ACME_STATUSES = {
  /** On a fresh account. */
  fresh: {
    'root-mfa': 'manual',
    'root-access-keys': 'unchanged',
    'account-alias': 'created',
    'admin-group': 'created',
    'admin-user': 'created',
    'admin-user-mfa': 'skipped',
    'billing-access': 'manual',
    budget: 'created',
  },
  /** On the account a first run finished: nothing to do. */
  again: {
    'root-mfa': 'manual',
    'root-access-keys': 'unchanged',
    'account-alias': 'unchanged',
    'admin-group': 'unchanged',
    'admin-user': 'unchanged',
    'admin-user-mfa': 'skipped',
    'billing-access': 'manual',
    budget: 'unchanged',
  },
} as const;
