import { adminGroupInit } from './admin-group.init.js';
import { defineStep } from './step.js';

/** People get admin rights through a group (CIS 1.14), never policies on users one by one. */
export const adminGroup = defineStep({
  id: 'admin-group',
  title: 'A group has AdministratorAccess',
  references: [],
  remediation: () => 'Run `aws-bootstrap init --only admin-group`.',
  check: {
    reads: ['adminGroups', 'namedGroup'],
    evaluate: ({ adminGroups, namedGroup }, { expected }) => {
      const wanted = expected?.adminGroup?.name;
      if (wanted !== undefined) {
        if (adminGroups.some((g) => g.name === wanted)) return { status: 'pass', detail: `AdministratorAccess is attached to ${wanted}.` };
        return namedGroup?.exists === false
          ? { status: 'fail', detail: `The group "${wanted}" does not exist.` }
          : { status: 'fail', detail: `The group "${wanted}" does not have AdministratorAccess attached.` };
      }
      return adminGroups.length > 0
        ? { status: 'pass', detail: `AdministratorAccess is attached to ${adminGroups.map((g) => g.name).join(', ')}.` }
        : { status: 'fail', detail: 'No IAM group has AdministratorAccess attached.' };
    },
  },
  init: adminGroupInit,
});
