import type { Partition } from '../aws/partition.js';
import type { AccountState, ReadName } from '../state/account-state.js';

/** Step ids: public API (flags `--only/--skip`, JSON output, docs). The order is the order of `init`. */
export const STEP_IDS = [
  'root-mfa',
  'root-access-keys',
  'account-alias',
  'admin-group',
  'admin-user',
  'admin-user-mfa',
  'billing-access',
  'budget',
] as const;

export type StepId = (typeof STEP_IDS)[number];

/** What a control's pure evaluation concludes; `error` is decided by the runner when a read fails. */
export interface Evaluation {
  status: 'pass' | 'fail' | 'manual' | 'skipped';
  detail: string;
}

export interface StepContext {
  partition: Partition;
}

/** The check half of a step: which reads it needs, and a pure function of their results. */
export interface StepCheck<R extends ReadName = ReadName> {
  reads: readonly R[];
  evaluate(state: Pick<AccountState, R>, context: StepContext): Evaluation;
}

/**
 * One step of the baseline, one module per id. This issue gives each its check; `init` adds plan and apply
 * to the same modules.
 */
export interface Step<R extends ReadName = ReadName> {
  id: StepId;
  title: string;
  /** CIS AWS Foundations / Security Hub / baseline references. */
  references: string[];
  /** One line: how to fix a failing or manual control (a console URL or the command). */
  remediation(context: StepContext): string;
  check: StepCheck<R>;
}

/** Keeps each step's `evaluate` typed against exactly the reads it declares. */
export function defineStep<R extends ReadName>(step: Step<R>): Step {
  return step as unknown as Step;
}
