import type { StepId } from '../steps/step.js';

export const CONTROL_STATUSES = ['pass', 'fail', 'manual', 'error', 'skipped'] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];

/** One row of `check`. The JSON field names are public API. */
export interface ControlResult {
  id: StepId;
  title: string;
  status: ControlStatus;
  detail: string;
  /** One line for fail, manual and error rows; null for pass and skipped. */
  remediation: string | null;
  references: string[];
}

/** The `check --json` document (version 1). */
export interface CheckReport {
  version: 1;
  account: { id: string; alias: string | null; caller: string };
  summary: Record<ControlStatus, number>;
  controls: ControlResult[];
}

export function summarize(controls: readonly ControlResult[]): Record<ControlStatus, number> {
  const summary = { pass: 0, fail: 0, manual: 0, error: 0, skipped: 0 };
  for (const c of controls) summary[c.status] += 1;
  return summary;
}

/**
 * `check`'s exit code: 1 when any control fails (findings come first: they are what the user must fix),
 * else 3 when any read failed (the check is incomplete), else 0. Manual and skipped rows never fail a run.
 */
export function checkExitCode(report: Pick<CheckReport, 'summary'>): 0 | 1 | 3 {
  if (report.summary.fail > 0) return 1;
  if (report.summary.error > 0) return 3;
  return 0;
}
