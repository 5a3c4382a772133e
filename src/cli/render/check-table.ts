import type { CheckReport, ControlStatus } from '../../core/check/check-report.js';
import type { Style } from './style.js';

function paintStatus(status: ControlStatus, style: Style): (text: string) => string {
  switch (status) {
    case 'pass':
      return style.green;
    case 'fail':
    case 'error':
      return style.red;
    case 'manual':
      return style.yellow;
    default:
      return style.dim;
  }
}

/** The human table: one row per control, the fix indented beneath every row that needs one. */
export function renderCheckTable(report: CheckReport, style: Style): string {
  const { account } = report;
  const lines = [
    style.bold(`Account ${account.id}${account.alias ? ` (${account.alias})` : ''}`) + style.dim(` as ${account.caller}`),
    '',
  ];
  const idWidth = Math.max(...report.controls.map((c) => c.id.length), 'CONTROL'.length);
  const statusWidth = 'SKIPPED'.length;
  lines.push(style.dim(`${'STATUS'.padEnd(statusWidth)}  ${'CONTROL'.padEnd(idWidth)}  DETAIL`));
  for (const c of report.controls) {
    const status = paintStatus(c.status, style)(c.status.toUpperCase().padEnd(statusWidth));
    lines.push(`${status}  ${c.id.padEnd(idWidth)}  ${c.detail}`);
    if (c.remediation) lines.push(`${' '.repeat(statusWidth + idWidth + 4)}${style.dim('fix:')} ${c.remediation}`);
  }
  const s = report.summary;
  lines.push(
    '',
    `${report.controls.length} controls: ${s.pass} pass, ${s.fail} fail, ${s.manual} manual, ${s.error} error, ${s.skipped} skipped`,
  );
  return `${lines.join('\n')}\n`;
}
