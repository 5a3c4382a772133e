import type { StepId } from '../steps/step.js';

/** Step outcomes of `init`: public API (`--json`). `planned` only in a dry run. */
export const INIT_STATUSES = ['created', 'updated', 'unchanged', 'manual', 'skipped', 'failed', 'planned'] as const;
export type InitStatus = (typeof INIT_STATUSES)[number];

/** One change a step made (or, in a dry run, would make). */
export interface Change {
  action: 'create' | 'update' | 'delete' | 'attach' | 'add';
  /** What is changed, e.g. `iam:group/Administrators`. */
  target: string;
  /** A readable line: the value set, or `from -> to`. Never a secret. */
  detail: string;
}

export interface StepResult {
  id: StepId;
  status: InitStatus;
  changes: Change[];
}

/** What the summary shows besides the rows; not part of the JSON document. */
export interface InitFacts {
  signInUrl?: string;
  adminUser?: string;
  /** Things left for the person to do by hand, one line each. */
  leftToDo: string[];
  /** Why a failed step failed, by step id. */
  failures: Partial<Record<StepId, string>>;
}

export interface InitReport {
  version: 1;
  dryRun: boolean;
  steps: StepResult[];
}
