import type { StepId } from '../steps/step.js';
import type { Change } from './init-report.js';

export function describeChange(change: Change): string {
  return `${change.action} ${change.target}${change.detail ? ` (${change.detail})` : ''}`;
}

/** The writes of a run, in order: what an interrupted run reports as already done. */
export class Journal {
  private readonly entries: { stepId: StepId; change: Change }[] = [];

  record(stepId: StepId, change: Change): void {
    this.entries.push({ stepId, change });
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * One line, e.g. "Done before the interruption: create iam:group/Administrators; ...", naming the writes that
   * were sent but not answered (`inFlight`, e.g. `iam:CreateUser`): whether those happened is unknown.
   */
  summaryLine(inFlight: readonly string[] = []): string {
    const done =
      this.entries.length === 0
        ? 'Nothing was changed'
        : `Done before the interruption: ${this.entries.map((e) => describeChange(e.change)).join('; ')}`;
    if (inFlight.length === 0) return `${done}.`;
    return (
      `${done}${this.entries.length === 0 ? ' for sure' : ''}. Sent but not answered, so perhaps done: ${inFlight.join(', ')}. ` +
      'Run init again: it reads what is there and carries on.'
    );
  }
}
