import { selectSteps } from '../init/select-steps.js';
import type { StepId } from '../steps/step.js';
import type { BootstrapConfig } from './config-types.js';

/**
 * The steps a config file asks for: a section that is absent skips its steps. root-mfa and billing-access
 * have no section (nothing to choose) and always run: they only read, guide and report.
 */
export function stepsWantedBy(config: BootstrapConfig): Set<StepId> {
  const wanted = new Set<StepId>(['root-mfa', 'billing-access']);
  if (config.rootAccessKeys !== undefined) wanted.add('root-access-keys');
  if (config.accountAlias !== undefined) wanted.add('account-alias');
  if (config.adminGroup !== undefined) wanted.add('admin-group');
  if (config.adminUser !== undefined) wanted.add('admin-user');
  if (config.adminUser?.mfa === 'prompt') wanted.add('admin-user-mfa');
  if (config.budget !== undefined) wanted.add('budget');
  return wanted;
}

/** `--only` / `--skip` narrow what the file asks for; they never add a step the file has no section for. */
export function selectStepsForConfig(config: BootstrapConfig, only: string | undefined, skip: string | undefined) {
  const wanted = stepsWantedBy(config);
  return selectSteps(only, skip).map(({ step, selected }) => ({ step, selected: selected && wanted.has(step.id) }));
}
