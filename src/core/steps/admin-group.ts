import { adminPolicyArn } from '../aws/partition.js';
import { adminGroupInit } from './admin-group.init.js';
import { defineStep } from './step.js';

/** People get admin rights through a group (CIS 1.14), never policies on users one by one. */
export const adminGroup = defineStep({
  id: 'admin-group',
  title: 'A group has AdministratorAccess',
  references: [],
  remediation: () => 'Run `aws-bootstrap init --only admin-group`.',
  check: {
    reads: ['iam'],
    evaluate: ({ iam }, { partition, expected }) => {
      const policy = adminPolicyArn(partition);
      const wanted = expected?.adminGroup?.name;
      if (wanted !== undefined) {
        const group = iam.groups.find((g) => g.name === wanted);
        if (!group) return { status: 'fail', detail: `The group "${wanted}" does not exist.` };
        return group.attachedPolicyArns.includes(policy)
          ? { status: 'pass', detail: `AdministratorAccess is attached to ${wanted}.` }
          : { status: 'fail', detail: `The group "${wanted}" does not have AdministratorAccess attached.` };
      }
      const names = iam.groups.filter((g) => g.attachedPolicyArns.includes(policy)).map((g) => g.name);
      return names.length > 0
        ? { status: 'pass', detail: `AdministratorAccess is attached to ${names.join(', ')}.` }
        : { status: 'fail', detail: 'No IAM group has AdministratorAccess attached.' };
    },
  },
  init: adminGroupInit,
});
