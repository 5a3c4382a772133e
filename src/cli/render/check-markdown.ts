import type { CheckReport } from '../../core/check/check-report.js';

/** Table cells: a pipe or line break in a detail must not break the table. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A Markdown table to paste into a ticket or a pull request. */
export function renderCheckMarkdown(report: CheckReport): string {
  const { account, summary: s } = report;
  const lines = [
    `### aws-bootstrap check: account ${account.id}${account.alias ? ` (${cell(account.alias)})` : ''}`,
    '',
    `${s.pass} pass, ${s.fail} fail, ${s.manual} manual, ${s.error} error, ${s.skipped} skipped`,
    '',
    '| Status | Control | Detail | Remediation | References |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const c of report.controls) {
    const status = c.status === 'fail' || c.status === 'error' ? `**${c.status}**` : c.status;
    lines.push(
      `| ${status} | \`${c.id}\` ${cell(c.title)} | ${cell(c.detail)} | ${cell(c.remediation ?? '')} | ${cell(c.references.join(', '))} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
