import { accountAlias } from './account-alias.js';
import { adminGroup } from './admin-group.js';
import { adminUserMfa } from './admin-user-mfa.js';
import { adminUser } from './admin-user.js';
import { billingAccess } from './billing-access.js';
import { budget } from './budget.js';
import { rootAccessKeys } from './root-access-keys.js';
import { rootMfa } from './root-mfa.js';
import { STEP_IDS, type Step, type StepId } from './step.js';

/** Every step, in `init` order (the order of STEP_IDS). */
export const STEPS: readonly Step[] = [
  rootMfa,
  rootAccessKeys,
  accountAlias,
  adminGroup,
  adminUser,
  adminUserMfa,
  billingAccess,
  budget,
];

export function isStepId(value: string): value is StepId {
  return (STEP_IDS as readonly string[]).includes(value);
}

export { STEP_IDS, type Step, type StepId };
