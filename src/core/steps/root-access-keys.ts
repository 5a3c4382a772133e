import { consoleUrl } from '../aws/partition.js';
import { rootAccessKeysInit } from './root-access-keys.init.js';
import { ROOT_SECURITY_CREDENTIALS_PATH } from './root-mfa.init.js';
import { defineStep } from './step.js';

/** Root access keys can be deleted only with root credentials. GetAccountSummary says live whether any exist. */
export const rootAccessKeys = defineStep({
  id: 'root-access-keys',
  title: 'Root user has no access keys',
  references: ['CIS 1.3', 'Security Hub IAM.4'],
  remediation: ({ partition }) =>
    `Run \`aws-bootstrap init --only root-access-keys\` as root in CloudShell, or delete them signed in as root: ${consoleUrl(partition, ROOT_SECURITY_CREDENTIALS_PATH)}`,
  check: {
    reads: ['summary'],
    evaluate: ({ summary }) =>
      summary.rootAccessKeysPresent
        ? { status: 'fail', detail: 'The root user has at least one access key.' }
        : { status: 'pass', detail: 'The root user has no access keys.' },
  },
  init: rootAccessKeysInit,
});
