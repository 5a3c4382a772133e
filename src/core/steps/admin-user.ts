import { adminUserInit } from './admin-user.init.js';
import { defineStep } from './step.js';

/** Daily work happens as an IAM user in the admin group, so the root user can stay locked away. */
export const adminUser = defineStep({
  id: 'admin-user',
  title: 'An admin IAM user can sign in to the console',
  references: [],
  remediation: () => 'Run `aws-bootstrap init --only admin-group,admin-user`.',
  check: {
    reads: ['adminMembers', 'namedUser'],
    evaluate: ({ adminMembers, namedUser }, { expected }) => {
      const wanted = expected?.adminUser?.name;
      if (wanted !== undefined) {
        const group = expected?.adminGroup?.name;
        const member = adminMembers.find((m) => m.userName === wanted);
        if (!member && namedUser?.exists === false) return { status: 'fail', detail: `The user "${wanted}" does not exist.` };
        if (!member || (group !== undefined && !member.adminGroups.includes(group))) {
          return { status: 'fail', detail: `The user "${wanted}" is not in ${group ? `the admin group "${group}"` : 'a group with AdministratorAccess'}.` };
        }
        return member.hasConsolePassword
          ? { status: 'pass', detail: `${wanted} (${member.adminGroups.join(', ')})` }
          : { status: 'fail', detail: `The user "${wanted}" has no console password.` };
      }
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
