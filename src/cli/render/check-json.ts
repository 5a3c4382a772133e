import type { CheckReport } from '../../core/check/check-report.js';

/** The `--json` document, with its keys in the documented order. */
export function renderCheckJson(report: CheckReport): string {
  const doc: CheckReport = {
    version: report.version,
    account: { id: report.account.id, alias: report.account.alias, caller: report.account.caller },
    summary: { ...report.summary },
    controls: report.controls.map((c) => ({
      id: c.id,
      title: c.title,
      status: c.status,
      detail: c.detail,
      remediation: c.remediation,
      references: [...c.references],
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
