import { consoleUrl } from '../aws/partition.js';
import { BILLING_ACCOUNT_PATH, billingAccessInit } from './billing-access.init.js';
import { defineStep } from './step.js';

export { BILLING_ACCOUNT_PATH };

/**
 * "IAM user and role access to Billing information" is root-only and console-only, and no API reads it:
 * this control never passes. It says so, and where to look.
 */
export const billingAccess = defineStep({
  id: 'billing-access',
  title: 'IAM users and roles may see billing',
  references: [],
  remediation: ({ partition }) =>
    `Signed in as root, open ${consoleUrl(partition, BILLING_ACCOUNT_PATH)}, "IAM user and role access to Billing information", Edit, Activate IAM Access.`,
  check: {
    reads: [],
    evaluate: () => ({
      status: 'manual',
      detail: 'No AWS API can read this setting: confirm it in the console.',
    }),
  },
  init: billingAccessInit,
});
