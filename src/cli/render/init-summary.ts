import type { InitFacts, InitReport, InitStatus } from '../../core/init/init-report.js';
import { describeChange } from '../../core/init/journal.js';
import type { Style } from './style.js';

function paint(status: InitStatus, style: Style): (text: string) => string {
  switch (status) {
    case 'created':
    case 'updated':
      return style.green;
    case 'failed':
      return style.red;
    case 'manual':
    case 'planned':
      return style.yellow;
    default:
      return style.dim;
  }
}

/** The end of `init`: a row per step with its changes, then the sign-in URL, the admin user and what is left. */
export function renderInitSummary(report: InitReport, facts: InitFacts, style: Style): string {
  const idWidth = Math.max(...report.steps.map((s) => s.id.length), 'STEP'.length);
  const statusWidth = 'UNCHANGED'.length;
  const lines = [style.bold(report.dryRun ? 'Plan (nothing was changed)' : 'Summary'), ''];
  lines.push(style.dim(`${'STATUS'.padEnd(statusWidth)}  ${'STEP'.padEnd(idWidth)}  CHANGES`));
  for (const step of report.steps) {
    const changes = step.changes.map(describeChange);
    const first = changes[0] ?? (step.status === 'failed' ? (facts.failures[step.id] ?? '') : '');
    lines.push(`${paint(step.status, style)(step.status.toUpperCase().padEnd(statusWidth))}  ${step.id.padEnd(idWidth)}  ${first}`);
    for (const more of changes.slice(1)) lines.push(`${' '.repeat(statusWidth + idWidth + 4)}${more}`);
    if (step.status === 'failed' && changes.length > 0 && facts.failures[step.id]) {
      lines.push(`${' '.repeat(statusWidth + idWidth + 4)}${style.red(facts.failures[step.id]!)}`);
    }
  }
  lines.push('');
  if (facts.signInUrl) lines.push(`Sign-in URL:  ${facts.signInUrl}`);
  if (facts.adminUser) lines.push(`Admin user:   ${facts.adminUser}`);
  if (facts.leftToDo.length > 0) {
    lines.push('', style.bold('Left to do by hand:'));
    for (const item of facts.leftToDo) lines.push(`  - ${item}`);
  }
  const changed = report.steps.filter((s) => s.status === 'created' || s.status === 'updated').length;
  if (!report.dryRun && changed === 0 && report.steps.every((s) => s.status !== 'failed')) {
    lines.push('', 'Nothing changed: the account already matches what you asked for.');
  }
  return `${lines.join('\n')}\n`;
}

/** The `init --json` document: exactly { version, dryRun, steps: [{ id, status, changes }] }. */
export function renderInitJson(report: InitReport): string {
  const doc: InitReport = {
    version: report.version,
    dryRun: report.dryRun,
    steps: report.steps.map((s) => ({ id: s.id, status: s.status, changes: s.changes.map((c) => ({ ...c })) })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
