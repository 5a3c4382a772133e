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
    evaluate: ({ iam }, { partition }) => {
      const policy = adminPolicyArn(partition);
      const names = iam.groups.filter((g) => g.attachedPolicyArns.includes(policy)).map((g) => g.name);
      return names.length > 0
        ? { status: 'pass', detail: `AdministratorAccess is attached to ${names.join(', ')}.` }
        : { status: 'fail', detail: 'No IAM group has AdministratorAccess attached.' };
    },
  },
  init: adminGroupInit,
});
