import { adminUserMfaInit } from './admin-user-mfa.init.js';
import { defineStep } from './step.js';

/** A console password alone is one phishing mail away from an admin session: every admin needs MFA. */
export const adminUserMfa = defineStep({
  id: 'admin-user-mfa',
  title: 'Every admin console user has MFA',
  references: ['CIS 1.9', 'Security Hub IAM.5'],
  remediation: () => 'Run `aws-bootstrap init --only admin-user-mfa`, or have each user assign MFA under "Security credentials".',
  check: {
    reads: ['adminMembers'],
    evaluate: ({ adminMembers }) => {
      const consoleUsers = adminMembers.filter((m) => m.hasConsolePassword);
      if (consoleUsers.length === 0) {
        return { status: 'skipped', detail: 'No console user is in an admin group yet.' };
      }
      const without = consoleUsers.filter((m) => m.mfaDeviceCount === 0).map((m) => m.userName);
      return without.length === 0
        ? { status: 'pass', detail: `With MFA: ${consoleUsers.map((m) => m.userName).join(', ')}.` }
        : { status: 'fail', detail: `Without MFA: ${without.join(', ')}.` };
    },
  },
  init: adminUserMfaInit,
});
