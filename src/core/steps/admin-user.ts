import { adminUserInit } from './admin-user.init.js';
import { defineStep } from './step.js';

/** Daily work happens as an IAM user in the admin group, so the root user can stay locked away. */
export const adminUser = defineStep({
  id: 'admin-user',
  title: 'An admin IAM user can sign in to the console',
  references: [],
  remediation: () => 'Run `aws-bootstrap init --only admin-group,admin-user`.',
  check: {
    reads: ['adminMembers'],
    evaluate: ({ adminMembers }) => {
      const consoleUsers = adminMembers.filter((m) => m.hasConsolePassword);
      if (consoleUsers.length > 0) {
        return {
          status: 'pass',
          detail: consoleUsers.map((m) => `${m.userName} (${m.adminGroups.join(', ')})`).join(', '),
        };
      }
      if (adminMembers.length > 0) {
        return {
          status: 'fail',
          detail: `Admin group members without a console password: ${adminMembers.map((m) => m.userName).join(', ')}.`,
        };
      }
      return { status: 'fail', detail: 'No IAM user is a member of a group with AdministratorAccess.' };
    },
  },
  init: adminUserInit,
});
