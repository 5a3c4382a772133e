import { consoleUrl } from '../aws/partition.js';
import { ROOT_SECURITY_CREDENTIALS_PATH, rootMfaInit } from './root-mfa.init.js';
import { defineStep } from './step.js';

export { ROOT_SECURITY_CREDENTIALS_PATH };

/** Root MFA has no API: only the console, signed in as root, can add it. GetAccountSummary reads it live. */
export const rootMfa = defineStep({
  id: 'root-mfa',
  title: 'Root user has MFA',
  references: ['CIS 1.4', 'Security Hub IAM.9'],
  remediation: ({ partition }) =>
    `Sign in as root and assign MFA (a passkey or security key is strongest): ${consoleUrl(partition, ROOT_SECURITY_CREDENTIALS_PATH)}`,
  check: {
    reads: ['summary'],
    evaluate: ({ summary }) =>
      summary.rootMfaEnabled
        ? { status: 'pass', detail: 'The root user has an MFA device.' }
        : { status: 'fail', detail: 'The root user has no MFA device.' },
  },
  init: rootMfaInit,
});
